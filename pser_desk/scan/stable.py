"""The stable-read rule: a decoder can silently misread, so one frame is not enough.

A CNIC counts when the same number came from at least ``min_agree`` frames within the
last ``window_s`` seconds and no other number came as often in that window; or at once
when the payload proves itself (an old card's PDF417 whose fields agree with each other,
protected besides by PDF417's Reed-Solomon error correction). Pure: the caller gives
the time of each frame, so the rule is the same for a camera, a video file and a test.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class StableRead:
    cnic: str = field(repr=False)
    at: float
    votes: int
    self_consistent: bool


class StableReadFilter:
    """Feed one observation per decoded frame; :meth:`observe` returns a :class:`StableRead`.

    ``observe(t, cnic)`` with ``cnic=None`` records a frame that held no CNIC (it keeps the
    window honest but does not vote). After a stable read the filter keeps answering
    with the same number until :meth:`reset`.
    """

    def __init__(self, min_agree: int = 3, window_s: float = 1.0) -> None:
        if min_agree < 1 or window_s <= 0:
            raise ValueError("min_agree must be >= 1 and window_s > 0")
        self.min_agree = min_agree
        self.window_s = window_s
        self._reads: deque[tuple[float, str]] = deque()
        self._stable: StableRead | None = None

    @property
    def stable(self) -> StableRead | None:
        return self._stable

    def reset(self) -> None:
        self._reads.clear()
        self._stable = None

    def observe(
        self, t: float, cnic: str | None, self_consistent: bool = False
    ) -> StableRead | None:
        if self._stable is not None:
            return self._stable
        if cnic is not None and self_consistent:
            self._stable = StableRead(cnic, t, 1, True)
            return self._stable
        if cnic is not None:
            self._reads.append((t, cnic))
        while self._reads and self._reads[0][0] < t - self.window_s:
            self._reads.popleft()
        self._stable = self._decide(t)
        return self._stable

    def _decide(self, t: float) -> StableRead | None:
        counts = Counter(cnic for _, cnic in self._reads).most_common(2)
        if not counts or counts[0][1] < self.min_agree:
            return None
        if len(counts) > 1 and counts[1][1] >= counts[0][1]:
            return None
        return StableRead(counts[0][0], t, counts[0][1], False)
