"""The registration page: the wizard, its messages and timers; the behaviour is the presenter's.

:class:`RegistrationPage` is the Qt side of
:class:`~pser_desk.gui.presenters.registration.RegistrationPresenter`: it shows what the
presenter asks (the wizard rendered from a form version, a saved record, the status line,
central's corrections, a form version this PC cannot show) and hands it the operator's
doings (a change, Ctrl+S, Save, a page turned). Autosave runs on a short timer restarted by
every change; the page asks every half minute, while untouched and shown, whether a newer
form arrived. Saved records are opened (a draft, a returned record, the draft a crash left
open) through the application layer on the database lane.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from shiboken6 import isValid

from pser_desk.desk.errors import DUPLICATE_CNIC, ErrorCode, Problem
from pser_desk.desk.model import FormRef, LoginResult, OpenedRecord
from pser_desk.desk.protocol import DeskApi
from pser_desk.domain.form import FormDefinition
from pser_desk.domain.geography import Geography
from pser_desk.domain.records import FieldProblem, QueuedRecord
from pser_desk.gui.messages import error_text
from pser_desk.gui.presenters.registration import (
    FormProblem,
    RegistrationPresenter,
    ResumeNotes,
    Status,
    StatusKind,
)
from pser_desk.gui.presenters.reopening import SavedRecords
from pser_desk.gui.record_texts import central_problems_text
from pser_desk.gui.tasks import Runner
from pser_desk.gui.wizard.model import split_record
from pser_desk.gui.wizard.wizard import RegistrationWizard

log = logging.getLogger(__name__)

AUTOSAVE_MS = 400
FORM_CHECK_MS = 30_000  # how often an untouched page asks whether a newer form arrived
RESUME_FILE = "open-draft.json"


class RegistrationPage(QWidget):
    draft_saved = Signal(str)  # submission id
    record_queued = Signal(object)  # QueuedRecord
    record_opened = Signal(str)  # submission id: a saved record comes to this page

    def __init__(
        self,
        form: FormDefinition,
        geography: Geography,
        desk: DeskApi,
        runner: Runner,
        today: Callable[[], date] | None = None,
        parent: QWidget | None = None,
        *,
        follow_current: bool = False,
        resume_file: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RegistrationPage")
        self._desk, self._runner = desk, runner
        self._geography, self._today = geography, today or desk.today
        self._language = "en"
        self._status = Status()
        self._corrections: tuple[FieldProblem, ...] | None = None
        self._form_problem: FormProblem | None = None
        self.wizard = RegistrationWizard(form, geography, self._today, self)
        self.form_message = self._message("formVersionMessage", "#8a1f11")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("registrationStatus")
        self.correction_label = self._message("correctionMessage", "#7a4f00")
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.form_message)
        self._layout.addWidget(self.correction_label)
        self._layout.addWidget(self.wizard, 1)
        self._layout.addWidget(self.status_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._form_timer = QTimer(self)
        self._form_timer.setInterval(FORM_CHECK_MS)
        self.resume = ResumeNotes(resume_file) if resume_file is not None else None
        self.presenter = RegistrationPresenter(
            self, desk.records, desk.forms, runner, follow_current=follow_current,
            notes=self.resume,
        )  # fmt: skip
        self.saved = SavedRecords(desk.records, runner, self.resume, self._show_saved)
        self._timer.timeout.connect(self.presenter.save_now)
        self._form_timer.timeout.connect(self._on_form_timer_timeout)
        self._connect_wizard()
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.presenter.save_now)

    def _message(self, name: str, colour: str) -> QLabel:
        """A line above the wizard, hidden until there is something to say."""
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        label.hide()
        return label

    def _connect_wizard(self) -> None:
        self.wizard.number_completed.connect(self.presenter.duplicates.number_completed)
        self.wizard.record_changed.connect(self.presenter.changed)
        self.wizard.finish_requested.connect(self.presenter.finish)
        self.wizard.currentIdChanged.connect(lambda _id: self.presenter.note_page())

    @property
    def submission_id(self) -> str:
        return self.presenter.submission_id

    # ------------------------------------------------------------ what the desk asks

    def reset_for_operator(self, login: LoginResult | None) -> None:
        self.presenter.reset_for_operator(login)

    def start_new(self) -> None:
        """The next citizen: a new registration under the current form."""
        self.presenter.start_new()

    def flush_draft(self) -> None:
        """Save now if anything is unsaved (lock, switch operator, quit, a crash)."""
        self.presenter.flush()

    def refresh_form(self) -> None:
        self.presenter.refresh_form()

    def open_saved(self, submission_id: str, page: int = 0) -> None:
        """Open a saved draft or a returned record (read on the database lane)."""
        if self.presenter.login is not None:
            self.saved.open(self.presenter.login, submission_id, page)

    def open_record(self, opened: OpenedRecord, page: int = 0, field: str | None = None) -> None:
        """Show *opened* (under the form version it names, or why it cannot be shown), at
        *page* and *field* (a path such as ``head.name``: where a crash left the operator)."""
        self.record_opened.emit(opened.submission_id)  # the desk turns to this page
        self.presenter.open_record(opened, page, field)

    def reopen_noted(self, operator_id: str) -> None:
        """After a crash or power cut: the draft that was open reopens on its page."""
        if self.presenter.login is not None:
            self.saved.reopen_noted(self.presenter.login, operator_id)

    def _show_saved(self, opened: OpenedRecord, page: int, field: str | None) -> None:
        if isValid(self):
            self.open_record(opened, page, field)

    # ------------------------------------------------------------ RegistrationView

    def alive(self) -> bool:
        return isValid(self) and isValid(self.wizard)

    def shown_form(self) -> FormRef:
        return FormRef(self.wizard.form.form_id, self.wizard.form.version)

    def parts(self) -> dict[str, object]:
        return self.wizard.record()

    def on_first_page(self) -> bool:
        return self.wizard.currentId() in (-1, self.wizard.pageIds()[0])

    def focused_path(self) -> str | None:
        return self.wizard.paths.focused_path()

    def page_index(self) -> int:
        ids = self.wizard.pageIds()
        current = self.wizard.currentId()
        return ids.index(current) if current in ids else 0

    def use_form(self, form: FormDefinition) -> None:
        """Replace the wizard by one rendered from *form* (nothing typed is in the old one)."""
        if FormRef(form.form_id, form.version) == self.shown_form():
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

    def show_parts(self, parts: Mapping[str, object], page: int, field: str | None = None) -> None:
        self.wizard.load(*split_record(self.wizard.form, parts))
        page_ids = self.wizard.pageIds()
        target = page_ids[min(max(page, 0), len(page_ids) - 1)]
        while self.wizard.currentId() != target and self.wizard.currentId() < target:
            before = self.wizard.currentId()
            self.wizard.next()
            if self.wizard.currentId() == before:
                break
        if field:  # once the page is on screen: the question the operator was at
            wizard = self.wizard
            QTimer.singleShot(
                0, lambda: wizard.paths.focus_path(field) if isValid(wizard) else None
            )

    def clear(self) -> None:
        self.wizard.load({}, [])

    def set_busy(self, busy: bool) -> None:
        self.wizard.setEnabled(not busy)

    def restart_autosave(self) -> None:
        self._timer.start()

    def stop_autosave(self) -> None:
        self._timer.stop()

    def show_status(self, status: Status) -> None:
        self._status = status
        if isValid(self.status_label):  # a late answer after the window was closed
            self.status_label.setText(status_text(self._status))

    def show_corrections(self, problems: tuple[FieldProblem, ...] | None) -> None:
        self._corrections = problems
        self.correction_label.setVisible(problems is not None)
        self.correction_label.setText(self._correction_text())

    def show_form_problem(self, problem: FormProblem | None) -> None:
        self._form_problem = problem
        self.form_message.setVisible(problem is not None)
        self.form_message.setText(form_problem_text(self._form_problem))

    def show_problems(self, problems: tuple[Problem, ...]) -> None:
        for problem in problems:
            if problem.code == DUPLICATE_CNIC:  # at its field too, with the other receipt number
                self.wizard.checks.set_external_problem(problem.path, problem.code, problem.detail)
        self.wizard.review.show_problems(problems)

    def show_duplicate(self, path: str, digits: str, receipt: str | None) -> None:
        self.wizard.checks.show_duplicate(path, digits, receipt)

    def focus_first(self) -> None:
        if self.wizard.currentId() < 0:
            self.wizard.restart()
        self.wizard.focus_current()

    def announce_saved(self, submission_id: str) -> None:
        self.draft_saved.emit(submission_id)

    def announce_queued(self, queued: QueuedRecord) -> None:
        self.record_queued.emit(queued)

    # ------------------------------------------------------------ scanning

    def apply_scan(self, cnic: str, prefill: Mapping[str, str | None]) -> list[str]:
        """A card was read: fill the CNIC of the member being typed (the keyboard is in
        their row of the members grid) or the head's, plus the *prefill* values whose ids
        the form has. Only empty fields are filled (never what the operator typed); each
        one is marked for checking. Returns the ids filled."""
        filled, in_grid = fill_from_card(self.wizard, cnic, prefill)
        if filled and not in_grid:
            self.presenter.card_read()
        return filled

    # ------------------------------------------------------------ timers, words

    def _on_form_timer_timeout(self) -> None:
        if self.isVisible():
            self.presenter.form_timer_fired()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._form_timer.start()
        self.presenter.page_shown()

    def hideEvent(self, event: QHideEvent) -> None:
        self._form_timer.stop()
        super().hideEvent(event)

    def set_language(self, language: str) -> None:
        self._language = language
        self.wizard.set_language(language)
        self.correction_label.setText(self._correction_text())

    def _correction_text(self) -> str:
        return correction_text(self._corrections, self.wizard.form, self._language)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.status_label.setText(status_text(self._status))
            self.correction_label.setText(self._correction_text())
            self.form_message.setText(form_problem_text(self._form_problem))
        super().changeEvent(event)


def fill_from_card(
    wizard: RegistrationWizard, cnic: str, prefill: Mapping[str, str | None]
) -> tuple[list[str], bool]:
    """Fill the empty fields a card gives (the member whose grid row has the keyboard,
    else the head); (the ids filled, whether they were a member's)."""
    values: dict[str, object] = {k: v for k, v in prefill.items() if v}
    digits = "".join(ch for ch in cnic if ch.isdigit())
    cnic = digits if len(digits) == 13 else cnic
    roster = wizard.roster
    row = roster.current_row() if roster is not None else None
    if roster is not None and row is not None:
        cnic_id = roster.cnic_column()
        if cnic_id and cnic:
            values[cnic_id] = cnic
        return roster.fill_empty(row, values), True
    head_id = wizard.head_cnic_field()
    if head_id and cnic:
        values[head_id] = cnic
    return wizard.fill_empty(values, "card"), False


# ------------------------------------------------------------ the page's words
# (translated in the page's own context, so the Urdu of each sentence stays the same)


def status_text(status: Status) -> str:
    kind, detail = status.kind, status.detail
    if kind is StatusKind.DRAFT:
        return QCoreApplication.translate("RegistrationPage", "Draft saved.")
    if kind is StatusKind.QUEUED:
        return QCoreApplication.translate(
            "RegistrationPage", "Saved and queued. Receipt number %1. Ready for the next citizen."
        ).replace("%1", detail)
    if kind is StatusKind.ERROR:
        return error_text(detail)
    if kind is StatusKind.SCAN:
        return QCoreApplication.translate(
            "RegistrationPage", "Card read. Check the fields marked as filled from the card."
        )
    return ""


def correction_text(
    problems: tuple[FieldProblem, ...] | None, form: FormDefinition | None, language: str
) -> str:
    """What central found wrong with a returned record: each question by its label and
    each problem in words, in the current language."""
    if problems is None:
        return ""
    message = central_problems_text(problems, form, language) or "-"
    message = message.rstrip(".۔ ")  # the sentence around it ends it
    return QCoreApplication.translate(
        "RegistrationPage", "Central returned this record: %1. Correct it and save again."
    ).replace("%1", message)


def form_problem_text(problem: FormProblem | None) -> str:
    if problem is None:
        return ""
    if problem.code is ErrorCode.FORM_UNKNOWN_VERSION:
        return QCoreApplication.translate(
            "RegistrationPage",
            "This record was started with form version %1, which is not on this PC. "
            "The record is kept as it was. Ask the manager to fetch the form updates "
            '("pser-desk forms update"), then open the record again.',
        ).replace("%1", problem.version)
    return QCoreApplication.translate(
        "RegistrationPage",
        "This record was started with form version %1, which this version of PSER "
        "Desk cannot show. The record is kept as it was. Ask the manager to update "
        "PSER Desk, then open the record again.",
    ).replace("%1", problem.version)
