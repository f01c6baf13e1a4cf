"""A sender process for the two-senders run: the desk window's sender, or another PC's.

``python -m tests.reliability.sender KIND DATA_DIR DB_URL [--host H] [--clock-offset S]
[--ttl S] [--seconds S]``

- ``window``: the window's real sending path (the desk's ``sending.send_now``, lease kind
  ``window``), pass after pass as the desk's 20 s timer would, only faster;
- ``agent``: a :class:`SyncWorker` with its own lease (kind ``agent``), host name, lease
  time-to-live and a clock *S* seconds off this PC's (another PC on the same database).

Both stop with exit code 0 once nothing is left to send (or after ``--seconds``); any
exception ends the process with a traceback and a non-zero code, which the test counts.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pser_desk.store import Outbox, Store, StoreService
from pser_desk.store.lease import SenderLease
from pser_desk.sync.drain import unsent_count
from pser_desk.sync.worker import Backoff, SyncWorker
from tests.plugins.store import FAST_SCRYPT


def _window(data_dir: Path, url: str, deadline: float) -> int:
    from pser_desk.desk.services import open_desk

    desk = open_desk(url, data_dir, password_cost=FAST_SCRYPT, sender="window",
                     backoff=Backoff(0.05, 1.0))  # fmt: skip
    try:
        desk.sending.recover()
        while time.monotonic() < deadline and desk.sending.unsent():
            desk.sending.send_now()
            time.sleep(0.05)
    finally:
        desk.close()
    return 0


def _agent(
    data_dir: Path, url: str, deadline: float, host: str, offset_s: float, ttl_s: float
) -> int:
    from pser_desk.desk.services import Desk

    def clock() -> datetime:
        return datetime.now(UTC) + timedelta(seconds=offset_s)

    service = StoreService(Store.open(url, data_dir=data_dir), clock=clock)
    client = Desk.on(service, data_dir, clock=clock, sender="agent").sending.client()
    lease = SenderLease(service.store, kind="agent", host=host, ttl_s=ttl_s)
    outbox = Outbox(service.store, clock=clock)
    worker = SyncWorker(outbox, client, clock=clock, backoff=Backoff(0.05, 1.0), lease=lease,
                        renew_every_s=min(1.0, ttl_s / 3))  # fmt: skip
    try:
        worker.recover()
        while time.monotonic() < deadline and unsent_count(outbox):
            worker.send_once()
            time.sleep(0.05)
    finally:
        client.close()
        service.close()
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["window", "agent"])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("db_url")
    parser.add_argument("--host", default="pc2")
    parser.add_argument("--clock-offset", type=float, default=0.0)
    parser.add_argument("--ttl", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, default=600.0)
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.seconds
    if args.kind == "window":
        return _window(args.data_dir, args.db_url, deadline)
    return _agent(args.data_dir, args.db_url, deadline, args.host, args.clock_offset, args.ttl)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
