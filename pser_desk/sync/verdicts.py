"""Reading central's status answers (central-api.md section 6) into :class:`Verdict`.

Strict where a wrong reading would do harm, lenient where strictness would loop forever:

- an entry counts only for an id we asked about, with a non-empty ``tracking_id``, a
  ``status`` of the contract and, when the status is final, a valid ``decided_at``
  (retention counts from it); any other entry is dropped and its id stays not learned,
  to be asked again later, while the batch's other entries still count;
- ``reason``/``reason_code`` are kept for a rejection only; a ``reason_code`` outside the
  contract's four becomes ``other`` (the manager still reads central's ``reason``);
- a ``reason`` over 1000 characters is cut there.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pser_desk.domain.verdict import ReasonCode, Verdict, VerdictStatus

log = logging.getLogger(__name__)

MAX_BATCH = 100
MAX_REASON = 1000
MAX_TRACKING_ID = 64


@dataclass
class StatusReport:
    """What a round of ``POST /submissions/status`` learnt.

    ``verdicts`` by submission id; ``unknown``: ids central says it never accepted (or that
    are another centre's); ``unanswered``: ids not learnt (their batch failed: ``error``
    says why, or central's entry for them was not of the contract).
    """

    verdicts: dict[str, Verdict] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    error: Exception | None = None
    requests: int = 0


def parse_utc(value: object) -> datetime | None:
    """An RFC 3339 time with ``Z`` or an offset, as UTC; None if it is not one."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def parse_verdict(entry: object, asked: Collection[str]) -> Verdict | None:
    """The verdict in one status object, or None when it is not of the contract."""
    if not isinstance(entry, dict):
        return None
    sid, tracking = entry.get("submission_id"), entry.get("tracking_id")
    if sid not in asked or not isinstance(tracking, str):
        return None
    if not 0 < len(tracking) <= MAX_TRACKING_ID:
        return None
    try:
        status = VerdictStatus(str(entry.get("status")))
    except ValueError:
        return None
    if not status.final:
        return Verdict(str(sid), tracking, status)
    decided_at = parse_utc(entry.get("decided_at"))
    if decided_at is None:
        return None
    if status is VerdictStatus.VERIFIED:
        return Verdict(str(sid), tracking, status, decided_at=decided_at)
    reason = entry.get("reason")
    return Verdict(
        str(sid),
        tracking,
        status,
        reason=reason[:MAX_REASON] if isinstance(reason, str) and reason.strip() else None,
        reason_code=_reason_code(entry.get("reason_code")),
        decided_at=decided_at,
    )


def _reason_code(value: object) -> ReasonCode:
    try:
        return ReasonCode(str(value))
    except ValueError:
        return ReasonCode.OTHER


def read_batch(body: object, asked: list[str], report: StatusReport) -> bool:
    """Add one ``200`` answer for *asked* to *report*; False if the answer is not the contract's."""
    if not isinstance(body, dict):
        return False
    statuses, unknown = body.get("statuses"), body.get("unknown")
    if not isinstance(statuses, list) or not isinstance(unknown, list):
        return False
    wanted = set(asked)
    learnt: dict[str, Verdict] = {}
    for entry in statuses:
        verdict = parse_verdict(entry, wanted)
        if verdict is not None:
            learnt[verdict.submission_id] = verdict
    told_unknown = {sid for sid in unknown if isinstance(sid, str) and sid in wanted}
    told_unknown -= set(learnt)  # central contradicting itself: the status wins
    report.verdicts.update(learnt)
    report.unknown.extend(sid for sid in asked if sid in told_unknown)
    missing = [sid for sid in asked if sid not in learnt and sid not in told_unknown]
    if missing:
        log.warning(
            "central's status answer left %d of %d ids unanswered", len(missing), len(asked)
        )
    report.unanswered.extend(missing)
    return True
