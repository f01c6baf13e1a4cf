"""Receipt numbers: ``CENTRE-YYYYMMDD-NNNN``, unique per centre and day.

The centre code is the one central gave at enrolment (``LHR-0042``); the sequence
counts from 1 each day and is kept by the store (one writer, or a row lock on a
shared PostgreSQL database), so two PCs of one centre never hand out the same number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

CENTRE_CODE_RE = re.compile(r"^[A-Z]{2,4}-\d{4}$")
RECEIPT_RE = re.compile(r"^(?P<centre>[A-Z]{2,4}-\d{4})-(?P<day>\d{8})-(?P<seq>\d{4,6})$")
MAX_SEQUENCE = 999_999


class ReceiptError(ValueError):
    """A receipt number or one of its parts that is not well formed."""


@dataclass(frozen=True, slots=True, order=True)
class ReceiptNo:
    centre_code: str
    day: date
    sequence: int

    def __str__(self) -> str:
        return format_receipt(self.centre_code, self.day, self.sequence)


def is_centre_code(text: str) -> bool:
    return bool(CENTRE_CODE_RE.match(text))


def format_receipt(centre_code: str, day: date, sequence: int) -> str:
    """``format_receipt("LHR-0042", date(2026, 11, 24), 17)`` -> ``LHR-0042-20261124-0017``.

    Four digits of sequence; a (rare) busy day past 9999 grows to five or six digits.
    """
    if not is_centre_code(centre_code):
        raise ReceiptError(f"not a centre code: {centre_code!r}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ReceiptError(f"receipt sequence out of range: {sequence}")
    return f"{centre_code}-{day:%Y%m%d}-{sequence:04d}"


def parse_receipt(text: str) -> ReceiptNo:
    """Inverse of :func:`format_receipt`; raises :class:`ReceiptError`."""
    match = RECEIPT_RE.match(text.strip().upper()) if isinstance(text, str) else None
    if match is None:
        raise ReceiptError("not a receipt number (expected CENTRE-YYYYMMDD-NNNN)")
    raw_day = match["day"]
    try:
        day = date(int(raw_day[:4]), int(raw_day[4:6]), int(raw_day[6:]))
    except ValueError:
        raise ReceiptError("receipt number has an impossible date") from None
    sequence = int(match["seq"])
    if sequence < 1:
        raise ReceiptError("receipt sequence starts at 1")
    return ReceiptNo(match["centre"], day, sequence)
