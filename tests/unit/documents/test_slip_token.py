"""The slip token: signed, compact, tamper-evident, bound to the CNIC without revealing it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pser_desk.documents.slip_token import (
    PREFIX,
    Forged,
    Verified,
    cnic_tag,
    issue_token,
    verify_token,
)
from pser_desk.security.device import DeviceKey

SID = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
RECEIPT = "LHR-0042-20261124-0017"
CNIC = "3520212345671"
ISSUED = datetime(2026, 11, 24, 9, 15, 2, 123456, tzinfo=UTC)
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def token(key: Ed25519PrivateKey) -> str:
    return issue_token(key, receipt_no=RECEIPT, submission_id=SID, cnic_digits=CNIC,
                       issued_at=ISSUED, device_id="dev_8f3k2m9q")  # fmt: skip


def test_a_token_verifies_and_carries_its_claims(key: Ed25519PrivateKey, token: str) -> None:
    verdict = verify_token(token, raw_public(key))
    assert isinstance(verdict, Verified)
    assert verdict.claims.receipt_no == RECEIPT
    assert verdict.claims.submission_id == SID
    assert verdict.claims.device_id == "dev_8f3k2m9q"
    assert verdict.claims.issued_at == ISSUED.replace(microsecond=0)
    assert verdict.claims.as_json()["issued_at"] == "2026-11-24T09:15:02Z"


def test_a_token_is_compact_and_qr_alphanumeric(token: str) -> None:
    assert token.startswith(PREFIX + ".")
    assert len(token) < 220
    assert set(token) <= set(B32 + "0123456789.")
    assert CNIC not in token


def test_the_device_key_class_signs_tokens_too() -> None:
    device = DeviceKey.generate()
    token = issue_token(device, receipt_no=RECEIPT, submission_id=SID, cnic_digits=CNIC,
                        issued_at=ISSUED)  # fmt: skip
    verdict = verify_token(token, device.public_raw())
    assert verdict.genuine
    assert verdict.claims is not None
    assert verdict.claims.device_id == ""


def _change_char(token: str, index: int) -> str:
    old = token[index]
    alphabet = B32 if old in B32 else "0123456789"
    new = next(c for c in alphabet if c != old)
    return token[:index] + new + token[index + 1 :]


@pytest.mark.parametrize("where", [6, 20, 60, 95, -40, -2, -1])
def test_any_changed_character_makes_it_forged(
    key: Ed25519PrivateKey, token: str, where: int
) -> None:
    index = where % len(token)
    if token[index] == ".":
        index += 1
    verdict = verify_token(_change_char(token, index), raw_public(key))
    assert isinstance(verdict, Forged)
    assert verdict.reason in {"bad_signature", "malformed"}


def test_every_single_character_change_fails(key: Ed25519PrivateKey, token: str) -> None:
    public = raw_public(key)
    for index, char in enumerate(token):
        if char == ".":
            continue
        assert not verify_token(_change_char(token, index), public).genuine, index


def test_a_token_signed_by_another_key_is_forged(token: str) -> None:
    verdict = verify_token(token, raw_public(Ed25519PrivateKey.generate()))
    assert isinstance(verdict, Forged)
    assert verdict.reason == "bad_signature"
    assert verdict.claims is not None
    assert verdict.claims.receipt_no == RECEIPT


def test_a_re_signed_payload_with_a_new_receipt_is_forged(key: Ed25519PrivateKey) -> None:
    mallory = Ed25519PrivateKey.generate()
    fake = issue_token(mallory, receipt_no="LHR-0042-20261124-0099", submission_id=SID,
                       cnic_digits=CNIC, issued_at=ISSUED, device_id="dev_8f3k2m9q")  # fmt: skip
    assert not verify_token(fake, raw_public(key)).genuine


@pytest.mark.parametrize(
    "text",
    ["", "PSER1", "PSER1..", "PSER2.AAAA.BBBB", "PSER1.AAAA.BBBB", "PSER1.!!!.###", "x" * 1000],
)
def test_malformed_tokens_are_forged_not_errors(text: str, key: Ed25519PrivateKey) -> None:
    verdict = verify_token(text, raw_public(key))
    assert isinstance(verdict, Forged)
    assert verdict.reason == "malformed"


def test_whitespace_and_case_do_not_matter(key: Ed25519PrivateKey, token: str) -> None:
    spaced = token[:50] + "\n" + token[50:120].lower() + "  " + token[120:]
    assert verify_token(spaced, raw_public(key)).genuine


def test_a_key_lookup_by_device_id(key: Ed25519PrivateKey, token: str) -> None:
    keys = {"dev_8f3k2m9q": raw_public(key)}
    assert verify_token(token, keys.get).genuine
    verdict = verify_token(token, {}.get)
    assert isinstance(verdict, Forged)
    assert verdict.reason == "unknown_device"


def test_the_cnic_tag_matches_the_right_card_only(key: Ed25519PrivateKey, token: str) -> None:
    claims = verify_token(token, raw_public(key)).claims
    assert claims is not None
    assert claims.matches_cnic("35202-1234567-1")
    assert claims.matches_cnic("٣٥٢٠٢١٢٣٤٥٦٧١")  # Urdu digits: the same card
    assert not claims.matches_cnic("35202-1234568-1")
    assert not claims.matches_cnic("not a cnic")


def test_the_cnic_tag_leaves_many_candidates_for_a_slip() -> None:
    """Sixteen bits: of the 10^7 numbers fitting a masked CNIC, ~150 share a tag."""
    tag = cnic_tag(SID, CNIC)
    sharing = sum(cnic_tag(SID, f"35202{n:07d}1") == tag for n in range(0, 10_000_000, 97))
    assert 0 < sharing < 20  # ~1.6 expected in this sample of 103,093 numbers


def test_the_cnic_tag_is_keyed_per_submission() -> None:
    """No table of tags can be built once for all slips."""
    sids = [f"0193a3c2-7d1e-7a51-9d1e-3c1f2b9a{n:04x}" for n in range(64)]
    assert len({cnic_tag(sid, CNIC) for sid in sids}) > 50
