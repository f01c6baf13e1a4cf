"""The daily report's wording in English and Urdu, and a paragraph flowable for Urdu.

The desk in Urdu shows (and prints) the report in Urdu (issue 15, defect 15); the command
line keeps English. Urdu lines are shaped and ordered by :mod:`bidi_text` (reportlab's
own paragraphs cannot set Nastaliq); numbers, dates, receipt numbers and operator ids
stay left to right inside them.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from pser_desk.documents.bidi_text import Line, draw_line, wrap
from pser_desk.documents.fonts import FONTS

EN: dict[str, str] = {
    "daily": "Daily report",
    "report": "Report",
    "registry": "Punjab Socio-Economic Registry",
    "generated": "Generated",
    "by_operator": "Registrations by operator",
    "by_hour": "Registrations by hour",
    "hour_axis": "hour of the day (PKT)",
    "queue": "Queue health (now)",
    "unsent": "Unsent records",
    "oldest": "Oldest unsent since",
    "last_sync": "Last successful sync",
    "reconciliation": "Reconciliation with central",
    "issued": "Receipts issued in the period",
    "acknowledged": "Acknowledged by central",
    "not_acknowledged": "Not acknowledged",
    "signature": "Centre manager: name, signature and date",
    "page": "page",
    "to": "to",
    "all_acknowledged": "Every receipt of the period is acknowledged.",
    "Operator": "Operator",
    "Started": "Started",
    "Queued": "Queued",
    "Acknowledged": "Acknowledged",
    "Needs correction": "Needs correction",
    "Duplicates": "Duplicates",
    "verdicts": "Central's verdicts (households queued in the period)",
    "verified": "Verified by central",
    "rejected": "Rejected by central",
    "none_rejected": "No household of the period was rejected.",
}

UR: dict[str, str] = {
    "daily": "روزانہ رپورٹ",
    "report": "رپورٹ",
    "registry": "پنجاب سماجی و معاشی رجسٹری",
    "generated": "تیار کردہ",
    "by_operator": "آپریٹر کے لحاظ سے اندراجات",
    "by_hour": "گھنٹے کے لحاظ سے اندراجات",
    "hour_axis": "دن کا گھنٹہ (پاکستانی وقت)",
    "queue": "قطار کی حالت (اس وقت)",
    "unsent": "نہ بھیجے گئے ریکارڈ",
    "oldest": "سب سے پرانا نہ بھیجا گیا",
    "last_sync": "آخری کامیاب ترسیل",
    "reconciliation": "مرکزی نظام سے مطابقت",
    "issued": "مدت میں جاری رسیدیں",
    "acknowledged": "مرکزی نظام کو موصول",
    "not_acknowledged": "موصولی باقی",
    "signature": "مرکز کا منیجر: نام، دستخط اور تاریخ",
    "page": "صفحہ",
    "to": "تا",
    "all_acknowledged": "مدت کی ہر رسید مرکزی نظام کو موصول ہو چکی ہے۔",
    "Operator": "آپریٹر",
    "Started": "شروع",
    "Queued": "قطار میں",
    "Acknowledged": "موصول",
    "Needs correction": "درستی طلب",
    "Duplicates": "پہلے سے درج",
    "verdicts": "مرکز کے فیصلے (مدت میں قطار میں ڈالے گئے گھرانے)",
    "verified": "مرکز نے تصدیق کی",
    "rejected": "مرکز نے مسترد کیے",
    "none_rejected": "مدت کا کوئی گھرانہ مسترد نہیں ہوا۔",
}

REASONS_UR: dict[str, str] = {
    "nadra_mismatch": "نادرا شجرہ سے عدم مطابقت",
    "duplicate_member": "فرد کسی اور گھرانے میں درج",
    "incomplete": "معلومات نامکمل",
    "other": "دیگر",
}


STATES_UR: dict[str, str] = {
    "queued": "بھیجے جانے کے انتظار میں",
    "sending": "بھیجا جا رہا ہے",
    "needs_correction": "درستی کے لیے واپس",
    "duplicate": "پہلے سے درج",
    "failed": "ناکام",
    "draft": "مسودہ",
}


def texts(language: str) -> dict[str, str]:
    return UR if language == "ur" else EN


LRI, PDI = "\u2066", "\u2069"


def ltr(value: object) -> str:
    """A number, date or id kept left to right inside an Urdu line."""
    return f"{LRI}{value}{PDI}"


class UrduParagraph(Flowable):  # type: ignore[misc]
    """Right-to-left text wrapped to the frame, each line set right-aligned."""

    def __init__(self, text: str, size: float = 10.0, leading: float | None = None) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.leading = leading or size * 2.1  # Nastaliq is tall
        self._lines: list[Line] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._lines = wrap(self.text, self.size, avail_width, rtl=True)
        self.width = avail_width
        self.height = max(1, len(self._lines)) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        canvas: Any = self.canv
        for i, line in enumerate(self._lines):
            baseline = self.height - (i + 1) * self.leading + self.leading * 0.35
            draw_line(canvas, line, self.width, baseline, align="right")


__all__ = ["EN", "FONTS", "UR", "UrduParagraph", "ltr", "texts"]
