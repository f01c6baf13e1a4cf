"""The desk's flow: first run or sign-in, the main window, idle lock, switch operator, language.

Built once by ``app.py`` with the services; owns the windows, never blocks on I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pser_desk.gui.backend import DeskBackend, LoginResult
from pser_desk.gui.dashboard import DashboardPage
from pser_desk.gui.first_run import FirstRunDialog
from pser_desk.gui.i18n import LanguageManager
from pser_desk.gui.idle import IdleWatcher
from pser_desk.gui.login import LoginDialog
from pser_desk.gui.main_window import MainWindow
from pser_desk.gui.record_lists import DraftsPage, RecordsPage
from pser_desk.gui.settings_dialog import SettingsDialog
from pser_desk.gui.slips import SlipPrinter
from pser_desk.gui.sync_driver import SyncDriver
from pser_desk.gui.tasks import Runner
from pser_desk.settings import DeskSettings, save_settings

log = logging.getLogger(__name__)

# Pages beyond the dashboard are plugged in by a factory (the wizard needs the form).
PageFactory = Callable[["DeskController"], QWidget]


class DeskController(QObject):
    signed_in = Signal(object)  # LoginResult
    locked = Signal()
    first_run_shown = Signal()
    login_shown = Signal()
    sign_in_ready = Signal()  # a sign-in window on screen, backed by the open store

    def __init__(
        self,
        backend: DeskBackend,
        runner: Runner,
        languages: LanguageManager,
        settings: DeskSettings,
        data_dir: Path,
        demo_credentials: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.backend, self.runner, self.languages = backend, runner, languages
        self.settings, self.data_dir, self.demo = settings, data_dir, demo_credentials
        self.login: LoginResult | None = None
        self.login_dialog: LoginDialog | None = None
        self.first_run_dialog: FirstRunDialog | None = None
        self.window = MainWindow(demo_credentials)
        self.dashboard = DashboardPage(backend, runner)
        self.window.add_page(self.dashboard)
        self.drafts = DraftsPage(backend, runner)
        self.records = RecordsPage(backend, runner)
        self.window.add_page(self.drafts)
        self.window.add_page(self.records)
        self.registration: Any = None
        self.idle = IdleWatcher(self._idle_ms(), self)
        self.sync = SyncDriver(backend, runner, parent=self)
        self.slips = SlipPrinter(
            backend, runner, lambda: (self.settings.printer, self.settings.paper), self.window
        )
        self.crash_handler: Any = None
        self._resumed_for: str | None = None
        self._connect()

    def _idle_ms(self) -> int:
        return int(self.settings.idle_lock_minutes * 60_000)

    def _connect(self) -> None:
        w = self.window
        w.lock_requested.connect(self.lock)
        w.switch_requested.connect(self.switch_operator)
        w.language_requested.connect(self.set_language)
        w.settings_requested.connect(self._on_window_settings_requested)
        w.send_requested.connect(self.sync.send_now)
        w.dashboard_requested.connect(self.show_dashboard)
        w.new_registration_requested.connect(self.show_registration)
        w.drafts_requested.connect(self.show_drafts)
        w.records_requested.connect(self.show_records)
        w.closing.connect(self._on_window_closing)
        self.dashboard.new_registration_requested.connect(self.show_registration)
        self.dashboard.send_requested.connect(self.sync.send_now)
        self.dashboard.correction_requested.connect(self.correct_record)
        self.drafts.resume_requested.connect(self.resume_draft)
        self.drafts.back_requested.connect(self.show_dashboard)
        self.records.back_requested.connect(self.show_dashboard)
        self.records.reprint_requested.connect(self.reprint_slip)
        self.records.correct_requested.connect(self.correct_record)
        self.sync.pass_started.connect(lambda: self.dashboard.set_sending(True))
        self.sync.pass_finished.connect(self._on_sync_pass_finished)
        self.slips.failed.connect(self._on_slip_failed)
        self.slips.printed.connect(self._on_slip_printed)
        self.idle.went_idle.connect(self.lock)

    def set_registration_page(self, page: QWidget) -> None:
        self.registration = page
        self.window.add_page(page)

    # ------------------------------------------------------------ start

    def start(self, early_login: LoginDialog | None = None) -> None:
        """Sign-in (or the first run); *early_login* is the window start-up already shows."""
        if self.languages.language != self.settings.language:
            self.set_language(self.settings.language, save=False)
        self.window.set_language_checked(self.languages.language)
        self.runner.run_task(
            self.backend.has_operators,
            lambda has_operators: self._on_operators_checked(has_operators, early_login),
        )

    def _on_operators_checked(
        self, has_operators: bool, early_login: LoginDialog | None = None
    ) -> None:
        if has_operators:
            if early_login is not None:
                self._adopt_login(early_login)
            else:
                self.show_login()
            return
        if early_login is not None:  # a new PC: no one can sign in before the first run
            early_login.hide()
            early_login.deleteLater()
        self.show_first_run()

    def show_first_run(self) -> None:
        dialog = FirstRunDialog(self.backend, self.runner)
        dialog.accepted.connect(lambda: self.show_login(dialog.manager_id))
        dialog.rejected.connect(self._on_login_rejected)
        self.first_run_dialog = dialog
        dialog.show()
        self.first_run_shown.emit()

    def show_login(self, preset: str | None = None) -> None:
        dialog = LoginDialog(self.backend, self.runner, self.demo)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        if preset:
            dialog.preset_operator(preset)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self._adopt_login(dialog)
        self.login_shown.emit()

    def _adopt_login(self, dialog: LoginDialog) -> None:
        dialog.accepted.connect(lambda: self._on_login_accepted(dialog))
        dialog.rejected.connect(self._on_login_rejected)
        self.login_dialog = dialog
        if not dialog.backend_ready:
            dialog.set_backend(self.backend)
        self.sign_in_ready.emit()

    def _on_login_accepted(self, dialog: LoginDialog) -> None:
        previous = self.login.operator.operator_id if self.login and self.login.operator else None
        self.login = dialog.result_login
        self.login_dialog = None
        dialog.deleteLater()
        current = self.login.operator.operator_id if self.login and self.login.operator else None
        self.window.set_login(self.login)
        for page in (self.dashboard, self.drafts, self.records):
            page.set_login(self.login)
        self.window.set_locked(False)
        if previous != current or self.window.current_page() is None:
            self._reset_for_new_operator()
        if not self.window.isVisible():
            self.window.fit_to_screen()
            if self.settings.window_maximized:
                self.window.showMaximized()  # as it was when the desk last closed
        self.window.show()
        self.idle.start()
        self.dashboard.refresh()
        self.sync.start()
        self._index_missing()
        self.signed_in.emit(self.login)
        if current is not None and current != self._resumed_for:
            self._resumed_for = current
            self._reopen_open_draft(current)

    def _index_missing(self) -> None:
        """Households saved before the duplicate check existed join its index (the key
        needs a signed-in operator), on the database lane."""
        index, login = getattr(self.backend, "index_missing", None), self.login
        if callable(index) and login is not None:
            self.runner.run_task(lambda: index(login))

    def _reset_for_new_operator(self) -> None:
        reset = getattr(self.registration, "reset_for_operator", None)
        if reset is not None:
            reset(self.login)
        self.show_dashboard()

    def _on_login_rejected(self) -> None:
        log.info("sign-in closed: quitting")
        self.shutdown()
        self.window.hide()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    # ------------------------------------------------------------ session

    def lock(self) -> None:
        """Hide the screen and ask for the password again (the draft is already saved)."""
        if self.login is None or self.login_dialog is not None:
            return
        self.idle.stop()
        flush = getattr(self.registration, "flush_draft", None)
        if flush is not None:
            flush()
        self.window.set_locked(True)
        operator = self.login.operator.operator_id if self.login.operator else None
        self.show_login(operator)
        self.locked.emit()

    def switch_operator(self) -> None:
        if self.login is None or self.login_dialog is not None:
            return
        self.lock()
        if self.login_dialog is not None:
            self.login_dialog.preset_operator("")
            self.login_dialog.ui.operatorEdit.setFocus()

    # ------------------------------------------------------------ pages

    def show_dashboard(self) -> None:
        self.window.show_page(self.dashboard)
        self.dashboard.refresh()

    def show_registration(self) -> None:
        if self.registration is not None and self.login is not None:
            self.window.show_page(self.registration)
            focus = getattr(self.registration, "focus_first", None)
            if focus is not None:
                focus()

    def show_drafts(self) -> None:
        if self.login is not None:
            self.window.show_page(self.drafts)
            self.drafts.refresh()
            self.drafts.focus_first()

    def show_records(self) -> None:
        if self.login is not None:
            self.window.show_page(self.records)
            self.records.refresh()
            self.records.focus_first()

    # ------------------------------------------------------------ records

    def resume_draft(self, submission_id: str, page: int = 0) -> None:
        self._open_record(submission_id, "", page)

    def correct_record(self, submission_id: str) -> None:
        message = next(
            (c.message for c in (self.dashboard.data.corrections if self.dashboard.data else ())
             if c.submission_id == submission_id),
            None,
        )  # fmt: skip
        if message is None:
            found = [i for i in self.records.items if i.submission_id == submission_id]
            message = found[0].message if found else ""
        self._open_record(submission_id, message or "-", 0)

    def _open_record(self, submission_id: str, message: str, page: int) -> None:
        login, page_widget = self.login, self.registration
        if login is None or page_widget is None:
            return
        self.runner.run_task(
            lambda: self.backend.load_record(login, submission_id),
            lambda record: self._on_record_loaded(submission_id, record, message, page),
            lambda exc: log.error("record not opened: %s", exc.__class__.__name__),
        )

    def _on_record_loaded(
        self, submission_id: str, record: dict[str, Any], message: str, page: int,
        field: str | None = None,
    ) -> None:  # fmt: skip
        if self.registration is None:
            return
        self.registration.open_record(submission_id, record, message, page, field)
        self.window.show_page(self.registration)

    def _reopen_open_draft(self, operator_id: str) -> None:
        """After a crash or power cut: the draft that was open reopens on its page."""
        path = getattr(self.registration, "resume_file", None)
        if path is None:
            return
        from pser_desk.gui.registration import read_resume_note

        self.runner.run_task(
            lambda: read_resume_note(path),
            lambda note: self._on_resume_note(operator_id, note),
        )

    def _on_resume_note(self, operator_id: str, note: dict[str, Any] | None) -> None:
        if not note or note.get("operator") != operator_id or not note.get("submission_id"):
            return
        login = self.login
        if login is None:
            return
        sid, page = str(note["submission_id"]), int(note.get("page") or 0)
        field = note.get("field") if isinstance(note.get("field"), str) else None
        self.runner.run_task(
            lambda: self.backend.load_draft(login, sid),
            lambda record: self._on_record_loaded(sid, record, "", page, field) if record else None,
            lambda exc: log.error("open draft not reopened: %s", exc.__class__.__name__),
        )

    def on_record_queued(self, queued: Any) -> None:
        """Saved: print the slip, send, refresh the figures."""
        if self.login is not None:
            self.slips.print_slip(self.login, queued.receipt_no)
        self.sync.send_now()
        self.dashboard.refresh()

    def reprint_slip(self, receipt_no: str) -> None:
        if self.login is not None:
            self.slips.print_slip(self.login, receipt_no)

    def _on_slip_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(message)
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("The slip did not print"), message,
            QMessageBox.StandardButton.Ok, self.window,
        )  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.slip_message = box
        box.open()  # never modal-blocking: the next citizen can be typed meanwhile

    def _on_slip_printed(self, _result: Any) -> None:
        self.window.statusBar().showMessage(self.tr("The slip was printed."), 10_000)

    def _on_sync_pass_finished(self, _attempted: int) -> None:
        self.dashboard.set_sending(False)
        self.dashboard.refresh()
        if self.window.current_page() is self.records:
            self.records.refresh()

    # ------------------------------------------------------------ settings

    def set_language(self, language: str, save: bool = True) -> None:
        self.languages.set_language(language)
        self.window.set_language_checked(self.languages.language)
        if save and self.settings.language != self.languages.language:
            self.settings.language = self.languages.language
            self._save_settings()

    def _on_window_settings_requested(self) -> None:
        operator = self.login.operator if self.login is not None else None
        if operator is None or operator.role != "manager":
            self.window.statusBar().showMessage(
                self.tr("Only a centre manager can change the settings."), 6000
            )
            return
        dialog = SettingsDialog(self.settings, self.window)
        dialog.accepted.connect(lambda: self._apply_settings(dialog.chosen()))
        dialog.open()

    def _apply_settings(self, chosen: DeskSettings) -> None:
        from pser_desk.gui.manager.settings_page import check_settings
        from pser_desk.gui.manager.texts import manager_error_text

        problem = check_settings(chosen)
        if problem is not None:  # the same rules as the manager's settings screen
            self.window.statusBar().showMessage(
                self.tr("The settings were not saved: %1").replace(
                    "%1", manager_error_text(problem)
                ),
                10000,
            )
            return
        self.settings = chosen
        self.idle.set_timeout_ms(self._idle_ms())
        self.set_language(chosen.language, save=False)
        self._save_settings()
        reset = getattr(self.backend, "reset_sender", None)
        if callable(reset):  # central's address or TLS options may have changed
            reset()

    def _save_settings(self) -> None:
        try:
            save_settings(self.data_dir, self.settings)
        except OSError as exc:
            log.error("settings not saved: %s", exc.__class__.__name__)

    def _on_window_closing(self) -> None:
        maximized = self.window.isMaximized()
        if maximized != self.settings.window_maximized:
            self.settings.window_maximized = maximized
            self._save_settings()
        self.shutdown()

    def shutdown(self) -> None:
        self.idle.stop()
        self.sync.stop()
        flush = getattr(self.registration, "flush_draft", None)
        if flush is not None:
            flush()
