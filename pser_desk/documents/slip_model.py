"""The slip a genuine token describes, as geometry and pixels, for checking a picture of it.

Everything a version 2 token signs (receipt number, date, masked CNIC, member count) is
printed by our own layout (``slip_layouts``), so the slip it describes can be rebuilt:
where each signed value is printed (its font, size, alignment and every character's pen
position), where its row's label is, where the QR code is, and the part of the page whose
place relative to the QR code does not depend on anything unsigned (the rule under the
rows, the next steps, the QR code and the hints: :attr:`SlipModel.fixed`). The rows that
print unsigned things (centre, operator, head's name, tracking id) are rebuilt one line
high with placeholders, so on a real slip every signed row is at its place or higher.

Pixels are "canonical": :data:`PX_PER_MM` pixels a millimetre, y down, origin at the
page's top-left corner. Images are ink darkness, 0.0 (paper) to 1.0 (black), float32.
The values are drawn from a glyph atlas rendered by PDFium at :data:`SUPER` times the
canonical scale, so a value can be drawn at its exact sub-pixel place, and with any
character replaced (:meth:`PrintedValue.glyphs_with`), in the same way as the expected
one: a picture is then compared with both under the same conditions.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from pser_desk.documents import layout as L
from pser_desk.documents import slip_layouts
from pser_desk.documents.fonts import FONTS, register_fonts
from pser_desk.documents.qr import QUIET_MODULES, make_qr
from pser_desk.documents.slip import Paper, SlipData, render_slip
from pser_desk.documents.slip_texts import MONTHS
from pser_desk.documents.slip_token import SlipClaims

Image = npt.NDArray[np.float32]

PX_PER_MM = 8.0
SCALE = PX_PER_MM * 25.4 / 72  # canonical pixels a PDF point
SUPER = 4  # the atlas is rendered this many times finer
WIDE_INK_MM = 2.0  # text strokes are thinner than this, even blurred; a watermark wider
SIGNED_V2 = ("receipt_no", "date", "cnic", "members")
SIGNED_V1 = ("receipt_no",)
PLACEHOLDER = "x"  # one line, as short as a row can be
PLACEHOLDER_TRACKING = "PSER-00-000000000"
ATLAS_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-:,"


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in canonical pixels (x right, y down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def whole(self) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1) rounded outwards to whole pixels."""
        return (int(np.floor(self.x0)), int(np.floor(self.y0)),
                int(np.ceil(self.x1)), int(np.ceil(self.y1)))  # fmt: skip


@dataclass(frozen=True, slots=True)
class PrintedValue:
    """One signed value as a genuine slip prints it, and its row's label."""

    field: str  # receipt_no, date, cnic, members
    urdu: bool  # in the Urdu column (or block)
    text: str
    font: str
    size: float  # points
    align: str  # "left" or "right": the edge that stays put when the text changes
    anchor: float  # px: that edge
    baseline: float  # px
    label: Box
    group: int  # rows of one group are printed one under the other, nothing between

    @property
    def em(self) -> float:
        return self.size * SCALE

    def glyphs_with(self, start: int, end: int, replacement: str) -> list[tuple[str, float]]:
        """(character, pen x) of the value with text[start:end] replaced, drawn as the
        layout would draw it (the aligned edge stays where it is)."""
        text = self.text[:start] + replacement + self.text[end:]
        advances = [advance(c, self.font, self.size) for c in text]
        x = self.anchor - sum(advances) if self.align == "right" else self.anchor
        out = []
        for char, step in zip(text, advances, strict=True):
            out.append((char, x))
            x += step
        return out

    def glyphs(self) -> list[tuple[str, float]]:
        return self.glyphs_with(0, 0, "")

    def span(self, start: int, end: int, replacement: str | None = None) -> tuple[float, float]:
        """Left and right x of text[start:end] (or of its replacement) as drawn."""
        new = self.text[start:end] if replacement is None else replacement
        glyphs = self.glyphs_with(start, end, new)
        if start < len(glyphs):
            left = glyphs[start][1]
        else:  # after the last character
            left = glyphs[-1][1] + advance(glyphs[-1][0], self.font, self.size)
        right = left + sum(advance(c, self.font, self.size) for c in new)
        return left, right

    def band(self) -> tuple[float, float]:
        """Top and bottom y of the value's line (ascenders of capitals and digits to
        descenders)."""
        return self.baseline - 0.8 * self.em, self.baseline + 0.25 * self.em

    def box(self) -> Box:
        glyphs = self.glyphs()
        right = glyphs[-1][1] + advance(self.text[-1], self.font, self.size)
        top, bottom = self.band()
        return Box(glyphs[0][1], top, right, bottom)


@dataclass
class SlipModel:
    paper: Paper
    width: int  # px
    height: int  # px
    image: Image  # the expected slip (unsigned rows as placeholders), darkness
    values: list[PrintedValue]
    qr: Box  # the QR symbol, quiet zone excluded
    fixed: Box
    groups: list[list[PrintedValue]] = field(default_factory=list)


