"""Flowables of the report: a receipt-number grid that splits across pages, a signature line.

A table of 10,000 receipt numbers through platypus ``Table`` is slow to split; this grid
draws plain strings in columns and splits in constant time per page.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from pser_desk.documents.bidi_text import draw_line, layout_line
from pser_desk.documents.fonts import FONTS

FONT_SIZE = 7.5
LEADING = 10.0
GAP: float = 5.0 * mm


class ReceiptGrid(Flowable):  # type: ignore[misc]
    """``(receipt_no, state)`` pairs in as many columns as fit, row by row."""

    def __init__(
        self, items: Sequence[tuple[str, str]], column_width: float | None = None,
        *, rtl: bool = False, empty: str = "Every receipt of the period is acknowledged.",
    ) -> None:  # fmt: skip
        super().__init__()
        self.items = items
        self._cols = 1
        self.rtl, self.empty = rtl, empty
        self._column_width = column_width or _column_width(items, rtl)

    def _rows(self) -> int:
        return -(-len(self.items) // self._cols)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._cols = max(1, int((avail_width + GAP) // self._column_width))
        self.width = avail_width
        self.height = max(self._rows(), 1) * LEADING
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        rows = int(avail_height // LEADING)
        if rows < 1 or rows >= self._rows():
            return [] if rows < 1 else [self]
        cut = rows * self._cols
        width = self._column_width
        return [ReceiptGrid(self.items[:cut], width, rtl=self.rtl, empty=self.empty),
                ReceiptGrid(self.items[cut:], width, rtl=self.rtl, empty=self.empty)]  # fmt: skip

    def draw(self) -> None:
        canvas = self.canv
        if not self.items:
            if self.rtl:
                draw_line(canvas, layout_line(self.empty, FONT_SIZE + 1, rtl=True), self.width,
                          LEADING * 0.25, align="right")  # fmt: skip
                return
            canvas.setFont(FONTS.latin, FONT_SIZE + 1)
            canvas.drawString(0, LEADING * 0.25, self.empty)
            return
        column = self.width / self._cols
        canvas.setFont(FONTS.latin, FONT_SIZE)
        for i, (receipt, state) in enumerate(self.items):
            row, col = divmod(i, self._cols)
            y = self.height - (row + 1) * LEADING + 2.5
            if self.rtl:  # columns from the right; the state in Urdu words
                line = layout_line(f"\u2066{receipt}\u2069  {state}", FONT_SIZE, rtl=True)
                draw_line(canvas, line, self.width - col * column, y, align="right")
            else:
                canvas.drawString(col * column, y, f"{receipt}  {state}")


def _column_width(items: Sequence[tuple[str, str]], rtl: bool = False) -> float:
    """Measured once on the widest-looking entry (the grid is split page by page)."""
    if not items:
        return GAP
    longest = max(items, key=lambda item: len(item[0]) + len(item[1]))
    if rtl:
        return layout_line(f"{longest[0]}  {longest[1]}", FONT_SIZE, rtl=True).width + GAP
    return (
        float(pdfmetrics.stringWidth(f"{longest[0]}  {longest[1]}", FONTS.latin, FONT_SIZE)) + GAP
    )


class SignatureLine(Flowable):  # type: ignore[misc]
    def __init__(self, caption: str, width: float = 95 * mm, *, rtl: bool = False) -> None:
        super().__init__()
        self.caption = caption
        self.line_width = width
        self.rtl = rtl

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._frame_width = avail_width
        if self.rtl:
            return avail_width, 30.0
        return self.line_width, 22.0

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.8)
        if self.rtl:  # at the right edge of the frame, the caption under it
            right = self._frame_width
            canvas.line(right - self.line_width, 22, right, 22)
            draw_line(canvas, layout_line(self.caption, 8.5, rtl=True), right, 3, align="right")
            return
        canvas.line(0, 14, self.line_width, 14)
        canvas.setFont(FONTS.latin, 8.5)
        canvas.drawString(0, 3, self.caption)
