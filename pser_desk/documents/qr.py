"""QR codes drawn as vector squares on a reportlab canvas (crisp on any printer)."""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

import segno

QUIET_MODULES = 4  # the quiet zone the QR standard asks for


class RectCanvas(Protocol):
    def setFillColorRGB(self, r: float, g: float, b: float) -> None: ...
    def rect(
        self, x: float, y: float, width: float, height: float, stroke: int = 1, fill: int = 0
    ) -> None: ...


@lru_cache(maxsize=16)
def make_qr(text: str) -> segno.QRCode:
    """Error level M (15 %): survives a smudge or a worn thermal print, stays compact.
    (Cached: a slip and its check draw the same code several times; do not modify it.)"""
    return segno.make_qr(text, error="M", boost_error=False)


def draw_qr(canvas: RectCanvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR of *text* in a *size* square whose lower-left corner is (x, y)."""
    qr = make_qr(text)
    rows = [list(row) for row in qr.matrix]
    module = size / (len(rows) + 2 * QUIET_MODULES)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    top = y + size - QUIET_MODULES * module
    for r, row in enumerate(rows):
        for start, length in _dark_runs(row):
            left = x + (QUIET_MODULES + start) * module
            canvas.rect(left, top - (r + 1) * module, length * module, module, stroke=0, fill=1)


def _dark_runs(row: list[int]) -> list[tuple[int, int]]:
    """(start, length) of each horizontal run of dark modules (fewer, larger rectangles)."""
    runs: list[tuple[int, int]] = []
    start = -1
    for i, value in enumerate([*row, 0]):
        if value and start < 0:
            start = i
        elif not value and start >= 0:
            runs.append((start, i - start))
            start = -1
    return runs
