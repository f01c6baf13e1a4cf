"""Section 6 against the real server: ``GET /submissions/{id}`` and ``POST /submissions/status``."""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from pser_desk.central.faults import parse_faults
from pser_desk.central.service import CentralService
from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.security.request_signing import format_ts, sign_request
from pser_desk.sync.client import CentralRejected, CentralUnavailable
from tests.plugins.central import Enrolled, enrol_device, submit_households

OLD_SID = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"


def _service(enrolled: Enrolled) -> CentralService:
    assert enrolled.central.service is not None
    return enrolled.central.service


def _signed_post(enrolled: Enrolled, relative: str, body: bytes) -> requests.Response:
    path = "/api/v1" + relative
    auth = sign_request(
        enrolled.key, enrolled.device_id, "POST", path, body, format_ts(datetime.now(UTC))
    )
    return requests.post(
        enrolled.central.url + relative,
        data=body,
        headers={"Authorization": auth, "Content-Type": "application/json"},
        timeout=10,
    )


def test_one_household_goes_from_received_to_rejected_with_code_reason_and_time(
    enrolled: Enrolled,
) -> None:
    (sid,) = submit_households(enrolled, 1)
    received = enrolled.client.submission_status(sid)
    assert received is not None
    assert (received.status, received.reason, received.reason_code, received.decided_at) == (
        VerdictStatus.RECEIVED, None, None, None,
    )  # fmt: skip
    assert not received.final
    before = datetime.now(UTC).replace(microsecond=0)
    _service(enrolled).decide([sid], VerdictStatus.REJECTED, ReasonCode.NADRA_MISMATCH)
    rejected = enrolled.client.submission_status(sid)
    assert rejected is not None
    assert rejected.final
    assert (rejected.status, rejected.reason_code) == ("rejected", "nadra_mismatch")
    assert rejected.reason == "The household's members do not match NADRA's family tree."
    assert rejected.decided_at is not None
    assert before <= rejected.decided_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert rejected.tracking_id == received.tracking_id


def test_the_wire_answer_has_every_key_of_section_6(enrolled: Enrolled) -> None:
    (sid,) = submit_households(enrolled, 1)
    _service(enrolled).decide([sid], VerdictStatus.VERIFIED)
    path = f"/api/v1/submissions/{sid}"
    auth = sign_request(
        enrolled.key, enrolled.device_id, "GET", path, b"", format_ts(datetime.now(UTC))
    )
    reply = requests.get(
        enrolled.central.url + f"/submissions/{sid}", headers={"Authorization": auth}, timeout=10
    )
    body = reply.json()
    assert set(body) == {
        "submission_id",
        "tracking_id",
        "status",
        "reason",
        "reason_code",
        "decided_at",
    }
    assert (body["status"], body["reason"], body["reason_code"]) == ("verified", None, None)
    assert body["decided_at"].endswith("Z")


def test_unknown_and_other_centres_submissions_are_404(enrolled: Enrolled) -> None:
    (sid,) = submit_households(enrolled, 1)
    assert enrolled.client.submission_status(str(uuid.uuid4())) is None
    stranger = enrol_device(enrolled.central, centre="RWP-0100")
    with stranger.client as client:
        assert client.submission_status(sid) is None


def test_status_lookups_are_signed(enrolled: Enrolled) -> None:
    (sid,) = submit_households(enrolled, 1)
    unsigned = requests.get(enrolled.central.url + f"/submissions/{sid}", timeout=10)
    assert (unsigned.status_code, unsigned.json()) == (401, {"error": "bad_signature"})
    body = json.dumps({"submission_ids": [sid]}).encode()
    batch = requests.post(enrolled.central.url + "/submissions/status", data=body, timeout=10)
    assert (batch.status_code, batch.json()) == (401, {"error": "bad_signature"})
    # signed for another body: the signature covers the body's hash
    auth = sign_request(
        enrolled.key, enrolled.device_id, "POST", "/api/v1/submissions/status", b"{}",
        format_ts(datetime.now(UTC)),
    )  # fmt: skip
    forged = requests.post(
        enrolled.central.url + "/submissions/status", data=body,
        headers={"Authorization": auth}, timeout=10,
    )  # fmt: skip
    assert (forged.status_code, forged.json()) == (401, {"error": "bad_signature"})


