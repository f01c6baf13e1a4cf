"""``pser-desk sync [--once | --until-empty] [--timeout S]``: deliver the queue to central.

``--once`` is one pass of everything due: send, ask central's verdicts, heartbeat when one
is due, apply retention (``desk.upkeep``); ``--until-empty`` passes until nothing is left
to send and no verdict question is due now (or ``--timeout``).

One sender at a time per queue (:mod:`pser_desk.store.lease`): when the window, a
background sender or another PC is sending, this command says so in its one line of
output and exits 0 (that sender delivers the queue).
"""

from __future__ import annotations

import argparse

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.desk_access import open_desk_for
from pser_desk.desk.errors import DeskError
from pser_desk.desk.sending import backoff_from_env

DEFAULT_TIMEOUT_S = 600.0


def register(sub: SubParsers, groups: Groups) -> None:
    parser = sub.add_parser("sync", help="send queued records to central")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="try every due record once (default)")
    mode.add_argument(
        "--until-empty", action="store_true", help="keep sending until nothing is left to send"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="S",
        help=f"with --until-empty: give up after S seconds (default {DEFAULT_TIMEOUT_S:.0f})",
    )
    set_handler(parser, _handle)


def _handle(args: argparse.Namespace, ctx: Context) -> int:
    if args.timeout <= 0:
        raise CliError("--timeout takes a number of seconds above 0")
    try:
        backoff = backoff_from_env()
    except DeskError as exc:
        raise CliError(str(exc)) from None
    with open_desk_for(ctx, sender="sync", backoff=backoff) as desk:
        sender = desk.sending
        recovered = sender.recover()
        if args.until_empty:
            result = sender.send_until_empty(args.timeout)
            summary, unsent, timed_out = result.summary, result.unsent, result.timed_out
        else:
            summary, timed_out = sender.send_once(), False
            unsent = sender.unsent()
        state = sender.state()
        verdicts_due = sender.verdicts_due()
        report: dict[str, object] = {
            **summary.as_json(),
            "recovered": recovered,
            "unsent": unsent,
            "connection": state.connection.value if state else "unknown",
            "last_error": state.last_error if state else None,
            "verdicts_due": verdicts_due,
        }
        if summary.held_by is not None:
            report["message"] = (
                f"another sender is sending this queue: {summary.held_by.describe()}; "
                "this command stood aside"
            )
        ctx.print_json(report)
    if summary.held_by is not None:
        return 0
    if summary.revoked:
        raise CliError("central has revoked this PC; a manager must enrol it again", code=3)
    if unsent:
        why = "timed out" if timed_out else "not everything could be sent"
        last = state.last_error if state else None
        raise CliError(f"{why}: {unsent} record(s) still to send (last error: {last})")
    if timed_out and verdicts_due:
        raise CliError(f"timed out: {verdicts_due} household(s) still to ask central about "
                       f"(last error: {summary.verdicts_error})")  # fmt: skip
    return 0
