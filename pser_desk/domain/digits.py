"""Digits as people and scanners write them: ASCII, Urdu (Extended Arabic-Indic), Arabic-Indic."""

from __future__ import annotations

_DIGIT_MAP = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGIT_MAP.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_DIGIT_MAP.update({ord(c): str(i) for i, c in enumerate("０１２３４５６７８９")})

# Separators a person or a scanner may put between groups of digits.
SEPARATORS = frozenset(
    " -\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u200e\u200f\u2066\u2067\u2068\u2069./_\t"
)


def to_ascii_digits(text: str) -> str:
    """Return *text* with every Urdu, Arabic-Indic or full-width digit turned into ASCII."""
    return text.translate(_DIGIT_MAP)


def strip_separators(text: str) -> str:
    """Remove the separators people put between digit groups, and surrounding blanks."""
    return "".join(ch for ch in text.strip() if ch not in SEPARATORS)