def test_a_revoked_device_learns_nothing(enrolled: Enrolled) -> None:
    (sid,) = submit_households(enrolled, 1)
    _service(enrolled).revoke_device(enrolled.device_id)
    with pytest.raises(CentralRejected) as one:
        enrolled.client.submission_status(sid)
    assert (one.value.status, one.value.code) == (403, "device_revoked")
    report = enrolled.client.submission_statuses([sid])
    assert isinstance(report.error, CentralRejected)
    assert report.error.code == "device_revoked"
    assert (report.verdicts, report.unanswered) == ({}, [sid])


def test_batch_answers_in_the_order_asked_with_unknown_and_other_centres_ids(
    enrolled: Enrolled,
) -> None:
    ours = submit_households(enrolled, 3)
    stranger = enrol_device(enrolled.central, centre="RWP-0100")
    theirs = submit_households(stranger, 1)
    stranger.client.close()
    _service(enrolled).decide([ours[1]], VerdictStatus.VERIFIED)
    _service(enrolled).decide(
        [ours[2]], VerdictStatus.REJECTED, ReasonCode.INCOMPLETE, "The bank account is missing."
    )
    never = str(uuid.uuid4())
    asked = [ours[2], never, ours[0], theirs[0], ours[1]]
    reply = _signed_post(
        enrolled, "/submissions/status", json.dumps({"submission_ids": asked}).encode()
    )
    assert reply.status_code == 200
    body = reply.json()
    assert [s["submission_id"] for s in body["statuses"]] == [ours[2], ours[0], ours[1]]
    assert [s["status"] for s in body["statuses"]] == ["rejected", "received", "verified"]
    assert body["statuses"][0]["reason"] == "The bank account is missing."
    assert body["unknown"] == [never, theirs[0]]  # another centre's id: as if never accepted
    report = enrolled.client.submission_statuses(asked)
    assert report.error is None
    assert set(report.verdicts) == set(ours)
    assert report.verdicts[ours[2]].reason_code is ReasonCode.INCOMPLETE
    assert (report.unknown, report.unanswered, report.requests) == ([never, theirs[0]], [], 1)


def test_another_pc_of_the_same_centre_learns_the_verdicts(enrolled: Enrolled) -> None:
    sids = submit_households(enrolled, 2)
    _service(enrolled).decide(sids, VerdictStatus.VERIFIED)
    sibling = enrol_device(enrolled.central)  # same centre, another PC
    with sibling.client as client:
        report = client.submission_statuses(sids)
    assert {v.status for v in report.verdicts.values()} == {VerdictStatus.VERIFIED}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"submission_ids": []}, "submission_ids"),
        ({"submission_ids": [str(uuid.uuid4()) for _ in range(101)]}, "submission_ids"),
        ({"submission_ids": "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"}, "submission_ids"),
        ({}, "submission_ids"),
        ({"submission_ids": ["not-a-uuid"]}, "submission_ids[0]"),
        ({"submission_ids": [str(uuid.UUID(int=1)), 7]}, "submission_ids[1]"),
        ({"submission_ids": [str(uuid.UUID(int=1)), str(uuid.UUID(int=1))]}, "submission_ids[1]"),
        ({"submission_ids": [str(uuid.UUID(int=1))], "centre_code": "LHR-0042"}, "centre_code"),
        ([str(uuid.UUID(int=1))], ""),
    ],
    ids=[
        "empty",
        "101",
        "not-a-list",
        "missing",
        "malformed",
        "number",
        "twice",
        "extra-key",
        "a-list",
    ],
)
def test_a_batch_that_is_empty_too_long_or_malformed_is_422(
    enrolled: Enrolled, body: object, field: str
) -> None:
    reply = _signed_post(enrolled, "/submissions/status", json.dumps(body).encode())
    assert reply.status_code == 422
    assert reply.json()["error"] == "validation"
    assert field in {d["field"] for d in reply.json()["details"]}


