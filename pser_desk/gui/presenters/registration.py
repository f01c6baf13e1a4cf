"""The registration page's behaviour: one record at a time, autosaved, then queued.

The page's state is one :class:`PageState`; every event moves it explicitly:

```
            change                autosave / Ctrl+S          saved
  NEW ─────────────► TYPING ──────────────────► SAVING ───────────► SAVED
   ▲                  ▲  ▲  change                 │                  │
   │                  │  └─────────────────────────┘ (or failed)      │ change
   │                  └───────────────────────────────────────────────┘
   │  queued   QUEUEING ◄── save and queue (TYPING, SAVING, SAVED, NEW)
   └──────────────┘ │ refused (the record's problems shown) ──► TYPING
  open a record: ─► OPENING (the version it names is read) ──► SAVED
                      │ not on this PC / unreadable ──► the state before, told why
```

``NEW`` follows the current form: while nothing is typed, a newer version of the form
replaces the wizard (asked when the page shows, when a registration starts and every
half minute). A draft or a returned record opens under the version it names.

The record's way goes one direction: the wizard gives the parts the operator typed and
the form they were typed in (a :class:`~pser_desk.desk.model.Draft`); the application
layer stamps the ids, seals and saves, or validates once, numbers and queues.
Submission ids come from the application layer's one generator.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pser_desk.desk.errors import DeskError, ErrorCode, Problem, RecordRejected
from pser_desk.desk.model import Draft, FormRef, LoginResult, OpenedRecord
from pser_desk.domain.records import FieldProblem, QueuedRecord
from pser_desk.gui.presenters.duplicates import DuplicateCheck
from pser_desk.gui.presenters.ports import Lane, Runner
from pser_desk.security.private_files import replace

if TYPE_CHECKING:
    from pser_desk.domain.form import FormDefinition

log = logging.getLogger(__name__)


class PageState(enum.Enum):
    NEW = "new"  # a new registration nothing was typed into: follows the current form
    TYPING = "typing"  # changes not saved yet (the autosave timer runs)
    SAVING = "saving"  # the draft is being saved; nothing typed since
    SAVED = "saved"  # the draft, or a record opened, is as the store has it
    OPENING = "opening"  # the form version a record names is being read (wizard busy)
    QUEUEING = "queueing"  # save and queue is on its way (wizard busy)


class StatusKind(enum.Enum):
    NONE = "none"
    DRAFT = "draft"  # "Draft saved."
    QUEUED = "queued"  # detail: the receipt number
    ERROR = "error"  # detail: an ErrorCode value (or "internal")
    SCAN = "scan"  # a card was read into the form


@dataclass(frozen=True)
class Status:
    kind: StatusKind = StatusKind.NONE
    detail: str = ""


@dataclass(frozen=True)
class FormProblem:
    """A record that cannot open here: its form version is unknown or unreadable."""

    code: ErrorCode  # FORM_UNKNOWN_VERSION | FORM_UNREADABLE
    version: str


class RecordsPort(Protocol):
    """What the page asks of the application layer's records (``desk.records``)."""

    def new_submission_id(self) -> str: ...
    def save_draft(self, login: LoginResult, draft: Draft) -> None: ...
    def queue(self, login: LoginResult, draft: Draft) -> QueuedRecord: ...
    def find_cnic(self, login: LoginResult, cnic: str, excluding: str | None) -> str | None: ...
    def open(self, login: LoginResult, submission_id: str) -> OpenedRecord: ...
    def open_draft(self, login: LoginResult, submission_id: str) -> OpenedRecord | None: ...


class FormsPort(Protocol):
    """What the page asks of the application layer's forms (``desk.forms``)."""

    def current_form(self) -> FormDefinition: ...
    def form_version(self, form: FormRef) -> FormDefinition: ...


