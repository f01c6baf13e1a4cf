from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pser_desk.domain.mobile import MobileError, Network, parse_mobile


@pytest.mark.parametrize(
    "text",
    [
        "03001234567",
        "0300-1234567",
        "0300 1234567",
        "+92 300 1234567",
        "+923001234567",
        "00923001234567",
        "0092 300 1234567",
        "923001234567",
        "3001234567",
        "۰۳۰۰-۱۲۳۴۵۶۷",
        "(0300) 1234567",
    ],
)
def test_every_common_form_normalises(text: str) -> None:
    result = parse_mobile(text)
    assert result.mobile is not None, result.error
    assert result.mobile.national == "03001234567"
    assert result.mobile.formatted == "0300-1234567"
    assert result.mobile.e164 == "+923001234567"


@pytest.mark.parametrize(
    ("text", "network"),
    [
        ("0301-1234567", Network.JAZZ),
        ("0321-1234567", Network.JAZZ),
        ("0315-1234567", Network.ZONG),
        ("0370-1234567", Network.ZONG),
        ("0333-1234567", Network.UFONE),
        ("0345-1234567", Network.TELENOR),
        ("0355-1234567", Network.SCO),
    ],
)
def test_network_is_guessed_from_the_original_allocation(text: str, network: Network) -> None:
    result = parse_mobile(text)
    assert result.mobile is not None
    assert result.mobile.network_guess is network


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", MobileError.EMPTY),
        ("0300-12345x7", MobileError.NOT_DIGITS),
        ("+1 212 5550100", MobileError.NOT_PAKISTANI),
        ("0044 7700 900123", MobileError.NOT_PAKISTANI),
        ("042-1234567", MobileError.NOT_MOBILE),  # a Lahore landline
        ("0300-123456", MobileError.WRONG_LENGTH),
        ("0300-12345678", MobileError.WRONG_LENGTH),
        ("0338-1234567", MobileError.UNALLOCATED),
        ("0390-1234567", MobileError.UNALLOCATED),
    ],
)
def test_invalid_numbers_give_an_error_code(text: str, error: MobileError) -> None:
    result = parse_mobile(text)
    assert result.mobile is None
    assert result.error is error


@given(st.text())
def test_parser_never_raises(text: str) -> None:
    result = parse_mobile(text)
    assert (result.mobile is None) != (result.error is None)


valid_nsn = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["300", "309", "311", "321", "333", "339", "345", "355", "364", "370"]),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)


@given(valid_nsn)
def test_every_format_round_trips(nsn: str) -> None:
    mobile = parse_mobile(nsn).mobile
    assert mobile is not None
    for shown in (mobile.national, mobile.formatted, mobile.e164):
        again = parse_mobile(shown).mobile
        assert again == mobile
