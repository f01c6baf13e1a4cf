"""``install_scanning(controller)``: the "Scan CNIC" action (F3, Ctrl+K) and the wedge filter.

The action works wherever the desk is signed in: it opens the registration page if
another page shows, then the scan dialog over the active window (the member dialog
when one is open, so its CNIC is the one filled). The wedge filter is installed on
the application and watches the registration page only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

if TYPE_CHECKING:  # the dialog and the camera (OpenCV) load when a scan first starts
    from pser_desk.gui.scanning.dialog import ScanDialog
    from pser_desk.gui.scanning.session import SourceFactory
    from pser_desk.gui.shell import DeskController
from pser_desk.gui.scanning.wedge import WedgeFilter
from pser_desk.scan.wedge import ScannerBurst

log = logging.getLogger(__name__)

SHORTCUTS = ("F3", "Ctrl+K")
STATUS_MS = 6000


class ScanController(QObject):
    """Owns the action, the open dialog (one at a time) and the wedge filter."""

    def __init__(self, controller: DeskController, factory: SourceFactory | None = None) -> None:
        super().__init__(controller)
        self._desk = controller
        self._factory = factory
        self.dialog: ScanDialog | None = None
        self.action = QAction(controller.window)
        self.action.setObjectName("actionScanCnic")
        self.action.setShortcuts([QKeySequence(s) for s in SHORTCUTS])
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.triggered.connect(self.open_dialog)
        controller.window.addAction(self.action)
        menu = controller.window.findChild(QMenu, "menuDesk")
        if menu is not None:
            before = _after(menu, "actionNewRegistration")
            if before is not None:
                menu.insertAction(before, self.action)
            else:
                menu.addAction(self.action)
        self.wedge = WedgeFilter(lambda: self._desk.registration, parent=self)
        self.wedge.burst_detected.connect(self._on_wedge_burst_detected)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self.wedge)
        self._retranslate()
        controller.window.installEventFilter(self)

    # ------------------------------------------------------------ the dialog

    def source_factory(self) -> SourceFactory:
        if self._factory is not None:
            return self._factory
        camera = self._desk.settings.camera
        from pser_desk.gui.scanning.session import open_camera

        return lambda: open_camera(camera)

    def _ready(self) -> bool:
        page = self._desk.registration
        signed_in = self._desk.login is not None and self._desk.login_dialog is None
        return signed_in and page is not None and page.isEnabled()

    def open_dialog(self) -> ScanDialog | None:
        if self.dialog is not None or not self._ready():
            return None
        if self._desk.window.current_page() is not self._desk.registration:
            self._desk.show_registration()
        parent = QApplication.activeWindow() or self._desk.window
        from pser_desk.gui.scanning.dialog import ScanDialog

        dialog = ScanDialog(self.source_factory(), parent)
        dialog.accepted.connect(lambda: self._apply(dialog.cnic, dialog.prefill))
        dialog.finished.connect(lambda _r: self._on_dialog_finished(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_finished(self, dialog: ScanDialog) -> None:
        self.dialog = None
        dialog.deleteLater()

    def _apply(self, cnic: str | None, prefill: dict[str, str]) -> None:
        page = self._desk.registration
        if cnic is None or page is None:
            return
        page.apply_scan(cnic, prefill)

    # ------------------------------------------------------------ handheld scanners

    def _on_wedge_burst_detected(self, burst: ScannerBurst) -> None:
        if burst.cnic is None:
            self._status(
                self.tr("The scanner read a code without a CNIC number. Scan the card's barcode.")
            )
            return
        if self._desk.login is None:
            return
        self._apply(burst.cnic, {})

    def _status(self, text: str) -> None:
        self._desk.window.statusBar().showMessage(text, STATUS_MS)

    # ------------------------------------------------------------ words

    def _retranslate(self) -> None:
        self.action.setText(self.tr("&Scan CNIC..."))
        self.action.setToolTip(self.tr("Read the CNIC from the card with the camera (F3)"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange and watched is self._desk.window:
            self._retranslate()
        return False


def _after(menu: QMenu, name: str) -> QAction | None:
    """The action that follows *name* in *menu* (insert before it), None for the end."""
    actions = menu.actions()
    for index, action in enumerate(actions):
        if action.objectName() == name:
            return actions[index + 1] if index + 1 < len(actions) else None
    return None


def install_scanning(
    controller: DeskController, factory: SourceFactory | None = None
) -> ScanController:
    """Add the "Scan CNIC" action and the handheld-scanner filter to the desk (the wiring
    keeps what it returns)."""
    return ScanController(controller, factory)
