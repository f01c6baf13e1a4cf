"""The citizen's acknowledgement slip: A4 (English | Urdu side by side) or 80 mm roll.

:func:`render_slip` takes plain :class:`SlipData` (never the database) and the signed
token (:mod:`pser_desk.documents.slip_token`) printed as the QR code and, small, as text.
The slip shows the masked CNIC only: never the full number, a phone or an address.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pser_desk.documents import slip_layouts
from pser_desk.documents.fonts import register_fonts
from pser_desk.documents.slip_texts import PROGRAMME_EN, PROGRAMME_UR
from pser_desk.domain.dates import PAKISTAN_TIME

Paper = Literal["a4", "80mm"]
PAPERS: tuple[Paper, ...] = ("a4", "80mm")
PKT = PAKISTAN_TIME
ROLL_WIDTH = 80 * mm


@dataclass(frozen=True, slots=True)
class SlipData:
    receipt_no: str
    submission_id: str
    created_at: datetime  # aware; printed in Pakistan time
    centre_code: str
    centre_name: str
    operator_id: str
    head_name: str  # Latin script usually; may be Urdu
    cnic_masked: str  # ``Cnic.masked``: 35202-XXXXXXX-1
    member_count: int
    tracking_id: str | None = None
    reprint: bool = False
    programme: str = PROGRAMME_EN
    programme_ur: str = PROGRAMME_UR

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError("SlipData.created_at must be timezone-aware")
        if "X" not in self.cnic_masked:
            raise ValueError("SlipData.cnic_masked must be the masked CNIC")

    @property
    def local_time(self) -> datetime:
        return self.created_at.astimezone(PKT)


def render_slip(data: SlipData, paper: Paper, token: str) -> bytes:
    """The slip as PDF bytes, ``paper`` "a4" or "80mm" (72 mm printable)."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    register_fonts()
    buffer = io.BytesIO()
    if paper == "a4":
        _render(buffer, slip_layouts.a4_page(data, token))
    else:
        _render(buffer, slip_layouts.roll_page(data, token))
    return buffer.getvalue()


def _render(buffer: io.BytesIO, page: slip_layouts.Page) -> None:
    canvas = Canvas(buffer, pagesize=(page.width, page.height), pageCompression=1)
    canvas.setTitle(f"PSER acknowledgement slip {page.receipt_no}")
    canvas.setAuthor("pser-desk")
    canvas.setSubject("Acknowledgement slip")
    _draw(canvas, page)
    canvas.showPage()
    canvas.save()


def _draw(canvas: Canvas, page: slip_layouts.Page) -> None:
    if page.watermark:
        slip_layouts.draw_watermark(canvas, page)
    canvas.setFillColorRGB(0, 0, 0)
    page.body.draw(canvas, page.margin, page.width - page.margin, page.height - page.margin)
