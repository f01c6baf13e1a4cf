"""``pser-desk sync [--once | --until-empty] [--timeout S]``: deliver the queue to central.

One sender at a time per queue (:mod:`pser_desk.store.lease`): when the window, a
background sender or another PC is sending, this command says so in its one line of
output and exits 0 (that sender delivers the queue).
"""

from __future__ import annotations

import argparse
import os

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.store_access import open_store
from pser_desk.security.device import DeviceKey, DeviceKeyError
from pser_desk.security.envelope import b64u_decode
from pser_desk.settings import central_tls
from pser_desk.store import StoreService
from pser_desk.store.lease import SenderLease
from pser_desk.sync.client import CentralClient
from pser_desk.sync.drain import drain, unsent_count
from pser_desk.sync.transport import InsecureTransportError
from pser_desk.sync.worker import Backoff, SyncWorker

DEFAULT_TIMEOUT_S = 600.0
# Central's contract fixes the backoff at 2 s .. 10 min. Only for tests and demos against
# the reference service may it be shortened: PSER_DESK_SYNC_BACKOFF="BASE,CAP" (seconds).
BACKOFF_ENV = "PSER_DESK_SYNC_BACKOFF"


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


def build_client(service: StoreService, ctx: Context) -> CentralClient:
    """The central client for this PC's enrolment (store) and device key (data dir)."""
    identity = service.device.require()
    try:
        key = DeviceKey.load(ctx.data_dir)
    except DeviceKeyError as exc:
        raise CliError(
            f"this PC's device key cannot be read ({exc}); re-enrol with --force"
        ) from None
    try:
        tls = central_tls(ctx.data_dir)
        return CentralClient(
            identity.central_url,
            device_id=identity.device_id,
            device_key=key,
            ca_bundle=tls.ca_bundle,
            pinned_spki_sha256=tls.pins,
            central_signing_key=b64u_decode(identity.central_signing_key),
        )
    except InsecureTransportError as exc:
        raise CliError(str(exc)) from None


def _backoff() -> Backoff:
    text = os.environ.get(BACKOFF_ENV)
    if not text:
        return Backoff()
    try:
        return Backoff.parse(text)
    except ValueError as exc:
        raise CliError(f"{BACKOFF_ENV}: {exc}") from None


def _handle(args: argparse.Namespace, ctx: Context) -> int:
    if args.timeout <= 0:
        raise CliError("--timeout takes a number of seconds above 0")
    with open_store(ctx) as service:
        client = build_client(service, ctx)
        try:
            lease = SenderLease(service.store, kind="sync")
            worker = SyncWorker(service.outbox, client, backoff=_backoff(), lease=lease)
            recovered = worker.recover()
            if args.until_empty:
                result = drain(worker, service.outbox, timeout_s=args.timeout)
                summary, unsent, timed_out = result.summary, result.unsent, result.timed_out
            else:
                summary, timed_out = worker.send_once(), False
                unsent = unsent_count(service.outbox)
        finally:
            client.close()
        state = worker.state()
        report: dict[str, object] = {
            **summary.as_json(),
            "recovered": recovered,
            "unsent": unsent,
            "connection": state.connection.value,
            "last_error": state.last_error,
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
        raise CliError(f"{why}: {unsent} record(s) still to send (last error: {state.last_error})")
    return 0
