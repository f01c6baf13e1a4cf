"""Numbers as operators type them: digits of any script, thousands separators, nothing else.

A number field never drops what it does not understand: ``25k`` is not 25 rupees and
``twenty thousand`` is not an empty answer. :func:`parse_number` returns the value or a
code the views turn into words (``number.shorthand``: type 25000, not 25k;
``number.words``: type the amount in digits; ``number.not_whole``; ``number.format``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pser_desk.domain.digits import to_ascii_digits

# Thousands separators people type (comma, Arabic thousands separator, blanks between groups).
_GROUPING = str.maketrans({",": None, "٬": None, "'": None, " ": None, "\u00a0": None})
_DECIMAL = str.maketrans({"٫": ".", "،": None})
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class NumberError:
    SHORTHAND = "number.shorthand"
    WORDS = "number.words"
    NOT_WHOLE = "number.not_whole"
    FORMAT = "number.format"


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """``value`` (None when empty) or ``error`` (a code), never both."""

    value: int | float | None = None
    error: str | None = None


def parse_number(text: str, *, whole: bool) -> ParsedNumber:
    """*text* as typed -> the number, or why it is not one (no character is dropped)."""
    compact = to_ascii_digits(text).strip().translate(_DECIMAL)
    if not compact:
        return ParsedNumber()
    digits = [i for i, ch in enumerate(compact) if ch.isdigit()]
    letters = [i for i, ch in enumerate(compact) if ch.isalpha()]
    if letters:
        if not digits:
            return ParsedNumber(error=NumberError.WORDS)  # "twenty thousand"
        if letters[0] > digits[-1]:
            return ParsedNumber(error=NumberError.SHORTHAND)  # "25k", "25 hazar", "2 لاکھ"
        return ParsedNumber(error=NumberError.FORMAT)
    if not digits:
        return ParsedNumber(error=NumberError.FORMAT)
    plain = compact.translate(_GROUPING)
    if not _NUMBER.match(plain):
        return ParsedNumber(error=NumberError.FORMAT)
    if "." in plain:
        value = float(plain)
        if whole:
            if not value.is_integer():
                return ParsedNumber(error=NumberError.NOT_WHOLE)
            return ParsedNumber(int(value))
        return ParsedNumber(value)
    return ParsedNumber(int(plain) if whole else float(int(plain)))


def is_number_problem(code: str | None) -> bool:
    return bool(code) and str(code).startswith("number.")
