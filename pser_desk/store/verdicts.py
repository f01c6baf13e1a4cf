"""Central's verdicts at the desk, rejections a manager deals with, and retention
(central-api.md sections 6 and 10).

:meth:`Verdicts.due` names the acknowledged households whose verdict is not final yet and
that were not asked about in the last ``status_poll_s``, oldest first;
:meth:`Verdicts.record` stores what central said (every asked id is marked asked, so none
is asked twice within ``status_poll_s``), auditing each final verdict.
:meth:`Verdicts.dismiss` is a manager marking a rejected household dealt with.
:meth:`Verdicts.purge_due` removes the personal data of households verified more than
``retention_days`` ago: the sealed local copy, the sealed body for central and the keyed
digests of its CNICs (``cnic_index``: the duplicate check). The row
stays (receipt number, dates, state, operator, member count, tracking id) for reports.
Rejected, unsent and returned households are never purged.

Free space: every SQLite connection runs with ``secure_delete`` (store/engine.py), so the
pages and cells a purge frees are zeroed, and the purge then checkpoints the WAL with
``TRUNCATE`` (the WAL holds earlier copies of the pages). On PostgreSQL the purge runs
``VACUUM FULL records`` (a plain VACUUM leaves dead tuples' bytes in free space), which is
why purges are batched (docs/performance.md: the cost per household).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select

from pser_desk.domain.lifecycle import RecordState
from pser_desk.domain.verdict import Verdict, VerdictStatus
from pser_desk.store import audit_log
from pser_desk.store.audit_log import Event
from pser_desk.store.database import Store
from pser_desk.store.errors import NotFound, NotRejected
from pser_desk.store.models import CnicIndexRow, RecordRow
from pser_desk.store.operators import LoginSession, utc_now
from pser_desk.store.outbox import as_utc

log = logging.getLogger(__name__)

PURGE_BATCH = 500


@dataclass(frozen=True, slots=True)
class PurgeResult:
    purged: int
    wal_truncated: bool | None = None  # SQLite: the WAL checkpointed to zero bytes
    vacuumed: bool = False  # PostgreSQL: VACUUM FULL records ran


class Verdicts:
    def __init__(self, store: Store, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._store = store
        self._clock = clock

    # ------------------------------------------------------------ asking central

    def due(self, poll_s: float, *, limit: int, now: datetime | None = None) -> list[str]:
        """Acknowledged households not final, not asked within *poll_s*, oldest first."""
        now = now or self._clock()
        r = RecordRow
        asked_before = now - timedelta(seconds=poll_s)
        query = (
            select(r.submission_id)
            .where(r.state == RecordState.ACKNOWLEDGED.value)
            .where(or_(r.verdict.is_(None), r.verdict == VerdictStatus.RECEIVED.value))
            .where(or_(r.status_checked_at.is_(None), r.status_checked_at <= asked_before))
            .order_by(r.acknowledged_at, r.submission_id)
            .limit(limit)
        )
        with self._store.read() as session:
            return list(session.scalars(query))

    def record(
        self, asked: Collection[str], verdicts: Mapping[str, Verdict], *,
        now: datetime | None = None,
    ) -> tuple[int, int]:  # fmt: skip
        """Store what central said of *asked* (those answered or unknown to central);
        returns (verified, rejected) newly learnt. Final verdicts never change."""
        now = now or self._clock()
        verified = rejected = 0
        with self._store.write() as session:
            for sid in asked:
                row = session.get(RecordRow, sid, with_for_update=True)
                if row is None or row.state != RecordState.ACKNOWLEDGED.value:
                    continue
                row.status_checked_at = now
                verdict = verdicts.get(sid)
                if verdict is None or row.verdict in _FINAL:
                    continue
                row.verdict = verdict.status.value
                if not verdict.final:
                    continue
                row.decided_at = verdict.decided_at
                if verdict.status is VerdictStatus.REJECTED:
                    row.reason_code = verdict.reason_code.value if verdict.reason_code else "other"
                    row.reason = verdict.reason
                    rejected += 1
                    event = Event.RECORD_REJECTED
                else:
                    verified += 1
                    event = Event.RECORD_VERIFIED
                detail: dict[str, audit_log.DetailValue] = {"tracking_id": row.tracking_id}
                if row.reason_code:
                    detail["reason_code"] = row.reason_code
                audit_log.append(session, event, at=now, subject=sid, detail=detail)
        return verified, rejected

    # ------------------------------------------------------------ the manager

    def dismiss(self, submission_id: str, *, by: LoginSession) -> None:
        """A manager has dealt with this rejected household (it leaves the dashboard)."""
        by.require_manager()
        now = self._clock()
        with self._store.write() as session:
            row = session.get(RecordRow, submission_id, with_for_update=True)
            if row is None:
                raise NotFound(f"no record {submission_id}")
            if row.verdict != VerdictStatus.REJECTED.value:
                raise NotRejected("only a household central rejected can be marked dealt with")
            if row.dismissed_at is not None:
                raise NotRejected("this rejected household was marked dealt with already")
            row.dismissed_at, row.dismissed_by = now, by.operator_id
            audit_log.append(session, Event.RECORD_DISMISSED, at=now, actor=by.operator_id,
                             subject=submission_id)  # fmt: skip

    def rejected(self, *, open_only: bool = True) -> list[RecordRow]:
        """Households central rejected (not yet dealt with, unless *open_only* is False)."""
        r = RecordRow
        query = select(r).where(r.verdict == VerdictStatus.REJECTED.value)
        if open_only:
            query = query.where(r.dismissed_at.is_(None))
        with self._store.read() as session:
            return list(session.scalars(query.order_by(r.decided_at, r.submission_id)))

    def open_rejections(self) -> int:
        """Households central rejected that no manager has dealt with yet."""
        r = RecordRow
        query = (
            select(func.count())
            .select_from(r)
            .where(r.verdict == VerdictStatus.REJECTED.value, r.dismissed_at.is_(None))
        )
        with self._store.read() as session:
            return int(session.scalar(query) or 0)

    def acknowledged_since(self, moment: datetime) -> tuple[int, datetime | None]:
        """(households acknowledged since *moment*, the last acknowledgement ever)."""
        r = RecordRow
        with self._store.read() as session:
            count = session.scalar(
                select(func.count()).select_from(r).where(r.acknowledged_at >= moment)
            )
            last = session.scalar(select(func.max(r.acknowledged_at)))
        return int(count or 0), as_utc(last)

    # ------------------------------------------------------------ retention

    def purge_due(self, retention_days: int, *, now: datetime | None = None) -> PurgeResult:
        """Remove the personal data of households verified *retention_days* ago or more."""
        now = now or self._clock()
        cutoff = now - timedelta(days=retention_days)
        r = RecordRow
        query = (
            select(r)
            .where(r.state == RecordState.ACKNOWLEDGED.value)
            .where(r.verdict == VerdictStatus.VERIFIED.value)
            .where(r.decided_at.is_not(None), r.decided_at <= cutoff)
            .where(r.purged_at.is_(None))
            .order_by(r.decided_at, r.submission_id)
            .limit(PURGE_BATCH)
            .with_for_update(skip_locked=True)
        )
        purged = 0
        while True:
            with self._store.write() as session:
                rows = list(session.scalars(query))
                if rows:  # the keyed digests of its CNICs go too (the duplicate check)
                    session.execute(delete(CnicIndexRow).where(
                        CnicIndexRow.submission_id.in_([r.submission_id for r in rows])))  # fmt: skip
                for row in rows:
                    row.sealed_local = b""
                    row.central_body = None
                    row.purged_at = now
                    audit_log.append(session, Event.RECORD_PURGED, at=now,
                                     subject=row.submission_id,
                                     detail={"retention_days": retention_days})  # fmt: skip
            purged += len(rows)
            if len(rows) < PURGE_BATCH:
                break
        if not purged:
            return PurgeResult(0)
        log.info("retention: the personal data of %d verified household(s) removed", purged)
        return self.clean_free_space(purged)

    def clean_free_space(self, purged: int = 0) -> PurgeResult:
        """SQLite: checkpoint the WAL to nothing; PostgreSQL: VACUUM FULL the records."""
        engine = self._store.engine
        if engine.dialect.name == "sqlite":
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                busy = cursor.fetchone()
                cursor.close()
            finally:
                raw.close()
            truncated = busy is not None and int(busy[0]) == 0
            if not truncated:
                log.warning("retention: the WAL could not be emptied yet (a reader); next pass")
            return PurgeResult(purged, wal_truncated=truncated)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM FULL records")
        return PurgeResult(purged, vacuumed=True)


_FINAL = (VerdictStatus.VERIFIED.value, VerdictStatus.REJECTED.value)
