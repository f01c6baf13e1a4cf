"""The desk's flow: first run or sign-in, the main window, idle lock, switch operator, language.

Built once by ``app.py`` with the services; owns the windows, never blocks on I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget

from pser_desk.gui.backend import DeskBackend, LoginResult
from pser_desk.gui.dashboard import DashboardPage
from pser_desk.gui.first_run import FirstRunDialog
from pser_desk.gui.i18n import LanguageManager
from pser_desk.gui.idle import IdleWatcher
from pser_desk.gui.login import LoginDialog
from pser_desk.gui.main_window import MainWindow
from pser_desk.gui.settings import DeskSettings, save_settings
from pser_desk.gui.settings_dialog import SettingsDialog
from pser_desk.gui.tasks import Runner

log = logging.getLogger(__name__)

# Pages beyond the dashboard are plugged in by a factory (the wizard needs the form).
PageFactory = Callable[["DeskController"], QWidget]


class DeskController(QObject):
    signed_in = Signal(object)  # LoginResult
    locked = Signal()
    first_run_shown = Signal()
    login_shown = Signal()

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
        self.registration: QWidget | None = None
        self.idle = IdleWatcher(self._idle_ms(), self)
        self._connect()

    def _idle_ms(self) -> int:
        return int(self.settings.idle_lock_minutes * 60_000)

    def _connect(self) -> None:
        w = self.window
        w.lock_requested.connect(self.lock)
        w.switch_requested.connect(self.switch_operator)
        w.language_requested.connect(self.set_language)
        w.settings_requested.connect(self._on_window_settings_requested)
        w.send_requested.connect(self.dashboard.ui.sendButton.click)
        w.dashboard_requested.connect(self.show_dashboard)
        w.new_registration_requested.connect(self.show_registration)
        w.closing.connect(self.shutdown)
        self.dashboard.new_registration_requested.connect(self.show_registration)
        self.idle.went_idle.connect(self.lock)

    def set_registration_page(self, page: QWidget) -> None:
        self.registration = page
        self.window.add_page(page)

    # ------------------------------------------------------------ start

    def start(self) -> None:
        self.set_language(self.settings.language, save=False)
        self.runner.run_task(self.backend.has_operators, self._on_operators_checked)

    def _on_operators_checked(self, has_operators: bool) -> None:
        if has_operators:
            self.show_login()
        else:
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
        dialog.accepted.connect(lambda: self._on_login_accepted(dialog))
        dialog.rejected.connect(self._on_login_rejected)
        self.login_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.login_shown.emit()

    def _on_login_accepted(self, dialog: LoginDialog) -> None:
        previous = self.login.operator.operator_id if self.login and self.login.operator else None
        self.login = dialog.result_login
        self.login_dialog = None
        dialog.deleteLater()
        current = self.login.operator.operator_id if self.login and self.login.operator else None
        self.window.set_login(self.login)
        self.dashboard.set_login(self.login)
        self.window.set_locked(False)
        if previous != current or self.window.current_page() is None:
            self._reset_for_new_operator()
        self.window.show()
        self.idle.start()
        self.dashboard.refresh()
        self.signed_in.emit(self.login)

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

    # ------------------------------------------------------------ settings

    def set_language(self, language: str, save: bool = True) -> None:
        self.languages.set_language(language)
        self.window.set_language_checked(self.languages.language)
        if save and self.settings.language != self.languages.language:
            self.settings.language = self.languages.language
            self._save_settings()

    def _on_window_settings_requested(self) -> None:
        dialog = SettingsDialog(self.settings, self.window)
        dialog.accepted.connect(lambda: self._apply_settings(dialog.chosen()))
        dialog.open()

    def _apply_settings(self, chosen: DeskSettings) -> None:
        self.settings = chosen
        self.idle.set_timeout_ms(self._idle_ms())
        self.set_language(chosen.language, save=False)
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            save_settings(self.data_dir, self.settings)
        except OSError as exc:
            log.error("settings not saved: %s", exc.__class__.__name__)

    def shutdown(self) -> None:
        self.idle.stop()
        flush = getattr(self.registration, "flush_draft", None)
        if flush is not None:
            flush()
