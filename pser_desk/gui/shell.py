"""The desk's flow: first run or sign-in, the main window, idle lock, switch operator, language.

Built once by ``app.py`` on the application layer (:class:`~pser_desk.desk.protocol.DeskApi`);
owns the windows, never blocks on I/O. Its collaborators are typed attributes set by the
wiring: the registration page, the scanning action, the manager's screens, the crash
handler.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from pser_desk.desk.model import LoginResult
from pser_desk.desk.protocol import DeskApi
from pser_desk.desk.settings import DeskSettings
from pser_desk.domain.records import QueuedRecord
from pser_desk.gui.dashboard import DashboardPage
from pser_desk.gui.first_run import FirstRunDialog
from pser_desk.gui.i18n import LanguageManager
from pser_desk.gui.idle import IdleWatcher
from pser_desk.gui.login import LoginDialog
from pser_desk.gui.main_window import MainWindow
from pser_desk.gui.record_lists import DraftsPage, RecordsPage
from pser_desk.gui.rejections import RejectionActions
from pser_desk.gui.settings_flow import SettingsFlow
from pser_desk.gui.slips import SlipPrinter
from pser_desk.gui.sync_driver import SyncDriver
from pser_desk.gui.tasks import Runner

if TYPE_CHECKING:
    from pser_desk.gui.crash import CrashHandler
    from pser_desk.gui.manager.install import ManagerScreens
    from pser_desk.gui.registration import RegistrationPage
    from pser_desk.gui.scanning.install import ScanController

log = logging.getLogger(__name__)


class DeskController(QObject):
    signed_in = Signal(object)  # LoginResult
    locked = Signal()
    first_run_shown = Signal()
    login_shown = Signal()
    sign_in_ready = Signal()  # a sign-in window on screen, backed by the open store
    settings_applied = Signal(object)  # DeskSettings, saved and in force

    def __init__(
        self,
        desk: DeskApi,
        runner: Runner,
        languages: LanguageManager,
        settings: DeskSettings,
        demo_credentials: tuple[str, str] | None = None,
        *,
        registration: RegistrationPage | None = None,
    ) -> None:
        super().__init__()
        self.desk, self.runner, self.languages = desk, runner, languages
        self.settings, self.demo = settings, demo_credentials
        self.login: LoginResult | None = None
        self.login_dialog: LoginDialog | None = None
        self.first_run_dialog: FirstRunDialog | None = None
        self.window = MainWindow(demo_credentials)
        self.dashboard = DashboardPage(desk.dashboard, runner)
        self.drafts = DraftsPage(desk.records, runner)
        self.records = RecordsPage(desk.records, runner)
        self.window.add_page(self.dashboard, scrolled=True)
        for page in (self.drafts, self.records):
            self.window.add_page(page)
        self.registration = registration
        if registration is not None:
            self.window.add_page(registration)
            registration.record_queued.connect(self.on_record_queued)
            registration.record_opened.connect(lambda _sid: self.window.show_page(registration))
        self.idle = IdleWatcher(idle_ms(settings), self)
        self.sync = SyncDriver(desk.sending, runner, parent=self)
        self.slips = SlipPrinter(
            desk.slips, runner, lambda: (self.settings.printer, self.settings.paper), self.window
        )
        # Set by the wiring (app.py) once made: each is optional for a test of the shell.
        self.scanning: ScanController | None = None
        self.manager_screens: ManagerScreens | None = None
        self.crash_handler: CrashHandler | None = None
        self.settings_flow, self.rejections = SettingsFlow(self), RejectionActions(self)
        self._resumed_for: str | None = None
        self._connect()

    def _connect(self) -> None:
        w = self.window
        w.lock_requested.connect(self.lock)
        w.switch_requested.connect(self.switch_operator)
        w.language_requested.connect(self.set_language)
        w.settings_requested.connect(self.settings_flow.open_dialog)
        w.send_requested.connect(self.sync.send_now)
        w.dashboard_requested.connect(self.show_dashboard)
        w.new_registration_requested.connect(self.show_registration)
        w.drafts_requested.connect(self.show_drafts)
        w.records_requested.connect(self.show_records)
        w.closing.connect(lambda: self.settings_flow.remember_window(w.isMaximized()))
        w.closing.connect(self.shutdown)  # after the line above (Qt keeps the order)
        self.dashboard.new_registration_requested.connect(self.show_registration)
        self.dashboard.send_requested.connect(self.sync.send_now)
        self.dashboard.correction_requested.connect(self.open_record)
        self.drafts.resume_requested.connect(self.open_record)
        self.drafts.back_requested.connect(self.show_dashboard)
        self.records.back_requested.connect(self.show_dashboard)
        self.records.reprint_requested.connect(self.reprint_slip)
        self.records.correct_requested.connect(self.open_record)
        self.sync.pass_started.connect(lambda: self.dashboard.set_sending(True))
        self.sync.pass_finished.connect(self.dashboard.pass_finished)
        self.sync.pass_finished.connect(self.records.refresh_if_shown)
        self.idle.went_idle.connect(self.lock)

    # ------------------------------------------------------------ start

    def start(self, early_login: LoginDialog | None = None) -> None:
        """Sign-in (or the first run); *early_login* is the window start-up already shows."""
        if self.languages.language != self.settings.language:
            self.set_language(self.settings.language, save=False)
        self.window.set_language_checked(self.languages.language)
        self.runner.run_task(
            self.desk.sessions.has_operators,
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
        dialog = FirstRunDialog(self.desk, self.runner)
        dialog.accepted.connect(lambda: self.show_login(dialog.manager_id))
        dialog.rejected.connect(self._on_login_rejected)
        self.first_run_dialog = dialog
        dialog.show()
        self.first_run_shown.emit()

    def show_login(self, preset: str | None = None) -> None:
        dialog = LoginDialog(self.desk.sessions, self.runner, self.demo)
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
        if not dialog.ready:
            dialog.set_sessions(self.desk.sessions)
        self.sign_in_ready.emit()

    def _on_login_accepted(self, dialog: LoginDialog) -> None:
        previous = self.login.operator_id if self.login else None
        self.login = dialog.result_login
        self.login_dialog = None
        dialog.deleteLater()
        current = self.login.operator_id if self.login else None
        self.window.set_login(self.login)
        for page in (self.dashboard, self.drafts, self.records):
            page.set_login(self.login)
        self.window.set_locked(False)
        if previous != current or self.window.current_page() is None:
            if self.registration is not None:
                self.registration.reset_for_operator(self.login)
            self.show_dashboard()
        self.window.show_as_last_time(self.settings.window_maximized)
        self.idle.start()
        self.dashboard.refresh()
        self.sync.start()
        login = self.login
        if login is not None:  # households saved before the duplicate check: indexed now
            self.runner.run_task(lambda: self.desk.records.index_missing(login))
        self.signed_in.emit(self.login)
        if current is not None and current != self._resumed_for and self.registration:
            self._resumed_for = current
            self.registration.reopen_noted(current)  # the draft a crash left open

    def _on_login_rejected(self) -> None:
        log.info("sign-in closed: quitting")
        self.shutdown()
        self.window.hide()
        QCoreApplication.quit()

    # ------------------------------------------------------------ session

    def lock(self) -> None:
        """Hide the screen and ask for the password again (the draft is already saved)."""
        if self.login is None or self.login_dialog is not None:
            return
        self.idle.stop()
        if self.registration is not None:
            self.registration.flush_draft()
        self.window.set_locked(True)
        self.show_login(self.login.operator_id)
        self.locked.emit()

    def switch_operator(self) -> None:
        if self.login is None or self.login_dialog is not None:
            return
        self.lock()
        if self.login_dialog is not None:
            self.login_dialog.ask_operator()

    # ------------------------------------------------------------ pages

    def show_dashboard(self) -> None:
        self.window.show_page(self.dashboard)
        self.dashboard.refresh()

    def show_registration(self) -> None:
        if self.registration is not None and self.login is not None:
            self.window.show_page(self.registration)
            self.registration.focus_first()

    def show_drafts(self) -> None:
        self._show_list(self.drafts)

    def show_records(self) -> None:
        self._show_list(self.records)

    def _show_list(self, page: DraftsPage | RecordsPage) -> None:
        if self.login is not None:
            self.window.show_page(page)
            page.refresh()
            page.focus_first()

    # ------------------------------------------------------------ records

    def open_record(self, submission_id: str, page: int = 0) -> None:
        """A draft to resume, or a record central returned (with what it found wrong)."""
        if self.registration is not None and self.login is not None:
            self.registration.open_saved(submission_id, page)  # shown once it is read

    def on_record_queued(self, queued: QueuedRecord) -> None:
        """Saved: print the slip, send, refresh the figures."""
        if self.login is not None:
            self.slips.print_slip(self.login, queued.receipt_no)
        self.sync.send_now()
        self.dashboard.refresh()

    def reprint_slip(self, receipt_no: str) -> None:
        if self.login is not None:
            self.slips.print_slip(self.login, receipt_no)

    # ------------------------------------------------------------ settings

    def set_language(self, language: str, save: bool = True) -> None:
        self.languages.set_language(language)
        self.window.set_language_checked(self.languages.language)
        if save and self.settings.language != self.languages.language:
            self.settings = dataclasses.replace(self.settings, language=self.languages.language)
            self.settings_flow.keep(self.settings)  # in force now; kept on the database lane

    def apply_settings(self, chosen: DeskSettings) -> None:
        """Both settings screens come here (``gui/settings_flow.py``)."""
        self.settings_flow.apply(chosen)

    def use_settings(self, chosen: DeskSettings) -> None:
        """*chosen* is saved: the desk works with it from now on."""
        self.settings = chosen
        self.idle.set_timeout_ms(idle_ms(chosen))
        self.set_language(chosen.language, save=False)
        self.settings_applied.emit(chosen)

    def shutdown(self) -> None:
        self.idle.stop()
        self.sync.stop()
        if self.registration is not None:
            self.registration.flush_draft()


def idle_ms(settings: DeskSettings) -> int:
    """How long the desk waits for a key or the mouse before it locks."""
    return int(settings.idle_lock_minutes * 60_000)
