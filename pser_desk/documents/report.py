"""The manager's daily (or weekly, monthly) report: a PDF and a CSV from :class:`ReportData`.

The PDF (reportlab platypus): the centre and period, a table per operator, a bar chart
of registrations by hour (reportlab.graphics), queue health, the reconciliation with
central (every receipt number not yet acknowledged, in a compact grid) and a signature
line for the centre manager. Only ids, receipt numbers and counts: nothing personal.
"""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pser_desk.documents.fonts import FONTS, register_fonts
from pser_desk.documents.report_csv import render_report_csv
from pser_desk.documents.report_grid import ReceiptGrid, SignatureLine
from pser_desk.documents.report_model import COUNT_FIELDS, PKT, ReportData

__all__ = ["render_report_csv", "render_report_pdf", "period_text", "local_time"]

MARGIN = 16 * mm
HEADINGS = ("Operator", "Started", "Queued", "Acknowledged", "Needs correction", "Duplicates")


def local_time(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone(PKT):%Y-%m-%d %H:%M} PKT"


def period_text(data: ReportData) -> str:
    if data.single_day:
        return f"{data.start:%A %d %B %Y}"
    return f"{data.start:%d %B %Y} to {data.end:%d %B %Y}"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONTS.latin, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=FONTS.latin_bold, fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", base, fontName=FONTS.latin_bold, fontSize=11.5, leading=15,
                             spaceBefore=10, spaceAfter=4),
    }  # fmt: skip


def _operator_table(data: ReportData) -> Table:
    rows: list[list[object]] = [list(HEADINGS)]
    for line in (*data.operators, data.totals):
        rows.append([line.operator_id, *(getattr(line, name) for name in COUNT_FIELDS)])
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONTS.latin, 9),
                ("FONT", (0, 0), (-1, 0), FONTS.latin_bold, 9),
                ("FONT", (0, -1), (-1, -1), FONTS.latin_bold, 9),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f1f3f5")]),
            ]
        )
    )
    return table


def hour_chart(
    by_hour: tuple[int, ...], width: float = 170 * mm, height: float = 55 * mm
) -> Drawing:
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 22
    chart.width, chart.height = width - 40, height - 34
    chart.data = [list(by_hour)]
    chart.categoryAxis.categoryNames = [f"{h:02d}" for h in range(24)]
    chart.categoryAxis.labels.fontName = FONTS.latin
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONTS.latin
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(4, max(by_hour, default=0) * 1.15)
    chart.bars[0].fillColor = colors.HexColor("#2f6f4f")
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    drawing.add(String(width / 2, 4, "hour of the day (PKT)", fontName=FONTS.latin, fontSize=7.5,
                       textAnchor="middle"))  # fmt: skip
    return drawing


def _key_values(rows: list[tuple[str, str]]) -> Table:
    table = Table([list(r) for r in rows], hAlign="LEFT", colWidths=[62 * mm, None])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONTS.latin, 9.5),
                               ("FONT", (0, 0), (0, -1), FONTS.latin_bold, 9.5)]))  # fmt: skip
    return table


def _story(data: ReportData) -> list[Flowable]:
    s = _styles()
    kind = "Daily report" if data.single_day else "Report"
    q = data.queue
    not_acked = len(data.not_acknowledged)
    return [
        Paragraph(f"{kind}: {data.centre_code} {data.centre_name}", s["title"]),
        Paragraph(f"Punjab Socio-Economic Registry &middot; {period_text(data)}", s["base"]),
        Paragraph(f"Generated {local_time(data.generated_at)}", s["base"]),
        Paragraph("Registrations by operator", s["h2"]),
        _operator_table(data),
        Paragraph("Registrations by hour", s["h2"]),
        hour_chart(data.by_hour),
        Paragraph("Queue health (now)", s["h2"]),
        _key_values(
            [
                ("Unsent records", str(q.unsent)),
                ("Oldest unsent since", local_time(q.oldest_unsent_at)),
                ("Last successful sync", local_time(q.last_sync_at)),
            ]
        ),  # fmt: skip
        Paragraph("Reconciliation with central", s["h2"]),
        _key_values(
            [
                ("Receipts issued in the period", str(data.queued_total)),
                ("Acknowledged by central", str(data.acknowledged_total)),
                ("Not acknowledged", str(not_acked)),
            ]
        ),  # fmt: skip
        Spacer(1, 4),
        ReceiptGrid([(p.receipt_no, p.state) for p in data.not_acknowledged]),
        Paragraph("Central's verdicts (households queued in the period)", s["h2"]),
        _key_values(
            [
                ("Verified by central", str(data.verified)),
                ("Rejected by central", str(data.rejected)),
            ]
        ),  # fmt: skip
        Spacer(1, 4),
        ReceiptGrid([(p.receipt_no, p.state) for p in data.rejected_lines]),
        Spacer(1, 14 * mm),
        SignatureLine("Centre manager: name, signature and date"),
    ]


def _footer(data: ReportData) -> object:
    label = f"{data.centre_code} · {period_text(data)}"

    def draw(canvas: object, doc: object) -> None:
        c = canvas  # reportlab's canvas: untyped
        c.saveState()  # type: ignore[attr-defined]
        c.setFont(FONTS.latin, 7.5)  # type: ignore[attr-defined]
        c.drawString(MARGIN, 9 * mm, label)  # type: ignore[attr-defined]
        c.drawRightString(A4[0] - MARGIN, 9 * mm, f"page {c.getPageNumber()}")  # type: ignore[attr-defined]
        c.restoreState()  # type: ignore[attr-defined]

    return draw


def render_report_pdf(data: ReportData) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title=f"PSER report {data.centre_code} {data.start}",
        author="pser-desk",
    )  # fmt: skip
    footer = _footer(data)
    doc.build(_story(data), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
