"""Draining the outbox: passes until nothing is left to send, or a deadline.

Used by ``pser-desk sync --until-empty`` and by the GUI's background sender.
Records waiting for a person (``needs_correction``, ``duplicate``, ``failed``) are
not "left to send": they need the operator or the manager, not the network.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from pser_desk.sync.worker import OutboxPort, PassSummary, SyncWorker

POLL_S = 0.25
RETRY_VERDICTS_S = 2.0  # central's status answers failed: ask again, but not at once


@dataclass(frozen=True, slots=True)
class DrainResult:
    summary: PassSummary
    unsent: int
    timed_out: bool


def unsent_count(outbox: OutboxPort) -> int:
    counts = outbox.counts().as_json()
    unsent = counts["unsent"]
    assert isinstance(unsent, int)
    return unsent


def drain(
    worker: SyncWorker,
    outbox: OutboxPort,
    *,
    timeout_s: float,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    more: Callable[[], int] | None = None,
) -> DrainResult:
    """Pass after pass until nothing is unsent (and *more*, the verdict questions due now,
    is 0), the device is revoked, another sender holds the queue (it will send the rest),
    or *timeout_s*."""
    deadline = monotonic() + timeout_s
    total = PassSummary()
    while True:
        last = worker.send_once()
        total.add(last)
        unsent = unsent_count(outbox)
        waiting = unsent + (more() if more is not None else 0)
        if waiting == 0 or total.revoked or total.held_by is not None:
            return DrainResult(total, unsent, timed_out=False)
        remaining = deadline - monotonic()
        if remaining <= 0:
            return DrainResult(total, unsent, timed_out=True)
        wait = _wait_for(worker)
        if last.verdicts_error is not None:
            wait = max(wait, RETRY_VERDICTS_S)
        sleep(min(remaining, wait))


def _wait_for(worker: SyncWorker) -> float:
    paused_until = worker.paused_until()
    if paused_until is None:
        return POLL_S
    return max(POLL_S, (paused_until - datetime.now(UTC)).total_seconds())
