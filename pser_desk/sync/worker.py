"""The outbox worker: delivers every queued household to central, exactly once.

Exactly once rests on three things: the store keeps the exact sealed body bytes and
the ``submission_id`` (the idempotency key) from the moment a record is queued; a
record counts as delivered only when a ``201``/``200`` with its tracking id has been
stored; and anything else (a timeout, a dropped connection, a garbled 2xx) sends the
same bytes again later, which central answers with ``200`` and the first answer.

One pass claims due records (at most ``max_in_flight`` on the wire at once), posts them
on a small thread pool and stores each outcome on the calling thread (one database
writer). A bad record never blocks the others: its outcome is stored and the pass
goes on. ``429`` pauses the whole queue for ``Retry-After``; a revoked device stops it.
Manual "send now" and automatic sending share one non-blocking lock.

With a sender lease (:mod:`pser_desk.store.lease`), a pass first takes the lease; when
another sender (the window, ``pser-desk sync``, a background agent, another PC) holds it,
the pass stands aside quietly and says who (``PassSummary.held_by``). The lease is renewed
while records are on the wire and given back at the end of the pass.
"""

from __future__ import annotations

import enum
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from pser_desk.domain.records import FieldProblem, QueueCounts
from pser_desk.store.lease import LeaseHolder
from pser_desk.store.outbox import OutboxItem
from pser_desk.sync.client import CentralError, CentralUnavailable
from pser_desk.sync.outcomes import OutcomeKind, SubmitOutcome

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 4
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 600.0
RENEW_EVERY_S = 10.0


class OutboxPort(Protocol):
    """What the worker needs of the store's outbox (``pser_desk.store.Outbox``)."""

    def claim_due(
        self, limit: int, *, now: datetime | None = None, claimed_by: str | None = None
    ) -> list[OutboxItem]: ...
    def mark_acknowledged(
        self, submission_id: str, tracking_id: str, received_at: datetime | None = None,
        *, claimed_by: str | None = None,
    ) -> bool: ...  # fmt: skip
    def mark_needs_correction(
        self,
        submission_id: str,
        problems: Sequence[FieldProblem],
        *,
        claimed_by: str | None = None,
    ) -> bool: ...
    def mark_duplicate(
        self, submission_id: str, existing_tracking_id: str, existing_receipt_no: str | None,
        *, claimed_by: str | None = None,
    ) -> bool: ...  # fmt: skip
    def mark_failed(
        self, submission_id: str, code: str, message: str = "", *, claimed_by: str | None = None
    ) -> bool: ...
    def retry_later(
        self, submission_id: str, next_attempt_at: datetime, code: str, message: str = "",
        *, claimed_by: str | None = None,
    ) -> bool: ...  # fmt: skip
    def requeue_interrupted(self) -> int: ...
    def counts(self, *, now: datetime | None = None) -> QueueCounts: ...


class LeasePort(Protocol):
    """What the worker needs of :class:`pser_desk.store.lease.SenderLease`."""

    holder_id: str

    def acquire(self) -> LeaseHolder | None: ...
    def renew(self) -> bool: ...
    def release(self) -> None: ...


class SubmitPort(Protocol):
    """What the worker needs of :class:`pser_desk.sync.client.CentralClient`."""

    def submit(self, body: bytes, submission_id: str) -> SubmitOutcome: ...


class Connection(enum.StrEnum):
    """What the GUI's indicator shows."""

    UNKNOWN = "unknown"  # nothing sent yet
    ONLINE = "online"  # the last answer was central's
    DEGRADED = "degraded"  # central answers, but with errors (5xx, garbage, auth)
    OFFLINE = "offline"  # no answer at all (no network, timeouts, dropped connections)
    PAUSED = "paused"  # 429: the queue waits until ``paused_until``
    REVOKED = "revoked"  # 403: this PC must be enrolled again by a manager


@dataclass(frozen=True, slots=True)
class WorkerState:
    connection: Connection
    paused_until: datetime | None
    last_success_at: datetime | None
    last_error: str | None  # a code and a short reason, never personal data
    sending: bool


