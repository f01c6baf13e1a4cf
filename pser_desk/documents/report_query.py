"""Build :class:`ReportData` from the local store alone (so the report works offline).

One streamed query hands the records of the period (created or queued in it) and every
unsent record to :func:`build_report`; one more asks for the last acknowledgement.
Only ids, states and times are read: the sealed record content is never opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from pser_desk.documents.report_model import (
    PKT,
    UNSENT_STATES,
    RecordFacts,
    ReportData,
    build_report,
)
from pser_desk.store import StoreService
from pser_desk.store.models import RecordRow
from pser_desk.store.outbox import as_utc

BATCH = 5000


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00 PKT, day after end 00:00 PKT) as UTC instants."""
    low = datetime.combine(start, time(0), PKT).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(0), PKT).astimezone(UTC)
    return low, high


def _facts(services: StoreService, low: datetime, high: datetime) -> Iterator[RecordFacts]:
    r = RecordRow
    query = (
        select(
            r.operator_id,
            r.state,
            r.created_at,
            r.queued_at,
            r.receipt_no,
            r.acknowledged_at,
            r.verdict,
            r.reason_code,
        )
        .where(
            or_(
                (r.created_at >= low) & (r.created_at < high),
                (r.queued_at >= low) & (r.queued_at < high),
                r.state.in_(sorted(UNSENT_STATES)),
            )
        )
        .execution_options(yield_per=BATCH)
    )
    with services.store.read() as session:
        for row in session.execute(query):
            yield RecordFacts(*row)


def _last_sync(services: StoreService) -> datetime | None:
    with services.store.read() as session:
        return as_utc(session.scalar(select(func.max(RecordRow.acknowledged_at))))


def load_report(
    services: StoreService, start: date, end: date, *, now: datetime | None = None
) -> ReportData:
    """The report for [start, end] (PKT days) from the store *services* opened."""
    device = services.device.current()
    low, high = period_bounds(start, end)
    return build_report(
        _facts(services, low, high),
        start=start,
        end=end,
        centre_code=device.centre_code if device else "(not enrolled)",
        centre_name=device.centre_name if device else "",
        generated_at=now or datetime.now(UTC),
        last_sync_at=_last_sync(services),
    )
