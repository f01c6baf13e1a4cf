"""``install_manager_screens(controller)``: the Manager menu, shown to managers only.

The store checks the role again for every change; hiding the menu from operators is
only so they are not offered what they cannot do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu

if TYPE_CHECKING:
    from pser_desk.gui.main_window import MainWindow
    from pser_desk.gui.shell import DeskController

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
    def __init__(self, controller: DeskController) -> None:
        super().__init__(controller)
        self._desk = controller
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
        before = _before_help(window)
        if before is None:
            window.menuBar().addMenu(self.menu)
        else:
            window.menuBar().insertMenu(before, self.menu)
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
        allowed = self.is_manager()
        self.menu.menuAction().setVisible(allowed)
        for action in self.actions.values():
            action.setEnabled(allowed)
        if not allowed and self.dialog is not None:
            self.dialog.reject()

    # ------------------------------------------------------------ screens

    def open(self, name: str) -> QDialog | None:
        if not self.is_manager() or self.dialog is not None:
            return None
        dialog = self._make(name)
        dialog.finished.connect(lambda _r: self._on_dialog_finished(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _make(self, name: str) -> QDialog:
        # The screens (reportlab, OpenCV...) are imported when first opened, not at start-up.
        from pser_desk.gui.manager.audit import AuditDialog
        from pser_desk.gui.manager.enrolment import EnrolmentDialog
        from pser_desk.gui.manager.operators import OperatorsDialog
        from pser_desk.gui.manager.report import ReportDialog
        from pser_desk.gui.manager.settings_page import ManagerSettingsDialog

        desk, window = self._desk, self._desk.window
        args = (desk.desk, desk.runner, desk.login)
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
        dialog.accepted.connect(lambda: desk.apply_settings(dialog.chosen()))
        return dialog

    def _on_dialog_finished(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

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


def _before_help(window: MainWindow) -> QAction | None:
    menu = window.findChild(QMenu, "menuHelp")
    return menu.menuAction() if menu is not None else None


def install_manager_screens(controller: DeskController) -> ManagerScreens:
    """Add the Manager menu to the desk (the wiring keeps what it returns)."""
    return ManagerScreens(controller)
