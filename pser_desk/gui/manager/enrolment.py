"""Enrolment: who this PC is to central; re-enrol with a new token after confirmation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pser_desk.documents.report import local_time
from pser_desk.gui.backend import LoginResult
from pser_desk.gui.manager.base import ManagerDialog
from pser_desk.gui.manager.services import ManagerServices
from pser_desk.gui.manager.texts import manager_error_text
from pser_desk.gui.tasks import Lane, Runner
from pser_desk.store import DeviceIdentity

FIELDS = ("centre", "district", "device", "device_name", "central_url", "enrolled_at")


class EnrolmentDialog(ManagerDialog):
    def __init__(
        self, services: ManagerServices, runner: Runner, login: LoginResult | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(services, runner, login, parent)
        self.setObjectName("EnrolmentDialog")
        self.resize(640, 480)
        self.identity: DeviceIdentity | None = None
        self.loaded = False
        self._build()
        self.retranslate()
        self.refresh()

    def _build(self) -> None:
        self.shown_group = QGroupBox(self)
        self.shown_form = QFormLayout(self.shown_group)
        self.values: dict[str, QLabel] = {}
        for key in FIELDS:
            value = QLabel(self)
            value.setObjectName(f"enrolment_{key}")
            value.setWordWrap(True)
            self.values[key] = value
            self.shown_form.addRow(QLabel(self), value)
        self.again_group = QGroupBox(self)
        self.url_edit, self.centre_edit, self.token_edit = (QLineEdit(self) for _ in range(3))
        self.url_edit.setObjectName("reenrolUrlEdit")
        self.centre_edit.setObjectName("reenrolCentreEdit")
        self.token_edit.setObjectName("reenrolTokenEdit")
        self.reenrol_button = QPushButton(self)
        self.reenrol_button.setObjectName("reenrolButton")
        self.reenrol_button.clicked.connect(self._on_reenrol_clicked)
        self.again_form = QFormLayout(self.again_group)
        self.again_note = QLabel(self)
        self.again_note.setWordWrap(True)
        self.again_form.addRow(self.again_note)
        for edit in (self.url_edit, self.centre_edit, self.token_edit):
            self.again_form.addRow(QLabel(self), edit)
        self.again_form.addRow(QLabel(self), self.reenrol_button)
        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.shown_group)
        layout.addWidget(self.again_group)
        layout.addLayout(bottom)

    def refresh(self) -> None:
        self.run(self.services.enrolment, self._on_loaded)

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
            lambda: self.services.reenrol(self.login, url, centre, token),
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
        self.setWindowTitle(self.tr("Enrolment"))
        self.shown_group.setTitle(self.tr("This PC"))
        labels = (self.tr("Centre"), self.tr("District / tehsil"), self.tr("Device ID"),
                  self.tr("PC name"), self.tr("Central's URL"), self.tr("Enrolled at"))  # fmt: skip
        for row, text in enumerate(labels):
            _label(self.shown_form, row, text)
        self.again_group.setTitle(self.tr("Re-enrol"))
        self.again_note.setText(self.tr(
            "Only when the district office asks: with a new one-time token from them."
        ))  # fmt: skip
        for row, text in enumerate((self.tr("Central's URL"), self.tr("Centre code"),
                                    self.tr("New enrolment token")), start=1):  # fmt: skip
            _label(self.again_form, row, text)
        self.reenrol_button.setText(self.tr("Re-&enrol this PC..."))
        self.close_button.setText(self.tr("Close"))
        if self.loaded:
            self._show()


def _label(form: QFormLayout, row: int, text: str) -> None:
    item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
    widget = item.widget() if item is not None else None
    if isinstance(widget, QLabel):
        widget.setText(text)
