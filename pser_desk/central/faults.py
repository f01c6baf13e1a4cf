"""Fault injection for the reference central service (tests and demos).

``--faults p503=0.2,p500=0.05,p429=0.1,retry_after=2,drop=0.1,drop_after_commit=0.1,
slow=0.05,slow_s=5,garbage=0.05,seed=7``. Each request to ``POST /submissions`` draws one
number in [0, 1); the probabilities are consecutive bands of that draw, so each fault
happens with exactly its probability and at most one fault hits a request (their sum
must not exceed 1).
"""

from __future__ import annotations

import enum
import random
import threading
from dataclasses import dataclass


class Fault(enum.Enum):
    NONE = "none"
    P503 = "p503"
    P500 = "p500"
    P429 = "p429"
    DROP = "drop"
    DROP_AFTER_COMMIT = "drop_after_commit"
    SLOW = "slow"
    GARBAGE = "garbage"


_BANDS = (
    Fault.P503,
    Fault.P500,
    Fault.P429,
    Fault.DROP,
    Fault.DROP_AFTER_COMMIT,
    Fault.SLOW,
    Fault.GARBAGE,
)
_NUMBERS = {"retry_after", "slow_s", "seed"}


class FaultSpecError(ValueError):
    """A ``--faults`` value that cannot be understood."""


@dataclass(frozen=True)
class FaultSpec:
    probabilities: dict[Fault, float]
    retry_after: int = 2
    slow_s: float = 5.0
    seed: int | None = None

    @property
    def active(self) -> bool:
        return any(p > 0 for p in self.probabilities.values())


def parse_faults(text: str | None) -> FaultSpec:
    """Parse a ``--faults`` spec; an empty or missing spec means no faults."""
    probs: dict[Fault, float] = {}
    numbers: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        name, sep, value = item.partition("=")
        if not sep:
            raise FaultSpecError(f"fault {name!r} needs a value (name=value)")
        number = _number(name, value)
        if name in _NUMBERS:
            numbers[name] = number
            continue
        try:
            fault = Fault(name)
        except ValueError:
            raise FaultSpecError(f"unknown fault {name!r}") from None
        if not 0.0 <= number <= 1.0:
            raise FaultSpecError(f"probability of {name} must be between 0 and 1")
        probs[fault] = number
    if sum(probs.values()) > 1.0 + 1e-9:
        raise FaultSpecError("the fault probabilities add up to more than 1")
    return _spec(probs, numbers)


def _number(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise FaultSpecError(f"fault {name!r} has a value that is not a number") from None


def _spec(probs: dict[Fault, float], numbers: dict[str, float]) -> FaultSpec:
    retry_after = numbers.get("retry_after", 2)
    slow_s = numbers.get("slow_s", 5.0)
    if retry_after < 0 or slow_s < 0:
        raise FaultSpecError("retry_after and slow_s cannot be negative")
    seed = numbers.get("seed")
    return FaultSpec(
        probabilities=probs,
        retry_after=int(retry_after),
        slow_s=slow_s,
        seed=None if seed is None else int(seed),
    )


class FaultInjector:
    """Draws the fault for each request; thread-safe and reproducible with a seed."""

    def __init__(self, spec: FaultSpec) -> None:
        self.spec = spec
        self._rng = random.Random(spec.seed)
        self._lock = threading.Lock()
        self.counts: dict[Fault, int] = dict.fromkeys(Fault, 0)

    def draw(self) -> Fault:
        if not self.spec.active:
            return Fault.NONE
        with self._lock:
            roll = self._rng.random()
            fault = self._pick(roll)
            self.counts[fault] += 1
        return fault

    def _pick(self, roll: float) -> Fault:
        edge = 0.0
        for fault in _BANDS:
            edge += self.spec.probabilities.get(fault, 0.0)
            if roll < edge:
                return fault
        return Fault.NONE