def placeholder_data(claims: SlipClaims) -> SlipData:
    """The slip's data as far as the token tells it; the rest one line of placeholders."""
    when: datetime = claims.printed_at or claims.issued_at
    return SlipData(
        receipt_no=claims.receipt_no, submission_id=claims.submission_id, created_at=when,
        centre_code=claims.receipt_no.rsplit("-", 2)[0], centre_name="",
        operator_id=PLACEHOLDER, head_name=PLACEHOLDER,
        cnic_masked=claims.cnic_masked or "00000-XXXXXXX-0",
        member_count=1 if claims.member_count is None else claims.member_count,
        tracking_id=PLACEHOLDER_TRACKING,
    )  # fmt: skip


def signed_fields(claims: SlipClaims) -> tuple[str, ...]:
    return SIGNED_V2 if claims.version == 2 else SIGNED_V1


def render_darkness(pdf: bytes, scale: float) -> Image:
    """The first page of *pdf* as ink darkness at *scale* pixels a point (PDFium)."""
    import pypdfium2  # loaded when a picture is checked, not at start-up

    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=scale, grayscale=True)
        gray = bitmap.to_numpy().astype(np.float32)
    finally:
        document.close()
    if gray.ndim == 3:
        gray = gray[..., 0]
    return np.ascontiguousarray(1.0 - gray / 255.0, dtype=np.float32)


def thin_ink(dark: Image, px_per_mm: float) -> Image:
    """*dark* without what is broader than text strokes (a white top-hat): a reprint's
    big grey REPRINT across the page, a shadow's edge, a stain."""
    import cv2

    size = max(3, int(WIDE_INK_MM * px_per_mm) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    return np.asarray(cv2.morphologyEx(dark, cv2.MORPH_TOPHAT, kernel), dtype=np.float32)


def build_model(claims: SlipClaims, token: str, paper: Paper) -> SlipModel:
    """The slip *token* describes, on *paper* (unsigned rows one line of placeholders)."""
    return layout_model(placeholder_data(claims), paper, token, signed_fields(claims))


def layout_model(data: SlipData, paper: Paper, token: str, wanted: Sequence[str]) -> SlipModel:
    """The slip of *data* on *paper*, with the place of each value of the *wanted* fields."""
    register_fonts()
    page = (slip_layouts.a4_page if paper == "a4" else slip_layouts.roll_page)(data, token)
    image = thin_ink(render_darkness(render_slip(data, paper, token), SCALE), PX_PER_MM)
    values: list[PrintedValue] = []
    qr = fixed = None
    group, last_rows = 0, ""
    placed = L.walk(page.body, page.margin, page.width - page.margin, page.height - page.margin)
    for item in placed:
        block = item.block
        if isinstance(block, slip_layouts.PairRow):
            fixed = None  # the fixed part starts at the rule under the last row
            if block.field in wanted:
                if last_rows != "signed":
                    group += 1
                last_rows = "signed"
                values.append(_printed(block, item, page.height, group))
            else:
                last_rows = "other"
        else:
            last_rows = "other"
            if isinstance(block, L.Rule) and values and qr is None and fixed is None:
                fixed = _px_box(item.left, item.top, item.right, page.margin, page.height)
            elif isinstance(block, slip_layouts.QrBlock):
                qr = _qr_box(token, block, item, page.height)
    if qr is None or fixed is None:
        raise ValueError("the slip layout has no QR code or no rule under its rows")
    model = SlipModel(paper, image.shape[1], image.shape[0], image, values, qr, fixed)
    model.groups = [[v for v in values if v.group == g] for g in sorted({v.group for v in values})]
    model.groups.sort(key=lambda rows: -rows[0].baseline)  # bottom first
    return model


def _px_box(left: float, top: float, right: float, bottom: float, height: float) -> Box:
    return Box(left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE)


def _qr_box(token: str, block: slip_layouts.QrBlock, item: L.Placed, height: float) -> Box:
    modules = len(make_qr(token).matrix)
    module = block.size / (modules + 2 * QUIET_MODULES)
    left = (item.left + item.right) / 2 - block.size / 2 + QUIET_MODULES * module
    top = item.top - QUIET_MODULES * module
    side = modules * module
    return _px_box(left, top, left + side, top - side, height)


def _line_extent(block: L.TextBlock, left: float, right: float) -> tuple[float, float]:
    width = max(line.width for line in block.lines)
    if block.align == "left":
        return left, left + width
    if block.align == "right":
        return right - width, right
    middle = (left + right) / 2
    return middle - width / 2, middle + width / 2


def _printed(row: slip_layouts.PairRow, item: L.Placed, height: float, group: int) -> PrintedValue:
    label_left, label_right = _line_extent(row.label, item.left, item.right)
    label = _px_box(label_left, item.top, label_right, item.top - row.label.height, height)
    value = row.value
    line = value.lines[0]
    if row.stacked or len(value.lines) != 1 or len(line.runs) != 1 or value.align == "centre":
        raise ValueError(f"the slip's {row.field} is not printed on one line")
    run = line.runs[0]
    anchor = item.left if value.align == "left" else item.right
    baseline = row.value_top(item.top) - L.line_ascent(line)
    return PrintedValue(
        field=row.field, urdu=row.urdu, text=str(run.text), font=run.font, size=run.size,
        align=value.align, anchor=anchor * SCALE, baseline=(height - baseline) * SCALE,
        label=label, group=group,
    )  # fmt: skip


# ---------------------------------------------------------------- the glyph atlas


@dataclass(frozen=True, slots=True)
class GlyphImage:
    image: Image  # darkness at SUPER x the canonical scale
    pen_x: int  # the pen position (left side bearing origin) in the image, fine pixels
    baseline: int


@lru_cache(maxsize=8)
def atlas(font: str, size: float) -> dict[str, GlyphImage]:
    """Every character a signed value may hold, rendered by PDFium at SUPER x SCALE, each
    in a cell with room for blur around it."""
    register_fonts()
    fine = SCALE * SUPER
    cell_w, cell_h = int(np.ceil(size * 2.4 * fine)), int(np.ceil(size * 2.6 * fine))
    pen_x, base_y = int(size * 0.7 * fine), int(size * 1.6 * fine)
    width_px, height_px = cell_w * len(ATLAS_CHARS), cell_h
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width_px / fine, height_px / fine))
    canvas.setFont(font, size)
    for i, char in enumerate(ATLAS_CHARS):
        canvas.drawString((i * cell_w + pen_x) / fine, (height_px - base_y) / fine, char)
    canvas.showPage()
    canvas.save()
    sheet = render_darkness(buffer.getvalue(), fine)
    return {
        char: GlyphImage(
            np.ascontiguousarray(sheet[:cell_h, i * cell_w : (i + 1) * cell_w]), pen_x, base_y
        )  # fmt: skip
        for i, char in enumerate(ATLAS_CHARS)
    }


