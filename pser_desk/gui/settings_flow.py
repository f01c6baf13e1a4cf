"""Changing this PC's settings from the window: one path for both settings screens.

(Its sentences keep the desk controller's translation context, where they were first.)

The window's settings dialog (a manager's, from the Desk menu) and the manager's centre
settings screen both hand their choice here. The application layer checks it and keeps
it (``desk.settings``, on the database lane; the sender hears of it); then the desk uses
it. A value refused, or a file that could not be written, is said in words on the status
bar and nothing changes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from pser_desk.desk.errors import DeskError
from pser_desk.desk.settings import DeskSettings
from pser_desk.gui.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from pser_desk.gui.shell import DeskController

log = logging.getLogger(__name__)


class SettingsFlow(QObject):
    def __init__(self, desk: DeskController) -> None:
        super().__init__(desk)
        self._desk = desk

    def open_dialog(self) -> None:
        """The window's settings dialog, for a manager only."""
        desk = self._desk
        operator = desk.login.operator if desk.login is not None else None
        if operator is None or not operator.is_manager:
            desk.window.statusBar().showMessage(
                QCoreApplication.translate(
                    "DeskController", "Only a centre manager can change the settings."
                ),
                6000,
            )
            return
        dialog = SettingsDialog(desk.settings, desk.window)
        dialog.accepted.connect(lambda: self.apply(dialog.chosen()))
        dialog.open()

    def apply(self, chosen: DeskSettings) -> None:
        desk = self._desk
        desk.runner.run_task(lambda: desk.desk.settings.save(chosen), desk.use_settings,
                             self._refused)  # fmt: skip

    def keep(self, chosen: DeskSettings) -> None:
        """Keep *chosen*, already in force (a language picked from the menu)."""
        desk = self._desk
        desk.runner.run_task(lambda: desk.desk.settings.save(chosen), None, self._refused)

    def remember_window(self, maximized: bool) -> None:
        """The window closes: whether it was maximised is kept now (the lanes stop with
        the window; a small file)."""
        desk = self._desk
        if maximized == desk.settings.window_maximized:
            return
        try:
            desk.settings = desk.desk.settings.remember_window(maximized)
        except DeskError as exc:
            log.error("settings not saved: %s", exc.code.value)

    def _refused(self, exc: BaseException) -> None:
        from pser_desk.gui.manager.texts import manager_error_text

        if isinstance(exc, DeskError):  # a value refused, or the file not written
            code = exc.code.value
            log.info("settings not saved: %s", code)
        else:
            code = "settings.not_saved"
            log.error("settings not saved: %s", exc.__class__.__name__)
        self._desk.window.statusBar().showMessage(
            QCoreApplication.translate("DeskController", "The settings were not saved: %1").replace(
                "%1", manager_error_text(code)
            ),
            10000,
        )
