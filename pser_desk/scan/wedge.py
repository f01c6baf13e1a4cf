"""Keyboard-wedge scanners: tell a scanner's burst of keystrokes from a person typing.

A handheld 2D scanner in keyboard mode "types" what it reads: a run of characters a few
milliseconds apart, ending in Enter. A person types 100-300 ms apart. The detector is
pure: the GUI feeds it each key with its time and, when :meth:`WedgeDetector.feed`
returns a :class:`ScannerBurst`, replaces what the burst typed with the CNIC it carries.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from pser_desk.scan.payload import Extraction, extract_text

ENTER_KEYS = frozenset({"\r", "\n", "Enter", "Return"})


@dataclass(frozen=True, slots=True)
class WedgeSettings:
    """Thresholds; defaults fit USB HID scanners (2-20 ms a key) against fast typists."""

    min_chars: int = 8
    max_median_gap_s: float = 0.035
    max_gap_s: float = 0.08
    reset_after_s: float = 0.5


@dataclass(frozen=True, slots=True)
class ScannerBurst:
    """A burst typed by a scanner: its text, its duration, and the CNIC it holds (if any)."""

    text: str = field(repr=False)
    duration_s: float
    extraction: Extraction

    @property
    def cnic(self) -> str | None:
        return self.extraction.cnic


def is_scanner_burst(times: list[float], settings: WedgeSettings | None = None) -> bool:
    """True when keys at *times* (seconds, one per character) came from a scanner."""
    settings = settings or WedgeSettings()
    if len(times) < settings.min_chars:
        return False
    gaps = [b - a for a, b in zip(times, times[1:])]
    if any(g < 0 for g in gaps):
        return False
    return statistics.median(gaps) <= settings.max_median_gap_s and max(gaps) <= settings.max_gap_s


class WedgeDetector:
    """Feed every key press (``key`` is one character or an Enter name) with its time."""

    def __init__(self, settings: WedgeSettings | None = None) -> None:
        self.settings = settings or WedgeSettings()
        self._chars: list[str] = []
        self._times: list[float] = []

    def reset(self) -> None:
        self._chars.clear()
        self._times.clear()

    @property
    def pending(self) -> int:
        """How many characters the current run holds (the GUI may hold them back)."""
        return len(self._chars)

    def feed(self, key: str, t: float) -> ScannerBurst | None:
        if self._times and t - self._times[-1] > self.settings.reset_after_s:
            self.reset()
        if key in ENTER_KEYS:
            return self._finish(t)
        if len(key) != 1:  # Shift, arrows...: not part of what a scanner types
            return None
        self._chars.append(key)
        self._times.append(t)
        return None

    def _finish(self, t: float) -> ScannerBurst | None:
        chars, times = "".join(self._chars), [*self._times]
        self.reset()
        if not is_scanner_burst([*times, t], self.settings):
            return None
        return ScannerBurst(chars, t - times[0], extract_text(chars))
