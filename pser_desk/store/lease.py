"""The sender lease: one sender at a time per queue, decided by the database's own clock.

The window, ``pser-desk sync``, a background agent and other PCs on a shared PostgreSQL
database may all want to send. Each pass first takes the lease (one row per queue, in
``sender_lease``); a would-be sender that finds it held stands aside quietly and is told
who holds it (kind ``window`` | ``agent`` | ``sync``, pid, host, since). Every time is the
database's (SQLite ``julianday('now')``, PostgreSQL ``clock_timestamp()``): no PC compares
its own clock with another's. The holder renews the lease while it sends; a lease not
renewed for ``ttl_s`` expires, and one whose holder was this host's process that is no
longer running is free at once (a sender killed mid-pass).

Taking a lease that was not ours puts every ``sending`` record back to ``queued``: only a
lease holder sends, so those were left by a sender that is gone. Records are claimed under
the holder's id, and an outcome is stored only while the record is still ``sending`` under
that claim, so a sender that lost its lease (paused past the expiry) cannot overwrite the
work of the one that took over; central answers the resend of the same bytes with ``200``.
"""

from __future__ import annotations

import os
import socket
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from pser_desk.domain.lifecycle import RecordState
from pser_desk.store import audit_log
from pser_desk.store.database import Store
from pser_desk.store.models import RecordRow, SenderLeaseRow

QUEUE = "outbox"
KINDS = ("window", "agent", "sync")
# A send takes at most 40 s (10 s to connect, 30 s to read); the holder renews every
# RENEW_S while it sends, so a lease this old has no live holder.
LEASE_TTL_S = 90.0
RENEW_S = 10.0

_NOW_SQL = {
    "sqlite": "SELECT (julianday('now') - 2440587.5) * 86400.0",
    "postgresql": "SELECT extract(epoch FROM clock_timestamp())",
}


def db_now(session: Session) -> float:
    """The database's clock, in Unix seconds."""
    sql = _NOW_SQL.get(session.get_bind().dialect.name)
    if sql is None:
        raise RuntimeError("no database clock for this back-end")
    return float(session.execute(text(sql)).scalar_one())


def pid_running(pid: int) -> bool:
    """True when a process with *pid* runs on this host (or cannot be ruled out)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised by the Windows build
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        alive = kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) and code.value == 259
        kernel32.CloseHandle(handle)
        return bool(alive)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True, slots=True)
class LeaseHolder:
    """Who sends the queue now (shown to whoever stands aside)."""

    kind: str
    pid: int
    host: str
    since: datetime

    def describe(self) -> str:
        where = f"pid {self.pid} on {self.host}"
        when = self.since.strftime("%Y-%m-%d %H:%M:%S UTC")
        what = {"window": "the desk's window", "agent": "the background sender",
                "sync": "a 'pser-desk sync'"}.get(self.kind, self.kind)  # fmt: skip
        return f"{what} ({where}, since {when})"

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "pid": self.pid, "host": self.host,
                "since": self.since.strftime("%Y-%m-%dT%H:%M:%SZ")}  # fmt: skip


class SenderLease:
    """This sender's claim on the queue: :meth:`acquire`, :meth:`renew`, :meth:`release`."""

    def __init__(
        self,
        store: Store,
        *,
        kind: str,
        ttl_s: float = LEASE_TTL_S,
        host: str | None = None,
        pid: int | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"a sender is one of {', '.join(KINDS)}")
        self._store = store
        self.kind = kind
        self.ttl_s = ttl_s
        self.host = (host or socket.gethostname() or "?")[:200]
        self.pid = os.getpid() if pid is None else pid
        self.holder_id = uuid.uuid4().hex

    def acquire(self) -> LeaseHolder | None:
        """Take (or renew) the lease; None when this sender holds it now, else who does."""
        with self._store.write() as session:
            row = session.get(SenderLeaseRow, QUEUE, with_for_update=True)
            if row is None:  # a database from before the lease row: make it
                row = SenderLeaseRow(queue=QUEUE)
                session.add(row)
            now = db_now(session)
            if row.holder not in (None, self.holder_id) and self._held(row, now):
                return _holder(row)
            if row.holder != self.holder_id:
                self._take(session, row, now)
            row.expires = now + self.ttl_s
            return None

    def _held(self, row: SenderLeaseRow, now: float) -> bool:
        if row.expires is None or row.expires <= now:
            return False
        dead_here = row.host == self.host and row.pid is not None and not pid_running(row.pid)
        return not dead_here

    def _take(self, session: Session, row: SenderLeaseRow, now: float) -> None:
        result = session.execute(
            update(RecordRow)
            .where(RecordRow.state == RecordState.SENDING.value)
            .values(
                state=RecordState.QUEUED.value,
                claimed_by=None,
                updated_at=datetime.fromtimestamp(now, UTC),
            )  # fmt: skip
        )
        orphans = int(getattr(result, "rowcount", 0) or 0)
        row.holder, row.kind, row.pid, row.host = self.holder_id, self.kind, self.pid, self.host
        row.since = now
        if orphans:
            audit_log.append(session, audit_log.Event.RECORD_REQUEUED,
                             at=datetime.fromtimestamp(now, UTC),
                             detail={"interrupted": int(orphans), "by": self.kind})  # fmt: skip

    def renew(self) -> bool:
        """Push the expiry on; False when the lease is no longer this sender's."""
        with self._store.write() as session:
            row = session.get(SenderLeaseRow, QUEUE, with_for_update=True)
            if row is None or row.holder != self.holder_id:
                return False
            row.expires = db_now(session) + self.ttl_s
            return True

    def release(self) -> None:
        with self._store.write() as session:
            row = session.get(SenderLeaseRow, QUEUE, with_for_update=True)
            if row is not None and row.holder == self.holder_id:
                row.holder = row.kind = row.host = None
                row.pid = None
                row.since = row.expires = None

    def current(self) -> LeaseHolder | None:
        """Who holds the lease now (None: nobody)."""
        with self._store.read() as session:
            row = session.get(SenderLeaseRow, QUEUE)
            if row is None or row.holder is None or not self._held(row, db_now(session)):
                return None
            return _holder(row)


def _holder(row: SenderLeaseRow) -> LeaseHolder:
    return LeaseHolder(row.kind or "?", row.pid or 0, row.host or "?",
                       datetime.fromtimestamp(row.since or 0.0, UTC))  # fmt: skip


def nobody_sending(session: Session, *, host: str | None = None) -> bool:
    """No live lease on the queue (for the start-up recovery of ``sending`` records)."""
    row = session.get(SenderLeaseRow, QUEUE, with_for_update=True)
    if row is None or row.holder is None or row.expires is None:
        return True
    if row.expires <= db_now(session):
        return True
    me = host or socket.gethostname()
    return row.host == me and row.pid is not None and not pid_running(row.pid)
