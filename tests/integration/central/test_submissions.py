"""Every answer of POST /submissions from the real server, classified by the real client."""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.security.device import DeviceKey
from pser_desk.security.envelope import raw_public
from pser_desk.sync.client import CentralClient, CentralRejected
from pser_desk.sync.outcomes import OutcomeKind
from tests.plugins.central import Enrolled, build_submission, household_record


def test_201_then_byte_identical_retry_is_200_with_the_same_answer(enrolled: Enrolled) -> None:
    body, sid = build_submission(enrolled.central.encryption_key)
    first = enrolled.client.submit(body, sid)
    again = enrolled.client.submit(body, sid)
    assert (first.kind, first.status) == (OutcomeKind.ACCEPTED, 201)
    assert (again.kind, again.status) == (OutcomeKind.ACCEPTED, 200)
    assert first.tracking_id is not None
    assert first.tracking_id.startswith("PSER-")
    assert len(first.tracking_id) == len("PSER-26-000123456")
    assert (again.tracking_id, again.received_at) == (first.tracking_id, first.received_at)
    assert enrolled.central.households() == 1


def test_tracking_ids_are_sequential_per_year(enrolled: Enrolled) -> None:
    ids = []
    for _ in range(3):
        body, sid = build_submission(enrolled.central.encryption_key)
        ids.append(enrolled.client.submit(body, sid).tracking_id)
    year = datetime.now(UTC).strftime("%y")
    assert ids == [f"PSER-{year}-{n:09d}" for n in (1, 2, 3)]


def test_same_id_other_body_is_409_idempotency_mismatch(enrolled: Enrolled) -> None:
    body, sid = build_submission(enrolled.central.encryption_key)
    assert enrolled.client.submit(body, sid).delivered
    resealed, _ = build_submission(enrolled.central.encryption_key, submission_id=sid)
    outcome = enrolled.client.submit(resealed, sid)
    assert (outcome.kind, outcome.status) == (OutcomeKind.IDEMPOTENCY_MISMATCH, 409)
    assert not outcome.retryable
    assert enrolled.central.households() == 1


def test_same_head_cnic_is_409_duplicate_household_but_never_a_duplicate_of_itself(
    enrolled: Enrolled,
) -> None:
    key = enrolled.central.encryption_key
    body, sid = build_submission(
        key, head_cnic="3520212345671", receipt_no="LHR-0042-20261124-0017"
    )
    first = enrolled.client.submit(body, sid)
    assert enrolled.client.submit(body, sid).kind is OutcomeKind.ACCEPTED  # itself: a retry
    other, other_sid = build_submission(key, head_cnic="3520212345671")
    dup = enrolled.client.submit(other, other_sid)
    assert (dup.kind, dup.status) == (OutcomeKind.DUPLICATE_HOUSEHOLD, 409)
    assert dup.existing_tracking_id == first.tracking_id
    assert dup.existing_receipt_no == "LHR-0042-20261124-0017"
    assert enrolled.central.households() == 1


def test_422_names_the_field_paths_and_a_corrected_record_goes_under_the_same_id(
    enrolled: Enrolled,
) -> None:
    key = enrolled.central.encryption_key
    body, sid = build_submission(key)
    record = household_record(sid, "3520212345671")
    record["members"] = [
        {"cnic_or_bform": "3520298765432", "name": "A", "relation": "spouse"},
        {"cnic_or_bform": "3520298765433", "name": "B", "relation": "son"},
        {"cnic_or_bform": "35202-9876543-4", "name": "", "relation": "daughter"},
    ]
    bad, _ = build_submission(key, submission_id=sid, record=record)
    outcome = enrolled.client.submit(bad, sid)
    assert (outcome.kind, outcome.status) == (OutcomeKind.VALIDATION, 422)
    assert {d.field for d in outcome.details} == {"members[2].cnic_or_bform", "members[2].name"}
    assert all(d.message for d in outcome.details)
    record["members"][2].update(cnic_or_bform="3520298765434", name="C")
    fixed, _ = build_submission(key, submission_id=sid, record=record)
    assert enrolled.client.submit(fixed, sid).status == 201


def test_422_for_a_bad_head_cnic_and_for_personal_data_outside_the_envelope(
    enrolled: Enrolled,
) -> None:
    key = enrolled.central.encryption_key
    body, sid = build_submission(key, head_cnic="0520212345671")
    assert [d.field for d in enrolled.client.submit(body, sid).details] == ["head.cnic"]
    leaky, sid2 = build_submission(key, outer={"head_cnic": "3520212345671"})
    assert [d.field for d in enrolled.client.submit(leaky, sid2).details] == ["head_cnic"]


def test_400_bad_envelope_for_another_key_or_a_tampered_ciphertext(enrolled: Enrolled) -> None:
    stranger = raw_public(X25519PrivateKey.generate().public_key())
    body, sid = build_submission(stranger)
    outcome = enrolled.client.submit(body, sid)
    assert (outcome.kind, outcome.status) == (OutcomeKind.BAD_ENVELOPE, 400)
    good, sid2 = build_submission(enrolled.central.encryption_key)
    data = json.loads(good)
    ct = data["envelope"]["ct"]
    data["envelope"]["ct"] = ("B" if ct[0] == "A" else "A") + ct[1:]
    assert enrolled.client.submit(json.dumps(data).encode(), sid2).kind is OutcomeKind.BAD_ENVELOPE
    assert enrolled.central.households() == 0


