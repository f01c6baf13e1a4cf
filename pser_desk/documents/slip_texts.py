"""The fixed wording of the acknowledgement slip, in English and Urdu.

Numbers, dates and codes are put into the Urdu lines by :mod:`pser_desk.documents.slip`
wrapped in U+2066 ... U+2069 so that they read left to right.
"""

from __future__ import annotations

from datetime import datetime

HELPLINE = "0800-02345"
# The English date's month, whatever the PC's locale (strftime's %b follows it).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def english_date(local: datetime) -> str:
    """The English column's date and time as the slip prints them (before " PKT")."""
    return f"{local:%d} {MONTHS[local.month - 1]} {local:%Y, %H:%M}"


EN: dict[str, str] = {
    "title": "Acknowledgement slip",
    "receipt_no": "Receipt no.",
    "date": "Date and time",
    "centre": "Centre",
    "operator": "Operator",
    "head": "Head of household",
    "cnic": "CNIC",
    "members": "Members",
    "tracking": "Tracking ID",
    "tracking_pending": "pending (given when the record reaches central)",
    "next_title": "What happens next",
    "next": (
        "Your household's details will be sent to the registry and checked. Keep this "
        "slip safe: you do not need to register again. If you are contacted, show this "
        "slip and your CNIC."
    ),
    "helpline": "Helpline",
    "helpline_note": "(toll free)",
    "reprint": "REPRINT",
    "scan": "Scan the code to check that this slip is genuine",
}

UR: dict[str, str] = {
    "title": "رسیدِ اندراج",
    "receipt_no": "رسید نمبر",
    "date": "تاریخ و وقت",
    "centre": "مرکز",
    "operator": "آپریٹر",
    "head": "سربراہِ خانہ",
    "cnic": "شناختی کارڈ نمبر",
    "members": "افرادِ خانہ",
    "tracking": "ٹریکنگ نمبر",
    "tracking_pending": "ابھی جاری نہیں ہوا",
    "next_title": "آگے کیا ہوگا",
    "next": (
        "آپ کے گھرانے کی تفصیلات رجسٹری کو بھیجی جائیں گی اور ان کی جانچ ہوگی۔ یہ رسید "
        "سنبھال کر رکھیں، دوبارہ اندراج کی ضرورت نہیں۔ رابطہ کیے جانے پر یہ رسید اور اپنا "
        "شناختی کارڈ دکھائیں۔"
    ),
    "helpline": "ہیلپ لائن",
    "helpline_note": "(مفت)",
    "reprint": "دوبارہ پرنٹ",
    "scan": "اس رسید کی تصدیق کے لیے کوڈ اسکین کریں",
}

PROGRAMME_EN = "Punjab Socio-Economic Registry"
PROGRAMME_UR = "پنجاب سماجی و معاشی رجسٹری"
