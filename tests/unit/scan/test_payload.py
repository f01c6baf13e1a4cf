"""Payload -> CNIC: smart-card QR, old-card PDF417 (Urdu low bytes), NICOP Code 128, text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pser_desk.domain.cnic import parse_cnic
from pser_desk.scan.oldcard import decode_urdu_field, parse_date, parse_old_card
from pser_desk.scan.payload import ScanKind, byte_shape, extract, extract_text, find_cnic_in_text


def low_bytes(text: str) -> bytes:
    return bytes(0x20 if ch == " " else ord(ch) - 0x0600 for ch in text)


def old_card(
    cnic: bytes = b"3520212345671",
    dob: bytes = b"14031985",
    tracking: bytes = b"1234567820050314103022",
) -> bytes:
    return b"\r".join(
        [
            tracking,
            cnic,
            b"1234567A",
            dob,
            low_bytes("محمد علی"),
            low_bytes("احمد خان"),
            low_bytes("مکان نمبر ۱۲ گلی ۴ لاہور"),
        ]
    )


@pytest.mark.parametrize(
    ("payload", "fmt", "cnic", "kind"),
    [
        (b"3520212345671", "QRCode", "3520212345671", ScanKind.SNIC_QR),
        (b"352021234567120120101", "QRCode", "3520212345671", ScanKind.SNIC_QR),
        (b"35202-1234567-1", "QRCode", "3520212345671", ScanKind.SNIC_QR),
        (b"ID:3520212345671;V:2", "QRCode", "3520212345671", ScanKind.SNIC_QR),
        (b"6110112345679 0042", "Code128", "6110112345679", ScanKind.NICOP_CODE128),
        ("۳۵۲۰۲-۱۲۳۴۵۶۷-۱".encode(), "DataMatrix", "3520212345671", ScanKind.TEXT),
    ],
)
def test_cnic_found_in_payloads(payload: bytes, fmt: str, cnic: str, kind: ScanKind) -> None:
    result = extract(payload, fmt)
    assert (result.cnic, result.kind) == (cnic, kind)


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"hello world",
        b"3520212345670",  # gender digit 0
        b"8520212345671",  # no province 8
        b"352021234567",  # 12 digits
        b"35202-1234567-1 35202-7654321-3",  # two different numbers: trust neither
        bytes(range(256)) * 12,  # 3 KB of binary junk
    ],
)
def test_no_cnic_keeps_the_raw_bytes(payload: bytes) -> None:
    result = extract(payload, "QRCode")
    assert result.cnic is None
    assert result.kind is None
    assert result.raw == payload


def test_same_number_twice_is_one_cnic() -> None:
    assert find_cnic_in_text("35202-1234567-1 / 35202-1234567-1") == "3520212345671"


def test_old_card_fields_decode_to_urdu_and_agree() -> None:
    result = extract(old_card(), "PDF417")
    assert result.cnic == "3520212345671"
    assert result.kind is ScanKind.CNIC_PDF417
    card = result.card
    assert card is not None
    assert card.consistent
    assert result.self_consistent
    assert card.name_ur == "محمد علی"
    assert card.father_name_ur == "احمد خان"
    assert card.address_ur == "مکان نمبر ۱۲ گلی ۴ لاہور"
    assert card.date_of_birth == dt.date(1985, 3, 14)
    assert card.issued == dt.datetime(2005, 3, 14, 10, 30, 22)
    assert card.family_no == "1234567A"
    assert card.prefill()["date_of_birth"] == "1985-03-14"


@pytest.mark.parametrize(
    ("dob", "tracking"),
    [
        (b"31021985", b"12345678"),  # no such date
        (b"14032090", b"12345678"),  # born in the future
        (b"14031985", b"1234567819800101120000"),  # card issued before birth
    ],
)
def test_old_card_whose_fields_disagree_is_not_self_consistent(dob: bytes, tracking: bytes) -> None:
    result = extract(old_card(dob=dob, tracking=tracking), "PDF417")
    assert result.cnic == "3520212345671"
    assert not result.self_consistent


def test_pdf417_without_the_layout_falls_back_to_text_search() -> None:
    result = extract(b"NAME X\rCNIC 35202-1234567-1\r", "PDF417")
    assert result.cnic == "3520212345671"
    assert result.card is None
    assert not result.self_consistent


def test_old_card_with_invalid_cnic_field_is_no_cnic() -> None:
    assert extract(old_card(cnic=b"3520212345670"), "PDF417").cnic is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14031985", dt.date(1985, 3, 14)),
        ("1985-03-14", dt.date(1985, 3, 14)),
        ("14/03/1985", dt.date(1985, 3, 14)),
        ("1985", None),
        ("", None),
    ],
)
def test_dates_of_birth(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_urdu_field_encodings() -> None:
    assert decode_urdu_field(low_bytes("علی خان")) == "علی خان"
    assert decode_urdu_field("علی".encode("utf-16-le")) == "علی"
    assert decode_urdu_field("علی".encode()) == "علی"


def test_personal_fields_stay_out_of_repr_and_log_line() -> None:
    result = extract(old_card(), "PDF417")
    for text in (repr(result), repr(result.card), result.log_repr()):
        assert "3520212345671" not in text
        assert "محمد" not in text
        assert "1985" not in text
    assert byte_shape(b"35202-12\r") == "9x5 - 9x2 CR"


def test_wedge_text_is_kind_text() -> None:
    assert extract_text("35202-1234567-1").kind is ScanKind.TEXT


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from(["QRCode", "PDF417", "Code128", "Aztec", ""]))
def test_fuzz_any_bytes_never_raise_and_only_valid_cnics(raw: bytes, fmt: str) -> None:
    result = extract(raw, fmt)
    assert result.raw == raw
    assert result.cnic is None or parse_cnic(result.cnic).ok
    result.log_repr()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=12))
def test_fuzz_cr_separated_fields_never_raise(fields: list[bytes]) -> None:
    raw = b"\r".join(fields)
    card = parse_old_card(raw)
    assert card is None or card.cnic is not None
    extract(raw, "PDF417")
