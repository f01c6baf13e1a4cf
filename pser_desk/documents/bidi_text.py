"""Mixed Urdu and Latin text for reportlab: bidi order, HarfBuzz shaping, two fonts.

The recipe of ENVIRONMENT.md: python-bidi puts a logical line into visual order; the
visual line is cut into Arabic-script runs and the rest; each Arabic run is turned
back into logical order and shaped by HarfBuzz (``reportlab.pdfbase.ttfonts.shapeStr``),
which returns glyphs in visual order; other runs (Latin, digits, codes, punctuation)
are drawn in the Latin font. Numbers and dates inside Urdu are wrapped in U+2066 ... U+2069
(:func:`ltr`) so that they stay left-to-right; the controls themselves are not drawn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

from pser_desk.documents.fonts import FONTS

LRI, PDI = "\u2066", "\u2069"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RE = re.compile(f"[{_ARABIC}]")
# An Arabic run in a visual line: Arabic letters, with spaces only between them.
_RUN_RE = re.compile(f"[{_ARABIC}]+(?:[ \u200c]+[{_ARABIC}]+)*")
_CONTROLS_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_MIRROR = {
    "(": ")",
    ")": "(",
    "[": "]",
    "]": "[",
    "{": "}",
    "}": "{",
    "<": ">",
    ">": "<",
    "«": "»",
    "»": "«",
}

Align = Literal["left", "right", "centre"]


class Canvas(Protocol):
    def setFont(self, name: str, size: float) -> None: ...
    def drawString(self, x: float, y: float, text: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Run:
    text: str  # a ShapedStr for a shaped Arabic run
    font: str
    size: float
    width: float


@dataclass(frozen=True, slots=True)
class Line:
    runs: tuple[Run, ...]

    @property
    def width(self) -> float:
        return sum(run.width for run in self.runs)


def ltr(value: object) -> str:
    """Wrap a number, date or code so that it stays left-to-right inside Urdu."""
    return f"{LRI}{value}{PDI}"


def has_arabic(text: str) -> bool:
    return bool(_ARABIC_RE.search(text))


def _shaped_width(text: str, font: str, size: float) -> float:
    if isinstance(text, ShapedStr):
        return float(sum(d.x_advance for d in text.__shapeData__)) * size / 1000
    return float(pdfmetrics.stringWidth(text, font, size))


@lru_cache(maxsize=4096)
def _arabic_run(logical: str, size: float) -> Run:
    shaped = shapeStr(logical, FONTS.urdu, size)
    return Run(shaped, FONTS.urdu, size, _shaped_width(shaped, FONTS.urdu, size))


def _latin_run(text: str, size: float, font: str) -> Run:
    return Run(text, font, size, float(pdfmetrics.stringWidth(text, font, size)))


def _visual_pieces(visual: str) -> Iterator[tuple[bool, str]]:
    """(is_arabic, text) pieces of a visual-order line, left to right."""
    pos = 0
    for match in _RUN_RE.finditer(visual):
        if match.start() > pos:
            yield False, visual[pos : match.start()]
        yield True, match.group()
        pos = match.end()
    if pos < len(visual):
        yield False, visual[pos:]


def _strong(char: str, last_letter: str) -> str | None:
    """'L', 'R' or None (neutral) as the bidi rules N1/W7 see *char* next to brackets."""
    if _ARABIC_RE.match(char):
        return "R" if char.isalpha() or char.isdigit() else None
    if char.isalpha():
        return "L"
    if char.isdigit():  # W7: a number after a Latin letter is L; otherwise it acts as R
        return "L" if last_letter == "L" else "R"
    return None


def _mirror_brackets(text: str, rtl: bool) -> str:
    """Mirror the brackets that end up right-to-left (python-bidi 0.6 does not, rule L4).

    A bracket outside an isolate takes the direction of the strong characters around it
    when they agree, else the base direction (UBA rules N1 and N2).
    """
    base = "R" if rtl else "L"
    kinds: list[str | None] = []
    depth, last_letter = 0, base
    for char in text:
        depth += (char == LRI) - (char == PDI)
        kind = None if depth else _strong(char, last_letter)
        if kind and char.isalpha():
            last_letter = kind
        kinds.append(kind)
    out = list(text)
    for i, char in enumerate(text):
        if char in _MIRROR and kinds[i] is None and not _inside_isolate(text, i):
            before = next((k for k in reversed(kinds[:i]) if k), base)
            after = next((k for k in kinds[i + 1 :] if k), base)
            if (before if before == after else base) == "R":
                out[i] = _MIRROR[char]
    return "".join(out)


def _inside_isolate(text: str, index: int) -> bool:
    head = text[:index]
    return head.count(LRI) > head.count(PDI)


def layout_line(text: str, size: float, rtl: bool, latin_font: str = FONTS.latin) -> Line:
    """One line of logical *text*, ready to draw left to right."""
    if not has_arabic(text):
        return Line((_latin_run(_CONTROLS_RE.sub("", text), size, latin_font),))
    visual = get_display(_mirror_brackets(text, rtl), base_dir="R" if rtl else "L")
    runs: list[Run] = []
    for is_arabic, piece in _visual_pieces(visual):
        if is_arabic:
            runs.append(_arabic_run(piece[::-1], size))
            continue
        piece = _CONTROLS_RE.sub("", piece)
        if piece:
            runs.append(_latin_run(piece, size, latin_font))
    return Line(tuple(runs))


def draw_line(canvas: Canvas, line: Line, x: float, y: float, align: Align = "left") -> None:
    """Draw *line* with its left edge, right edge or centre at *x* (baseline *y*)."""
    if align == "right":
        x -= line.width
    elif align == "centre":
        x -= line.width / 2
    for run in line.runs:
        canvas.setFont(run.font, run.size)
        canvas.drawString(x, y, run.text)
        x += run.width


def wrap(
    text: str, size: float, width: float, rtl: bool, latin_font: str = FONTS.latin
) -> list[Line]:
    """Break logical *text* into lines no wider than *width* (a too-long word stands alone)."""
    lines: list[Line] = []
    current: list[str] = []
    for word in text.split():
        candidate = " ".join([*current, word])
        if current and layout_line(candidate, size, rtl, latin_font).width > width:
            lines.append(layout_line(" ".join(current), size, rtl, latin_font))
            current = [word]
        else:
            current.append(word)
    if current:
        lines.append(layout_line(" ".join(current), size, rtl, latin_font))
    return lines
