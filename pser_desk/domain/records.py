"""What is known of a household record without opening it: no personal data here.

:class:`RecordSummary` is a record's ids, state and times (lists, the queue, reports,
``record list``); :class:`QueueCounts` the queue by state; :class:`FieldProblem` one of
central's reasons for returning a record to the operator (a ``422``: the field's path
and central's rule text, central-api.md section 4), kept as structured data from the
answer to the screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pser_desk.domain.lifecycle import UNSENT, RecordState
from pser_desk.domain.verdict import ReasonCode, VerdictStatus

MAX_PROBLEMS = 200  # a household form has fewer fields; more is not central's contract
MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A field central found wrong: its path (``head.cnic``, ``members[2].name``) and
    central's message (rule text, never the value)."""

    field: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def problems_to_text(problems: tuple[FieldProblem, ...]) -> str:
    """The problems as stored (a JSON array), whole: nothing is cut."""
    return json.dumps([p.as_json() for p in problems], ensure_ascii=False)


def problems_from_text(text: str | None) -> tuple[FieldProblem, ...]:
    """The problems stored by :func:`problems_to_text`; () for none or a text that is not
    such an array (a record from before problems were kept whole)."""
    if not text:
        return ()
    try:
        raw = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(raw, list):
        return ()
    return tuple(
        FieldProblem(str(item["field"])[:MAX_TEXT], str(item.get("message", ""))[:MAX_TEXT])
        for item in raw[:MAX_PROBLEMS]
        if isinstance(item, dict) and isinstance(item.get("field"), str)
    )


def problems_line(problems: tuple[FieldProblem, ...]) -> str:
    """``head.cnic: message; answers.rooms: message`` (for a list line or the CLI)."""
    return "; ".join(f"{p.field}: {p.message}" for p in problems)


def rfc3339(moment: datetime | None) -> str | None:
    """``2026-11-24T09:15:02Z`` (UTC, whole seconds), or None."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class QueuedRecord:
    submission_id: str
    receipt_no: str
    state: RecordState = RecordState.QUEUED

    def as_json(self) -> dict[str, str]:
        return {"submission_id": self.submission_id, "receipt_no": self.receipt_no,
                "state": self.state.value}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """A record without personal data: for lists, the queue screen and reports."""

    submission_id: str
    receipt_no: str | None
    state: RecordState
    tracking_id: str | None
    operator_id: str
    form_id: str
    form_version: str
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None
    acknowledged_at: datetime | None
    attempts: int
    next_attempt_at: datetime | None
    last_error_code: str | None
    last_error: str | None
    member_count: int | None
    corrections: tuple[FieldProblem, ...] = ()  # returned by central: what it found wrong
    # Central's verdict once acknowledged (central-api.md 6); None before.
    verdict: VerdictStatus | None = None
    reason_code: ReasonCode | None = None
    reason: str | None = None  # central's sentence for the manager (English)
    decided_at: datetime | None = None
    purged_at: datetime | None = None  # its personal data is gone (retention)
    dismissed_at: datetime | None = None  # a manager dealt with the rejection
    redo_of: str | None = None  # the rejected household this one was started from

    @property
    def purged(self) -> bool:
        return self.purged_at is not None

    @property
    def open_rejection(self) -> bool:
        """Rejected by central and not yet dealt with by a manager."""
        return self.verdict is VerdictStatus.REJECTED and self.dismissed_at is None

    def as_json(self) -> dict[str, object]:
        return {
            "submission_id": self.submission_id, "receipt_no": self.receipt_no,
            "state": self.state.value, "tracking_id": self.tracking_id,
            "operator_id": self.operator_id, "form_id": self.form_id,
            "form_version": self.form_version, "created_at": rfc3339(self.created_at),
            "updated_at": rfc3339(self.updated_at), "queued_at": rfc3339(self.queued_at),
            "acknowledged_at": rfc3339(self.acknowledged_at), "attempts": self.attempts,
            "next_attempt_at": rfc3339(self.next_attempt_at),
            "last_error_code": self.last_error_code, "last_error": self.last_error,
            "member_count": self.member_count,
            "corrections": [problem.as_json() for problem in self.corrections],
            "verdict": self.verdict.value if self.verdict else None,
            "reason_code": self.reason_code.value if self.reason_code else None,
            "reason": self.reason, "decided_at": rfc3339(self.decided_at),
            "purged": self.purged, "dismissed_at": rfc3339(self.dismissed_at),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class QueueCounts:
    by_state: dict[str, int]
    oldest_unsent_at: datetime | None
    oldest_unsent_age_s: float | None

    @property
    def unsent(self) -> int:
        return sum(self.by_state.get(s.value, 0) for s in UNSENT)

    def as_json(self) -> dict[str, object]:
        return {
            "counts": self.by_state,
            "unsent": self.unsent,
            "oldest_unsent_at": self.oldest_unsent_at.isoformat()
            if self.oldest_unsent_at
            else None,
            "oldest_unsent_age_seconds": self.oldest_unsent_age_s,
        }