class RegistrationView(Protocol):
    """What the presenter asks of the page (the Qt widget implements it)."""

    def alive(self) -> bool: ...
    def shown_form(self) -> FormRef: ...
    def parts(self) -> dict[str, object]: ...
    def on_first_page(self) -> bool: ...
    def page_index(self) -> int: ...
    def focused_path(self) -> str | None: ...
    def use_form(self, form: FormDefinition) -> None: ...
    def show_parts(self, parts: Mapping[str, object], page: int, field: str | None) -> None:
        """Show a saved record at *page*, the keyboard on *field* (a path) if given."""

    def clear(self) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def restart_autosave(self) -> None: ...
    def stop_autosave(self) -> None: ...
    def show_status(self, status: Status) -> None: ...
    def show_corrections(self, problems: tuple[FieldProblem, ...] | None) -> None:
        """What central found wrong with a returned record (None: not a returned one)."""

    def show_form_problem(self, problem: FormProblem | None) -> None: ...
    def show_problems(self, problems: tuple[Problem, ...]) -> None: ...
    def show_duplicate(self, path: str, digits: str, receipt: str | None) -> None: ...

    def focus_first(self) -> None: ...
    def announce_saved(self, submission_id: str) -> None: ...
    def announce_queued(self, queued: QueuedRecord) -> None: ...


