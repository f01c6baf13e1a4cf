"""The outbox: what the sync worker uses to send queued records and store the answers.

``claim_due`` atomically moves due ``queued`` records to ``sending`` (with ``SKIP LOCKED``
on PostgreSQL, so PCs sharing a database never claim the same record), under the sender
lease's id (:mod:`pser_desk.store.lease`), and hands back the stored body bytes. Each
answer from central has its method; given the claim, it is stored only while the record
is still ``sending`` under that claim (a sender that lost its lease stores nothing).
Every state change goes through the domain's :func:`transition`. ``requeue_interrupted``
runs at start: when no sender holds the lease, records left ``sending`` go back to
``queued`` with the same bytes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from pser_desk.domain.lifecycle import UNSENT, RecordState, transition
from pser_desk.domain.records import (
    FieldProblem,
    QueueCounts,
    problems_line,
    problems_to_text,
)
from pser_desk.store import audit_log
from pser_desk.store.audit_log import Event
from pser_desk.store.database import Store
from pser_desk.store.errors import NotFound
from pser_desk.store.lease import nobody_sending
from pser_desk.store.models import RecordRow
from pser_desk.store.operators import LoginSession, utc_now

MAX_ERROR_TEXT = 500
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    submission_id: str
    receipt_no: str
    body: bytes
    attempts: int  # including this one


class Outbox:
    def __init__(self, store: Store, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._store = store
        self._clock = clock

    def claim_due(
        self, limit: int, *, now: datetime | None = None, claimed_by: str | None = None
    ) -> list[OutboxItem]:
        """Up to *limit* due queued records, oldest first, now ``sending`` (under
        *claimed_by*, the sender lease's id)."""
        now = now or self._clock()
        query = (
            select(RecordRow)
            .where(RecordRow.state == RecordState.QUEUED.value)
            .where(or_(RecordRow.next_attempt_at.is_(None), RecordRow.next_attempt_at <= now))
            .order_by(RecordRow.queued_at, RecordRow.submission_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self._store.write() as session:
            items = [self._claim(session, row, now, claimed_by) for row in session.scalars(query)]
        return items

    def _claim(
        self, session: Session, row: RecordRow, now: datetime, claimed_by: str | None
    ) -> OutboxItem:
        row.state = transition(RecordState(row.state), RecordState.SENDING).value
        row.claimed_by = claimed_by
        row.attempts += 1
        row.updated_at = now
        if row.central_body is None or row.receipt_no is None:
            raise RuntimeError("a queued record without a body: store invariant broken")
        audit_log.append(session, Event.RECORD_SENT, at=now, subject=row.submission_id,
                         detail={"attempt": row.attempts})  # fmt: skip
        return OutboxItem(row.submission_id, row.receipt_no, row.central_body, row.attempts)

    def _change(
        self, submission_id: str, target: RecordState, event: Event | None,
        apply: Callable[[RecordRow, datetime], None],
        detail: Mapping[str, audit_log.DetailValue] | None = None,
        claimed_by: str | None = None,
    ) -> bool:  # fmt: skip
        """Apply one outcome; with *claimed_by*, only to a record still sent under it."""
        now = self._clock()
        with self._store.write() as session:
            row = session.get(RecordRow, submission_id, with_for_update=True)
            if row is None:
                raise NotFound(f"no record {submission_id}")
            if claimed_by is not None and (
                row.state != RecordState.SENDING.value or row.claimed_by != claimed_by
            ):
                log.info("submission %s: another sender took it over; its outcome is theirs",
                         submission_id)  # fmt: skip
                return False
            row.state = transition(RecordState(row.state), target).value
            row.updated_at, row.claimed_by = now, None
            apply(row, now)
            if event is not None:
                audit_log.append(session, event, at=now, subject=submission_id, detail=detail)
        return True

    def mark_acknowledged(
        self, submission_id: str, tracking_id: str, received_at: datetime | None = None,
        *, claimed_by: str | None = None,
    ) -> bool:  # fmt: skip
        def apply(row: RecordRow, now: datetime) -> None:
            row.tracking_id, row.acknowledged_at = tracking_id, received_at or now
            row.next_attempt_at, row.last_error_code, row.last_error = None, None, None

        return self._change(submission_id, RecordState.ACKNOWLEDGED, Event.RECORD_ACKNOWLEDGED,
                            apply, {"tracking_id": tracking_id}, claimed_by)  # fmt: skip

    def mark_needs_correction(
        self, submission_id: str, problems: Sequence[FieldProblem],
        *, claimed_by: str | None = None,
    ) -> bool:  # fmt: skip
        """422: what central found wrong (field paths and rule text, never values), kept
        whole in ``corrections``; ``last_error`` has them as one line."""
        kept = tuple(problems)
        record_error = _error("validation", problems_line(kept))

        def apply(row: RecordRow, now: datetime) -> None:
            record_error(row, now)
            row.corrections = problems_to_text(kept)

        return self._change(submission_id, RecordState.NEEDS_CORRECTION,
                            Event.RECORD_NEEDS_CORRECTION, apply,
                            {"problems": len(kept)}, claimed_by)  # fmt: skip

    def mark_duplicate(
        self, submission_id: str, existing_tracking_id: str, existing_receipt_no: str | None,
        *, claimed_by: str | None = None,
    ) -> bool:  # fmt: skip
        text = json.dumps({"existing_tracking_id": existing_tracking_id,
                           "existing_receipt_no": existing_receipt_no})  # fmt: skip
        return self._change(submission_id, RecordState.DUPLICATE, Event.RECORD_DUPLICATE,
                            _error("duplicate_household", text),
                            {"existing_tracking_id": existing_tracking_id}, claimed_by)  # fmt: skip

    def mark_failed(
        self, submission_id: str, code: str, message: str = "", *, claimed_by: str | None = None
    ) -> bool:
        """400 bad_envelope, 409 idempotency_mismatch...: needs a manager."""
        return self._change(submission_id, RecordState.FAILED, Event.RECORD_FAILED,
                            _error(code, message), {"code": code}, claimed_by)  # fmt: skip

    def retry_later(
        self, submission_id: str, next_attempt_at: datetime, code: str, message: str = "",
        *, claimed_by: str | None = None,
    ) -> bool:  # fmt: skip
        """A transient failure: back to ``queued``, not before *next_attempt_at*."""
        record_error = _error(code, message)

        def apply(row: RecordRow, now: datetime) -> None:
            record_error(row, now)
            row.next_attempt_at = next_attempt_at

        return self._change(submission_id, RecordState.QUEUED, None, apply, None, claimed_by)

    def requeue_interrupted(self) -> int:
        """At start: ``sending`` records a crash left go back to ``queued`` (same bytes),
        unless a sender holds the lease now (it may have them on the wire: the window,
        ``pser-desk sync`` or another PC on a shared database)."""
        now = self._clock()
        stmt = (
            update(RecordRow)
            .where(RecordRow.state == RecordState.SENDING.value)
            .values(state=RecordState.QUEUED.value, updated_at=now, claimed_by=None)
        )
        with self._store.write() as session:
            if not nobody_sending(session):
                return 0
            count = int(getattr(session.execute(stmt), "rowcount", 0))
            if count:
                audit_log.append(session, Event.RECORD_REQUEUED, at=now,
                                 detail={"interrupted": count})  # fmt: skip
        return int(count)

    def requeue_failed(self, submission_id: str, *, by: LoginSession) -> None:
        """A manager sends a failed record again (same body) after fixing the cause."""
        by.require_manager()

        def apply(row: RecordRow, _now: datetime) -> None:
            row.next_attempt_at, row.attempts = None, 0

        self._change(submission_id, RecordState.QUEUED, Event.RECORD_REQUEUED, apply,
                     {"by": by.operator_id})  # fmt: skip

    def counts(self, *, now: datetime | None = None) -> QueueCounts:
        now = now or self._clock()
        unsent = [s.value for s in UNSENT]
        with self._store.read() as session:
            pairs = session.execute(
                select(RecordRow.state, func.count()).group_by(RecordRow.state)
            ).all()
            oldest = session.scalar(
                select(func.min(RecordRow.queued_at)).where(RecordRow.state.in_(unsent))
            )
        by_state = {state.value: 0 for state in RecordState}
        by_state.update({str(state): int(n) for state, n in pairs})
        oldest_at = as_utc(oldest)
        age = (now - oldest_at).total_seconds() if oldest_at else None
        return QueueCounts(by_state, oldest_at, age)


def as_utc(value: object) -> datetime | None:
    """func.min() bypasses the column type: convert what the driver returned."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError("unexpected time value from the database")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _error(code: str, message: str) -> Callable[[RecordRow, datetime], None]:
    def apply(row: RecordRow, _now: datetime) -> None:
        row.last_error_code, row.last_error = code[:64], message[:MAX_ERROR_TEXT] or None

    return apply
