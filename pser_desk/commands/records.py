"""``pser-desk record add|list|resend|dismiss`` and ``pser-desk queue``: records and the queue.

``record add FILE|- --operator ID`` needs that operator's password on the first line of
stdin (the stricter reading of the issue: a record is attributed only to an operator who
proved who they are). With ``-`` the record JSON follows the password on stdin.
No command here prints personal data.
"""

from __future__ import annotations

import argparse
import json

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.desk_access import open_desk_for, sign_in
from pser_desk.domain.lifecycle import RecordState
from pser_desk.domain.records import rfc3339


def register(sub: SubParsers, groups: Groups) -> None:
    group = groups["record"]
    add = group.add_parser("add", help="validate and queue a household record (password on stdin)")
    add.add_argument("file", metavar="FILE.json|-")
    add.add_argument("--operator", required=True, metavar="ID")
    add.add_argument("--json", action="store_true", help="(the output is always JSON)")
    set_handler(add, _add)
    listing = group.add_parser("list", help="records without personal data")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.add_argument("--state", choices=[s.value for s in RecordState], action="append")
    listing.add_argument("--limit", type=int, default=None)
    set_handler(listing, _list)
    resend = group.add_parser(
        "resend",
        help="a manager sends a failed record again, same bytes (manager's password on stdin)",
    )
    resend.add_argument("submission_id", metavar="SUBMISSION_ID")
    resend.add_argument("--as", dest="manager", required=True, metavar="MANAGER_ID")
    resend.add_argument("--json", action="store_true", help="(the output is always JSON)")
    set_handler(resend, _resend)
    dismiss = group.add_parser(
        "dismiss",
        help="a manager marks a household central rejected as dealt with "
        "(manager's password on stdin)",
    )
    dismiss.add_argument("submission_id", metavar="SUBMISSION_ID")
    dismiss.add_argument("--as", dest="manager", required=True, metavar="MANAGER_ID")
    dismiss.add_argument("--json", action="store_true", help="(the output is always JSON)")
    set_handler(dismiss, _dismiss)
    queue = sub.add_parser("queue", help="counts by state and the age of the oldest unsent record")
    queue.add_argument("--json", action="store_true", help="print a JSON object")
    set_handler(queue, _queue)


def _read_record(path: str, ctx: Context) -> dict[str, object]:
    from pser_desk.commands.base import read_json_arg

    record = read_json_arg(path, ctx)
    if not isinstance(record, dict):
        raise CliError("a household record is a JSON object")
    return record


def _add(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        operator = sign_in(desk, ctx, args.operator)
        record = _read_record(args.file, ctx)
        queued = desk.records.add(operator, record)
    ctx.print_json(queued.as_json())
    return 0


def _resend(args: argparse.Namespace, ctx: Context) -> int:
    """``failed`` (400 bad_envelope, 409 idempotency_mismatch, 413) back to ``queued``."""
    with open_desk_for(ctx) as desk:
        manager = sign_in(desk, ctx, args.manager)
        after = desk.records.resend_failed(manager, args.submission_id)
    ctx.print_json({"submission_id": after.submission_id, "receipt_no": after.receipt_no,
                    "state": after.state})  # fmt: skip
    return 0


def _dismiss(args: argparse.Namespace, ctx: Context) -> int:
    """A rejected household leaves the dashboard: the manager has dealt with it."""
    with open_desk_for(ctx) as desk:
        manager = sign_in(desk, ctx, args.manager)
        after = desk.loop.dismiss(manager, args.submission_id)
    ctx.print_json({"submission_id": after.submission_id, "receipt_no": after.receipt_no,
                    "verdict": after.verdict.value if after.verdict else None,
                    "reason_code": after.reason_code.value if after.reason_code else None,
                    "dismissed_at": rfc3339(after.dismissed_at)})  # fmt: skip
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    if args.limit is not None and args.limit < 1:
        raise CliError("--limit must be at least 1")
    states = [RecordState(s) for s in args.state] if args.state else None
    with open_desk_for(ctx) as desk:
        summaries = desk.records.summaries(limit=args.limit, states=states)
    for summary in summaries:
        data = summary.as_json()
        if args.json:
            ctx.print_json(data)
        else:
            ctx.stdout.write(
                f"{data['submission_id']}\t{data['receipt_no'] or '-'}\t{data['state']}\t"
                f"{data['tracking_id'] or '-'}\t{data['operator_id']}\t{data['updated_at']}\n"
            )
    return 0


def _queue(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        counts = desk.records.counts().as_json()
    if args.json:
        ctx.print_json(counts)
    else:
        ctx.stdout.write(json.dumps(counts["counts"]) + "\n")
        age = counts["oldest_unsent_age_seconds"]
        ctx.stdout.write(f"oldest unsent: {'none' if age is None else f'{age:.0f} s'}\n")
    return 0
