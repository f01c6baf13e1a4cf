"""The manager's daily (or weekly, monthly) report: a PDF and a CSV from :class:`ReportData`.

The PDF (reportlab platypus): the centre and period, a table per operator, a bar chart
of registrations by hour (reportlab.graphics), queue health, the reconciliation with
central (every receipt number not yet acknowledged, in a compact grid) and a signature
line for the centre manager. Only ids, receipt numbers and counts: nothing personal.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pser_desk.documents.bidi_text import draw_line, layout_line
from pser_desk.documents.fonts import FONTS, register_fonts
from pser_desk.documents.report_csv import render_report_csv
from pser_desk.documents.report_grid import ReceiptGrid, SignatureLine
from pser_desk.documents.report_model import COUNT_FIELDS, PKT, ReportData
from pser_desk.documents.report_text import EN as EN_TEXT
from pser_desk.documents.report_text import REASONS_UR, STATES_UR, UrduParagraph, ltr, texts

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
    by_hour: tuple[int, ...], width: float = 170 * mm, height: float = 55 * mm,
    axis_label: str | None = "hour of the day (PKT)",
) -> Drawing:  # fmt: skip
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
    if axis_label:  # (in Urdu the caption is a paragraph under the chart)
        drawing.add(String(width / 2, 4, axis_label, fontName=FONTS.latin, fontSize=7.5,
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
        Paragraph(EN_TEXT["verdicts"], s["h2"]),
        _key_values(
            [(EN_TEXT["verified"], str(data.verified)), (EN_TEXT["rejected"], str(data.rejected))]
        ),  # fmt: skip
        Spacer(1, 4),
        ReceiptGrid(
            [(p.receipt_no, p.state) for p in data.rejected_lines], empty=EN_TEXT["none_rejected"]
        ),  # fmt: skip
        Spacer(1, 14 * mm),
        SignatureLine("Centre manager: name, signature and date"),
    ]


def _footer(data: ReportData, language: str = "en") -> object:
    label = (
        f"{data.centre_code} · {numeric_period(data) if language == 'ur' else period_text(data)}"
    )
    page_word = texts(language)["page"]

    def draw(canvas: object, doc: object) -> None:
        c: Any = canvas  # reportlab's canvas: untyped
        c.saveState()
        c.setFont(FONTS.latin, 7.5)
        if language == "ur":  # mirrored: the page number on the left, the label on the right
            c.drawRightString(A4[0] - MARGIN, 9 * mm, label)
            line = layout_line(f"{page_word} {ltr(c.getPageNumber())}", 7.5, rtl=True)
            draw_line(c, line, MARGIN, 9 * mm)
        else:
            c.drawString(MARGIN, 9 * mm, label)
            c.drawRightString(A4[0] - MARGIN, 9 * mm, f"{page_word} {c.getPageNumber()}")
        c.restoreState()

    return draw


def render_report_pdf(data: ReportData, language: str = "en") -> bytes:
    """The report as a PDF, in English or (``"ur"``, the desk in Urdu) in Urdu."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title=f"PSER report {data.centre_code} {data.start}",
        author="pser-desk",
    )  # fmt: skip
    footer = _footer(data, language)
    story = _urdu_story(data) if language == "ur" else _story(data)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def numeric_period(data: ReportData) -> str:
    """The period with numeric dates (Urdu: no English month names)."""
    start = f"{data.start:%d-%m-%Y}"
    if data.single_day:
        return start
    return f"{start} – {data.end:%d-%m-%Y}"


def _urdu_story(data: ReportData) -> list[Flowable]:
    """The same report in Urdu: right to left, columns mirrored, numbers left to right."""
    t = texts("ur")
    q = data.queue
    kind = t["daily"] if data.single_day else t["report"]
    width = A4[0] - 2 * MARGIN
    start = ltr(f"{data.start:%d-%m-%Y}")
    period = start if data.single_day else f"{start} {t['to']} {ltr(f'{data.end:%d-%m-%Y}')}"
    return [
        UrduParagraph(f"{kind}: {ltr(data.centre_code)} {ltr(data.centre_name)}", 15),
        UrduParagraph(f"{t['registry']} · {period}", 10),
        UrduParagraph(f"{t['generated']} {ltr(local_time(data.generated_at))}", 9),
        UrduParagraph(t["by_operator"], 12),
        _urdu_operator_table(data, width),
        UrduParagraph(t["by_hour"], 12),
        hour_chart(data.by_hour, axis_label=None),
        UrduParagraph(t["hour_axis"], 8),
        UrduParagraph(t["queue"], 12),
        _urdu_key_values(
            [
                (t["unsent"], str(q.unsent)),
                (t["oldest"], local_time(q.oldest_unsent_at)),
                (t["last_sync"], local_time(q.last_sync_at)),
            ],
            width,
        ),  # fmt: skip
        UrduParagraph(t["reconciliation"], 12),
        _urdu_key_values(
            [
                (t["issued"], str(data.queued_total)),
                (t["acknowledged"], str(data.acknowledged_total)),
                (t["not_acknowledged"], str(len(data.not_acknowledged))),
            ],
            width,
        ),  # fmt: skip
        Spacer(1, 4),
        ReceiptGrid(
            [(p.receipt_no, STATES_UR.get(p.state, p.state)) for p in data.not_acknowledged],
            rtl=True,
            empty=t["all_acknowledged"],
        ),  # fmt: skip
        UrduParagraph(t["verdicts"], 12),
        _urdu_key_values(
            [(t["verified"], str(data.verified)), (t["rejected"], str(data.rejected))], width
        ),  # fmt: skip
        Spacer(1, 4),
        ReceiptGrid(
            [(p.receipt_no, REASONS_UR.get(p.state, p.state)) for p in data.rejected_lines],
            rtl=True,
            empty=t["none_rejected"],
        ),  # fmt: skip
        Spacer(1, 14 * mm),
        SignatureLine(t["signature"], rtl=True),
    ]


def _urdu_operator_table(data: ReportData, width: float) -> Table:
    t = texts("ur")
    headings: list[object] = [UrduParagraph(t[h], 9, leading=16) for h in HEADINGS]
    rows: list[list[object]] = [headings[::-1]]
    for line in (*data.operators, data.totals):
        values: list[object] = [line.operator_id,
                                *(str(getattr(line, name)) for name in COUNT_FIELDS)]  # fmt: skip
        rows.append(values[::-1])
    first = 40 * mm
    rest = (width - first) / (len(HEADINGS) - 1)
    table = Table(rows, repeatRows=1, colWidths=[*([rest] * (len(HEADINGS) - 1)), first],
                  hAlign="RIGHT")  # fmt: skip
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), FONTS.latin, 9),
                ("FONT", (0, -1), (-1, -1), FONTS.latin_bold, 9),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f1f3f5")]),
            ]
        )
    )
    return table


def _urdu_key_values(rows: list[tuple[str, str]], width: float) -> Table:
    label_width = 70 * mm
    cells = [[value, UrduParagraph(label, 9.5, leading=18)] for label, value in rows]
    table = Table(cells, colWidths=[width - label_width, label_width], hAlign="RIGHT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONTS.latin, 9.5),
                               ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))  # fmt: skip
    return table
