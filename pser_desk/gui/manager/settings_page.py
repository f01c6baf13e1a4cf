"""The centre's settings: central (URL, CA bundle, pin), printer, paper, camera, language, lock.

Every value is checked before anything is saved; a bad one is named in words and the
dialog stays open. Saving goes through :mod:`pser_desk.settings` (the caller applies
the result to the running desk). Printers and cameras are listed off the GUI thread
(opening cameras to see which work takes seconds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pser_desk.gui.manager.base import ERROR_STYLE
from pser_desk.gui.manager.texts import manager_error_text
from pser_desk.gui.scanning.session import SIMULATED
from pser_desk.settings import LANGUAGES, PAPERS, DeskSettings
from pser_desk.sync.transport import InsecureTransportError, check_base_url, parse_pins

# Central's TLS options (pser_desk/settings.py), passed to every central client.
TLS_FIELDS = ("ca_bundle", "pins")
IDLE_RANGE = (1, 120)


def check_settings(chosen: DeskSettings) -> str | None:
    """The error code of the first bad value, or None when every value can be saved."""
    if chosen.central_url:
        try:
            check_base_url(chosen.central_url)
        except InsecureTransportError:
            return "settings.bad_url"
    camera = chosen.camera.strip().lower()
    if camera and camera != SIMULATED and not camera.isdigit():
        return "settings.bad_camera"
    if not IDLE_RANGE[0] <= chosen.idle_lock_minutes <= IDLE_RANGE[1]:
        return "settings.bad_idle"
    ca_bundle = str(getattr(chosen, "ca_bundle", "") or "")
    if ca_bundle and not Path(ca_bundle).is_file():
        return "settings.no_ca_file"
    pins = str(getattr(chosen, "pins", "") or "")
    if pins:
        try:
            parse_pins([p for p in pins.replace(",", " ").split() if p])
        except InsecureTransportError:
            return "settings.bad_pin"
    return None


class ManagerSettingsDialog(QDialog):
    """``chosen()`` after ``accepted``; the Save button accepts only valid values."""

    def __init__(
        self,
        settings: DeskSettings,
        list_devices: Callable[[Callable[[list[str], list[str]], None]], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ManagerSettingsDialog")
        self.resize(620, 420)
        self._settings = settings
        self._tls = all(hasattr(settings, name) for name in TLS_FIELDS)
        self._build()
        self._load(settings)
        self.retranslate()
        if list_devices is not None:
            list_devices(self.set_devices)

    def _build(self) -> None:
        self.url_edit, self.ca_edit, self.pin_edit = (
            QLineEdit(self),
            QLineEdit(self),
            QLineEdit(self),
        )
        self.url_edit.setObjectName("centralUrlEdit")
        self.printer_combo, self.paper_combo = QComboBox(self), QComboBox(self)
        self.camera_combo, self.language_combo = QComboBox(self), QComboBox(self)
        self.printer_combo.setObjectName("printerCombo")
        self.camera_combo.setObjectName("cameraCombo")
        self.camera_combo.setEditable(True)
        self.idle_spin = QSpinBox(self)
        self.idle_spin.setRange(*IDLE_RANGE)
        self.form = QFormLayout()
        widgets: list[QWidget] = [self.url_edit]
        if self._tls:
            widgets += [self.ca_edit, self.pin_edit]
        else:
            self.ca_edit.hide()
            self.pin_edit.hide()
        widgets += [self.printer_combo, self.paper_combo, self.camera_combo,
                    self.language_combo, self.idle_spin]  # fmt: skip
        self._rows = widgets
        for widget in widgets:
            self.form.addRow(QLabel(self), widget)
        self.message = QLabel(self)
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.save_button, self.cancel_button = QPushButton(self), QPushButton(self)
        self.save_button.setObjectName("saveSettingsButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _load(self, settings: DeskSettings) -> None:
        self.url_edit.setText(settings.central_url)
        self.ca_edit.setText(str(getattr(settings, "ca_bundle", "") or ""))
        self.pin_edit.setText(str(getattr(settings, "pins", "") or ""))
        self.set_devices([], [])
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
        for name in dict.fromkeys([SIMULATED, *cameras, camera or "0"]):
            self.camera_combo.addItem(name)
        self.camera_combo.setCurrentText(camera or "0")

    def chosen(self) -> DeskSettings:
        values: dict[str, Any] = {
            "central_url": self.url_edit.text().strip(),
            "printer": str(self.printer_combo.currentData() or ""),
            "paper": PAPERS[max(0, self.paper_combo.currentIndex())],
            "camera": self.camera_combo.currentText().strip(),
            "language": LANGUAGES[max(0, self.language_combo.currentIndex())],
            "idle_lock_minutes": float(self.idle_spin.value()),
        }
        if self._tls:
            values["ca_bundle"] = self.ca_edit.text().strip()
            values["pins"] = self.pin_edit.text().strip()
        return dataclasses.replace(self._settings, **values)

    def _on_save_clicked(self) -> None:
        code = check_settings(self.chosen())
        if code is not None:
            self.message.setText(manager_error_text(code))
            return
        self.message.clear()
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Centre settings"))
        labels = [self.tr("Central's URL")]
        if self._tls:
            labels += [
                self.tr("CA bundle file (optional)"),
                self.tr("Central's key pin (optional)"),
            ]
        labels += [self.tr("Printer"), self.tr("Paper"), self.tr("Camera"), self.tr("Language"),
                   self.tr("Lock after idle minutes")]  # fmt: skip
        for widget, text in zip(self._rows, labels, strict=True):
            label = self.form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(text)
        self.url_edit.setPlaceholderText("https://central.example.pk/api/v1")
        paper, language = self.paper_combo.currentIndex(), self.language_combo.currentIndex()
        self.paper_combo.clear()
        self.paper_combo.addItems([self.tr("A4 sheet"), self.tr("80 mm receipt roll")])
        self.paper_combo.setCurrentIndex(
            paper if paper >= 0 else PAPERS.index(self._settings.paper)
        )
        self.language_combo.clear()
        self.language_combo.addItems(["English", "اردو"])
        if language < 0:
            language = LANGUAGES.index(self._settings.language)
        self.language_combo.setCurrentIndex(language)
        self.save_button.setText(self.tr("&Save"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.printer_combo.setItemText(0, self.tr("The system's default printer"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
