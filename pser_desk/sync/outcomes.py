"""What central's answer to ``POST /submissions`` means (central-api.md section 4).

Every answer, status or failure maps to exactly one :class:`SubmitOutcome`; anything the
contract does not name (other statuses, a 2xx that is not the contract's JSON, a
redirect, a timeout, a dropped connection, a TLS failure) is ``TRANSIENT``: retried,
never taken as acceptance.
"""

from __future__ import annotations

import email.utils
import enum
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from pser_desk.domain.records import FieldProblem

DEFAULT_RETRY_AFTER = 30.0
MAX_RETRY_AFTER = 3600.0


class OutcomeKind(enum.Enum):
    ACCEPTED = "accepted"
    DUPLICATE_HOUSEHOLD = "duplicate_household"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    VALIDATION = "validation"
    BAD_ENVELOPE = "bad_envelope"
    AUTH = "auth"
    REVOKED = "revoked"
    TOO_LARGE = "too_large"
    RATE_LIMITED = "rate_limited"
    TRANSIENT = "transient"


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    kind: OutcomeKind
    status: int | None = None  # HTTP status, None when no answer came
    tracking_id: str | None = None
    received_at: str | None = None
    existing_tracking_id: str | None = None
    existing_receipt_no: str | None = None
    details: tuple[FieldProblem, ...] = ()  # 422: what central found wrong, whole
    auth_error: str | None = None  # "bad_signature" | "clock_skew"
    retry_after: float | None = None
    reason: str = ""  # for TRANSIENT: what happened, without personal data

    @property
    def delivered(self) -> bool:
        return self.kind is OutcomeKind.ACCEPTED

    @property
    def retryable(self) -> bool:
        """Send the same bytes again later (after backoff or Retry-After)."""
        return self.kind in (OutcomeKind.TRANSIENT, OutcomeKind.RATE_LIMITED)


def transient(reason: str, status: int | None = None) -> SubmitOutcome:
    return SubmitOutcome(OutcomeKind.TRANSIENT, status=status, reason=reason)


def _short_text(value: object, limit: int = 200) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def parse_retry_after(value: str | None, now: datetime | None = None) -> float:
    """Seconds to wait: delta-seconds or an HTTP date; a default when absent or bad."""
    if value is None or not value.strip():
        return DEFAULT_RETRY_AFTER
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        seconds = _retry_after_date(text, now)
    if math.isnan(seconds) or seconds < 0:
        return DEFAULT_RETRY_AFTER
    return min(seconds, MAX_RETRY_AFTER)


def _retry_after_date(text: str, now: datetime | None) -> float:
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def accepted(status: int, body: object, submission_id: str) -> SubmitOutcome:
    if (
        not isinstance(body, dict)
        or body.get("submission_id") != submission_id
        or not _short_text(body.get("tracking_id"), 64)
        or not _short_text(body.get("received_at"), 64)
    ):
        return transient(f"HTTP {status} without the contract's acceptance body", status)
    return SubmitOutcome(
        OutcomeKind.ACCEPTED,
        status=status,
        tracking_id=body["tracking_id"],
        received_at=body["received_at"],
    )


def _details(body: dict[str, object]) -> tuple[FieldProblem, ...] | None:
    raw = body.get("details")
    if not isinstance(raw, list):
        return None
    details = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            return None
        message = item.get("message")
        details.append(FieldProblem(item["field"], message if isinstance(message, str) else ""))
    return tuple(details)


def _conflict(body: dict[str, object]) -> SubmitOutcome | None:
    code = body.get("error")
    if code == "idempotency_mismatch":
        return SubmitOutcome(OutcomeKind.IDEMPOTENCY_MISMATCH, status=409)
    tracking, receipt = body.get("existing_tracking_id"), body.get("existing_receipt_no")
    if code == "duplicate_household" and isinstance(tracking, str) and _short_text(tracking, 64):
        return SubmitOutcome(
            OutcomeKind.DUPLICATE_HOUSEHOLD,
            status=409,
            existing_tracking_id=tracking,
            existing_receipt_no=receipt if isinstance(receipt, str) else None,
        )
    return None


def classify(
    status: int, body: object, submission_id: str, retry_after_header: str | None = None
) -> SubmitOutcome:
    """The outcome of one answer; *body* is the parsed JSON (None if not JSON)."""
    if status in (200, 201):
        return accepted(status, body, submission_id)
    if status == 413:
        return SubmitOutcome(OutcomeKind.TOO_LARGE, status=413)
    if status == 429:
        return SubmitOutcome(
            OutcomeKind.RATE_LIMITED, status=429, retry_after=parse_retry_after(retry_after_header)
        )
    known = _classify_error(status, body) if isinstance(body, dict) else None
    return known or transient(f"HTTP {status}", status)


def _classify_error(status: int, body: dict[str, object]) -> SubmitOutcome | None:
    code = body.get("error")
    if status == 409:
        return _conflict(body)
    if status == 422 and code == "validation":
        details = _details(body)
        return (
            None
            if details is None
            else SubmitOutcome(OutcomeKind.VALIDATION, status=422, details=details)
        )
    if status == 400 and code == "bad_envelope":
        return SubmitOutcome(OutcomeKind.BAD_ENVELOPE, status=400)
    if status == 401 and code in ("bad_signature", "clock_skew"):
        return SubmitOutcome(OutcomeKind.AUTH, status=401, auth_error=code)
    if status == 403 and code == "device_revoked":
        return SubmitOutcome(OutcomeKind.REVOKED, status=403)
    return None
