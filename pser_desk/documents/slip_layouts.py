"""The two slip layouts as blocks: A4 with the languages side by side, 80 mm stacked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from pser_desk.documents import layout as L
from pser_desk.documents.bidi_text import Align, draw_line, has_arabic, layout_line, ltr
from pser_desk.documents.fonts import FONTS
from pser_desk.documents.qr import draw_qr
from pser_desk.documents.slip_texts import EN, HELPLINE, UR, english_date

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from pser_desk.documents.slip import SlipData

ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm  # 72 mm printable on an 80 mm thermal roll
A4_MARGIN = 16 * mm
TOKEN_FONT_SIZE = 6.0


@dataclass
class Page:
    width: float
    height: float
    margin: float
    body: L.Stack
    receipt_no: str
    watermark: bool


@dataclass(frozen=True)
class Sizes:
    latin: float
    urdu: float
    heading: float
    qr: float


A4_SIZES = Sizes(latin=10.5, urdu=11.5, heading=15.0, qr=62 * mm)
ROLL_SIZES = Sizes(latin=8.5, urdu=9.5, heading=10.5, qr=50 * mm)


# The rows of a slip, in order; the first, second, sixth and seventh print what a version 2
# token signs (slip_picture.py finds them in a photo by these keys).
ROW_FIELDS = (
    "receipt_no", "date", "centre", "operator", "head", "cnic", "members", "tracking",
)  # fmt: skip


def _rows(data: SlipData, urdu: bool) -> list[tuple[str, str]]:
    when = data.local_time
    if urdu:
        date_text = ltr(f"{when:%d-%m-%Y %H:%M}")
        tracking = ltr(data.tracking_id) if data.tracking_id else UR["tracking_pending"]
        wrap: Callable[[object], str] = ltr
    else:
        date_text = f"{english_date(when)} PKT"
        tracking = data.tracking_id or EN["tracking_pending"]
        wrap = _plain
    texts = UR if urdu else EN
    return [
        (texts["receipt_no"], wrap(data.receipt_no)),
        (texts["date"], date_text),
        (texts["centre"], f"{wrap(data.centre_code)} {data.centre_name}"),
        (texts["operator"], wrap(data.operator_id)),
        (texts["head"], data.head_name if not urdu else _name_for_urdu(data.head_name)),
        (texts["cnic"], wrap(data.cnic_masked)),
        (texts["members"], wrap(data.member_count)),
        (texts["tracking"], tracking),
    ]


def _plain(value: object) -> str:
    return str(value)


def _name_for_urdu(name: str) -> str:
    return name if has_arabic(name) else ltr(name)


@dataclass
class PairRow:
    """``label .... value`` on one line (label at the reading start), or two lines."""

    label: L.TextBlock
    value: L.TextBlock
    stacked: bool
    field: str = ""  # one of ROW_FIELDS
    urdu: bool = False

    @property
    def height(self) -> float:
        if self.stacked:
            return self.label.height + self.value.height
        return max(self.label.height, self.value.height)

    def value_top(self, top: float) -> float:
        """The top edge of the value's block when the row's top edge is *top*."""
        if self.stacked:
            return top - self.label.height
        return top - max(0.0, (self.label.height - self.value.height) / 2)

    def draw(self, canvas: Canvas, left: float, right: float, top: float) -> None:
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        self.label.draw(canvas, left, right, top)
        canvas.setFillColorRGB(0, 0, 0)
        self.value.draw(canvas, left, right, self.value_top(top))


def pair_row(
    label: str, value: str, width: float, sizes: Sizes, urdu: bool, field: str = ""
) -> PairRow:
    label_size = sizes.urdu if urdu else sizes.latin * 0.9
    label_line = layout_line(label, label_size, urdu)
    value_line = layout_line(value, sizes.latin, urdu, FONTS.latin_bold)
    fits = label_line.width + value_line.width + 12 <= width
    start: Align = "right" if urdu else "left"
    end: Align = "left" if urdu else "right"
    if not fits:
        value_block = L.text(value, sizes.latin, width, rtl=urdu, font=FONTS.latin_bold)
        return PairRow(L.TextBlock([label_line], start), value_block, True, field, urdu)
    label_block, value_line_block = L.TextBlock([label_line], start), L.TextBlock([value_line], end)
    return PairRow(label_block, value_line_block, False, field, urdu)


def _field_rows(data: SlipData, width: float, sizes: Sizes, urdu: bool) -> list[PairRow]:
    rows = _rows(data, urdu)
    return [
        pair_row(k, v, width, sizes, urdu, f) for f, (k, v) in zip(ROW_FIELDS, rows, strict=True)
    ]


def _heading(
    data: SlipData, width: float, sizes: Sizes, urdu: bool, align: Align | None = None
) -> L.Stack:
    if urdu:
        name = L.text(data.programme_ur, sizes.heading, width, rtl=True, align=align)
        title = L.one_line(UR["title"], sizes.urdu * 1.1, rtl=True, align=align)
    else:
        name = L.text(
            data.programme, sizes.heading, width, rtl=False, font=FONTS.latin_bold, align=align
        )
        title = L.one_line(EN["title"], sizes.latin * 1.1, rtl=False, align=align)
    return L.Stack([name, title])


def _next_steps(width: float, sizes: Sizes, urdu: bool, align: Align | None = None) -> L.Stack:
    texts = UR if urdu else EN
    title_font = FONTS.latin if urdu else FONTS.latin_bold
    size = sizes.urdu if urdu else sizes.latin
    helpline = (
        f"{texts['helpline']}: {ltr(HELPLINE) if urdu else HELPLINE} {texts['helpline_note']}"
    )
    return L.Stack(
        [
            L.one_line(texts["next_title"], size, rtl=urdu, font=title_font, align=align),
            L.text(texts["next"], size * 0.92, width, rtl=urdu, align=align),
            L.one_line(helpline, size, rtl=urdu, font=FONTS.latin_bold, align=align),
        ]
    )


def _reprint_banner(size: float) -> L.Custom:
    line = layout_line(f"{EN['reprint']}   {UR['reprint']}", size, False, FONTS.latin_bold)
    height = size * 2.6

    def paint(canvas: Canvas, left: float, right: float, top: float) -> None:
        canvas.setLineWidth(1.6)
        canvas.rect(left, top - height + 2, right - left, height - 4, stroke=1, fill=0)
        draw_line(canvas, line, (left + right) / 2, top - height * 0.62, "centre")

    return L.Custom(height, paint)


def _token_lines(token: str, width: float) -> list[str]:
    per_line = max(16, int(width / pdfmetrics.stringWidth("M", FONTS.mono, TOKEN_FONT_SIZE)))
    return [token[i : i + per_line] for i in range(0, len(token), per_line)]


@dataclass
class QrBlock(L.Custom):
    """The QR code (a *size* square centred in the column) and the token printed under it."""

    size: float = 0.0


def _qr_block(token: str, width: float, sizes: Sizes) -> QrBlock:
    lines = _token_lines(token, width)
    leading = TOKEN_FONT_SIZE * 1.2
    height = sizes.qr + leading * len(lines) + 4

    def paint(canvas: Canvas, left: float, right: float, top: float) -> None:
        centre = (left + right) / 2
        draw_qr(canvas, token, centre - sizes.qr / 2, top - sizes.qr, sizes.qr)
        canvas.setFillColorRGB(0.25, 0.25, 0.25)
        canvas.setFont(FONTS.mono, TOKEN_FONT_SIZE)
        y = top - sizes.qr - leading
        for text in lines:
            canvas.drawCentredString(centre, y, text)
            y -= leading
        canvas.setFillColorRGB(0, 0, 0)

    return QrBlock(height, paint, sizes.qr)


def _scan_hint(width: float, sizes: Sizes) -> L.Columns | L.Stack:
    en = L.text(EN["scan"], sizes.latin * 0.85, width, rtl=False, align="centre")
    ur = L.text(UR["scan"], sizes.urdu * 0.85, width, rtl=True, align="centre")
    return L.Stack([en, ur])


def a4_page(data: SlipData, token: str) -> Page:
    width, height = A4
    inner = width - 2 * A4_MARGIN
    column = (inner - 18) / 2
    s = A4_SIZES
    body = L.Stack()
    body.add(L.Columns(_heading(data, column, s, False), _heading(data, column, s, True)))
    if data.reprint:
        body.add(_reprint_banner(s.heading))
    body.add(L.Rule(14))
    rows = zip(_field_rows(data, column, s, False), _field_rows(data, column, s, True))
    for en_row, ur_row in rows:
        body.add(L.Columns(en_row, ur_row))
    body.add(L.Rule(18))
    body.add(L.Columns(_next_steps(column, s, False), _next_steps(column, s, True)))
    body.add(L.Gap(16))
    body.add(_qr_block(token, inner, s))
    body.add(_scan_hint(inner, s))
    return Page(width, height, A4_MARGIN, body, data.receipt_no, data.reprint)


def roll_page(data: SlipData, token: str) -> Page:
    inner = ROLL_WIDTH - 2 * ROLL_MARGIN
    s = ROLL_SIZES
    body = L.Stack()
    body.add(_heading(data, inner, s, False, "centre"))
    body.add(_heading(data, inner, s, True, "centre"))
    if data.reprint:
        body.add(_reprint_banner(s.heading))
    body.add(L.Rule(10))
    for row in _field_rows(data, inner, s, False):
        body.add(row)
    body.add(L.Rule(10))
    for row in _field_rows(data, inner, s, True):
        body.add(row)
    body.add(L.Rule(10))
    body.add(_next_steps(inner, s, False))
    body.add(L.Gap(6))
    body.add(_next_steps(inner, s, True))
    body.add(L.Gap(8))
    body.add(_qr_block(token, inner, s))
    body.add(_scan_hint(inner, s))
    height = body.height + 2 * ROLL_MARGIN + 6 * mm  # a little paper to tear off
    return Page(ROLL_WIDTH, height, ROLL_MARGIN, body, data.receipt_no, False)


def draw_watermark(canvas: Canvas, page: Page) -> None:
    canvas.saveState()
    canvas.setFillColorRGB(0.88, 0.88, 0.88)
    canvas.setFont(FONTS.latin_bold, 96)
    canvas.translate(page.width / 2, page.height / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, 0, EN["reprint"])
    canvas.restoreState()
