"""Enrolment: who this PC is to central; re-enrol with a new token after confirmation."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from pser_desk.desk.model import LoginResult
from pser_desk.desk.protocol import DeskApi
from pser_desk.documents.report import local_time
from pser_desk.domain.enrolment import DeviceIdentity
from pser_desk.gui.forms.ui_manager_enrolment import Ui_EnrolmentDialog
from pser_desk.gui.manager.base import ManagerDialog, no_default_buttons
from pser_desk.gui.manager.texts import manager_error_text
from pser_desk.gui.tasks import Lane, Runner

FIELDS = ("centre", "district", "device", "device_name", "central_url", "enrolled_at")


class EnrolmentDialog(ManagerDialog):
    def __init__(
        self, desk: DeskApi, runner: Runner, login: LoginResult | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(desk, runner, login, parent)
        self.identity: DeviceIdentity | None = None
        self.loaded = False
        self._build()
        self.retranslate()
        self.refresh()

    def _build(self) -> None:
        self.ui = Ui_EnrolmentDialog()
        self.ui.setupUi(self)
        ui = self.ui
        self.values: dict[str, QLabel] = {
            "centre": ui.enrolment_centre, "district": ui.enrolment_district,
            "device": ui.enrolment_device, "device_name": ui.enrolment_device_name,
            "central_url": ui.enrolment_central_url, "enrolled_at": ui.enrolment_enrolled_at,
        }  # fmt: skip
        ui.reenrolButton.clicked.connect(self._on_reenrol_clicked)
        ui.reenrolTokenEdit.returnPressed.connect(self._on_reenrol_clicked)  # still asks first
        no_default_buttons(self)
        ui.closeButton.clicked.connect(self.accept)
        # The screen's public surface (tests drive it).
        self.message, self.reenrol_button = ui.managerMessage, ui.reenrolButton
        self.url_edit, self.centre_edit = ui.reenrolUrlEdit, ui.reenrolCentreEdit
        self.token_edit = ui.reenrolTokenEdit

    def refresh(self) -> None:
        self.run(self.desk.enrolment.identity, self._on_loaded)

    def _on_loaded(self, identity: DeviceIdentity | None) -> None:
        self.identity, self.loaded = identity, True
        if identity is not None:
            self.url_edit.setText(self.url_edit.text() or identity.central_url)
            self.centre_edit.setText(self.centre_edit.text() or identity.centre_code)
        self._show()

    def _show(self) -> None:
        ident = self.identity
        if ident is None:
            texts = dict.fromkeys(FIELDS, "-")
            texts["centre"] = self.tr("This PC is not enrolled yet.")
        else:
            texts = {
                "centre": f"{ident.centre_code} ({ident.centre_name})",
                "district": f"{ident.district} / {ident.tehsil}",
                "device": ident.device_id,
                "device_name": ident.device_name or "-",
                "central_url": ident.central_url,
                "enrolled_at": local_time(ident.enrolled_at),
            }
        for key, label in self.values.items():
            label.setText(texts[key])

    def _on_reenrol_clicked(self) -> None:
        url, centre = self.url_edit.text().strip(), self.centre_edit.text().strip()
        token = self.token_edit.text().strip()
        if not (url and centre and token):
            self.say_error(manager_error_text("enrol.required"))
            return
        if not self.confirm_reenrol():
            return
        self.reenrol_button.setEnabled(False)
        self.say(self.tr("Asking central..."))
        self.run(
            lambda: self.desk.enrolment.enrol(url, centre, token, force=True, by=self._manager()),
            self._on_reenrolled,
            lane=Lane.NET,
            on_error=lambda _e: self.reenrol_button.setEnabled(True),
        )

    def confirm_reenrol(self) -> bool:
        answer = QMessageBox.warning(
            self,
            self.tr("Re-enrol this PC"),
            self.tr(
                "Re-enrolling gives this PC a new identity and key; the old ones stop working "
                "at central. Records already queued are sent with the new key. Re-enrol now?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_reenrolled(self, identity: DeviceIdentity) -> None:
        self.reenrol_button.setEnabled(True)
        self.token_edit.clear()
        self.identity = identity
        self._show()
        self.say(self.tr("This PC is enrolled again as %1.").replace("%1", identity.device_id))

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        if self.loaded:
            self._show()