def test_401_bad_signature_for_a_key_central_does_not_know(enrolled: Enrolled) -> None:
    impostor = enrolled.new_client()
    impostor._key = DeviceKey.generate()  # same device id, another key
    body, sid = build_submission(enrolled.central.encryption_key)
    outcome = impostor.submit(body, sid)
    assert (outcome.kind, outcome.status, outcome.auth_error) == (
        OutcomeKind.AUTH,
        401,
        "bad_signature",
    )
    unknown = CentralClient(enrolled.central.url, device_id="dev_nobody", device_key=enrolled.key)
    with unknown:
        assert unknown.submit(body, sid).auth_error == "bad_signature"


def test_401_clock_skew_is_corrected_and_retried_once(enrolled: Enrolled) -> None:
    wrong_clock = enrolled.new_client(clock=lambda: datetime.now(UTC) - timedelta(hours=2))
    body, sid = build_submission(enrolled.central.encryption_key)
    outcome = wrong_clock.submit(body, sid)
    assert outcome.status == 201
    assert abs(wrong_clock.clock_offset.total_seconds() - 7200) < 5
    assert (
        wrong_clock.submission_status(sid) is not None
    )  # later calls are signed with the corrected clock


def test_clock_skew_that_central_keeps_reporting_is_an_auth_outcome(enrolled: Enrolled) -> None:
    central = enrolled.central
    assert central.service is not None
    real = central.service.clock
    calls = itertools.count(1)
    central.service.clock = lambda: real() + timedelta(hours=3 * next(calls))  # keeps jumping
    body, sid = build_submission(central.encryption_key)
    outcome = enrolled.client.submit(body, sid)
    assert (outcome.kind, outcome.auth_error) == (OutcomeKind.AUTH, "clock_skew")


def test_403_for_a_revoked_device(enrolled: Enrolled) -> None:
    assert enrolled.central.service is not None
    assert enrolled.central.service.revoke_device(enrolled.device_id)
    body, sid = build_submission(enrolled.central.encryption_key)
    outcome = enrolled.client.submit(body, sid)
    assert (outcome.kind, outcome.status) == (OutcomeKind.REVOKED, 403)


def test_413_over_one_mebibyte(enrolled: Enrolled) -> None:
    body, sid = build_submission(enrolled.central.encryption_key)
    padded = body[:-1] + b"," + b'"pad":"' + b"x" * (1024 * 1024) + b'"}'
    outcome = enrolled.client.submit(padded, sid)
    assert (outcome.kind, outcome.status) == (OutcomeKind.TOO_LARGE, 413)
    assert enrolled.client.submit(body, sid).status == 201  # the session is still usable


def test_idempotency_key_must_match_and_centre_must_be_the_devices(enrolled: Enrolled) -> None:
    body, sid = build_submission(enrolled.central.encryption_key)
    outcome = enrolled.client.submit(body, "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10")
    assert [d.field for d in outcome.details] == ["Idempotency-Key"]
    other, sid2 = build_submission(enrolled.central.encryption_key, centre_code="LHR-0043")
    assert [d.field for d in enrolled.client.submit(other, sid2).details] == ["centre_code"]


def test_concurrent_copies_of_one_submission_are_stored_once(enrolled: Enrolled) -> None:
    body, sid = build_submission(enrolled.central.encryption_key)
    barrier = threading.Barrier(4)

    def send(_: int) -> tuple[int | None, str | None]:
        barrier.wait()
        outcome = enrolled.client.submit(body, sid)
        return outcome.status, outcome.tracking_id

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, range(4)))
    assert sorted(status for status, _ in results) == [200, 200, 200, 201]
    assert len({tracking for _, tracking in results}) == 1
    assert enrolled.central.households() == 1


def test_status_lookup(enrolled: Enrolled) -> None:
    body, sid = build_submission(enrolled.central.encryption_key)
    tracking = enrolled.client.submit(body, sid).tracking_id
    status = enrolled.client.submission_status(sid)
    assert status is not None
    assert (status.submission_id, status.tracking_id, status.status, status.reason) == (
        sid,
        tracking,
        "received",
        None,
    )
    assert enrolled.central.service is not None
    enrolled.central.service.decide(
        [sid], VerdictStatus.REJECTED, ReasonCode.DUPLICATE_MEMBER, "duplicate at NADRA"
    )
    later = enrolled.client.submission_status(sid)
    assert later is not None
    assert (later.status, later.reason, later.reason_code) == (
        "rejected",
        "duplicate at NADRA",
        "duplicate_member",
    )
    assert enrolled.client.submission_status("0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10") is None


def test_a_submission_id_not_in_canonical_form_is_refused_never_a_second_identity(
    enrolled: Enrolled,
) -> None:
    body, sid = build_submission(enrolled.central.encryption_key, head_cnic="3520212345671")
    assert enrolled.client.submit(body, sid).status == 201
    for spelt in (
        sid.upper(),
        sid[:8] + sid[9:13] + "-" + sid[8] + sid[13:],
    ):  # capitals, a moved hyphen
        again, _ = build_submission(enrolled.central.encryption_key, submission_id=spelt,
                                    head_cnic="3520212345671")  # fmt: skip
        outcome = enrolled.client.submit(again, spelt)
        assert (outcome.kind, outcome.status) == (OutcomeKind.VALIDATION, 422)
        assert [d.field for d in outcome.details] == ["submission_id"]
    fresh, fresh_sid = build_submission(enrolled.central.encryption_key,
                                        submission_id=str(uuid.uuid4()).upper())  # fmt: skip
    assert enrolled.client.submit(fresh, fresh_sid).status == 422
    assert enrolled.central.households() == 1
    assert enrolled.client.submission_status(sid.upper()) is None  # 404: never accepted so
    report = enrolled.client.submission_statuses([sid.upper()])
    assert isinstance(report.error, CentralRejected)
    assert report.error.status == 422
    assert enrolled.client.submission_status(sid) is not None