@lru_cache(maxsize=64)
def blurred_atlas(font: str, size: float, blur: float) -> dict[str, GlyphImage]:
    """:func:`atlas` with a Gaussian blur of *blur* canonical pixels."""
    import cv2

    if blur <= 0.05:
        return atlas(font, size)
    return {
        char: GlyphImage(
            np.asarray(cv2.GaussianBlur(glyph.image, (0, 0), blur * SUPER), dtype=np.float32),
            glyph.pen_x,
            glyph.baseline,
        )  # fmt: skip
        for char, glyph in atlas(font, size).items()
    }


@lru_cache(maxsize=4096)
def advance(char: str, font: str, size: float) -> float:
    """How far the pen moves after *char*, canonical pixels."""
    return float(pdfmetrics.stringWidth(char, font, size)) * SCALE


def draw_glyphs(
    glyphs: Sequence[tuple[str, float]], font: str, size: float, baseline: float, window: Box,
    blur: float = 0.0,
) -> Image:  # fmt: skip
    """The characters at their pen positions (canonical px) inside *window* (whole pixels),
    as darkness at the canonical scale, blurred by *blur* pixels. Glyphs do not overlap,
    so each is blurred on its own and the blurred glyphs are added."""
    import cv2

    x0, y0, x1, y1 = window.whole()
    fine = np.zeros(((y1 - y0) * SUPER, (x1 - x0) * SUPER), np.float32)
    glyph_images = blurred_atlas(font, size, round(blur, 2))
    for char, x in glyphs:
        glyph = glyph_images.get(char)
        if glyph is None:
            continue
        left = int(round((x - x0) * SUPER)) - glyph.pen_x
        top = int(round((baseline - y0) * SUPER)) - glyph.baseline
        _paste_add(fine, glyph.image, left, top)
    return np.asarray(cv2.resize(fine, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA),
                      dtype=np.float32)  # fmt: skip


def _paste_add(canvas: Image, image: Image, left: int, top: int) -> None:
    h, w = image.shape
    cy0, cx0 = max(0, top), max(0, left)
    cy1, cx1 = min(canvas.shape[0], top + h), min(canvas.shape[1], left + w)
    if cy0 >= cy1 or cx0 >= cx1:
        return
    canvas[cy0:cy1, cx0:cx1] += image[cy0 - top : cy1 - top, cx0 - left : cx1 - left]


def units(value: PrintedValue) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """(start, end, alternatives) of each part of *value* a forger could change: every
    digit, the masked CNIC's X's, the receipt's letters and the English date's month;
    and, beside the member count on its label's side, a digit added (``3`` made ``13``:
    the signed text there is nothing, ``""``)."""
    text = value.text
    added = ("", *DIGITS)
    if value.field == "members" and value.align == "right":
        yield 0, 0, added
    i = 0
    while i < len(text):
        char = text[i]
        if value.field == "date" and not value.urdu and text[i : i + 3] in MONTHS:
            yield i, i + 3, MONTHS
            i += 3
            continue
        if char.isdigit():
            yield i, i + 1, DIGITS
        elif char == "X" and value.field == "cnic":
            yield i, i + 1, ("X", *DIGITS)
        elif char.isalpha() and char.isupper() and value.field == "receipt_no":
            yield i, i + 1, LETTERS
        i += 1
    if value.field == "members" and value.align == "left":
        yield len(text), len(text), added


DIGITS = tuple("0123456789")
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
FONT_OF_VALUES = FONTS.latin_bold