class ResumeNotes:
    """Which draft is open, and on which page (ids only), for a restart after a crash."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, note: Mapping[str, object] | None) -> None:
        """Write (or, with None, remove) the note, atomically."""
        if note is None:
            self.path.unlink(missing_ok=True)
            return
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(dict(note)), encoding="utf-8")
        replace(tmp, self.path)  # retried on Windows while a scanner holds the file

    def read(self) -> ResumeNote | None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return ResumeNote.parse(raw)


@dataclass(frozen=True)
class ResumeNote:
    operator_id: str
    submission_id: str
    page: int
    field: str | None = None  # the question the operator was at (a path: ids, no value)

    @classmethod
    def parse(cls, raw: object) -> ResumeNote | None:
        if not isinstance(raw, dict):
            return None
        operator, sid, page = raw.get("operator"), raw.get("submission_id"), raw.get("page")
        field = raw.get("field")
        if not isinstance(operator, str) or not isinstance(sid, str) or not sid:
            return None
        return cls(operator, sid, page if isinstance(page, int) and page >= 0 else 0,
                   field if isinstance(field, str) and field else None)  # fmt: skip

    def as_json(self) -> dict[str, object]:
        return {"operator": self.operator_id, "submission_id": self.submission_id,
                "page": self.page, "field": self.field}  # fmt: skip


class RegistrationPresenter:
    def __init__(
        self,
        view: RegistrationView,
        records: RecordsPort,
        forms: FormsPort,
        runner: Runner,
        *,
        follow_current: bool = False,
        notes: ResumeNotes | None = None,
    ) -> None:
        self._view, self._records, self._forms, self._runner = view, records, forms, runner
        self._follow_current = follow_current  # new registrations use the current form
        self._notes = notes
        self.state = PageState.NEW
        self.login: LoginResult | None = None
        self.submission_id = records.new_submission_id()
        self._asking_current = False  # a current-form question is on its way
        self._opening: str | None = None  # the record whose form version is being read
        self._before_opening = PageState.NEW
        self._form_problem: FormProblem | None = None
        self._stored: str | None = None  # the record on the page, once the store has it
        self.duplicates = DuplicateCheck(self, records, runner, view)

    # ------------------------------------------------------------ session

    def reset_for_operator(self, login: LoginResult | None) -> None:
        self.flush()
        self.login = login
        self.start_new()

    def start_new(self) -> None:
        self._view.stop_autosave()
        self._opening = None
        self.state = PageState.NEW
        self.submission_id = self._records.new_submission_id()
        self._stored = None
        self._view.show_corrections(None)
        self._set_form_problem(None)
        self._view.clear()
        self.refresh_form()

    # ------------------------------------------------------------ the current form

    def untouched(self) -> bool:
        """A new registration nothing was typed into, still on its first page."""
        return self.state is PageState.NEW and self._view.on_first_page()

    def refresh_form(self) -> None:
        """Ask (on the database lane) for the current form; use it if nothing was typed yet."""
        if not self._follow_current or self._asking_current:
            return
        self._asking_current = True
        sid = self.submission_id
        self._runner.run_task(
            self._forms.current_form,
            lambda form: self._on_current_form(sid, form),
            self._on_current_form_error,
        )

    def _on_current_form(self, sid: str, form: FormDefinition) -> None:
        self._asking_current = False
        if not self._view.alive() or self._shows(form):
            return
        if sid == self.submission_id and self.untouched():
            self._view.use_form(form)
        # else: the registration being typed keeps its version; the next one asks again

    def _on_current_form_error(self, exc: BaseException) -> None:
        self._asking_current = False
        log.error("the current form was not read: %s", _code(exc))

    def _shows(self, form: FormDefinition) -> bool:
        return FormRef(form.form_id, form.version) == self._view.shown_form()

    def page_shown(self) -> None:
        if self.untouched():
            self.refresh_form()

    def form_timer_fired(self) -> None:
        """Every half minute while the page shows: a newer form may have arrived."""
        if self.untouched():
            self.refresh_form()

    # ------------------------------------------------------------ opening records

    def open_record(self, opened: OpenedRecord, page: int = 0, field: str | None = None) -> None:
        """Show a saved draft, or a record central returned (with what it found), at
        *page* (and *field*), under the form version it names (read on the database lane
        if another)."""
        self.flush()
        if opened.form == self._view.shown_form():
            self._show(opened, page, field)
            return
        self._before_opening = self.state
        self.state = PageState.OPENING
        self._opening = opened.submission_id
        self._view.set_busy(True)
        self._runner.run_task(
            lambda: self._forms.form_version(opened.form),
            lambda form: self._on_record_form(opened, page, field, form),
            lambda exc: self._on_record_form_error(opened, exc),
        )

    def _on_record_form(
        self, opened: OpenedRecord, page: int, field: str | None, form: FormDefinition
    ) -> None:
        if not self._view.alive() or self._opening != opened.submission_id:
            return  # another record was opened meanwhile
        self._view.set_busy(False)
        self._view.use_form(form)
        self._show(opened, page, field)

    def _on_record_form_error(self, opened: OpenedRecord, exc: BaseException) -> None:
        if not self._view.alive() or self._opening != opened.submission_id:
            return
        self._opening = None
        self.state = self._before_opening
        self._view.set_busy(False)
        code = _code(exc)
        log.warning("record not opened: form version %s (%s)", opened.form.version, code)
        if code in (ErrorCode.FORM_UNKNOWN_VERSION, ErrorCode.FORM_UNREADABLE):
            self._set_form_problem(FormProblem(ErrorCode(code), opened.form.version))
        else:
            self._view.show_status(Status(StatusKind.ERROR, code))

    def _show(self, opened: OpenedRecord, page: int, field: str | None = None) -> None:
        self._view.stop_autosave()
        self._opening = None
        self.state = PageState.SAVED
        self.submission_id = opened.submission_id
        self._stored = opened.submission_id
        self._view.show_corrections(opened.corrections if opened.returned else None)
        self._set_form_problem(None)
        self._view.show_parts(opened.parts, page, field)

    def _set_form_problem(self, problem: FormProblem | None) -> None:
        self._form_problem = problem
        self._view.show_form_problem(problem)

    # ------------------------------------------------------------ drafts

    def changed(self) -> None:
        """The operator changed something: save it soon (the autosave timer)."""
        if self.state in (PageState.OPENING, PageState.QUEUEING):
            return
        self.state = PageState.TYPING
        if self._form_problem is not None:  # read; the operator moved on to this registration
            self._set_form_problem(None)
        self._view.restart_autosave()

    def flush(self) -> None:
        """Save now if anything is unsaved (lock, switch operator, quit, a crash)."""
        if self.state is PageState.TYPING:
            self.save_now()

    def save_now(self) -> None:
        """The autosave timer fired, or Ctrl+S: save what is unsaved."""
        self._view.stop_autosave()
        login = self.login
        if login is None or self.state is not PageState.TYPING:
            return
        draft = self._draft()
        self.state = PageState.SAVING
        self._runner.run_task(
            lambda: self._records.save_draft(login, draft),
            lambda _none: self._on_draft_saved(draft.submission_id),
            lambda exc: self._on_draft_error(draft.submission_id, exc),
        )

    def _draft(self) -> Draft:
        return Draft(self.submission_id, self._view.shown_form(), self._view.parts())

    def _on_draft_saved(self, sid: str) -> None:
        if not self._view.alive() or sid != self.submission_id:
            return
        if self.state is PageState.SAVING:
            self.state = PageState.SAVED
        self._stored = sid
        self._view.show_status(Status(StatusKind.DRAFT))
        self.note_page()
        self._view.announce_saved(sid)

    def _on_draft_error(self, sid: str, exc: BaseException) -> None:
        log.error("draft not saved: %s", exc.__class__.__name__)
        if not self._view.alive() or sid != self.submission_id:
            return
        if self.state is PageState.SAVING:
            self.state = PageState.TYPING  # still unsaved: the next change or Ctrl+S tries again
        self._view.show_status(Status(StatusKind.ERROR, _code(exc)))

    def note_page(self) -> None:
        """Note (ids only) which record is open and on which page (the page changed, or
        it was saved); nothing for a registration the store does not have yet."""
        if self._stored is not None and self._stored == self.submission_id:
            self._write_note(self._stored)

    def _write_note(self, sid: str | None) -> None:
        notes, login = self._notes, self.login
        if notes is None or login is None or login.operator is None:
            return
        note = (
            ResumeNote(login.operator.operator_id, sid, self._view.page_index(),
                       self._view.focused_path())
            if sid else None
        )  # fmt: skip
        self._runner.run_task(lambda: notes.write(note.as_json() if note else None))

    # ------------------------------------------------------------ save and queue

    def finish(self) -> None:
        """Save and queue: the application layer validates once, numbers and queues."""
        login = self.login
        if login is None or self.state in (PageState.OPENING, PageState.QUEUEING):
            return
        self._view.stop_autosave()
        draft = self._draft()
        self.state = PageState.QUEUEING
        self._view.set_busy(True)
        self._runner.run_task(
            lambda: self._records.queue(login, draft), self._on_queued, self._on_queue_error
        )

    def _on_queued(self, queued: QueuedRecord) -> None:
        if not self._view.alive():
            return
        self._view.set_busy(False)
        log.info("record queued")
        self._write_note(None)
        self._view.show_status(Status(StatusKind.QUEUED, queued.receipt_no))
        self._view.announce_queued(queued)
        self.start_new()
        self._view.focus_first()

    def _on_queue_error(self, exc: BaseException) -> None:
        if not self._view.alive():
            return
        self._view.set_busy(False)
        self.state = PageState.TYPING  # not queued: kept as typed, saved at the next change
        code = _code(exc)
        if isinstance(exc, RecordRejected):
            self._view.show_problems(exc.problems)
        log.error("record not queued: %s", code)
        self._view.show_status(Status(StatusKind.ERROR, code))

    # ------------------------------------------------------------ scanning

    def card_read(self) -> None:
        self._view.show_status(Status(StatusKind.SCAN))


def _code(exc: BaseException) -> str:
    return exc.code.value if isinstance(exc, DeskError) else "internal"


__all__ = [
    "FormProblem", "FormsPort", "Lane", "PageState", "RecordsPort", "RegistrationPresenter",
    "RegistrationView", "ResumeNote", "ResumeNotes", "Status", "StatusKind",
]  # fmt: skip
