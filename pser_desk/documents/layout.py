"""A very small block layout for slips: blocks know their height and draw at a top edge.

Pages are laid out top-down: a block is given the left and right edges of its column
and the y of its top edge, and returns nothing; its ``height`` is known beforehand, so a
thermal-roll page can be sized to its content before anything is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from pser_desk.documents.bidi_text import Align, Line, draw_line, layout_line, wrap
from pser_desk.documents.fonts import FONTS

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

URDU_LINE = 2.05  # Nastaliq's tall ascenders and deep descenders need room
URDU_ASCENT = 1.3
LATIN_LINE = 1.3
LATIN_ASCENT = 1.0


class Block(Protocol):
    @property
    def height(self) -> float: ...

    def draw(self, canvas: Canvas, left: float, right: float, top: float) -> None: ...


def _is_urdu(line: Line) -> bool:
    return any(run.font == FONTS.urdu for run in line.runs)


def _size(line: Line) -> float:
    return max((run.size for run in line.runs), default=0.0)


def line_height(line: Line) -> float:
    return _size(line) * (URDU_LINE if _is_urdu(line) else LATIN_LINE)


def line_ascent(line: Line) -> float:
    return _size(line) * (URDU_ASCENT if _is_urdu(line) else LATIN_ASCENT)


@dataclass
class TextBlock:
    lines: Sequence[Line]
    align: Align = "left"

    @property
    def height(self) -> float:
        return sum(line_height(line) for line in self.lines)

    def draw(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        x = {"left": left, "right": right, "centre": (left + right) / 2}[self.align]
        for line in self.lines:
            draw_line(canvas, line, x, top - line_ascent(line), self.align)
            top -= line_height(line)


def text(
    content: str,
    size: float,
    width: float,
    *,
    rtl: bool,
    font: str = FONTS.latin,
    align: Align | None = None,
) -> TextBlock:
    """A wrapped paragraph; Urdu paragraphs (``rtl``) are right-aligned by default."""
    lines = wrap(content, size, width, rtl, font)
    return TextBlock(lines, align or ("right" if rtl else "left"))


def one_line(
    content: str, size: float, *, rtl: bool, font: str = FONTS.latin, align: Align | None = None
) -> TextBlock:
    return TextBlock([layout_line(content, size, rtl, font)], align or ("right" if rtl else "left"))


@dataclass
class Gap:
    height: float

    def draw(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        return None


@dataclass
class Rule:
    height: float = 8.0
    weight: float = 0.6

    def draw(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        canvas.setLineWidth(self.weight)
        y = top - self.height / 2
        canvas.line(left, y, right, y)


@dataclass
class Custom:
    """A block drawn by a function ``draw(canvas, left, right, top)``."""

    height: float
    painter: Callable[[Canvas, float, float, float], None]

    def draw(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        self.painter(canvas, left, right, top)


@dataclass
class Columns:
    """Two blocks side by side (English left, Urdu right); as tall as the taller."""

    left_block: Block
    right_block: Block
    gutter: float = 18.0

    @property
    def height(self) -> float:
        return max(self.left_block.height, self.right_block.height)

    def draw(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        middle = (left + right) / 2
        self.left_block.draw(canvas, left, middle - self.gutter / 2, top)
        self.right_block.draw(canvas, middle + self.gutter / 2, right, top)


@dataclass
class Stack:
    blocks: list[Block] = field(default_factory=list)

    @property
    def height(self) -> float:
        return sum(block.height for block in self.blocks)

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def draw(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        for block in self.blocks:
            block.draw(canvas, left, right, top)
            top -= block.height


@dataclass(frozen=True)
class Placed:
    """A block that is not a Stack or Columns, with the frame it is drawn in."""

    block: Block
    left: float
    right: float
    top: float


def walk(block: Block, left: float, right: float, top: float) -> Iterator[Placed]:
    """Every leaf block of *block* where :meth:`Block.draw` puts it, top to bottom."""
    if isinstance(block, Stack):
        for child in block.blocks:
            yield from walk(child, left, right, top)
            top -= child.height
    elif isinstance(block, Columns):
        middle = (left + right) / 2
        yield from walk(block.left_block, left, middle - block.gutter / 2, top)
        yield from walk(block.right_block, middle + block.gutter / 2, right, top)
    else:
        yield Placed(block, left, right, top)