@dataclass
class PassSummary:
    """What one pass (or several) did; printed by ``pser-desk sync`` as JSON."""

    attempted: int = 0
    acknowledged: int = 0
    needs_correction: int = 0
    duplicate: int = 0
    failed: int = 0
    retry_later: int = 0
    paused_until: datetime | None = None
    revoked: bool = False
    errors: dict[str, int] = field(default_factory=dict)
    held_by: LeaseHolder | None = None  # another sender had the queue: this pass stood aside
    # The rest of the loop with central (issue 16), done under the same lease:
    verdicts_asked: int = 0  # households asked about (POST /submissions/status)
    verified: int = 0  # newly learnt verdicts
    rejected: int = 0
    verdicts_error: str | None = None  # why a round of questions stopped
    heartbeat: str | None = None  # None: not due; "ok", "bad_signature", or an error code
    purged: int = 0  # households whose personal data went (retention)

    def add(self, other: PassSummary) -> None:
        for name in ("attempted", "acknowledged", "needs_correction", "duplicate", "failed",
                     "retry_later", "verdicts_asked", "verified", "rejected", "purged"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.verdicts_error = other.verdicts_error or self.verdicts_error
        self.heartbeat = other.heartbeat or self.heartbeat
        for code, count in other.errors.items():
            self.errors[code] = self.errors.get(code, 0) + count
        self.paused_until = other.paused_until or self.paused_until
        self.revoked = self.revoked or other.revoked
        self.held_by = other.held_by or self.held_by

    def as_json(self) -> dict[str, object]:
        return {
            "attempted": self.attempted,
            "acknowledged": self.acknowledged,
            "needs_correction": self.needs_correction,
            "duplicate": self.duplicate,
            "failed": self.failed,
            "retry_later": self.retry_later,
            "paused_until": _iso(self.paused_until),
            "revoked": self.revoked,
            "errors": dict(sorted(self.errors.items())),
            "held_by": self.held_by.as_json() if self.held_by else None,
            "verdicts": {"asked": self.verdicts_asked, "verified": self.verified,
                         "rejected": self.rejected, "error": self.verdicts_error},
            "heartbeat": self.heartbeat,
            "purged": self.purged,
        }  # fmt: skip


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Backoff:
    """Per-record backoff: the ceiling doubles from ``base_s`` up to ``cap_s``."""

    base_s: float = BACKOFF_BASE_S
    cap_s: float = BACKOFF_CAP_S

    @classmethod
    def parse(cls, text: str) -> Backoff:
        """``"BASE,CAP"`` in seconds (tests and demos against the reference service)."""
        try:
            base, cap = (float(part) for part in text.split(","))
        except ValueError:
            raise ValueError("backoff is 'BASE,CAP' in seconds, e.g. '2,600'") from None
        if not 0 < base <= cap:
            raise ValueError("backoff needs 0 < BASE <= CAP")
        return cls(base, cap)


# What a pass does after sending, under the same lease (verdicts, heartbeat, retention):
# given the pass's summary and a keep-alive that renews the lease (False: it was lost).
Upkeep = Callable[[PassSummary, Callable[[], bool]], None]


def backoff_delay(attempts: int, rng: random.Random, backoff: Backoff = Backoff()) -> float:
    """Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^(n-1))]."""
    ceiling = min(backoff.cap_s, backoff.base_s * 2 ** max(0, min(attempts - 1, 30)))
    return rng.uniform(0.0, ceiling)


class _HeldLease:
    """The sender lease as passes hold it: taken at a pass's start, renewed while it sends,
    given back at its end (kept between passes by a background sender), lost when another
    sender took over (then the pass claims nothing more and stores nothing over its work)."""

    def __init__(self, lease: LeasePort | None, keep: bool) -> None:
        self.lease, self.keep, self.lost = lease, keep, False
        self.claim: str | None = lease.holder_id if lease is not None else None

    def take(self) -> LeaseHolder | None:
        """None when this sender holds the queue now, else who does."""
        holder = self.lease.acquire() if self.lease is not None else None
        if holder is None:
            self.lost = False
        return holder

    def renew(self) -> bool:
        """Push the expiry on; False once the lease is no longer this sender's."""
        if self.lease is not None and not self.lost and not self.lease.renew():
            self.lost = True
            log.warning("the sender lease was taken over; this pass stops claiming")
        return not self.lost

    def end_of_pass(self) -> None:
        if self.lease is not None and not self.lost and not self.keep:
            self.lease.release()

    def give_back(self) -> None:
        if self.lease is not None:
            self.lease.release()


class SyncWorker:
    """Sends the outbox. Thread-safe: passes are serialised by one non-blocking lock."""

    def __init__(
        self,
        outbox: OutboxPort,
        client: SubmitPort,
        *,
        max_in_flight: int = MAX_IN_FLIGHT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        backoff: Backoff = Backoff(),
        lease: LeasePort | None = None,
        renew_every_s: float = RENEW_EVERY_S,
        health: Callable[[], object] | None = None,
        upkeep: Upkeep | None = None,
        keep_lease: bool = False,
        aside: Callable[[PassSummary], None] | None = None,
    ) -> None:
        """*health* asks central whether it answers (``CentralClient.health``): a pass
        with nothing to send asks it, so the connection line is true with an empty queue."""
        if not 1 <= max_in_flight <= MAX_IN_FLIGHT:
            raise ValueError(f"max_in_flight must be 1..{MAX_IN_FLIGHT} (central-api.md 9)")
        self._outbox = outbox
        self._client = client
        self._max = max_in_flight
        self._clock = clock
        self._rng = rng or random.Random()
        self._backoff = backoff
        self._pass_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._connection = Connection.UNKNOWN
        self._paused_until: datetime | None = None
        self._last_success: datetime | None = None
        self._last_error: str | None = None
        self._stop = threading.Event()
        self._held = _HeldLease(lease, keep_lease)  # kept between passes: a background sender
        self._health = health
        self._renew_every_s = renew_every_s
        self._claim = self._held.claim
        self._upkeep = upkeep
        self._aside = aside  # what a sender standing aside still does (its own PC's heartbeat)

    # ------------------------------------------------------------------ state
    def state(self) -> WorkerState:
        with self._state_lock:
            connection = self._connection
            if self._paused_until is not None and self._paused_until > self._clock():
                connection = Connection.PAUSED if connection != Connection.REVOKED else connection
            return WorkerState(
                connection,
                self._paused_until,
                self._last_success,
                self._last_error,
                self._pass_lock.locked(),
            )

    def paused_until(self) -> datetime | None:
        with self._state_lock:
            if self._paused_until is not None and self._paused_until <= self._clock():
                self._paused_until = None
            return self._paused_until

    def request_stop(self) -> None:
        """Ask a running pass to stop claiming; what is on the wire finishes and is stored."""
        self._stop.set()

    # ------------------------------------------------------------------ passes
    def recover(self) -> int:
        """At start: records left ``sending`` by a crash go back to ``queued`` (same bytes)."""
        return self._outbox.requeue_interrupted()

    def try_send_once(self) -> PassSummary | None:
        """One pass unless one is already running (then None: that pass sends it). A pass
        with nothing to send asks central's health instead, so the desk's connection line
        is true with an empty queue too (central-api.md section 8)."""
        if not self._pass_lock.acquire(blocking=False):
            return None
        try:
            summary = self._run_pass()
            if summary.attempted == 0 and not self._stop.is_set():
                self._probe()
            return summary
        finally:
            self._pass_lock.release()

    def _probe(self) -> None:
        health = self._health
        if health is None or self.paused_until() is not None:
            return
        try:
            health()
        except CentralUnavailable:
            self._note(Connection.OFFLINE, error="health: no answer")
            return
        except CentralError:
            self._note(Connection.DEGRADED, error="health: bad answer")
            return
        self._note(Connection.ONLINE)

    def send_once(self, timeout: float | None = None) -> PassSummary:
        """One pass, waiting up to *timeout* for a running pass to finish first."""
        if not self._pass_lock.acquire(timeout=-1 if timeout is None else timeout):
            raise TimeoutError("another send is still running")
        try:
            return self._run_pass()
        finally:
            self._pass_lock.release()

    def _run_pass(self) -> PassSummary:
        """Try every record due when the pass starts, once, at most ``max`` on the wire."""
        self._stop.clear()
        summary = PassSummary()
        summary.held_by = self._held.take()
        if summary.held_by is not None:  # another sender has the queue: stand aside quietly
            if self._aside is not None:
                self._aside(summary)
            return summary
        try:
            self._send_due(summary)
            if self._upkeep is not None and not self._held.lost and not summary.revoked:
                self._upkeep(summary, lambda: self._held.renew() and not self._stop.is_set())
        finally:
            self._held.end_of_pass()
        return summary

    def release_lease(self, timeout: float = 5.0) -> None:
        """Give the queue back (a background sender stopping): after the running pass, or
        at once when it does not finish within *timeout* (its late outcomes are refused)."""
        self._stop.set()
        got = self._pass_lock.acquire(timeout=timeout)
        try:
            self._held.give_back()
        finally:
            if got:
                self._pass_lock.release()

    def _send_due(self, summary: PassSummary) -> None:
        pass_start = self._clock()
        renewed = time.monotonic()
        in_flight: dict[Future[SubmitOutcome], OutboxItem] = {}
        with ThreadPoolExecutor(self._max, thread_name_prefix="pser-sync") as pool:
            while True:
                if self._may_claim(summary):
                    free = self._max - len(in_flight)
                    claimed = (
                        self._outbox.claim_due(free, now=pass_start, claimed_by=self._claim)
                        if free else []
                    )  # fmt: skip
                    for item in claimed:
                        future = pool.submit(self._client.submit, item.body, item.submission_id)
                        in_flight[future] = item
                if not in_flight:
                    break
                done, _ = wait(in_flight, timeout=self._renew_every_s,
                               return_when=FIRST_COMPLETED)  # fmt: skip
                for future in done:
                    item = in_flight.pop(future)
                    self._store_outcome(item, _result(future), summary)
                if time.monotonic() - renewed >= self._renew_every_s:
                    self._held.renew()  # taken over: claim nothing more
                    renewed = time.monotonic()

    def _may_claim(self, summary: PassSummary) -> bool:
        return not (
            self._stop.is_set() or summary.revoked or self.paused_until() is not None
            or self._held.lost
        )  # fmt: skip

    # ------------------------------------------------------------------ outcomes
    def _store_outcome(
        self, item: OutboxItem, outcome: SubmitOutcome, summary: PassSummary
    ) -> None:
        summary.attempted += 1
        sid = item.submission_id
        kind = outcome.kind
        if kind is OutcomeKind.ACCEPTED:
            assert outcome.tracking_id is not None
            self._outbox.mark_acknowledged(
                sid, outcome.tracking_id, _parse_time(outcome.received_at), claimed_by=self._claim
            )
            summary.acknowledged += 1
            self._note(Connection.ONLINE, success=True)
        elif kind is OutcomeKind.VALIDATION:
            self._outbox.mark_needs_correction(sid, outcome.details, claimed_by=self._claim)
            summary.needs_correction += 1
            self._note(Connection.ONLINE, success=True)
        elif kind is OutcomeKind.DUPLICATE_HOUSEHOLD:
            assert outcome.existing_tracking_id is not None
            self._outbox.mark_duplicate(
                sid, outcome.existing_tracking_id, outcome.existing_receipt_no,
                claimed_by=self._claim,
            )  # fmt: skip
            summary.duplicate += 1
            self._note(Connection.ONLINE, success=True)
        elif kind in _FAILS:
            code, message = _FAILS[kind]
            self._outbox.mark_failed(sid, code, message, claimed_by=self._claim)
            summary.failed += 1
            self._note(Connection.ONLINE, success=True)
        else:
            self._retry(item, outcome, summary)
        if kind is not OutcomeKind.ACCEPTED:
            code = _error_code(outcome)
            summary.errors[code] = summary.errors.get(code, 0) + 1
            log.info("submission %s: %s (attempt %d)", sid, code, item.attempts)

    def _retry(self, item: OutboxItem, outcome: SubmitOutcome, summary: PassSummary) -> None:
        now = self._clock()
        code = _error_code(outcome)
        if outcome.kind is OutcomeKind.RATE_LIMITED:
            until = now + timedelta(seconds=outcome.retry_after or 0.0)
            self._pause(until)
            summary.paused_until = until
            next_at = until
            self._note(Connection.PAUSED, error=code)
        elif outcome.kind is OutcomeKind.REVOKED:
            summary.revoked = True
            next_at = now + timedelta(seconds=BACKOFF_CAP_S)
            self._note(Connection.REVOKED, error=code)
        else:
            next_at = now + timedelta(
                seconds=backoff_delay(item.attempts, self._rng, self._backoff)
            )
            answered = outcome.status is not None
            self._note(Connection.DEGRADED if answered else Connection.OFFLINE, error=code)
        self._outbox.retry_later(item.submission_id, next_at, code, outcome.reason,
                                 claimed_by=self._claim)  # fmt: skip
        summary.retry_later += 1

    def _pause(self, until: datetime) -> None:
        with self._state_lock:
            if self._paused_until is None or until > self._paused_until:
                self._paused_until = until

    def _note(
        self, connection: Connection, *, success: bool = False, error: str | None = None
    ) -> None:
        with self._state_lock:
            if self._connection is Connection.REVOKED and connection is not Connection.ONLINE:
                return
            self._connection = connection
            if success:
                self._last_success = self._clock()
                self._last_error = None
            elif error:
                self._last_error = error


# Answers that no resend can fix: a manager has to look (central-api.md section 4).
_FAILS: dict[OutcomeKind, tuple[str, str]] = {
    OutcomeKind.BAD_ENVELOPE: ("bad_envelope", "central cannot decrypt this record"),
    OutcomeKind.IDEMPOTENCY_MISMATCH: (
        "idempotency_mismatch",
        "central already holds a different body under this submission id",
    ),
    OutcomeKind.TOO_LARGE: ("too_large", "the record is over central's 1 MiB limit"),
}


def _error_code(outcome: SubmitOutcome) -> str:
    if outcome.kind is OutcomeKind.AUTH and outcome.auth_error:
        return outcome.auth_error
    if outcome.kind is OutcomeKind.TRANSIENT and outcome.status is not None:
        return f"http_{outcome.status}"
    return outcome.kind.value


def _result(future: Future[SubmitOutcome]) -> SubmitOutcome:
    """The client never raises for network trouble; a bug in it must not lose the record."""
    try:
        return future.result()
    except Exception:
        log.exception("the central client failed unexpectedly")
        return SubmitOutcome(OutcomeKind.TRANSIENT, reason="client error")


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
