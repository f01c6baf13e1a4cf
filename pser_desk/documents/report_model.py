"""What the manager's daily report shows, as plain data (no database, no PDF).

:func:`build_report` aggregates record facts the way the store query hands them over
(one :class:`RecordFacts` per record, no personal data) into a :class:`ReportData`.
Definitions (docs/slips.md): a record is *started* on the day it was created and
*queued* on the day its receipt was issued; the outcome columns (acknowledged, needs
correction, duplicates), the hourly chart and the reconciliation count the records queued
in the period, by their state now; so do central's verdicts (verified, rejected, and the
rejected receipts with central's reason code). Queue health is the whole queue at generation time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from pser_desk.domain.dates import PAKISTAN_TIME

PKT = PAKISTAN_TIME
ACKNOWLEDGED = "acknowledged"
NEEDS_CORRECTION = "needs_correction"
DUPLICATE = "duplicate"
VERIFIED = "verified"
REJECTED = "rejected"
UNSENT_STATES = frozenset({"queued", "sending"})


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """One record as the report sees it: ids, state and times, nothing personal."""

    operator_id: str
    state: str
    created_at: datetime
    queued_at: datetime | None
    receipt_no: str | None
    acknowledged_at: datetime | None = None
    verdict: str | None = None  # central's verdict once acknowledged (received/verified/rejected)
    reason_code: str | None = None


@dataclass(frozen=True, slots=True)
class OperatorLine:
    operator_id: str
    started: int = 0
    queued: int = 0
    acknowledged: int = 0
    needs_correction: int = 0
    duplicates: int = 0


@dataclass(frozen=True, slots=True)
class QueueHealth:
    unsent: int
    oldest_unsent_at: datetime | None
    last_sync_at: datetime | None  # the last acknowledgement stored from central


@dataclass(frozen=True, slots=True)
class Pending:
    receipt_no: str
    state: str


@dataclass(frozen=True, slots=True)
class ReportData:
    start: date
    end: date  # inclusive
    centre_code: str
    centre_name: str
    operators: tuple[OperatorLine, ...]
    by_hour: tuple[int, ...]  # 24 counts of registrations queued, by hour (PKT)
    queue: QueueHealth
    queued_total: int
    acknowledged_total: int
    not_acknowledged: tuple[Pending, ...]
    generated_at: datetime
    # Central's verdicts on the households queued in the period (by their verdict now).
    verified: int = 0
    rejected: int = 0
    rejected_lines: tuple[Pending, ...] = ()  # receipt number and central's reason code

    @property
    def rejected_receipts(self) -> tuple[str, ...]:
        return tuple(line.receipt_no for line in self.rejected_lines)

    @property
    def totals(self) -> OperatorLine:
        return OperatorLine(
            "TOTAL",
            *(sum(getattr(o, name) for o in self.operators) for name in COUNT_FIELDS),
        )

    @property
    def single_day(self) -> bool:
        return self.start == self.end


COUNT_FIELDS = ("started", "queued", "acknowledged", "needs_correction", "duplicates")


@dataclass
class _Counter:
    started: int = 0
    queued: int = 0
    acknowledged: int = 0
    needs_correction: int = 0
    duplicates: int = 0


@dataclass
class _Tally:
    start: date
    end: date
    operators: dict[str, _Counter] = field(default_factory=dict)
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    pending: list[Pending] = field(default_factory=list)
    acknowledged: int = 0
    verified: int = 0
    rejected: list[Pending] = field(default_factory=list)
    unsent: int = 0
    oldest_unsent: datetime | None = None
    last_sync: datetime | None = None

    def in_period(self, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        local = moment.astimezone(PKT)
        return local if self.start <= local.date() <= self.end else None

    def add(self, fact: RecordFacts) -> None:
        self._queue_health(fact)
        if self.in_period(fact.created_at) is not None:
            self._counter(fact.operator_id).started += 1
        queued_local = self.in_period(fact.queued_at)
        if queued_local is not None:
            self._queued(fact, queued_local)

    def _counter(self, operator_id: str) -> _Counter:
        counter = self.operators.get(operator_id)
        if counter is None:
            counter = self.operators[operator_id] = _Counter()
        return counter

    def _queued(self, fact: RecordFacts, local: datetime) -> None:
        counter = self._counter(fact.operator_id)
        counter.queued += 1
        self.by_hour[local.hour] += 1
        if fact.state == ACKNOWLEDGED:
            counter.acknowledged += 1
            self.acknowledged += 1
            if fact.verdict == VERIFIED:
                self.verified += 1
            elif fact.verdict == REJECTED:
                self.rejected.append(Pending(fact.receipt_no or "-", fact.reason_code or "other"))
            return
        if fact.state == NEEDS_CORRECTION:
            counter.needs_correction += 1
        elif fact.state == DUPLICATE:
            counter.duplicates += 1
        self.pending.append(Pending(fact.receipt_no or "-", fact.state))

    def _queue_health(self, fact: RecordFacts) -> None:
        if fact.state in UNSENT_STATES:
            self.unsent += 1
            when = fact.queued_at
            if when is not None and (self.oldest_unsent is None or when < self.oldest_unsent):
                self.oldest_unsent = when
        ack = fact.acknowledged_at
        if ack is not None and (self.last_sync is None or ack > self.last_sync):
            self.last_sync = ack


def build_report(
    facts: Iterable[RecordFacts],
    *,
    start: date,
    end: date,
    centre_code: str,
    centre_name: str,
    generated_at: datetime,
    last_sync_at: datetime | None = None,
) -> ReportData:
    """Aggregate *facts*: every record created or queued in the period, and every unsent one.

    *last_sync_at* is the store's last acknowledgement, when the facts are only a subset.
    """
    if end < start:
        raise ValueError("the report's end date is before its start date")
    tally = _Tally(start, end)
    for fact in facts:
        tally.add(fact)
    if last_sync_at is not None and (tally.last_sync is None or last_sync_at > tally.last_sync):
        tally.last_sync = last_sync_at
    operators = tuple(
        OperatorLine(op, c.started, c.queued, c.acknowledged, c.needs_correction, c.duplicates)
        for op, c in sorted(tally.operators.items())
    )
    return ReportData(
        start=start, end=end, centre_code=centre_code, centre_name=centre_name,
        operators=operators, by_hour=tuple(tally.by_hour),
        queue=QueueHealth(tally.unsent, tally.oldest_unsent, tally.last_sync),
        queued_total=sum(o.queued for o in operators), acknowledged_total=tally.acknowledged,
        not_acknowledged=tuple(sorted(tally.pending, key=lambda p: p.receipt_no)),
        generated_at=generated_at, verified=tally.verified, rejected=len(tally.rejected),
        rejected_lines=tuple(sorted(tally.rejected, key=lambda p: p.receipt_no)),
    )  # fmt: skip
