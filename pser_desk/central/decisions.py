"""Central's verdicts on the households it accepted (central-api.md section 6).

The real central decides after checking NADRA's family tree and other centres; the
reference service decides when told (``central decide``, :func:`decide`) or, for a demo,
by a simple policy (``central serve --auto-decide``, :class:`AutoDecider`). Verdicts are
final: a household once ``verified`` or ``rejected`` never changes again. Every change is
one ``BEGIN IMMEDIATE`` transaction on central's SQLite database (WAL), so ``central
decide`` in another process is safe while ``central serve`` runs on the same state.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from pser_desk.central.db import text
from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.logs import redact
from pser_desk.security.request_signing import format_ts

if TYPE_CHECKING:
    from pser_desk.central.db import CentralDB
    from pser_desk.central.service import CentralService

log = logging.getLogger(__name__)

REASON_LIMIT = 300
# The sentence a manager reads when central's operator gives none (English, no personal data).
DEFAULT_REASONS: dict[ReasonCode, str] = {
    ReasonCode.NADRA_MISMATCH: "The household's members do not match NADRA's family tree.",
    ReasonCode.DUPLICATE_MEMBER: "A member of this household is already registered in another household.",
    ReasonCode.INCOMPLETE: "Information central needs to verify this household is missing.",
    ReasonCode.OTHER: "Central could not verify this household; the district office will explain.",
}


class DecisionError(ValueError):
    """A decision central refuses to record (unknown household, final verdict, bad reason)."""


@dataclass(frozen=True)
class Decision:
    status: VerdictStatus
    changed: int  # households that went from received to *status*
    unchanged: tuple[str, ...]  # ids named that already had this verdict
    decided_at: str


def check_reason(reason: str) -> str:
    """The reason sentence, trimmed; refused when long, multi-line or holding personal numbers."""
    text = reason.strip()
    if not 0 < len(text) <= REASON_LIMIT:
        raise DecisionError(f"a reason is 1 to {REASON_LIMIT} characters")
    if any(not ch.isprintable() for ch in text):
        raise DecisionError("a reason is one line of text")
    if redact(text) != text:
        raise DecisionError(
            "a reason must not hold a CNIC, B-Form or phone number (it is no place for personal data)"
        )
    return text


def decide(
    db: CentralDB,
    ids: Sequence[str] | None,
    status: VerdictStatus,
    decided_at: str,
    reason_code: ReasonCode | None = None,
    reason: str | None = None,
) -> Decision:
    """Give *status* to *ids* (None: every household still ``received``; verify only).

    All or nothing: an unknown id, or one already given the other verdict, changes nothing.
    """
    if not status.final:
        raise DecisionError("a verdict is verified or rejected")
    if status is VerdictStatus.REJECTED:
        if reason_code is None:
            raise DecisionError("a rejection needs a reason code")
        reason = check_reason(reason) if reason is not None else DEFAULT_REASONS[reason_code]
    elif reason_code is not None or reason is not None:
        raise DecisionError("only a rejection has a reason")
    if ids is None and status is not VerdictStatus.VERIFIED:
        raise DecisionError("only verify can apply to every household at once")
    with db.transaction() as conn:
        if ids is None:
            cur = conn.execute(
                "UPDATE submissions SET status=?, decided_at=? WHERE status='received'",
                (status.value, decided_at),
            )
            return Decision(status, cur.rowcount, (), decided_at)
        unique = list(dict.fromkeys(ids))
        current = _current_statuses(conn, unique)
        _refuse_unknown_or_final(unique, current, status)
        pending = [sid for sid in unique if current[sid] == VerdictStatus.RECEIVED.value]
        _apply(conn, pending, status, decided_at, reason_code, reason)
    unchanged = tuple(sid for sid in unique if sid not in set(pending))
    return Decision(status, len(pending), unchanged, decided_at)


def _apply(
    conn: sqlite3.Connection,
    ids: Sequence[str],
    status: VerdictStatus,
    decided_at: str,
    reason_code: ReasonCode | None,
    reason: str | None,
) -> int:
    """Decide the households of *ids* still ``received`` (others are left as they are)."""
    code = None if reason_code is None else reason_code.value
    before = conn.total_changes
    conn.executemany(
        "UPDATE submissions SET status=?, reason=?, reason_code=?, decided_at=? "
        "WHERE submission_id=? AND status='received'",
        [(status.value, reason, code, decided_at, sid) for sid in ids],
    )
    return conn.total_changes - before


def _current_statuses(conn: sqlite3.Connection, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT submission_id, status FROM submissions WHERE submission_id IN ({marks})", chunk
        )
        found.update({row[0]: row[1] for row in rows})
    return found


def _refuse_unknown_or_final(
    ids: list[str], current: dict[str, str], status: VerdictStatus
) -> None:
    unknown = [sid for sid in ids if sid not in current]
    if unknown:
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise DecisionError(f"central never accepted {unknown[0]}{more}; nothing was decided")
    other = [sid for sid in ids if current[sid] not in (VerdictStatus.RECEIVED.value, status.value)]
    if other:
        raise DecisionError(
            f"{other[0]} is already {current[other[0]]} and verdicts are final; nothing was decided"
        )


# ---------------------------------------------------------------------- the demo's policy


@dataclass(frozen=True)
class AutoPolicy:
    """``after=S,reject=K,reason_code=CODE``: verify households S seconds after they were
    received, rejecting every K-th accepted household (by tracking number; 0: none)."""

    after_s: float = 30.0
    reject_every: int = 0
    reason_code: ReasonCode = ReasonCode.NADRA_MISMATCH


def parse_auto_policy(text: str) -> AutoPolicy:
    values: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep or name not in ("after", "reject", "reason_code"):
            raise DecisionError(
                f"unknown --auto-decide item {item!r} (after=S,reject=K,reason_code=C)"
            )
        values[name] = value.strip()
    try:
        after = float(values.get("after", "30"))
        every = int(values.get("reject", "0"))
        code = ReasonCode(values.get("reason_code", ReasonCode.NADRA_MISMATCH.value))
    except ValueError:
        raise DecisionError(
            "--auto-decide: after is seconds, reject a whole number, reason_code one of "
            + ", ".join(c.value for c in ReasonCode)
        ) from None
    if after < 0 or every < 0:
        raise DecisionError("--auto-decide: after and reject cannot be negative")
    return AutoPolicy(after, every, code)


class AutoDecider:
    """Applies an :class:`AutoPolicy` every *interval_s* on a thread until :meth:`stop`."""

    def __init__(self, service: CentralService, policy: AutoPolicy, interval_s: float = 0.5):
        self._service = service
        self._policy = policy
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="central-auto-decide")

    def start(self) -> AutoDecider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.run_once()
            except Exception:  # keep deciding; the server must not die for the demo's policy
                log.exception("central: automatic decisions failed this round")

    def run_once(self) -> int:
        """Decide the households received at least ``after_s`` ago; how many were decided."""
        now = self._service.clock()
        cutoff = format_ts(now - timedelta(seconds=self._policy.after_s))
        due = self._service.db.query(
            "SELECT submission_id, tracking_id FROM submissions "
            "WHERE status='received' AND received_at<=? ORDER BY received_at LIMIT 1000",
            (cutoff,),
        )
        every = self._policy.reject_every
        pairs = [(text(sid), text(tracking)) for sid, tracking in due]
        rejected = {sid for sid, tracking in pairs if every and _serial(tracking) % every == 0}
        verified = [sid for sid, _ in pairs if sid not in rejected]
        code = self._policy.reason_code
        when = format_ts(now)
        # lenient on purpose: a household ``central decide`` settled meanwhile stays as it is
        with self._service.db.transaction() as conn:
            changed = _apply(
                conn, sorted(rejected), VerdictStatus.REJECTED, when, code, DEFAULT_REASONS[code]
            )
            changed += _apply(conn, verified, VerdictStatus.VERIFIED, when, None, None)
        return changed


def _serial(tracking_id: str) -> int:
    digits = tracking_id.rsplit("-", 1)[-1]
    return int(digits) if digits.isdigit() else 0
