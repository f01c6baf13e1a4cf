"""Reading section 6's status answers: what counts as a verdict and what is dropped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pser_desk.domain.verdict import ReasonCode, Verdict, VerdictStatus
from pser_desk.sync.verdicts import StatusReport, parse_utc, parse_verdict, read_batch

A = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
B = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e11"
WHEN = "2026-11-25T10:00:00Z"


def entry(sid: str = A, **changes: Any) -> dict[str, Any]:
    base = {
        "submission_id": sid, "tracking_id": "PSER-26-000000001", "status": "rejected",
        "reason": "Does not match NADRA.", "reason_code": "nadra_mismatch", "decided_at": WHEN,
    }  # fmt: skip
    return {**base, **changes}


def test_a_rejection_keeps_code_reason_and_time() -> None:
    verdict = parse_verdict(entry(), {A})
    assert verdict == Verdict(
        A, "PSER-26-000000001", VerdictStatus.REJECTED, "Does not match NADRA.",
        ReasonCode.NADRA_MISMATCH, datetime(2026, 11, 25, 10, tzinfo=UTC),
    )  # fmt: skip
    assert verdict.final


def test_received_and_verified_carry_no_reason() -> None:
    received = parse_verdict(entry(status="received", decided_at=None), {A})
    assert received == Verdict(A, "PSER-26-000000001", VerdictStatus.RECEIVED)
    verified = parse_verdict(entry(status="verified"), {A})
    assert verified is not None
    assert (verified.reason, verified.reason_code, verified.decided_at) == (
        None, None, datetime(2026, 11, 25, 10, tzinfo=UTC),
    )  # fmt: skip


@pytest.mark.parametrize(
    "changes",
    [
        {"submission_id": B},  # not asked
        {"tracking_id": ""},
        {"tracking_id": None},
        {"tracking_id": "X" * 65},
        {"status": "approved"},
        {"status": None},
        {"decided_at": None},  # a final verdict without its time: retention could not count
        {"decided_at": "yesterday"},
        {"decided_at": "2026-11-25T10:00:00"},  # no zone
    ],
)
def test_an_entry_not_of_the_contract_is_dropped(changes: dict[str, Any]) -> None:
    assert parse_verdict(entry(**changes), {A}) is None
    assert parse_verdict("text", {A}) is None


def test_lenient_where_strictness_would_loop_forever() -> None:
    unknown_code = parse_verdict(entry(reason_code="nadra_offline"), {A})
    assert unknown_code is not None
    assert unknown_code.reason_code is ReasonCode.OTHER
    no_reason = parse_verdict(entry(reason=None), {A})
    assert no_reason is not None
    assert no_reason.reason is None
    long_reason = parse_verdict(entry(reason="x" * 5000), {A})
    assert long_reason is not None
    assert long_reason.reason == "x" * 1000
    offset = parse_verdict(entry(decided_at="2026-11-25T15:00:00.250+05:00"), {A})
    assert offset is not None
    assert offset.decided_at == datetime(2026, 11, 25, 10, 0, 0, 250000, tzinfo=UTC)


@pytest.mark.allow_log_warnings
def test_a_batch_answer_sorts_ids_into_learnt_unknown_and_unanswered() -> None:
    c, d = A[:-2] + "20", A[:-2] + "21"
    report = StatusReport()
    body = {
        "statuses": [entry(A), entry(B, status="approved"), entry("not-asked")],
        "unknown": [c, "not-asked", A],
    }
    assert read_batch(body, [A, B, c, d], report)
    assert list(report.verdicts) == [A]  # listed in both: the status wins
    assert report.unknown == [c]
    assert report.unanswered == [B, d]


@pytest.mark.parametrize("body", [None, [], {"statuses": []}, {"statuses": {}, "unknown": []}])
def test_a_batch_answer_not_of_the_contract(body: Any) -> None:
    report = StatusReport()
    assert not read_batch(body, [A], report)
    assert (report.verdicts, report.unknown, report.unanswered) == ({}, [], [])


def test_parse_utc() -> None:
    assert parse_utc("2026-11-24T09:15:02Z") == datetime(2026, 11, 24, 9, 15, 2, tzinfo=UTC)
    assert parse_utc("2026-11-24") is None
    assert parse_utc(20261124) is None
