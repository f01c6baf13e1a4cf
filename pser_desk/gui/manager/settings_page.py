"""The centre's settings: central's TLS (CA bundle, pin), printer, paper, camera, language, lock.

Every value is checked (the application layer's rules, ``desk.settings``) before the
dialog closes; a bad one is named in words and the dialog stays open. Saving goes
through the application layer (the caller applies the result to the running desk).
Central's address is not here: it is the enrolment's (the Enrolment screen). Printers
and cameras are listed off the GUI thread (opening cameras to see which work takes
seconds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QWidget

from pser_desk.desk.settings import (
    IDLE_RANGE,
    LANGUAGES,
    PAPERS,
    SIMULATED_CAMERA,
    DeskSettings,
    settings_problem,
)
from pser_desk.gui.forms.ui_manager_settings import Ui_ManagerSettingsDialog
from pser_desk.gui.manager.texts import manager_error_text


class ManagerSettingsDialog(QDialog):
    """``chosen()`` after ``accepted``; the Save button accepts only valid values."""

    def __init__(
        self,
        settings: DeskSettings,
        list_devices: Callable[[Callable[[list[str], list[str]], None]], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.ui = Ui_ManagerSettingsDialog()
        self.ui.setupUi(self)
        ui = self.ui
        ui.idleSpin.setRange(*IDLE_RANGE)
        ui.saveSettingsButton.clicked.connect(self._on_save_clicked)
        ui.cancelButton.clicked.connect(self.reject)
        # The screen's public surface (tests and scripts/screenshots_manager.py drive it).
        self.ca_edit, self.pin_edit = ui.caBundleEdit, ui.pinEdit
        self.printer_combo, self.paper_combo = ui.printerCombo, ui.paperCombo
        self.camera_combo, self.language_combo = ui.cameraCombo, ui.languageCombo
        self.idle_spin, self.message = ui.idleSpin, ui.settingsMessage
        self.save_button, self.cancel_button = ui.saveSettingsButton, ui.cancelButton
        self._load(settings)
        self.retranslate()
        if list_devices is not None:
            list_devices(self.set_devices)

    def _load(self, settings: DeskSettings) -> None:
        self.ca_edit.setText(settings.ca_bundle)
        self.pin_edit.setText(settings.pins)
        self.set_devices([], [])
        self.paper_combo.setCurrentIndex(PAPERS.index(settings.paper))
        self.language_combo.setCurrentIndex(LANGUAGES.index(settings.language))
        self.idle_spin.setValue(
            max(IDLE_RANGE[0], min(IDLE_RANGE[1], round(settings.idle_lock_minutes)))
        )

    def set_devices(self, printers: list[str], cameras: list[str]) -> None:
        """Fill the printer and camera choices, keeping what is chosen now."""
        printer = self.printer_combo.currentData() if self.printer_combo.count() else None
        if printer is None:
            printer = self._settings.printer
        self.printer_combo.clear()
        self.printer_combo.addItem(self.tr("The system's default printer"), "")
        for name in dict.fromkeys([*printers, printer]):
            if name:
                self.printer_combo.addItem(name, name)
        self.printer_combo.setCurrentIndex(max(0, self.printer_combo.findData(printer)))
        camera = (
            self.camera_combo.currentText() if self.camera_combo.count() else self._settings.camera
        )
        self.camera_combo.clear()
        for name in dict.fromkeys([SIMULATED_CAMERA, *cameras, camera or "0"]):
            self.camera_combo.addItem(name)
        self.camera_combo.setCurrentText(camera or "0")

    def chosen(self) -> DeskSettings:
        return dataclasses.replace(
            self._settings,
            printer=str(self.printer_combo.currentData() or ""),
            paper=PAPERS[max(0, self.paper_combo.currentIndex())],
            camera=self.camera_combo.currentText().strip(),
            language=LANGUAGES[max(0, self.language_combo.currentIndex())],
            idle_lock_minutes=float(self.idle_spin.value()),
            ca_bundle=self.ca_edit.text().strip(),
            pins=self.pin_edit.text().strip(),
        )

    def _on_save_clicked(self) -> None:
        code = settings_problem(self.chosen())
        if code is not None:
            self.message.setText(manager_error_text(code))
            return
        self.message.clear()
        self.accept()

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        self.printer_combo.setItemText(0, self.tr("The system's default printer"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
