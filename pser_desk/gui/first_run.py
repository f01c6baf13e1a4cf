"""First start on a PC with no operator: the manager's account, then enrolment with central."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QWidget

from pser_desk.desk.errors import DeskError
from pser_desk.desk.protocol import DeskApi
from pser_desk.gui.forms.ui_first_run_dialog import Ui_FirstRunDialog
from pser_desk.gui.messages import error_text
from pser_desk.gui.tasks import Lane, Runner

log = logging.getLogger(__name__)


class FirstRunDialog(QDialog):
    def __init__(self, desk: DeskApi, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_FirstRunDialog()
        self.ui.setupUi(self)
        self._desk = desk
        self._runner = runner
        self._error: str | None = None
        self.manager_id: str | None = None
        self.ui.createButton.clicked.connect(self._on_create_clicked)
        self.ui.quitButton.clicked.connect(self.reject)

    def _on_create_clicked(self) -> None:
        ui = self.ui
        manager_id, name = ui.managerIdEdit.text().strip(), ui.managerNameEdit.text().strip()
        password = ui.passwordEdit.text()
        if not manager_id or not name:
            return self._show_error("form.required")
        if password != ui.confirmEdit.text():
            return self._show_error("password.mismatch")
        url, centre, token = (
            e.text().strip() for e in (ui.centralEdit, ui.centreEdit, ui.tokenEdit)
        )
        if not (url and centre and token):
            return self._show_error("enrol.required")
        self.setEnabled(False)
        self._runner.run_task(
            lambda: self._create_and_enrol(manager_id, name, password, url, centre, token),
            self._on_done,
            self._on_error,
            lane=Lane.NET,
        )
        return None

    def _create_and_enrol(
        self, manager_id: str, name: str, password: str, url: str, centre: str, token: str
    ) -> str:
        if not self._desk.sessions.has_operators():
            self._desk.sessions.create_first_manager(manager_id, name, password)
        return self._desk.enrolment.enrol(url, centre, token).centre_code

    def _on_done(self, _centre: str) -> None:
        self.setEnabled(True)
        self.manager_id = self.ui.managerIdEdit.text().strip()
        log.info("first run finished: manager created, PC enrolled")
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.setEnabled(True)
        if isinstance(exc, DeskError):
            self._show_error(exc.code)
        else:
            log.error("first run failed: %s", exc.__class__.__name__)
            self._show_error("internal")

    def _show_error(self, code: str) -> None:
        self._error = code
        self.ui.messageLabel.setText(error_text(code))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            if self._error:
                self.ui.messageLabel.setText(error_text(self._error))
        super().changeEvent(event)
