"""Classification of central's answers to a submission (central-api.md section 4)."""

from __future__ import annotations

import pytest

from pser_desk.sync.outcomes import OutcomeKind, classify, parse_retry_after

SID = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
OK = {
    "submission_id": SID,
    "tracking_id": "PSER-26-000123456",
    "received_at": "2026-11-24T09:15:02Z",
}


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (201, OK, OutcomeKind.ACCEPTED),
        (200, OK, OutcomeKind.ACCEPTED),
        (201, {**OK, "submission_id": "other"}, OutcomeKind.TRANSIENT),
        (201, {"submission_id": SID}, OutcomeKind.TRANSIENT),
        (200, None, OutcomeKind.TRANSIENT),
        (202, OK, OutcomeKind.TRANSIENT),
        (409, {"error": "idempotency_mismatch"}, OutcomeKind.IDEMPOTENCY_MISMATCH),
        (409, {"error": "duplicate_household", "existing_tracking_id": "PSER-26-1", "existing_receipt_no": "R"},
         OutcomeKind.DUPLICATE_HOUSEHOLD),
        (409, {"error": "duplicate_household"}, OutcomeKind.TRANSIENT),
        (409, {"error": "other"}, OutcomeKind.TRANSIENT),
        (422, {"error": "validation", "details": [{"field": "head.cnic", "message": "m"}]}, OutcomeKind.VALIDATION),
        (422, {"error": "validation", "details": "x"}, OutcomeKind.TRANSIENT),
        (400, {"error": "bad_envelope"}, OutcomeKind.BAD_ENVELOPE),
        (400, {"error": "bad_request"}, OutcomeKind.TRANSIENT),
        (401, {"error": "bad_signature"}, OutcomeKind.AUTH),
        (401, {"error": "clock_skew", "server_time": "x"}, OutcomeKind.AUTH),
        (403, {"error": "device_revoked"}, OutcomeKind.REVOKED),
        (403, None, OutcomeKind.TRANSIENT),
        (413, None, OutcomeKind.TOO_LARGE),
        (429, None, OutcomeKind.RATE_LIMITED),
        (500, None, OutcomeKind.TRANSIENT),
        (503, {"error": "unavailable"}, OutcomeKind.TRANSIENT),
        (418, None, OutcomeKind.TRANSIENT),
    ],
)  # fmt: skip
def test_classification(status: int, body: object, kind: OutcomeKind) -> None:
    outcome = classify(status, body, SID)
    assert outcome.kind is kind
    assert outcome.delivered is (kind is OutcomeKind.ACCEPTED)


def test_retry_after_forms() -> None:
    assert classify(429, None, SID, "7").retry_after == 7.0
    assert parse_retry_after(None) == 30.0
    assert parse_retry_after("soon") == 30.0
    assert parse_retry_after("-5") == 30.0
    assert parse_retry_after("999999") == 3600.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
