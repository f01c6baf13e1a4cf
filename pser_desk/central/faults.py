"""Fault injection for the reference central service (tests and demos).

``--faults p503=0.2,p500=0.05,p429=0.1,retry_after=2,drop=0.1,drop_after_commit=0.1,
slow=0.05,slow_s=5,garbage=0.05,truncate=0.05,seed=7,on=submit+heartbeat``. Each request
to an endpoint the spec names draws one number in [0, 1); the probabilities are
consecutive bands of that draw, so each fault happens with exactly its probability and
at most one fault hits a request (their sum must not exceed 1).

``on=`` names the endpoints (:data:`ENDPOINTS`, joined by ``+``; ``all`` for every one);
without it a spec applies to ``submit`` (``POST /submissions``) alone, as before.
``--faults`` may be given several times, each spec for other endpoints, so that each
endpoint has its own rates: ``--faults p503=0.2 --faults drop=0.5,on=heartbeat``.
``truncate`` sends the status line, the headers (with the full ``Content-Length``) and
half the body, then closes the connection: an interrupted download.
"""

from __future__ import annotations

import enum
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace


class Fault(enum.Enum):
    NONE = "none"
    P503 = "p503"
    P500 = "p500"
    P429 = "p429"
    DROP = "drop"
    DROP_AFTER_COMMIT = "drop_after_commit"
    SLOW = "slow"
    GARBAGE = "garbage"
    TRUNCATE = "truncate"


_BANDS = (  # new faults go at the end: a seeded spec keeps drawing what it drew before
    Fault.P503,
    Fault.P500,
    Fault.P429,
    Fault.DROP,
    Fault.DROP_AFTER_COMMIT,
    Fault.SLOW,
    Fault.GARBAGE,
    Fault.TRUNCATE,
)
_NUMBERS = {"retry_after", "slow_s", "seed"}
# The endpoints of central-api.md by the names ``on=`` uses.
ENDPOINTS = {
    "health": "GET /health",
    "enroll": "POST /devices/enroll",
    "submit": "POST /submissions",
    "status": "GET /submissions/{id}",
    "status_batch": "POST /submissions/status",
    "heartbeat": "POST /devices/heartbeat",
    "forms": "GET /forms/{id}/current",
    "updates": "GET /updates/metadata/{file}, GET /updates/targets/{file}",
}
DEFAULT_ENDPOINTS = frozenset({"submit"})


class FaultSpecError(ValueError):
    """A ``--faults`` value that cannot be understood."""


@dataclass(frozen=True)
class FaultSpec:
    probabilities: dict[Fault, float]
    retry_after: int = 2
    slow_s: float = 5.0
    seed: int | None = None
    endpoints: frozenset[str] = DEFAULT_ENDPOINTS

    @property
    def active(self) -> bool:
        return any(p > 0 for p in self.probabilities.values())


def parse_faults(text: str | None) -> FaultSpec:
    """Parse a ``--faults`` spec; an empty or missing spec means no faults."""
    probs: dict[Fault, float] = {}
    numbers: dict[str, float] = {}
    endpoints = DEFAULT_ENDPOINTS
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        name, sep, value = item.partition("=")
        if not sep:
            raise FaultSpecError(f"fault {name!r} needs a value (name=value)")
        if name == "on":
            endpoints = _endpoints(value)
            continue
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
    return replace(_spec(probs, numbers), endpoints=endpoints)


def parse_fault_specs(texts: Sequence[str] | None) -> list[FaultSpec]:
    """Several ``--faults`` values; no endpoint may be named by two of them."""
    specs = [parse_faults(text) for text in texts or ()]
    seen: set[str] = set()
    for spec in specs:
        twice = seen & spec.endpoints
        if twice:
            raise FaultSpecError(f"{sorted(twice)[0]} is named by two --faults specs")
        seen |= spec.endpoints
    return specs


def _endpoints(value: str) -> frozenset[str]:
    names = [name.strip() for name in value.split("+") if name.strip()]
    if names == ["all"]:
        return frozenset(ENDPOINTS)
    unknown = [name for name in names if name not in ENDPOINTS]
    if unknown or not names:
        raise FaultSpecError(f"on= takes endpoints joined by + (or all): {', '.join(ENDPOINTS)}")
    return frozenset(names)


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
