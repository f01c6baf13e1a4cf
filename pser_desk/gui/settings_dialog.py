"""The settings of this desk: language, idle lock, paper, printer, camera."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QWidget

from pser_desk.desk.settings import LANGUAGES, PAPERS, DeskSettings
from pser_desk.gui.forms.ui_settings_dialog import Ui_SettingsDialog


class SettingsDialog(QDialog):
    def __init__(self, settings: DeskSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        self._settings = settings
        self._fill_choices()
        ui = self.ui
        ui.languageCombo.setCurrentIndex(LANGUAGES.index(settings.language))
        ui.idleSpin.setValue(max(1, round(settings.idle_lock_minutes)))
        ui.paperCombo.setCurrentIndex(PAPERS.index(settings.paper))
        ui.printerEdit.setText(settings.printer)
        ui.cameraEdit.setText(settings.camera)
        ui.saveButton.clicked.connect(self.accept)
        ui.cancelButton.clicked.connect(self.reject)

    def _fill_choices(self) -> None:
        ui = self.ui
        lang, paper = ui.languageCombo.currentIndex(), ui.paperCombo.currentIndex()
        ui.languageCombo.clear()
        ui.languageCombo.addItems(["English", "اردو"])
        ui.paperCombo.clear()
        ui.paperCombo.addItems([self.tr("A4 sheet"), self.tr("80 mm receipt roll")])
        ui.languageCombo.setCurrentIndex(max(0, lang))
        ui.paperCombo.setCurrentIndex(max(0, paper))

    def chosen(self) -> DeskSettings:
        ui = self.ui
        return replace(
            self._settings,
            language=LANGUAGES[ui.languageCombo.currentIndex()],
            idle_lock_minutes=float(ui.idleSpin.value()),
            paper=PAPERS[ui.paperCombo.currentIndex()],
            printer=ui.printerEdit.text().strip(),
            camera=ui.cameraEdit.text().strip(),
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._fill_choices()
        super().changeEvent(event)
