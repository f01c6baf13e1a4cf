"""The registration page's presenter without Qt: its states and the record's way.

A plain view object stands for the page, a plain records/forms object for the
application layer, and a runner that holds tasks until the test lets them finish
stands for the lanes, so every in-between state can be looked at.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pser_desk.desk.errors import DeskError, ErrorCode, Problem, RecordRejected
from pser_desk.desk.model import (
    Draft,
    FormRef,
    LoginOutcome,
    LoginResult,
    OpenedRecord,
    OperatorInfo,
)
from pser_desk.domain.accounts import Role
from pser_desk.domain.records import FieldProblem, QueuedRecord
from pser_desk.gui.presenters.ports import ErrorCallback, Lane, Task
from pser_desk.gui.presenters.registration import (
    FormProblem,
    PageState,
    RegistrationPresenter,
    ResumeNotes,
    Status,
    StatusKind,
)

OLD, NEW_FORM = FormRef("pser-household", "2024.1"), FormRef("pser-household", "2024.2")
LOGIN = LoginResult(LoginOutcome.OK, OperatorInfo("op7", "Operator Seven", Role.OPERATOR))


@dataclass
class Form:
    """As much of a FormDefinition as the presenter reads."""

    form_id: str
    version: str


class HeldRunner:
    """Holds every task until the test runs it: the lanes, one step at a time."""

    def __init__(self) -> None:
        self.tasks: list[Task[object]] = []

    def run_task(
        self,
        fn: Callable[[], object],
        on_done: Callable[[object], None] | None = None,
        on_error: ErrorCallback | None = None,
        lane: Lane = Lane.DB,
    ) -> None:
        self.tasks.append(Task(fn, on_done, on_error))

    def finish_all(self) -> None:
        while self.tasks:
            task = self.tasks.pop(0)
            task.run()
            task.deliver()

    def shutdown(self) -> None:
        return None


@dataclass
class Desk:
    """The application layer's records and forms, as the page sees them."""

    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    saved: list[Draft] = field(default_factory=list)
    queued: list[Draft] = field(default_factory=list)
    forms: dict[FormRef, Form] = field(
        default_factory=lambda: {
            OLD: Form(*vars(OLD).values()),
            NEW_FORM: Form(*vars(NEW_FORM).values()),
        }
    )
    current: FormRef = OLD
    fail_save: DeskError | None = None
    reject: RecordRejected | None = None
    elsewhere: dict[str, str] = field(default_factory=dict)  # 13 digits -> other receipt
    asked: list[tuple[str, str | None]] = field(default_factory=list)

    def new_submission_id(self) -> str:
        return f"0193a3c2-0000-7000-8000-{next(self.ids):012d}"

    def save_draft(self, login: LoginResult, draft: Draft) -> None:
        if self.fail_save is not None:
            raise self.fail_save
        self.saved.append(draft)

    def queue(self, login: LoginResult, draft: Draft) -> QueuedRecord:
        if self.reject is not None:
            raise self.reject
        self.queued.append(draft)
        return QueuedRecord(draft.submission_id, f"LHR-0042-20261124-{len(self.queued):04d}")

    def current_form(self) -> Form:
        return self.forms[self.current]

    def find_cnic(self, login: LoginResult, cnic: str, excluding: str | None) -> str | None:
        self.asked.append((cnic, excluding))
        return self.elsewhere.get(cnic)

    def form_version(self, form: FormRef) -> Form:
        if form not in self.forms:
            raise DeskError(ErrorCode.FORM_UNKNOWN_VERSION)
        return self.forms[form]


