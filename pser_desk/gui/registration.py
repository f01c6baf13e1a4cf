"""The registration page: the wizard plus autosave, save-and-queue and the next citizen.

Every edit restarts a short timer; when it fires the draft is saved on the database
lane (Ctrl+S saves at once). Save validates, queues the record through the backend,
shows the receipt number and empties the wizard for the next citizen.

Form versions: a new registration is rendered from the backend's current form (the
newest version on this PC the wizard can show), asked on the database lane when a new
registration starts, when the page is shown and every half minute while the page is
untouched; a newer version replaces the wizard only while nothing has been typed. A
draft or a returned record reopens under the version it names; if this PC does not hold
that version the operator is told what to do and the record is left as it is.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from shiboken6 import isValid

from pser_desk.domain.form import FormDefinition
from pser_desk.domain.geography import Geography
from pser_desk.gui.backend import BackendError, DeskBackend, LoginResult, QueuedRecord
from pser_desk.gui.duplicate_check import DuplicateCheck
from pser_desk.gui.messages import error_text
from pser_desk.gui.record_texts import central_message_text
from pser_desk.gui.shell import DeskController
from pser_desk.gui.tasks import Runner
from pser_desk.gui.wizard.model import split_record
from pser_desk.gui.wizard.wizard import RegistrationWizard
from pser_desk.security.private_files import replace

log = logging.getLogger(__name__)

AUTOSAVE_MS = 400
FORM_CHECK_MS = 30_000  # how often an untouched page asks whether a newer form arrived
RESUME_FILE = "open-draft.json"


def new_submission_id() -> str:
    return str(uuid.uuid4())


class RegistrationPage(QWidget):
    draft_saved = Signal(str)  # submission id
    record_queued = Signal(object)  # QueuedRecord

    def __init__(
        self,
        form: FormDefinition,
        geography: Geography,
        backend: DeskBackend,
        runner: Runner,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
        *,
        follow_current: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RegistrationPage")
        self._backend, self._runner = backend, runner
        self._geography, self._today = geography, today
        self._login: LoginResult | None = None
        self.submission_id = new_submission_id()
        self._dirty = False
        self._pristine = True  # a new registration nothing has been typed into
        self._follow_current = follow_current  # new registrations use the backend's current form
        self._checking_form = False
        self._opening: str | None = None  # the record whose form version is being fetched
        self._language = "en"
        self._status: tuple[str, str] = ("", "")
        self._form_problem: tuple[str, str] = ("", "")  # (kind, version) of the last refusal
        self._resume_field: str | None = None  # the question to focus once a record shows
        self.wizard = RegistrationWizard(form, geography, today, self)
        self.form_message = QLabel(self)
        self.form_message.setObjectName("formVersionMessage")
        self.form_message.setWordWrap(True)
        self.form_message.setStyleSheet("color: #8a1f11; font-weight: bold;")
        self.form_message.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("registrationStatus")
        self.correction_label = QLabel(self)
        self.correction_label.setObjectName("correctionMessage")
        self.correction_label.setWordWrap(True)
        self.correction_label.setStyleSheet("color: #7a4f00; font-weight: bold;")
        self.correction_label.hide()
        self._correction = ""
        self.resume_file: Path | None = None  # where the open draft and page are noted
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.form_message)
        self._layout.addWidget(self.correction_label)
        self._layout.addWidget(self.wizard, 1)
        self._layout.addWidget(self.status_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_draft_now)
        self._form_timer = QTimer(self)
        self._form_timer.setInterval(FORM_CHECK_MS)
        self._form_timer.timeout.connect(self._on_form_timer_timeout)
        self.duplicates = DuplicateCheck(self)
        self._connect_wizard()
        self._saved_sid: str | None = None
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save_draft_now)

    # ------------------------------------------------------------ session

    def reset_for_operator(self, login: LoginResult | None) -> None:
        self.flush_draft()
        self._login = login
        self.start_new()

    def start_new(self) -> None:
        self._timer.stop()
        self._dirty = False
        self._opening = None
        self.submission_id = new_submission_id()
        self._set_correction("")
        self._set_form_problem("", "")
        self.wizard.load({}, [])
        self._pristine = True
        self.refresh_form()

    # ------------------------------------------------------------ form versions

    @property
    def login(self) -> LoginResult | None:
        return self._login

    @property
    def backend(self) -> DeskBackend:
        return self._backend

    @property
    def runner(self) -> Runner:
        return self._runner

    def _connect_wizard(self) -> None:
        self.wizard.number_completed.connect(self.duplicates.check)
        self.wizard.record_changed.connect(self._on_wizard_record_changed)
        self.wizard.finish_requested.connect(self._on_wizard_finish_requested)
        self.wizard.currentIdChanged.connect(self._on_wizard_current_id_changed)

    def _shows(self, form: FormDefinition) -> bool:
        return (form.form_id, form.version) == (self.wizard.form.form_id, self.wizard.form.version)

    def _use_form(self, form: FormDefinition) -> None:
        """Replace the wizard by one rendered from *form* (nothing typed is in the old one)."""
        if self._shows(form):
            return
        had_focus = self.wizard.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        old = self.wizard
        self.wizard = RegistrationWizard(form, self._geography, self._today, self)
        self._connect_wizard()
        self.wizard.set_language(self._language)
        self._layout.replaceWidget(old, self.wizard)
        old.hide()
        old.deleteLater()
        log.info("the wizard shows form %s version %s", form.form_id, form.version)
        if had_focus or self.isVisible():
            self.focus_first()

    def _untouched(self) -> bool:
        """A new registration nothing was typed into, still on its first page."""
        first = self.wizard.pageIds()[0]
        return (
            self._pristine
            and self._opening is None
            and not self._dirty
            and self.wizard.currentId() in (-1, first)
        )

    def refresh_form(self) -> None:
        """Ask (on the database lane) for the current form; use it if nothing was typed yet."""
        if not self._follow_current or self._checking_form:
            return
        self._checking_form = True
        sid = self.submission_id
        self._runner.run_task(
            self._backend.current_form,
            lambda form: self._on_current_form(sid, form),
            self._on_current_form_error,
        )

    def _on_current_form(self, sid: str, form: FormDefinition) -> None:
        self._checking_form = False
        if not isValid(self) or self._shows(form):
            return
        if sid == self.submission_id and self._untouched():
            self._use_form(form)
        # else: the registration being typed keeps its version; the next one asks again

    def _on_current_form_error(self, exc: BaseException) -> None:
        self._checking_form = False
        log.error("the current form was not read: %s", getattr(exc, "code", exc.__class__.__name__))

    def _on_form_timer_timeout(self) -> None:
        if self.isVisible() and self._untouched():
            self.refresh_form()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._form_timer.start()
        if self._untouched():
            self.refresh_form()

    def hideEvent(self, event: QHideEvent) -> None:
        self._form_timer.stop()
        super().hideEvent(event)

    # ------------------------------------------------------------ opening records

    def open_record(
        self, submission_id: str, record: Mapping[str, Any], message: str = "", page: int = 0,
        field: str | None = None,
    ) -> None:  # fmt: skip
        """Show a saved draft, or a record central returned (with its message), at *page*
        (and *field*, a path such as ``head.name``), under the form version it names
        (fetched on the database lane if not shown now)."""
        self.flush_draft()
        self._resume_field = field
        form_id = str(record.get("form_id") or self.wizard.form.form_id)
        version = str(record.get("form_version") or self.wizard.form.version)
        if (form_id, version) == (self.wizard.form.form_id, self.wizard.form.version):
            self._show_record(submission_id, record, message, page)
            return
        self._opening = submission_id
        self._runner.run_task(
            lambda: self._backend.form_version(form_id, version),
            lambda form: self._on_record_form(submission_id, record, message, page, form),
            lambda exc: self._on_record_form_error(submission_id, version, exc),
        )

    def _on_record_form(
        self, sid: str, record: Mapping[str, Any], message: str, page: int, form: FormDefinition
    ) -> None:
        if not isValid(self) or self._opening != sid:
            return  # another record was opened meanwhile
        self.flush_draft()  # anything typed while the definition was read
        self._use_form(form)
        self._show_record(sid, record, message, page)

    def _on_record_form_error(self, sid: str, version: str, exc: BaseException) -> None:
        if not isValid(self) or self._opening != sid:
            return
        self._opening = None
        code = exc.code if isinstance(exc, BackendError) else "internal"
        log.warning("record not opened: form version %s (%s)", version, code)
        if code in ("form.unknown_version", "form.unreadable"):
            self._set_form_problem(code, version)
        else:
            self._set_status("error", code)

    def _show_record(
        self, submission_id: str, record: Mapping[str, Any], message: str, page: int
    ) -> None:
        self._timer.stop()
        self._dirty = False
        self._pristine = False
        self._opening = None
        self.submission_id = submission_id
        self._saved_sid = None
        self._set_correction(message)
        self._set_form_problem("", "")
        self.wizard.load(*split_record(self.wizard.form, record))
        page_ids = self.wizard.pageIds()
        target = page_ids[min(max(page, 0), len(page_ids) - 1)]
        while self.wizard.currentId() != target and self.wizard.currentId() < target:
            before = self.wizard.currentId()
            self.wizard.next()
            if self.wizard.currentId() == before:
                break
        field, self._resume_field = self._resume_field, None
        if field:  # once the page is on screen: the question the operator was at
            QTimer.singleShot(0, lambda: self._focus_resumed(field))

    def _focus_resumed(self, path: str) -> None:
        if isValid(self):
            self.wizard.focus_path(path)

    def page_index(self) -> int:
        ids = self.wizard.pageIds()
        current = self.wizard.currentId()
        return ids.index(current) if current in ids else 0

    def _set_correction(self, message: str) -> None:
        self._correction = message
        self.correction_label.setVisible(bool(message))
        self.correction_label.setText(self._correction_text())

    def _set_form_problem(self, kind: str, version: str) -> None:
        self._form_problem = (kind, version)
        self.form_message.setVisible(bool(kind))
        self.form_message.setText(self._form_problem_text())

    def _form_problem_text(self) -> str:
        kind, version = self._form_problem
        if kind == "form.unknown_version":
            return self.tr(
                "This record was started with form version %1, which is not on this PC. "
                "The record is kept as it was. Ask the manager to fetch the form updates "
                '("pser-desk forms update"), then open the record again.'
            ).replace("%1", version)
        if kind == "form.unreadable":
            return self.tr(
                "This record was started with form version %1, which this version of PSER "
                "Desk cannot show. The record is kept as it was. Ask the manager to update "
                "PSER Desk, then open the record again."
            ).replace("%1", version)
        return ""

    def _correction_text(self) -> str:
        if not self._correction:
            return ""
        message = central_message_text(self._correction, self.wizard.form, self._language)
        message = message.rstrip(".۔ ")  # the sentence around it ends it
        return self.tr("Central returned this record: %1. Correct it and save again.").replace(
            "%1", message
        )

    def focus_first(self) -> None:
        if self.wizard.currentId() < 0:
            self.wizard.restart()
        page = self.wizard.currentPage()
        content = getattr(page, "content", None)
        focus = getattr(content, "focus_first", None)
        if focus is not None:
            focus()

    # ------------------------------------------------------------ scanning

    def apply_scan(self, cnic: str, prefill: Mapping[str, str | None]) -> list[str]:
        """A card was read: fill the CNIC of the member being typed (the keyboard is in
        their row of the members grid) or the head's, plus the *prefill* values whose ids
        the form has. Only empty fields are filled (never what the operator typed); each
        one is marked for checking. Returns the ids filled."""
        values = {k: v for k, v in prefill.items() if v}
        digits = "".join(ch for ch in cnic if ch.isdigit())
        cnic = digits if len(digits) == 13 else cnic
        roster = self.wizard.roster
        row = roster.current_row() if roster is not None else None
        if roster is not None and row is not None:
            cnic_id = roster.cnic_column()
            if cnic_id and cnic:
                values[cnic_id] = cnic
            return roster.fill_empty(row, values)
        head_id = self.wizard.head_cnic_field()
        if head_id and cnic:
            values[head_id] = cnic
        filled = self.wizard.fill_empty(values, "card")
        if filled:
            self._set_status("scan", "")
        return filled

    # ------------------------------------------------------------ drafts

    def _on_wizard_record_changed(self) -> None:
        self._dirty = True
        self._pristine = False
        if self._form_problem[0]:  # read; the operator has moved on to this registration
            self._set_form_problem("", "")
        self._timer.start()

    def flush_draft(self) -> None:
        """Save now if anything is unsaved (lock, switch operator, quit)."""
        if self._dirty:
            self.save_draft_now()

    def save_draft_now(self) -> None:
        self._timer.stop()
        if self._login is None:
            return
        login, sid = self._login, self.submission_id
        record = self.wizard.record(sid)
        self._dirty = False
        self._runner.run_task(
            lambda: self._backend.save_draft(login, sid, record),
            lambda _r: self._on_draft_saved(sid),
            self._on_draft_error,
        )

    def _on_wizard_current_id_changed(self, _page_id: int) -> None:
        if self._saved_sid is not None and self._saved_sid == self.submission_id:
            self._note_resume(self._saved_sid)

    def _on_draft_saved(self, sid: str) -> None:
        self._saved_sid = sid
        self._set_status("draft", "")
        self._note_resume(sid)
        self.draft_saved.emit(sid)

    def _note_resume(self, sid: str | None) -> None:
        """Note (ids only) which draft is open and on which page, for a restart after a crash."""
        path, login = self.resume_file, self._login
        if path is None or login is None or login.operator is None:
            return
        note = {"operator": login.operator.operator_id, "submission_id": sid,
                "page": self.page_index(), "field": self.wizard.focused_path()}  # fmt: skip
        self._runner.run_task(lambda: write_resume_note(path, note if sid else None))

    def _on_draft_error(self, exc: BaseException) -> None:
        self._dirty = True
        log.error("draft not saved: %s", exc.__class__.__name__)
        self._set_status("error", getattr(exc, "code", "internal"))

    # ------------------------------------------------------------ save and queue

    def _on_wizard_finish_requested(self) -> None:
        if self._login is None or self.wizard.issues():
            self.wizard.review.refresh()
            return
        self._timer.stop()
        self._dirty = False
        login, sid = self._login, self.submission_id
        record = self.wizard.record(sid)
        self.wizard.setEnabled(False)
        self._runner.run_task(
            lambda: self._backend.queue_record(login, sid, record),
            self._on_queued,
            self._on_queue_error,
        )

    def _on_queued(self, queued: QueuedRecord) -> None:
        if not isValid(self.wizard):
            return
        self.wizard.setEnabled(True)
        log.info("record queued")
        self._note_resume(None)
        self._set_status("queued", queued.receipt_no)
        self.record_queued.emit(queued)
        self.start_new()
        self.focus_first()

    def _on_queue_error(self, exc: BaseException) -> None:
        if not isValid(self.wizard):
            return
        self.wizard.setEnabled(True)
        self._dirty = True
        code = exc.code if isinstance(exc, BackendError) else "internal"
        if code == "record.invalid":
            self.duplicates.refused(list(getattr(exc, "issues", [])))
            self.wizard.review.refresh()
        log.error("record not queued: %s", code)
        self._set_status("error", code)

    # ------------------------------------------------------------ status, language

    def _set_status(self, kind: str, detail: str) -> None:
        self._status = (kind, detail)
        if isValid(self.status_label):  # a late answer after the window was closed
            self.status_label.setText(self._status_text())

    def _status_text(self) -> str:
        kind, detail = self._status
        if kind == "draft":
            return self.tr("Draft saved.")
        if kind == "queued":
            return self.tr(
                "Saved and queued. Receipt number %1. Ready for the next citizen."
            ).replace("%1", detail)
        if kind == "error":
            return error_text(detail)
        if kind == "scan":
            return self.tr("Card read. Check the fields marked as filled from the card.")
        return ""

    def set_language(self, language: str) -> None:
        self._language = language
        self.wizard.set_language(language)
        self.correction_label.setText(self._correction_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.status_label.setText(self._status_text())
            self.correction_label.setText(self._correction_text())
            self.form_message.setText(self._form_problem_text())
        super().changeEvent(event)


def write_resume_note(path: Path, note: Mapping[str, Any] | None) -> None:
    """Write (or, with None, remove) the note of the open draft: ids and a page number only."""
    if note is None:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(dict(note)), encoding="utf-8")
    replace(tmp, path)  # retried on Windows while a scanner holds the file


def read_resume_note(path: Path) -> dict[str, Any] | None:
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None


def attach_registration(
    controller: DeskController,
    form: FormDefinition | None = None,
    geography: Geography | None = None,
) -> RegistrationPage:
    """Build the wizard and plug it into the desk. Without *form*, new registrations follow
    the backend's current form (shown first: the shipped one, until the answer comes)."""
    from pser_desk.domain.form import load_form
    from pser_desk.domain.geography import load_geography

    page = RegistrationPage(
        form or load_form(), geography or load_geography(), controller.backend, controller.runner,
        follow_current=form is None,
    )  # fmt: skip
    page.resume_file = controller.data_dir / RESUME_FILE
    controller.set_registration_page(page)
    controller.languages.language_changed.connect(page.set_language)
    page.set_language(controller.languages.language)
    page.record_queued.connect(controller.on_record_queued)
    page.refresh_form()
    return page
