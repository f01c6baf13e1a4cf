"""``pser-desk enroll --central URL --centre CODE --token TOKEN [--name N] [--force]``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from pser_desk.commands.base import CliError, Context, set_handler
from pser_desk.commands.desk_access import open_desk_for
from pser_desk.desk.enrolment import MAX_DEVICE_NAME, default_device_name
from pser_desk.desk.settings import CentralTls
from pser_desk.domain.receipt import CENTRE_CODE_RE
from pser_desk.domain.records import rfc3339
from pser_desk.domain.text import unsafe_characters

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(sub: Subparsers, groups: dict[str, Subparsers]) -> None:
    parser = sub.add_parser("enroll", help="enrol this PC with central (a manager, once)")
    parser.add_argument(
        "--central", required=True, help="central's base URL, e.g. https://central.example/api/v1"
    )
    parser.add_argument("--centre", required=True, help="the centre code, e.g. LHR-0042")
    parser.add_argument(
        "--token", required=True, help="the one-time enrolment token from the district office"
    )
    parser.add_argument(
        "--name", default=None, help='this PC\'s name at the centre, e.g. "Counter 3"'
    )
    parser.add_argument(
        "--force", action="store_true", help="re-enrol a PC already enrolled (new device key)"
    )
    parser.add_argument(
        "--ca-bundle", default=None,
        help="a CA bundle to verify central's certificate (kept for every later request)",
    )  # fmt: skip
    parser.add_argument(
        "--pin", action="append", default=None,
        help="SHA-256 of central's public key (repeatable; kept for every later request)",
    )  # fmt: skip
    set_handler(parser, _handle)


def _handle(args: argparse.Namespace, ctx: Context) -> int:
    if not CENTRE_CODE_RE.match(args.centre):
        raise CliError("--centre must look like LHR-0042")
    name = (args.name or default_device_name())[:MAX_DEVICE_NAME]
    if unsafe_characters(name):
        raise CliError("--name may not hold line breaks, tabs, control or direction characters")
    given = args.ca_bundle is not None or args.pin is not None
    if args.ca_bundle is not None and not Path(args.ca_bundle).is_file():
        raise CliError(f"--ca-bundle: no such file: {args.ca_bundle}")
    tls = CentralTls(args.ca_bundle, tuple(args.pin or ())) if given else None
    # The store is opened first: a PC whose database cannot be opened must not use up
    # the one-time token and then fail to keep the answer.
    with open_desk_for(ctx) as desk:
        identity = desk.enrolment.enrol(
            args.central, args.centre, args.token, force=args.force, tls=tls, device_name=name
        )
    ctx.print_json(
        {
            "device_id": identity.device_id,
            "centre": {
                "code": identity.centre_code,
                "name": identity.centre_name,
                "district": identity.district,
                "tehsil": identity.tehsil,
            },
            "central_url": identity.central_url,
            "enrolled_at": rfc3339(identity.enrolled_at),
        }
    )
    return 0
