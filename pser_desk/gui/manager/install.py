"""``install_manager_screens(controller)``: the Manager menu, shown to managers only.

The store checks the role again for every change; hiding the menu from operators is
only so they are not offered what they cannot do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu

from pser_desk.gui.manager.services import ManagerServices, manager_services_for
from pser_desk.settings import DeskSettings, save_settings

log = logging.getLogger(__name__)

SCREENS = {
    "operators": "Ctrl+Shift+O",
    "enrolment": "Ctrl+Shift+N",
    "settings": "Ctrl+Shift+S",
    "audit": "Ctrl+Shift+A",
    "report": "Ctrl+Shift+R",
}
DeviceCallback = Callable[[list[str], list[str]], None]


class _Devices(QObject):
    """Printers and cameras, listed on a short-lived thread; the answer comes by signal."""

    listed = Signal(object, object)

    def list(self, callback: DeviceCallback) -> None:
        self.listed.connect(callback)
        threading.Thread(target=self._run, name="devices-list", daemon=True).start()

    def _run(self) -> None:
        from pser_desk.gui.printing import printer_names
        from pser_desk.scan.sources import list_cameras

        try:
            printers = printer_names()
            cameras = [str(c.index) for c in list_cameras()]
        except Exception:
            log.exception("listing printers and cameras failed")
            printers, cameras = [], []
        try:
            self.listed.emit(printers, cameras)
        except RuntimeError:  # the dialog was closed meanwhile
            return


class ManagerScreens(QObject):
    def __init__(self, controller: Any, services: ManagerServices | None) -> None:
        super().__init__(controller)
        self._desk = controller
        self.services = services
        self.dialog: QDialog | None = None
        window = controller.window
        self.menu = QMenu(window.menuBar())
        self.menu.setObjectName("menuManager")
        self.actions: dict[str, QAction] = {}
        for name, shortcut in SCREENS.items():
            action = QAction(window)
            action.setObjectName(f"actionManager_{name}")
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False, n=name: self.open(n))
            self.menu.addAction(action)
            window.addAction(action)
            self.actions[name] = action
        window.menuBar().insertMenu(_before_help(window), self.menu)
        controller.signed_in.connect(self.update_access)
        controller.locked.connect(self.update_access)
        window.installEventFilter(self)
        self.retranslate()
        self.update_access()

    # ------------------------------------------------------------ access

    def is_manager(self) -> bool:
        login = self._desk.login
        operator = login.operator if login is not None else None
        unlocked = self._desk.login_dialog is None
        return bool(operator and operator.role == "manager" and unlocked)

    def update_access(self, *_args: object) -> None:
        allowed = self.is_manager() and self.services is not None
        self.menu.menuAction().setVisible(allowed)
        for action in self.actions.values():
            action.setEnabled(allowed)
        if not allowed and self.dialog is not None:
            self.dialog.reject()

    # ------------------------------------------------------------ screens

    def open(self, name: str) -> QDialog | None:
        if not (self.is_manager() and self.services is not None) or self.dialog is not None:
            return None
        dialog = self._make(name, self.services)
        dialog.finished.connect(lambda _r: self._on_dialog_finished(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _make(self, name: str, services: ManagerServices) -> QDialog:
        # The screens (reportlab, OpenCV...) are imported when first opened, not at start-up.
        from pser_desk.gui.manager.audit import AuditDialog
        from pser_desk.gui.manager.enrolment import EnrolmentDialog
        from pser_desk.gui.manager.operators import OperatorsDialog
        from pser_desk.gui.manager.report import ReportDialog
        from pser_desk.gui.manager.settings_page import ManagerSettingsDialog

        desk, window = self._desk, self._desk.window
        args = (services, desk.runner, desk.login)
        if name == "operators":
            return OperatorsDialog(*args, parent=window)
        if name == "enrolment":
            return EnrolmentDialog(*args, parent=window)
        if name == "audit":
            return AuditDialog(*args, parent=window)
        if name == "report":
            return ReportDialog(*args, printer=desk.settings.printer, parent=window)
        devices = _Devices()
        dialog = ManagerSettingsDialog(desk.settings, devices.list, window)
        devices.setParent(dialog)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.chosen()))
        return dialog

    def _on_dialog_finished(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def apply_settings(self, chosen: DeskSettings) -> None:
        desk = self._desk
        desk.settings = chosen
        desk.idle.set_timeout_ms(int(chosen.idle_lock_minutes * 60_000))
        desk.set_language(chosen.language, save=False)
        try:
            save_settings(desk.data_dir, chosen)
        except OSError as exc:
            log.error("settings not saved: %s", exc.__class__.__name__)
            desk.window.statusBar().showMessage(self.tr("The settings could not be saved."))
            return
        reset = getattr(desk.backend, "reset_sender", None)
        if callable(reset):  # central's address or TLS options may have changed
            reset()

    # ------------------------------------------------------------ words

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Manager"))
        texts = {
            "operators": self.tr("&Operators..."),
            "enrolment": self.tr("&Enrolment..."),
            "settings": self.tr("Centre &settings..."),
            "audit": self.tr("&Audit log..."),
            "report": self.tr("Daily &report..."),
        }
        for name, action in self.actions.items():
            action.setText(texts[name])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange and watched is self._desk.window:
            self.retranslate()
        return False


def _before_help(window: Any) -> QAction | None:
    menu = window.findChild(QMenu, "menuHelp")
    return menu.menuAction() if menu is not None else None


def install_manager_screens(
    controller: Any, services: ManagerServices | None = None
) -> ManagerScreens:
    """Add the Manager menu; *services* default to the adapter on the desk's store."""
    screens = ManagerScreens(controller, services or manager_services_for(controller.backend))
    controller.manager_screens = screens
    return screens