def test_100_ids_is_one_request_and_the_client_batches_more(enrolled: Enrolled) -> None:
    sids = submit_households(enrolled, 5)
    asked = sids + [str(uuid.uuid4()) for _ in range(245)]  # 250 ids
    ok = _signed_post(
        enrolled, "/submissions/status", json.dumps({"submission_ids": asked[:100]}).encode()
    )
    assert ok.status_code == 200
    report = enrolled.client.submission_statuses(asked + sids)  # repeats asked once
    assert report.requests == 3
    assert set(report.verdicts) == set(sids)
    assert report.unknown == asked[5:]
    assert report.error is None


def _seed_passing_then_failing(p: float) -> int:
    """A seed whose first draw is no fault and whose second is the fault (probability *p*)."""
    return next(
        seed for seed in range(1000)
        if (rng := random.Random(seed)).random() >= p and rng.random() < p
    )  # fmt: skip


def test_a_failed_batch_stops_the_round_and_keeps_what_was_learnt(enrolled: Enrolled) -> None:
    sids = submit_households(enrolled, 2)
    asked = [sids[0], *(str(uuid.uuid4()) for _ in range(99)), sids[1], str(uuid.uuid4())]
    server = enrolled.central.server
    assert server is not None
    seed = _seed_passing_then_failing(0.5)
    server.set_faults(parse_faults(f"p503=0.5,seed={seed},on=status_batch"))
    report = enrolled.client.submission_statuses(asked)
    assert isinstance(report.error, CentralUnavailable)
    assert report.requests == 2
    assert set(report.verdicts) == {sids[0]}  # learnt from the first batch
    assert report.unknown == asked[1:100]
    assert report.unanswered == asked[100:]  # the failed batch: asked again later
    with pytest.raises(ValueError, match="UUID"):
        enrolled.client.submission_statuses(["not-a-uuid"])


def test_a_state_from_before_verdicts_gets_the_new_columns(tmp_path: Path) -> None:
    """The submissions table of the first reference service (no reason_code, decided_at)."""
    state = tmp_path / "old-state"
    state.mkdir()
    with sqlite3.connect(state / "central.sqlite3") as conn:
        conn.execute(
            "CREATE TABLE submissions (submission_id TEXT PRIMARY KEY, body_sha256 TEXT NOT NULL, "
            "tracking_id TEXT NOT NULL UNIQUE, receipt_no TEXT NOT NULL, head_key TEXT NOT NULL UNIQUE, "
            "device_id TEXT NOT NULL, centre_code TEXT NOT NULL, form_id TEXT NOT NULL, "
            "form_version TEXT NOT NULL, received_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT "
            "'received', reason TEXT, answer TEXT NOT NULL, record BLOB NOT NULL)"
        )
        conn.execute(
            "INSERT INTO submissions (submission_id, body_sha256, tracking_id, receipt_no, head_key, "
            "device_id, centre_code, form_id, form_version, received_at, answer, record) "
            "VALUES (?, 'h', 'PSER-26-000000001', 'LHR-0042-20261124-0001', 'k', 'dev_1', 'LHR-0042', "
            "'pser-household', '2024.1', '2026-11-24T09:15:02Z', '{}', x'00')",
            (OLD_SID,),
        )
    conn.close()
    service = CentralService(state, forms_dir=tmp_path / "none")
    try:
        service.decide(
            [OLD_SID], VerdictStatus.REJECTED, ReasonCode.OTHER, "Ask the district office."
        )
        row = service.db.submission(OLD_SID)
        assert row is not None
        assert (row.status, row.reason_code, row.reason) == (
            "rejected",
            "other",
            "Ask the district office.",
        )
        assert row.decided_at is not None
    finally:
        service.close()
