from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pser_desk.domain.cnic import CnicError, Gender, format_cnic, parse_cnic


@pytest.mark.parametrize(
    "text",
    [
        "3520212345671",
        "35202-1234567-1",
        " 35202 1234567 1 ",
        "35202‐1234567‐1",  # Unicode hyphens from a word processor
        "۳۵۲۰۲-۱۲۳۴۵۶۷-۱",  # Urdu digits
        "٣٥٢٠٢١٢٣٤٥٦٧١",  # Arabic-Indic digits
        "\u206635202-1234567-1\u2069",  # isolated inside Urdu text
    ],
)
def test_every_way_of_writing_a_cnic_gives_the_same_digits(text: str) -> None:
    result = parse_cnic(text)
    assert result.ok, result.error
    assert result.cnic is not None
    assert result.cnic.digits == "3520212345671"
    assert result.cnic.formatted == "35202-1234567-1"
    assert result.cnic.province == "Punjab"
    assert result.cnic.gender is Gender.MALE


def test_even_last_digit_is_female_and_masking_hides_the_middle() -> None:
    cnic = parse_cnic("61101-7654321-4").cnic
    assert cnic is not None
    assert cnic.gender is Gender.FEMALE
    assert cnic.province == "Islamabad"
    assert cnic.masked == "61101-XXXXXXX-4"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", CnicError.EMPTY),
        ("   ", CnicError.EMPTY),
        ("35202-123456A-1", CnicError.NOT_DIGITS),
        ("352021234567", CnicError.WRONG_LENGTH),
        ("35202123456712", CnicError.WRONG_LENGTH),
        ("8520212345671", CnicError.BAD_PROVINCE),
        ("0520212345671", CnicError.BAD_PROVINCE),
        ("3520212345670", CnicError.BAD_GENDER),
        ("²3520212345671", CnicError.NOT_DIGITS),  # a superscript is a "digit" to str.isdigit
    ],
)
def test_invalid_numbers_give_an_error_code(text: str, error: CnicError) -> None:
    result = parse_cnic(text)
    assert not result.ok
    assert result.cnic is None
    assert result.error is error


@pytest.mark.parametrize("value", [None, 3520212345671, 3.5, b"3520212345671", ["x"]])
def test_non_text_never_raises(value: object) -> None:
    result = parse_cnic(value)
    assert result.ok == (value == 3520212345671)


@given(st.text())
def test_parser_never_raises_on_any_text(text: str) -> None:
    result = parse_cnic(text)
    assert (result.cnic is None) != (result.error is None)


cnic_digits = st.builds(
    lambda province, middle, gender: f"{province}{middle}{gender}",
    st.sampled_from("1234567"),
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from("123456789"),
)


@given(cnic_digits)
def test_formatted_round_trips(digits: str) -> None:
    cnic = parse_cnic(digits).cnic
    assert cnic is not None
    again = parse_cnic(cnic.formatted).cnic
    assert again is not None
    assert again.digits == digits
    assert format_cnic(digits) == cnic.formatted
