"""``pser-desk enroll --central URL --centre CODE --token TOKEN [--name N] [--force]``."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path
from typing import TypeAlias

from pser_desk.commands.base import CliError, Context, set_handler
from pser_desk.commands.store_access import open_store
from pser_desk.domain.receipt import CENTRE_CODE_RE
from pser_desk.domain.text import unsafe_characters
from pser_desk.settings import central_tls, remember_central_tls
from pser_desk.sync.client import CentralClient, CentralError
from pser_desk.sync.enrolment import EnrolmentError, enroll_and_save
from pser_desk.sync.transport import InsecureTransportError

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
    name = (args.name or socket.gethostname() or "pser-desk")[:100]
    if unsafe_characters(name):
        raise CliError("--name may not hold line breaks, tabs, control or direction characters")
    given = args.ca_bundle is not None or args.pin is not None
    if args.ca_bundle is not None and not Path(args.ca_bundle).is_file():
        raise CliError(f"--ca-bundle: no such file: {args.ca_bundle}")
    saved = central_tls(ctx.data_dir)  # what this PC uses already, unless others are given
    ca_bundle = args.ca_bundle if given else saved.ca_bundle
    pins = list(args.pin or []) if given else list(saved.pins)
    try:
        client = CentralClient(args.central, ca_bundle=ca_bundle, pinned_spki_sha256=pins or None)
    except InsecureTransportError as exc:
        raise CliError(str(exc)) from None
    # The store is opened first: a PC whose database cannot be opened must not use up
    # the one-time token and then fail to keep the answer.
    with open_store(ctx) as service:
        try:
            result = enroll_and_save(
                service,
                ctx.ensure_data_dir(),
                args.central,
                args.centre,
                args.token,
                name,
                args.force,
                client=client,
            )
        except (EnrolmentError, CentralError) as exc:
            raise CliError(str(exc)) from None
        finally:
            client.close()
    if given:  # what the manager set at enrolment is what every later request uses
        remember_central_tls(ctx.data_dir, args.ca_bundle, args.pin)
    ctx.print_json(
        {
            "device_id": result.device_id,
            "centre": {
                "code": result.centre_code,
                "name": result.centre_name,
                "district": result.district,
                "tehsil": result.tehsil,
            },
            "central_url": result.central_url,
            "enrolled_at": result.enrolled_at,
        }
    )
    return 0