@dataclass
class View:
    """The page: what it shows, and what it was asked to do."""

    form: FormRef = OLD
    typed: dict[str, object] = field(default_factory=dict)
    first_page: bool = True
    page: int = 0
    busy: bool = False
    autosave_running: bool = False
    status: Status = Status()
    corrections: tuple[FieldProblem, ...] | None = None
    form_problem: FormProblem | None = None
    problems: tuple[Problem, ...] = ()
    shown_page: int | None = None
    shown_field: str | None = None
    focused_field: str | None = None
    duplicates: list[tuple[str, str, str | None]] = field(default_factory=list)
    focused: int = 0
    saved_signals: list[str] = field(default_factory=list)
    queued_signals: list[QueuedRecord] = field(default_factory=list)

    def alive(self) -> bool:
        return True

    def shown_form(self) -> FormRef:
        return self.form

    def parts(self) -> dict[str, object]:
        return {"head": dict(self.typed), "address": {}, "answers": {}, "members": []}

    def on_first_page(self) -> bool:
        return self.first_page

    def page_index(self) -> int:
        return self.page

    def use_form(self, form: Form) -> None:
        self.form = FormRef(form.form_id, form.version)

    def focused_path(self) -> str | None:
        return self.focused_field

    def show_parts(self, parts: Mapping[str, object], page: int, field: str | None) -> None:
        head = parts.get("head")
        self.typed = dict(head) if isinstance(head, dict) else {}
        self.shown_page, self.shown_field = page, field

    def show_duplicate(self, path: str, digits: str, receipt: str | None) -> None:
        self.duplicates.append((path, digits, receipt))

    def clear(self) -> None:
        self.typed = {}

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    def restart_autosave(self) -> None:
        self.autosave_running = True

    def stop_autosave(self) -> None:
        self.autosave_running = False

    def show_status(self, status: Status) -> None:
        self.status = status

    def show_corrections(self, problems: tuple[FieldProblem, ...] | None) -> None:
        self.corrections = problems

    def show_form_problem(self, problem: FormProblem | None) -> None:
        self.form_problem = problem

    def show_problems(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems

    def focus_first(self) -> None:
        self.focused += 1

    def announce_saved(self, submission_id: str) -> None:
        self.saved_signals.append(submission_id)

    def announce_queued(self, queued: QueuedRecord) -> None:
        self.queued_signals.append(queued)


@pytest.fixture
def parts() -> tuple[View, Desk, HeldRunner]:
    return View(), Desk(), HeldRunner()


def _presenter(
    view: View,
    desk: Desk,
    runner: HeldRunner,
    *,
    follow: bool = False,
    notes: ResumeNotes | None = None,
) -> RegistrationPresenter:
    presenter = RegistrationPresenter(view, desk, desk, runner, follow_current=follow, notes=notes)
    presenter.reset_for_operator(LOGIN)
    runner.finish_all()
    return presenter


def type_(presenter: RegistrationPresenter, view: View, **values: object) -> None:
    view.typed.update(values)
    view.first_page = False
    presenter.changed()


def test_typing_then_autosave_goes_typing_saving_saved(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    assert presenter.state is PageState.NEW
    type_(presenter, view, name="Ali")
    assert presenter.state is PageState.TYPING
    assert view.autosave_running
    presenter.save_now()  # the autosave timer fired
    assert presenter.state is PageState.SAVING
    assert not view.autosave_running
    runner.finish_all()
    assert presenter.state is PageState.SAVED
    assert view.status == Status(StatusKind.DRAFT)
    assert view.saved_signals == [presenter.submission_id]
    # the record's way: the parts as typed, under the form shown; the desk stamps the ids
    assert desk.saved == [Draft(presenter.submission_id, OLD, view.parts())]


def test_a_change_while_saving_stays_unsaved(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    type_(presenter, view, name="Ali")
    presenter.save_now()
    type_(presenter, view, name="Ali Raza")  # typed while the save is on its way
    runner.finish_all()
    assert presenter.state is PageState.TYPING
    presenter.flush()  # a lock or a switch of operator saves what is unsaved
    runner.finish_all()
    assert presenter.state is PageState.SAVED
    assert [d.parts["head"] for d in desk.saved] == [{"name": "Ali"}, {"name": "Ali Raza"}]


@pytest.mark.allow_log_warnings
def test_a_save_that_fails_stays_unsaved_and_says_why(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    desk.fail_save = DeskError(ErrorCode.STORE_FULL)
    type_(presenter, view, name="Ali")
    presenter.save_now()
    runner.finish_all()
    assert presenter.state is PageState.TYPING
    assert view.status == Status(StatusKind.ERROR, "store.full")
    assert view.saved_signals == []


def test_nothing_to_save_saves_nothing(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    presenter.save_now()  # Ctrl+S on an untouched registration
    presenter.flush()
    assert runner.tasks == []
    assert desk.saved == []


def test_save_and_queue_then_the_next_citizen_with_a_new_id(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    type_(presenter, view, name="Ali")
    first = presenter.submission_id
    presenter.finish()
    assert presenter.state is PageState.QUEUEING
    assert view.busy
    presenter.changed()  # the wizard is busy: nothing moves
    assert presenter.state is PageState.QUEUEING
    runner.finish_all()
    assert [d.submission_id for d in desk.queued] == [first]
    assert view.queued_signals[0].receipt_no == "LHR-0042-20261124-0001"
    assert view.status == Status(StatusKind.QUEUED, "LHR-0042-20261124-0001")
    assert presenter.state is PageState.NEW
    assert not view.busy
    assert view.focused == 1
    assert presenter.submission_id != first
    assert view.typed == {}


@pytest.mark.allow_log_warnings
def test_a_refused_record_shows_its_problems_and_stays(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    desk.reject = RecordRejected([Problem("head.cnic", "cnic.wrong_length")])
    type_(presenter, view, cnic="123")
    presenter.finish()
    runner.finish_all()
    assert presenter.state is PageState.TYPING
    assert not view.busy
    assert view.problems == (Problem("head.cnic", "cnic.wrong_length"),)
    assert view.status == Status(StatusKind.ERROR, "record.invalid")
    assert view.typed == {"cnic": "123"}


def test_a_record_under_another_version_opens_under_it(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    returned = OpenedRecord(
        "0193a3c2-0000-7000-8000-000000000099", NEW_FORM, {"head": {"name": "Bibi"}}, True,
        (FieldProblem("head.cnic", "does not match NADRA"),),
    )  # fmt: skip
    presenter.open_record(returned, page=2)
    assert presenter.state is PageState.OPENING
    assert view.busy
    runner.finish_all()
    assert presenter.state is PageState.SAVED
    assert not view.busy
    assert view.form == NEW_FORM
    assert view.typed == {"name": "Bibi"}
    assert view.shown_page == 2
    assert view.corrections == returned.corrections
    assert presenter.submission_id == returned.submission_id


@pytest.mark.allow_log_warnings
def test_a_version_not_on_this_pc_is_told_and_the_page_kept(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    type_(presenter, view, name="Ali")
    presenter.save_now()
    runner.finish_all()
    mine = presenter.submission_id
    presenter.open_record(OpenedRecord("0193a3c2-0000-7000-8000-000000000098",
                                       FormRef("pser-household", "2031.1"), {}))  # fmt: skip
    runner.finish_all()
    assert presenter.state is PageState.SAVED
    assert presenter.submission_id == mine
    assert view.form_problem == FormProblem(ErrorCode.FORM_UNKNOWN_VERSION, "2031.1")
    type_(presenter, view, name="Ali Raza")  # read: the operator goes on
    assert view.form_problem is None


def test_an_untouched_registration_follows_the_current_form(parts) -> None:
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner, follow=True)
    desk.current = NEW_FORM  # "forms update" brought a newer version
    presenter.form_timer_fired()
    runner.finish_all()
    assert view.form == NEW_FORM
    desk.current = OLD
    type_(presenter, view, name="Ali")
    presenter.form_timer_fired()  # typed: not asked, and an answer would not replace it
    assert runner.tasks == []
    assert view.form == NEW_FORM


def test_only_a_stored_record_is_noted_for_a_restart(parts, tmp_path: Path) -> None:
    view, desk, runner = parts
    notes = ResumeNotes(tmp_path / "open-draft.json")
    presenter = _presenter(view, desk, runner, notes=notes)
    type_(presenter, view, name="Ali")
    presenter.note_page()  # never saved: nothing to reopen
    runner.finish_all()
    assert notes.read() is None
    presenter.save_now()
    runner.finish_all()
    view.page, view.focused_field = 3, "head.name"
    presenter.note_page()
    runner.finish_all()
    note = notes.read()
    assert note is not None
    assert (note.operator_id, note.page, note.field) == ("op7", 3, "head.name")
    assert note.submission_id == presenter.submission_id
    presenter.finish()
    runner.finish_all()
    assert notes.read() is None  # queued: nothing open any more


def test_a_record_reopened_after_a_crash_puts_the_keyboard_back_on_its_question(
    parts,
) -> None:
    """Issue 15 (defect 17) through the presenter: the noted question goes to the view."""
    view, desk, runner = parts
    presenter = _presenter(view, desk, runner)
    opened = OpenedRecord("0193a3c2-0000-7000-8000-000000000099", OLD, {"head": {"name": "A"}})
    presenter.open_record(opened, 2, "head.mobile")
    assert (view.shown_page, view.shown_field) == (2, "head.mobile")


def test_a_complete_cnic_is_looked_up_and_the_answer_shown_while_it_applies(parts) -> None:
    """Issue 15's duplicate check through the application layer: the number typed is
    asked about (excluding this registration), the answer goes to the view; an answer
    that comes back after the next citizen was started is dropped."""
    view, desk, runner = parts
    desk.elsewhere["3520212345671"] = "LHR-0042-20261124-0007"
    presenter = _presenter(view, desk, runner)
    presenter.duplicates.number_completed("head.cnic", "3520212345671")
    presenter.duplicates.number_completed("members[0].cnic_or_bform", "3520212345682")
    runner.finish_all()
    assert desk.asked == [("3520212345671", presenter.submission_id),
                          ("3520212345682", presenter.submission_id)]  # fmt: skip
    assert view.duplicates == [
        ("head.cnic", "3520212345671", "LHR-0042-20261124-0007"),
        ("members[0].cnic_or_bform", "3520212345682", None),
    ]
    presenter.duplicates.number_completed("head.cnic", "3520212345671")
    presenter.start_new()  # the next citizen before the answer came
    runner.finish_all()
    assert len(view.duplicates) == 2


def test_the_presenter_imports_no_qt() -> None:
    import subprocess
    import sys

    probe = ("import sys, pser_desk.gui.presenters.registration\n"
             "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60)  # fmt: skip
    assert done.stdout.strip() == "[]"
