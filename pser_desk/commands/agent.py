"""``pser-desk agent``: the background sender, and ``pser-desk info [--json]``.

The agent runs headless until SIGTERM or SIGINT (Windows: Ctrl+C, Ctrl+Break or the
console closing), one pass of everything due every :data:`PASS_EVERY_S` seconds: send the
queue, ask central's verdicts, heartbeat, apply retention (``desk.upkeep``). It holds the
sender lease while it runs (renewed every pass, within the lease's 90 s), so the window
and ``pser-desk sync`` stand aside; when another sender holds it, the agent stands aside
and tries again at the next pass. On a signal it stops claiming, gives the lease back
and exits 0 within :data:`STOP_WITHIN_S` seconds (a request still on the wire is left to
the next sender: its record goes back to the queue, same bytes).

A Windows program started by Task Scheduler has no console to send Ctrl+C to:
``pser-desk agent --stop`` asks the agent of the data folder to stop the same way (a
request file, :data:`STOP_FILE`, that the agent looks for twice a second) and waits until
it has given the queue back.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from types import FrameType

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.desk_access import open_desk_for
from pser_desk.desk.errors import DeskError
from pser_desk.desk.sending import Sender, backoff_from_env

log = logging.getLogger(__name__)

PASS_EVERY_S = 15.0
STOP_WITHIN_S = 8.0
STOP_FILE = "agent.stop"


def register(sub: SubParsers, groups: Groups) -> None:
    agent = sub.add_parser(
        "agent", help="send the queue in the background until stopped (SIGTERM/SIGINT)"
    )
    agent.add_argument("--every", type=float, default=PASS_EVERY_S, metavar="S",
                       help=f"seconds between passes (default {PASS_EVERY_S:.0f}, 1..60)")  # fmt: skip
    agent.add_argument(
        "--stop",
        action="store_true",
        help="ask the background sender of this data folder to stop, and wait",
    )
    agent.add_argument("--json", action="store_true", help="with --stop: (the output is JSON)")
    set_handler(agent, _agent)
    info = sub.add_parser("info", help="this PC, central's configuration and who is sending")
    info.add_argument("--json", action="store_true", help="print a JSON object")
    set_handler(info, _info)


def _info(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        info = desk.loop.info()
    data = info.as_json()
    if args.json:
        ctx.print_json(data)
        return 0
    for key, value in data.items():
        ctx.stdout.write(f"{key}: {value}\n")
    if info.update_required:
        ctx.stdout.write("update required: this PC runs an older version than central asks\n")
    return 0


def stop_agent(ctx: Context) -> tuple[bool, bool]:
    """Ask the agent of the data folder to stop and wait (10 s at most) until it has removed
    the request on its way out, or no agent holds the queue (none runs: the request waits
    for the next). Returns (stopped, whether an agent was running)."""
    folder = ctx.ensure_data_dir()
    request = folder / STOP_FILE
    request.write_text("stop\n", encoding="ascii")
    deadline = time.monotonic() + 10.0
    holder = None
    seen = False
    nobody_since = None  # an agent sees the request within 0.5 s; none may be running
    with open_desk_for(ctx) as desk:
        while time.monotonic() < deadline and request.exists():
            holder = desk.sending.holder()
            if holder is not None and holder.kind == "agent":
                nobody_since, seen = None, True
            elif nobody_since is None:
                nobody_since = time.monotonic()
            elif time.monotonic() - nobody_since > 2.0:
                break
            time.sleep(0.3)
        holder = desk.sending.holder()
    taken = not request.exists()  # an agent took the request on its way out
    stopped = taken or holder is None or holder.kind != "agent"
    return stopped, seen or taken


def _stop(ctx: Context) -> int:
    stopped, _running = stop_agent(ctx)
    ctx.print_json({"stopped": stopped})
    if not stopped:
        raise CliError("the background sender did not stop within 10 s")
    return 0


def _agent(args: argparse.Namespace, ctx: Context) -> int:
    if args.stop:
        return _stop(ctx)
    if not 1.0 <= args.every <= 60.0:
        raise CliError("--every takes 1 to 60 seconds (the sender lease lasts 90 s)")
    try:
        backoff = backoff_from_env()
    except DeskError as exc:
        raise CliError(str(exc)) from None
    stop = threading.Event()
    _on_signals(stop)
    request = ctx.ensure_data_dir() / STOP_FILE
    request.unlink(missing_ok=True)  # an old request is no reason to stop now
    with open_desk_for(ctx, sender="agent", backoff=backoff) as desk:
        sender = desk.sending
        recovered = sender.recover()
        log.info("the background sender started (pid in the lease; %d record(s) requeued)",
                 recovered)  # fmt: skip
        passes = threading.Thread(target=_passes, args=(desk.sending, stop, args.every),
                                  name="pser-agent", daemon=True)  # fmt: skip
        passes.start()
        while not stop.wait(0.5):
            if not passes.is_alive() or request.exists():
                break
        stop.set()
        sender.request_stop()
        passes.join(STOP_WITHIN_S / 2)
        try:
            sender.release(timeout=STOP_WITHIN_S / 4)
        except DeskError as exc:
            log.warning("the sender lease was not given back: %s", exc.code.value)
    request.unlink(missing_ok=True)
    log.info("the background sender stopped")
    if passes.is_alive():
        # A request still on the wire (up to 40 s) would hold the exit: its record is
        # back in the queue for the next sender (same bytes); leave without waiting.
        logging.shutdown()
        os._exit(0)
    return 0


def _passes(sender: Sender, stop: threading.Event, every: float) -> None:
    standing_aside = False
    while not stop.is_set():
        try:
            summary = sender.pass_once()
        except DeskError as exc:
            log.warning("a pass failed: %s", exc.code.value)
            summary = None
        except Exception:  # the background sender's last line of defence: log, go on
            log.exception("a pass failed unexpectedly; the next pass tries again")
            summary = None
        if summary is not None and summary.held_by is not None:
            if not standing_aside:
                log.info("standing aside: %s sends this queue", summary.held_by.describe())
            standing_aside = True
        elif summary is not None:
            standing_aside = False
        stop.wait(every)


def _on_signals(stop: threading.Event) -> None:
    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    if sys.platform == "win32":  # pragma: no cover - exercised by the Windows build
        signal.signal(signal.SIGBREAK, handler)
