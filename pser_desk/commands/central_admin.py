"""``pser-desk central decide`` and ``pser-desk central fleet``: the district office's side.

``decide --state DIR (--verify-all | --verify ID... | --reject ID... --reason-code CODE
[--reason TEXT])`` gives central's verdict (central-api.md section 6) and prints
``{"status", "decided", "unchanged", "decided_at"}``; it is safe while ``central serve``
runs on the same state (one SQLite transaction, WAL). ``fleet [--json] [--centre CODE]``
lists every enrolled PC with its latest heartbeat (section 10).
"""

from __future__ import annotations

import argparse
import uuid

from pser_desk.central import fleet
from pser_desk.central.checks import is_uuid
from pser_desk.central.decisions import DecisionError
from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.central import open_service, state_args
from pser_desk.domain.receipt import CENTRE_CODE_RE
from pser_desk.domain.verdict import ReasonCode, VerdictStatus


def register(sub: SubParsers, groups: Groups) -> None:
    central = groups["central"]
    decide = central.add_parser(
        "decide", help="verify or reject households central holds (its verdict for the PCs)"
    )
    state_args(decide)
    which = decide.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--verify-all", action="store_true", help="verify every household not decided yet"
    )
    which.add_argument("--verify", nargs="+", metavar="ID", help="verify these submission ids")
    which.add_argument("--reject", nargs="+", metavar="ID", help="reject these submission ids")
    decide.add_argument(
        "--reason-code",
        choices=[code.value for code in ReasonCode],
        default=None,
        help="why they are rejected (required with --reject)",
    )
    decide.add_argument(
        "--reason",
        default=None,
        help="the sentence the centre's manager reads (English, no personal data; "
        "default: a standard sentence for the reason code)",
    )
    set_handler(decide, _handle_decide)
    view = central.add_parser("fleet", help="every enrolled PC and its latest heartbeat")
    state_args(view)
    view.add_argument("--json", action="store_true", help="print JSON instead of a table")
    view.add_argument("--centre", default=None, help="only this centre's PCs (LHR-0042)")
    set_handler(view, _handle_fleet)


def _decision_args(args: argparse.Namespace) -> tuple[list[str] | None, VerdictStatus]:
    if args.reject is None and (args.reason_code is not None or args.reason is not None):
        raise CliError("--reason-code and --reason go with --reject only")
    if args.reject is not None and args.reason_code is None:
        raise CliError(
            "--reject needs --reason-code (" + ", ".join(c.value for c in ReasonCode) + ")"
        )
    ids: list[str] | None = args.reject if args.reject is not None else args.verify
    bad = [sid for sid in ids or () if not is_uuid(sid)]
    if bad:
        raise CliError(f"{bad[0]} is not a submission id (a UUID)")
    if ids is not None:  # central stores the canonical form: an id pasted in capitals is it
        ids = [str(uuid.UUID(sid)) for sid in ids]
    verdict = VerdictStatus.REJECTED if args.reject is not None else VerdictStatus.VERIFIED
    return ids, verdict


def _handle_decide(args: argparse.Namespace, ctx: Context) -> int:
    ids, verdict = _decision_args(args)
    code = ReasonCode(args.reason_code) if args.reason_code else None
    service = open_service(args, ctx, existing=True)
    try:
        decision = service.decide(ids, verdict, code, args.reason)
    except DecisionError as exc:
        raise CliError(str(exc)) from None
    finally:
        service.close()
    ctx.print_json(
        {
            "status": decision.status.value,
            "decided": decision.changed,
            "unchanged": list(decision.unchanged),
            "decided_at": decision.decided_at,
        }
    )
    return 0


def _handle_fleet(args: argparse.Namespace, ctx: Context) -> int:
    if args.centre is not None and not CENTRE_CODE_RE.match(args.centre):
        raise CliError("--centre must look like LHR-0042")
    service = open_service(args, ctx, existing=True)
    try:
        config, _ = service.config.signed()
        view = fleet.fleet(service.db, service.clock(), config, args.centre)
    finally:
        service.close()
    if args.json:
        ctx.print_json(view)
    else:
        ctx.stdout.write(fleet.table(view))
    return 0
