"""The repository contract: every test here runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from pser_desk.domain.lifecycle import IllegalTransition, RecordState
from pser_desk.domain.records import FieldProblem
from pser_desk.security.envelope import Envelope, open_envelope
from pser_desk.store import NotEnrolled, RecordInvalid, audit_log
from pser_desk.store.errors import AuthenticationFailed, Conflict, PermissionDenied
from pser_desk.store.operators import PasswordRejected
from pser_desk.store.records import NoInstallationKey, RecordService
from tests.plugins.store import (
    MANAGER_PASSWORD,
    OPERATOR_PASSWORD,
    AcceptAllValidator,
    StoreKit,
    sample_record,
    stamped,
)


@pytest.fixture
def ready(kit: StoreKit) -> StoreKit:
    """A manager, an operator and an enrolment."""
    manager = kit.add_manager()
    kit.add_operator(manager)
    kit.enrol()
    return kit


# ------------------------------------------------------------------ operators


def test_first_account_must_be_a_manager(kit: StoreKit) -> None:
    with pytest.raises(PermissionDenied):
        kit.operators.add("op1", "Op", "operator", OPERATOR_PASSWORD, by=None)
    kit.add_manager()
    with pytest.raises(PermissionDenied):
        kit.operators.add("mgr2", "M2", "manager", MANAGER_PASSWORD, by=None)


def test_an_operator_cannot_add_accounts(kit: StoreKit) -> None:
    kit.add_operator(kit.add_manager())
    session = kit.operators.login("op1", OPERATOR_PASSWORD)
    with pytest.raises(PermissionDenied):
        kit.operators.add("op2", "Op2", "operator", "violet-lantern-19", by=session)


def test_password_policy_is_applied(kit: StoreKit) -> None:
    with pytest.raises(PasswordRejected):
        kit.operators.add("mgr1", "M", "manager", "3520212345671", by=None)
    with pytest.raises(PasswordRejected):
        kit.operators.add("mgr1", "M", "manager", "short", by=None)


def test_five_failures_lock_for_five_minutes(kit: StoreKit) -> None:
    kit.add_manager()
    for _ in range(5):
        with pytest.raises(AuthenticationFailed, match="wrong"):
            kit.operators.login("mgr1", "not-the-password")
    with pytest.raises(AuthenticationFailed, match="locked"):
        kit.operators.login("mgr1", MANAGER_PASSWORD)
    kit.clock.advance(minutes=4, seconds=59)
    with pytest.raises(AuthenticationFailed, match="locked"):
        kit.operators.login("mgr1", MANAGER_PASSWORD)
    kit.clock.advance(seconds=2)
    assert kit.operators.login("mgr1", MANAGER_PASSWORD).operator_id == "mgr1"


def test_disable_and_reset(kit: StoreKit) -> None:
    manager = kit.add_manager()
    kit.add_operator(manager)
    kit.operators.disable("op1", by=manager)
    with pytest.raises(AuthenticationFailed, match="disabled"):
        kit.operators.login("op1", OPERATOR_PASSWORD)
    kit.operators.reset("op1", "violet-lantern-19", by=manager)
    session = kit.operators.login("op1", "violet-lantern-19")
    assert session.role.value == "operator"
    with pytest.raises(AuthenticationFailed):
        kit.operators.login("op1", OPERATOR_PASSWORD)


def test_every_operator_unwraps_the_same_installation_key(kit: StoreKit) -> None:
    manager = kit.add_manager()
    kit.add_operator(manager)
    op = kit.operators.login("op1", OPERATOR_PASSWORD)
    assert op.installation_key.public_key().public_bytes_raw() == (
        manager.installation_key.public_key().public_bytes_raw()
    )


# ------------------------------------------------------------------ drafts and queuing


def test_draft_needs_an_installation_key(kit: StoreKit) -> None:
    with pytest.raises(NoInstallationKey):
        kit.records.save_draft(sample_record(1), operator_id="op1")


def test_draft_round_trip_and_update(ready: StoreKit) -> None:
    sid = ready.records.save_draft(sample_record(1), operator_id="op1")
    ready.records.save_draft({**sample_record(2), "submission_id": sid}, operator_id="op1")
    session = ready.operators.login("op1", OPERATOR_PASSWORD)
    loaded = ready.records.load(sid, session)
    assert loaded["head"]["name"] == sample_record(2)["head"]["name"]
    assert ready.records.get(sid).state is RecordState.DRAFT


def test_queue_assigns_receipts_and_stores_a_body_central_can_open(ready: StoreKit) -> None:
    first = ready.records.queue(sample_record(1), operator_id="op1")
    second = ready.records.queue(sample_record(2), operator_id="op1")
    assert first.receipt_no == "LHR-0042-20261124-0001"
    assert second.receipt_no == "LHR-0042-20261124-0002"
    assert first.state is RecordState.QUEUED
    [item] = ready.outbox.claim_due(1)
    body = json.loads(item.body)
    assert list(body) == ["submission_id", "receipt_no", "form_id", "form_version",
                          "centre_code", "operator_id", "captured_at", "envelope"]  # fmt: skip
    assert body["receipt_no"] == first.receipt_no
    plain = open_envelope(Envelope.from_json(body["envelope"]), ready.central_key,
                          first.submission_id.encode())  # fmt: skip
    record = json.loads(plain)
    assert record["submission_id"] == first.submission_id
    assert record["head"]["name"] == sample_record(1)["head"]["name"]


def test_receipt_day_is_pakistan_time(ready: StoreKit) -> None:
    ready.clock.advance(hours=14, minutes=30)  # 23:30 UTC = 04:30 next day in Lahore
    assert ready.records.queue(sample_record(1), operator_id="op1").receipt_no.endswith(
        "20261125-0001"
    )


def test_queue_without_enrolment_fails_clearly(kit: StoreKit) -> None:
    kit.add_operator(kit.add_manager())
    with pytest.raises(NotEnrolled, match="not enrolled"):
        kit.records.queue(sample_record(1), operator_id="op1")


def test_invalid_record_leaves_nothing_behind(ready: StoreKit) -> None:
    bad = RecordService(ready.store, validator=AcceptAllValidator([("head.cnic", "cnic.wrong_length")]),
                        clock=ready.clock)  # fmt: skip
    with pytest.raises(RecordInvalid, match=r"head\.cnic: cnic\.wrong_length"):
        bad.queue(sample_record(1), operator_id="op1")
    assert ready.records.list() == []


def test_a_disabled_operator_cannot_queue(ready: StoreKit) -> None:
    manager = ready.operators.login("mgr1", MANAGER_PASSWORD)
    ready.operators.disable("op1", by=manager)
    with pytest.raises(PermissionDenied):
        ready.records.queue(sample_record(1), operator_id="op1")


def test_a_queued_record_cannot_be_edited(ready: StoreKit) -> None:
    queued = ready.records.queue(sample_record(1), operator_id="op1")
    with pytest.raises(Conflict):
        ready.records.save_draft(stamped(sample_record(1), queued.submission_id), operator_id="op1")


# ------------------------------------------------------------------ the outbox


def test_claim_resend_same_bytes_after_interruption(ready: StoreKit) -> None:
    queued = ready.records.queue(sample_record(1), operator_id="op1")
    [first] = ready.outbox.claim_due(4)
    assert ready.outbox.claim_due(4) == []
    assert ready.outbox.requeue_interrupted() == 1  # nobody holds the sender lease
    [again] = ready.outbox.claim_due(4)
    assert again.body == first.body
    assert (again.submission_id, again.attempts) == (queued.submission_id, 2)


def test_a_record_in_sending_is_taken_back_only_when_no_sender_holds_the_lease(
    ready: StoreKit,
) -> None:
    from pser_desk.store.lease import SenderLease

    ready.records.queue(sample_record(1), operator_id="op1")
    sender = SenderLease(ready.store, kind="window", host="another-pc")
    assert sender.acquire() is None
    ready.outbox.claim_due(4, claimed_by=sender.holder_id)
    ready.clock.advance(hours=5)  # a PC's clock says nothing about who is sending
    assert ready.outbox.requeue_interrupted() == 0
    sender.release()
    assert ready.outbox.requeue_interrupted() == 1


def test_retry_later_waits(ready: StoreKit) -> None:
    ready.records.queue(sample_record(1), operator_id="op1")
    [item] = ready.outbox.claim_due(4)
    ready.outbox.retry_later(
        item.submission_id, ready.clock.now + timedelta(seconds=30), "http_503"
    )
    assert ready.outbox.claim_due(4) == []
    ready.clock.advance(seconds=31)
    assert [i.submission_id for i in ready.outbox.claim_due(4)] == [item.submission_id]


def test_acknowledged_records_keep_their_tracking_id(ready: StoreKit) -> None:
    ready.records.queue(sample_record(1), operator_id="op1")
    [item] = ready.outbox.claim_due(4)
    ready.outbox.mark_acknowledged(item.submission_id, "PSER-26-000000001")
    summary = ready.records.get(item.submission_id)
    assert (summary.state, summary.tracking_id) == (RecordState.ACKNOWLEDGED, "PSER-26-000000001")
    with pytest.raises(IllegalTransition):
        ready.outbox.mark_failed(item.submission_id, "bad_envelope")


def test_correction_goes_back_under_the_same_id_and_receipt(ready: StoreKit) -> None:
    queued = ready.records.queue(sample_record(1), operator_id="op1")
    [item] = ready.outbox.claim_due(4)
    problems = (FieldProblem("members[0].cnic_or_bform", "wrong length"),)
    ready.outbox.mark_needs_correction(item.submission_id, problems)
    returned = ready.records.get(item.submission_id)
    assert returned.last_error_code == "validation"
    assert returned.corrections == problems  # kept whole and structured (issue 14)
    again = ready.records.queue(stamped(sample_record(3), queued.submission_id), operator_id="op1")
    assert ready.records.get(item.submission_id).corrections == ()
    assert (again.submission_id, again.receipt_no) == (queued.submission_id, queued.receipt_no)
    [resent] = ready.outbox.claim_due(4)
    assert resent.body != item.body
    assert json.loads(resent.body)["captured_at"] == json.loads(item.body)["captured_at"]


def test_duplicate_and_failed_are_recorded(ready: StoreKit) -> None:
    ready.records.queue(sample_record(1), operator_id="op1")
    ready.records.queue(sample_record(2), operator_id="op1")
    dup, bad = ready.outbox.claim_due(4)
    ready.outbox.mark_duplicate(dup.submission_id, "PSER-26-000000009", "LHR-0042-20261101-0003")
    ready.outbox.mark_failed(bad.submission_id, "idempotency_mismatch", "different body")
    counts = ready.outbox.counts().by_state
    assert (counts["duplicate"], counts["failed"], counts["queued"]) == (1, 1, 0)
    manager = ready.operators.login("mgr1", MANAGER_PASSWORD)
    ready.outbox.requeue_failed(bad.submission_id, by=manager)
    assert ready.records.get(bad.submission_id).state is RecordState.QUEUED


def test_counts_and_oldest_unsent_age(ready: StoreKit) -> None:
    ready.records.save_draft(sample_record(9), operator_id="op1")
    ready.records.queue(sample_record(1), operator_id="op1")
    ready.clock.advance(minutes=10)
    ready.records.queue(sample_record(2), operator_id="op1")
    counts = ready.outbox.counts()
    assert counts.by_state["queued"] == 2
    assert counts.by_state["draft"] == 1
    assert counts.oldest_unsent_age_s == pytest.approx(600)
    assert counts.as_json()["unsent"] == 2


def test_list_has_no_personal_data(ready: StoreKit) -> None:
    ready.records.queue(sample_record(1), operator_id="op1")
    [summary] = ready.records.list()
    text = json.dumps(summary.as_json())
    assert "Zarqoon" not in text
    assert "3520200001" not in text
    assert summary.as_json()["tracking_id"] is None
    assert summary.member_count == 2


# ------------------------------------------------------------------ device, audit


def test_device_identity_round_trip(kit: StoreKit) -> None:
    assert kit.device.current() is None
    identity = kit.enrol()
    assert kit.device.current() == identity


def test_audit_log_covers_the_record_life_and_verifies(ready: StoreKit) -> None:
    ready.records.queue(sample_record(1), operator_id="op1")
    [item] = ready.outbox.claim_due(1)
    ready.outbox.mark_acknowledged(item.submission_id, "PSER-26-000000001")
    with ready.store.read() as session:
        report = audit_log.verify(session)
        events = [e.event for e in reversed(audit_log.entries(session))]
    assert report.ok
    for wanted in ("operator_added", "login", "enrolled", "record_created", "record_queued",
                   "record_sent", "record_acknowledged"):  # fmt: skip
        assert wanted in events


def test_audit_refuses_personal_looking_detail(kit: StoreKit) -> None:
    with pytest.raises(ValueError, match="personal"), kit.store.write() as session:
        audit_log.append(session, "x", at=kit.clock.now, detail={"cnic": "35202-1234567-1"})


def test_a_submission_id_in_upper_case_is_the_same_identity(ready: StoreKit) -> None:
    sid = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
    queued = ready.records.queue({**sample_record(1), "submission_id": sid.upper()},
                                 operator_id="op1")  # fmt: skip
    assert queued.submission_id == sid
    with pytest.raises(Conflict, match="already queued"):
        ready.records.queue({**sample_record(1), "submission_id": sid}, operator_id="op1")
    with pytest.raises(Conflict, match="already queued"):
        ready.records.queue(stamped(sample_record(1), sid.upper()), operator_id="op1")
    assert [r.submission_id for r in ready.records.list()] == [sid]
    [item] = ready.outbox.claim_due(4)
    assert json.loads(item.body)["submission_id"] == sid


def test_the_store_never_guesses_a_records_ids(ready: StoreKit) -> None:
    """Issue 14: the application layer stamps the submission id and the form version in
    one place; the store refuses a record that does not name them, and never makes one."""
    bare = {k: v for k, v in sample_record(1).items() if k != "submission_id"}
    with pytest.raises(Conflict, match="submission_id"):
        ready.records.save_draft(bare, operator_id="op1")
    unnamed = {k: v for k, v in sample_record(1).items() if k != "form_version"}
    with pytest.raises(Conflict, match="form_version"):
        ready.records.queue(unnamed, operator_id="op1")
    assert ready.records.list() == []


def test_an_old_cheaper_hash_is_made_again_at_the_cost_in_force_at_login(kit: StoreKit) -> None:
    from pser_desk.security.passwords import ScryptParams, hash_params
    from pser_desk.store.models import KeyWrapRow, OperatorRow
    from pser_desk.store.operators import OperatorService

    kit.add_manager()  # hashed at the kit's low cost
    stronger = ScryptParams(n=2**11)
    raised = OperatorService(kit.store, clock=kit.clock, params=stronger)
    session = raised.login("mgr1", MANAGER_PASSWORD)
    with kit.store.read() as db:
        row, wrap = db.get(OperatorRow, "mgr1"), db.get(KeyWrapRow, "mgr1")
        assert row is not None
        assert wrap is not None
        assert hash_params(row.password_hash) == stronger
        assert wrap.params == "2048,8,1"
    again = raised.login("mgr1", MANAGER_PASSWORD)
    assert (
        again.installation_key.private_bytes_raw() == session.installation_key.private_bytes_raw()
    )
    with pytest.raises(AuthenticationFailed):
        raised.login("mgr1", "not-the-password-9")


def test_parallel_wrong_passwords_cannot_exceed_the_lockout_limit(kit: StoreKit) -> None:
    import threading

    from pser_desk.security.passwords import ScryptParams
    from pser_desk.store.operators import MAX_FAILED_LOGINS, OperatorService

    slow = OperatorService(kit.store, clock=kit.clock, params=ScryptParams(n=2**14))
    slow.add("mgr1", "Manager", "manager", MANAGER_PASSWORD, by=None)
    start = threading.Barrier(12)
    answers: list[str] = []

    def guess(n: int) -> None:
        start.wait()
        try:
            slow.login("mgr1", f"wrong-guess-{n:04d}")
        except AuthenticationFailed as exc:
            answers.append(str(exc))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    checked = [a for a in answers if a == "wrong operator id or password"]
    assert len(answers) == 12
    assert 1 <= len(checked) <= MAX_FAILED_LOGINS
    assert slow.get("mgr1").locked_until is not None
    with pytest.raises(AuthenticationFailed, match="locked"):
        slow.login("mgr1", MANAGER_PASSWORD)


def test_a_planted_installation_public_key_is_refused_at_login_and_sealing(ready: StoreKit) -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from pser_desk.security import vault
    from pser_desk.store.models import InstallationKeyRow
    from pser_desk.store.operators import InstallationKeyMismatch, key_audit_problem

    honest = ready.operators.login("op1", OPERATOR_PASSWORD)
    attacker = vault.public_bytes(X25519PrivateKey.generate())
    with ready.store.write() as session:
        row = session.get(InstallationKeyRow, 1)
        assert row is not None
        row.public_key = attacker
    with pytest.raises(InstallationKeyMismatch):
        ready.operators.login("op1", OPERATOR_PASSWORD)
    with pytest.raises(InstallationKeyMismatch):
        ready.records.queue(sample_record(1), operator_id="op1", login=honest)
    with pytest.raises(InstallationKeyMismatch):
        ready.records.save_draft(sample_record(2), operator_id="op1", login=honest)
    assert ready.records.list() == []
    with ready.store.read() as session:
        assert key_audit_problem(session) is not None


def test_a_sign_in_costs_one_scrypt_derivation(
    ready: StoreKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pser_desk.security.passwords import ScryptParams

    calls: list[int] = []
    real = ScryptParams.derive

    def counting(self: ScryptParams, secret: str, salt: bytes, length: int = 32) -> bytes:
        calls.append(self.n)
        return real(self, secret, salt, length)

    monkeypatch.setattr(ScryptParams, "derive", counting)
    ready.operators.login("op1", OPERATOR_PASSWORD)
    assert len(calls) == 1
    with pytest.raises(AuthenticationFailed, match="wrong operator id or password"):
        ready.operators.login("op1", "not-the-password-9")
    assert len(calls) == 2
    assert ready.operators.get("op1").failed_logins == 1
