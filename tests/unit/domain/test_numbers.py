"""Number fields never drop what they do not understand (domain/numbers.py)."""

from __future__ import annotations

import pytest

from pser_desk.domain.numbers import NumberError, ParsedNumber, parse_number


@pytest.mark.parametrize(
    ("typed", "whole", "expected"),
    [
        ("25000", True, ParsedNumber(25000)),
        ("25,000", True, ParsedNumber(25000)),
        ("۲۵۰۰۰", True, ParsedNumber(25000)),  # Urdu digits
        ("٢٥٬٠٠٠", True, ParsedNumber(25000)),  # Arabic-Indic with its thousands separator
        ("  7 ", True, ParsedNumber(7)),
        ("2.5", False, ParsedNumber(2.5)),
        ("۲٫۵", False, ParsedNumber(2.5)),  # the Urdu decimal separator
        ("3", False, ParsedNumber(3.0)),
        ("", True, ParsedNumber()),
        ("-5", True, ParsedNumber(-5)),  # the validator says "negative"
        ("25k", True, ParsedNumber(error=NumberError.SHORTHAND)),
        ("25 K", True, ParsedNumber(error=NumberError.SHORTHAND)),
        ("2 لاکھ", True, ParsedNumber(error=NumberError.SHORTHAND)),
        ("twenty thousand", True, ParsedNumber(error=NumberError.WORDS)),
        ("بیس ہزار", True, ParsedNumber(error=NumberError.WORDS)),
        ("2.5", True, ParsedNumber(error=NumberError.NOT_WHOLE)),
        ("1-2", True, ParsedNumber(error=NumberError.FORMAT)),
        ("Rs25", True, ParsedNumber(error=NumberError.FORMAT)),
    ],
)
def test_numbers_as_typed(typed: str, whole: bool, expected: ParsedNumber) -> None:
    assert parse_number(typed, whole=whole) == expected
