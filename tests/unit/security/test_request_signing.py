"""central-api.md section 3: the canonical string and the Authorization header."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from pser_desk.security.device import DeviceKey
from pser_desk.security.request_signing import (
    AuthHeaderError,
    authorization_header,
    canonical_string,
    parse_authorization,
    sign_request,
    verify_request,
    within_skew,
)


def test_canonical_string_is_exactly_the_contracts() -> None:
    body = b'{"a":1}'
    expected = (
        "POST\n/api/v1/submissions\n2026-11-24T09:15:02Z\n" + hashlib.sha256(body).hexdigest()
    )
    assert (
        canonical_string("POST", "/api/v1/submissions", "2026-11-24T09:15:02Z", body)
        == expected.encode()
    )
    empty = canonical_string("GET", "/api/v1/forms/x/current?y=1", "2026-11-24T09:15:02Z", b"")
    assert empty.endswith(b"\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert b"/api/v1/forms/x/current?y=1\n" in empty


def test_header_round_trip_and_verification() -> None:
    key = DeviceKey.generate()
    header = sign_request(
        key, "dev_abc", "POST", "/api/v1/submissions", b"{}", "2026-11-24T09:15:02Z"
    )
    assert header.startswith('PSER-Ed25519 device_id="dev_abc",ts="2026-11-24T09:15:02Z",sig="')
    auth = parse_authorization(header)
    assert (auth.device_id, auth.ts, len(auth.sig)) == ("dev_abc", "2026-11-24T09:15:02Z", 64)
    assert verify_request(key.public_raw(), auth, "POST", "/api/v1/submissions", b"{}")
    assert not verify_request(key.public_raw(), auth, "POST", "/api/v1/submissions", b"{ }")
    assert not verify_request(key.public_raw(), auth, "POST", "/submissions", b"{}")
    assert not verify_request(key.public_raw(), auth, "GET", "/api/v1/submissions", b"{}")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer x",
        'PSER-Ed25519 device_id="dev_a",ts="2026-11-24 09:15:02",sig="AAAA"',
        'PSER-Ed25519 device_id="dev a",ts="2026-11-24T09:15:02Z",sig="AAAA"',
        'PSER-Ed25519 device_id="dev_a",ts="2026-13-24T09:15:02Z",sig="AAAA"',
        'PSER-Ed25519 device_id="dev_a",ts="2026-11-24T09:15:02Z",sig="A+/="',
        'PSER-Ed25519 ts="2026-11-24T09:15:02Z",device_id="dev_a",sig="AAAA"',
    ],
)
def test_malformed_headers_are_refused(header: str | None) -> None:
    with pytest.raises(AuthHeaderError):
        parse_authorization(header)


def test_authorization_header_format() -> None:
    assert authorization_header("dev_1", "2026-11-24T09:15:02Z", b"\xff\xfe") == (
        'PSER-Ed25519 device_id="dev_1",ts="2026-11-24T09:15:02Z",sig="__4"'
    )


def test_skew_limit_is_300_seconds_either_way() -> None:
    now = datetime(2026, 11, 24, 9, 15, 2, tzinfo=UTC)
    for delta, ok in ((300, True), (-300, True), (301, False), (-301, False)):
        ts = (now + timedelta(seconds=delta)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert within_skew(ts, now) is ok
