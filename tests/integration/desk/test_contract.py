"""The application layer's contract, run against every implementation that remains: the
desk on SQLite and on PostgreSQL (the in-memory stand-in is gone: issue 14).

Each test goes through ``pser_desk.desk`` as the window and the command line do: signing
in (and why a sign-in is refused), accounts, enrolment, drafts, the queue, a refused
record, central's corrections, sending, slips, settings; errors are typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pser_desk.desk.errors import DeskError, ErrorCode, PasswordRejected, RecordRejected
from pser_desk.desk.model import Draft, FormRef, LoginOutcome, LoginResult
from pser_desk.desk.protocol import DeskApi
from pser_desk.desk.records import STAMPED
from pser_desk.desk.services import Desk, open_desk
from pser_desk.desk.settings import DeskSettings
from pser_desk.domain.accounts import Role
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form, parse_form
from pser_desk.domain.geography import load_geography
from pser_desk.domain.lifecycle import RecordState
from pser_desk.domain.records import FieldProblem
from pser_desk.store.forms import FormRepository, StoredForm
from pser_desk.sync.worker import Backoff
from tests.integration.sync.test_forms import definition_2024_2
from tests.plugins.gui import MANAGER, OPERATOR
from tests.plugins.store import FAST_SCRYPT, FakeClock

FORM = FormRef("pser-household", "2024.1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))  # the desk's one clock, injected


@pytest.fixture
def desk(store_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Desk]:
    """The desk of one PC on the parametrised database (SQLite or PostgreSQL)."""
    url = None if store_url.startswith("sqlite") else store_url
    folder = Path(store_url.removeprefix("sqlite:///")).parent if url is None else tmp_path
    opened = open_desk(url, folder, password_cost=FAST_SCRYPT, clock=clock,
                       backoff=Backoff(0.05, 0.2), device_name="Counter 3")  # fmt: skip
    try:
        yield opened
    finally:
        opened.close()


def _with_people(desk: Desk) -> tuple[LoginResult, LoginResult]:
    desk.sessions.create_first_manager(*MANAGER)
    manager = desk.sessions.login(MANAGER[0], MANAGER[2])
    desk.accounts.add(manager, OPERATOR[0], OPERATOR[1], Role.OPERATOR, OPERATOR[2])
    return manager, desk.sessions.login(OPERATOR[0], OPERATOR[2])


def _parts(seed: int) -> dict[str, Any]:
    record = example_record(seed, load_form(), load_geography(), datetime.now(UTC).date())
    return {k: v for k, v in record.items() if k not in STAMPED}


def test_the_desk_is_the_protocol_the_views_are_typed_against(desk: Desk) -> None:
    api: DeskApi = desk  # mypy checks it here; the names are there at run time too
    for name in ("sessions", "accounts", "enrolment", "forms", "records", "sending",
                 "dashboard", "slips", "reports", "maintenance", "settings"):  # fmt: skip
        assert getattr(api, name) is not None


def test_sign_in_says_why_it_is_refused(desk: Desk, clock: FakeClock) -> None:
    assert not desk.sessions.has_operators()
    manager, operator = _with_people(desk)
    assert manager.operator is not None
    assert (manager.outcome, manager.operator.role) == (LoginOutcome.OK, Role.MANAGER)
    wrong = desk.sessions.login(OPERATOR[0], "not-the-password")
    assert (wrong.outcome, wrong.attempts_left) == (LoginOutcome.BAD_CREDENTIALS, 4)
    for _ in range(4):
        desk.sessions.login(OPERATOR[0], "not-the-password")
    locked = desk.sessions.login(OPERATOR[0], OPERATOR[2])
    assert locked.outcome is LoginOutcome.LOCKED
    assert locked.locked_for_s is not None
    assert 0 < locked.locked_for_s <= 301  # five minutes, rounded up
    assert desk.sessions.login("nobody", "whatever-it-is").outcome is LoginOutcome.BAD_CREDENTIALS
    clock.advance(minutes=6)
    assert desk.sessions.login(OPERATOR[0], OPERATOR[2]).outcome is LoginOutcome.OK
    desk.accounts.disable(manager, OPERATOR[0])
    assert desk.sessions.login(OPERATOR[0], OPERATOR[2]).outcome is LoginOutcome.DISABLED


def test_account_errors_are_typed_never_read_from_text(desk: Desk) -> None:
    manager, operator = _with_people(desk)
    cases = [
        (lambda: desk.accounts.add(manager, OPERATOR[0], "Again", Role.OPERATOR, "a-long-password-9"),
         ErrorCode.OPERATOR_EXISTS),
        (lambda: desk.accounts.add(manager, "9bad id", "X", Role.OPERATOR, "a-long-password-9"),
         ErrorCode.OPERATOR_INVALID),
        (lambda: desk.accounts.add(manager, "op8", "Line\nbreak", Role.OPERATOR, "a-long-password-9"),
         ErrorCode.NAME_REJECTED),
        (lambda: desk.accounts.disable(manager, MANAGER[0]), ErrorCode.OPERATOR_SELF_DISABLE),
        (lambda: desk.accounts.disable(operator, MANAGER[0]), ErrorCode.MANAGER_ONLY),
        (lambda: desk.accounts.reset(manager, "op404", "a-long-password-9"),
         ErrorCode.OPERATOR_NOT_FOUND),
    ]  # fmt: skip
    for call, code in cases:
        with pytest.raises(DeskError) as raised:
            call()
        assert raised.value.code is code, code
    with pytest.raises(PasswordRejected) as weak:
        desk.accounts.add(manager, "op8", "Eight", Role.OPERATOR, "short")
    assert weak.value.code is ErrorCode.PASSWORD_TOO_SHORT


def test_a_draft_is_stamped_in_one_place_and_opens_as_typed(desk: Desk) -> None:
    _manager, operator = _with_people(desk)
    sid = desk.records.new_submission_id()
    assert sid[14] == "7"  # the time-ordered UUIDv7 of store/sealing.py
    parts = {**_parts(2), "form_version": "ignored: the desk stamps the form shown"}
    desk.records.save_draft(operator, Draft(sid, FORM, parts))
    opened = desk.records.open(operator, sid)
    assert opened.form == FORM
    assert dict(opened.parts) == _parts(2)
    assert not opened.returned
    [item] = desk.records.recent(operator, drafts=True)
    assert (item.submission_id, item.state) == (sid, "draft")
    assert desk.records.open_draft(operator, sid) == opened


def test_queueing_needs_an_enrolment_and_a_valid_record(desk: Desk, central_server: Any) -> None:
    _manager, operator = _with_people(desk)
    with pytest.raises(DeskError) as unenrolled:
        desk.records.queue(operator, Draft(desk.records.new_submission_id(), FORM, _parts(3)))
    assert unenrolled.value.code is ErrorCode.NOT_ENROLLED
    desk.enrolment.enrol(central_server.url, "LHR-0042", central_server.new_token("LHR-0042"))
    broken = _parts(3)
    broken["head"] = {**broken["head"], "cnic": "123"}
    with pytest.raises(RecordRejected) as rejected:
        desk.records.queue(operator, Draft(desk.records.new_submission_id(), FORM, broken))
    assert ("head.cnic", "cnic.wrong_length") in {(p.path, p.code) for p in rejected.value.problems}
    queued = desk.records.queue(operator, Draft(desk.records.new_submission_id(), FORM, _parts(3)))
    assert queued.receipt_no.startswith("LHR-0042-")
    assert desk.records.counts().unsent == 1


def test_a_number_in_another_household_is_refused_with_that_households_receipt(
    desk: Desk, central_server: Any
) -> None:
    """Issue 15's duplicate check in the application layer (the window only shows it): a
    CNIC already in another saved household is found by keyed digest with that household's
    receipt number, and queueing is refused (typed, at its path) until it is changed."""
    _manager, operator = _with_people(desk)
    desk.enrolment.enrol(central_server.url, "LHR-0042", central_server.new_token("LHR-0042"))
    first = _parts(21)
    queued = desk.records.queue(operator, Draft(desk.records.new_submission_id(), FORM, first))
    cnic = first["head"]["cnic"]
    assert desk.records.find_cnic(operator, cnic, None) == queued.receipt_no
    assert desk.records.find_cnic(operator, cnic, queued.submission_id) is None  # itself
    again = _parts(22)
    again["head"] = {**again["head"], "cnic": cnic, "gender": first["head"]["gender"]}
    with pytest.raises(RecordRejected) as refused:
        desk.records.queue(operator, Draft(desk.records.new_submission_id(), FORM, again))
    assert refused.value.code is ErrorCode.RECORD_INVALID
    assert [(p.path, p.code, p.detail) for p in refused.value.problems] == [
        ("head.cnic", "duplicate.elsewhere", queued.receipt_no)
    ]
    assert desk.records.index_missing(operator) == 0  # queued households are indexed at once


def test_enrolment_is_one_record_in_the_database(desk: Desk, central_server: Any) -> None:
    _with_people(desk)
    assert desk.enrolment.identity() is None
    identity = desk.enrolment.enrol(central_server.url, "LHR-0042",
                                    central_server.new_token("LHR-0042"))  # fmt: skip
    assert desk.enrolment.require() == identity
    assert identity.device_name == "Counter 3"
    with pytest.raises(DeskError) as again:
        desk.enrolment.enrol(central_server.url, "LHR-0042", central_server.new_token("LHR-0042"))
    assert again.value.code is ErrorCode.ENROL_ALREADY
    with pytest.raises(DeskError) as bad_token:
        desk.enrolment.enrol(central_server.url, "LHR-0042", "AAAA-BBBB-CCCC", force=True)
    assert bad_token.value.code is ErrorCode.ENROL_INVALID_TOKEN
    assert not (desk.data_dir / "identity" / "device.json").exists()


def test_sending_delivers_and_a_returned_record_keeps_what_central_found(
    desk: Desk, central_server: Any
) -> None:
    """The 422 is central's own: the second household names a form version this PC holds
    (fetched elsewhere) and central does not; its details come back whole, structured."""
    manager, operator = _with_people(desk)
    desk.enrolment.enrol(central_server.url, "LHR-0042", central_server.new_token("LHR-0042"))
    newer = definition_2024_2()
    FormRepository(desk.store.store).save(StoredForm(
        "pser-household", "2024.2", "2026-01-01T00:00:00Z", newer, "signed-elsewhere",
        datetime.now(UTC),
    ))  # fmt: skip
    first = desk.records.queue(operator, Draft(desk.records.new_submission_id(), FORM, _parts(4)))
    record = example_record(5, parse_form(newer), load_geography(), datetime.now(UTC).date())
    parts = {k: v for k, v in record.items() if k not in STAMPED}
    second = desk.records.queue(
        operator,
        Draft(desk.records.new_submission_id(), FormRef("pser-household", "2024.2"), parts),
    )
    assert desk.sending.send_until_empty(20).unsent == 0
    assert desk.records.counts().by_state.get(RecordState.ACKNOWLEDGED.value) == 1
    [returned] = desk.records.corrections()
    assert returned.submission_id == second.submission_id
    assert returned.corrections == (
        FieldProblem("form_version", "central does not know this form version"),
    )
    opened = desk.records.open(operator, second.submission_id)
    assert (opened.returned, opened.corrections) == (True, returned.corrections)
    figures = desk.dashboard.figures(operator)
    assert [c.problems for c in figures.corrections] == [returned.corrections]
    assert figures.mine_today == 2
    slip = desk.slips.make(operator, first.receipt_no)
    assert slip.pdf.startswith(b"%PDF")
    assert (slip.receipt_no, slip.reprint) == (first.receipt_no, False)
    with pytest.raises(DeskError) as not_failed:
        desk.records.resend_failed(manager, second.submission_id)
    assert not_failed.value.code is ErrorCode.RECORD_NOT_FAILED


def test_one_settings_store_is_read_by_the_sender(desk: Desk) -> None:
    with pytest.raises(DeskError) as refused:
        desk.settings.save(DeskSettings(pins="not-a-pin"))
    assert refused.value.code is ErrorCode.SETTINGS_BAD_PIN
    pin = "a" * 64
    desk.settings.save(DeskSettings(pins=pin, paper="80mm"))
    assert desk.settings.current().paper == "80mm"
    assert desk.settings.central_tls().pins == (pin,)
