"""Operators: the accounts of this PC; add, disable, reset a password (managers only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pser_desk.gui.backend import LoginResult
from pser_desk.gui.manager.base import ManagerDialog
from pser_desk.gui.manager.services import ManagerServices
from pser_desk.gui.manager.texts import manager_error_text
from pser_desk.gui.tasks import Runner
from pser_desk.store.operators import Operator

ROLES = ("operator", "manager")


class OperatorsDialog(ManagerDialog):
    def __init__(
        self, services: ManagerServices, runner: Runner, login: LoginResult | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(services, runner, login, parent)
        self.setObjectName("OperatorsDialog")
        self.resize(760, 560)
        self.operators: list[Operator] = []
        self._build()
        self.retranslate()
        self.refresh()

    def _build(self) -> None:
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("operatorsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.disable_button = QPushButton(self)
        self.disable_button.setObjectName("disableButton")
        self.disable_button.clicked.connect(self._on_disable_clicked)
        self.add_group = QGroupBox(self)
        self.id_edit, self.name_edit = QLineEdit(self), QLineEdit(self)
        self.id_edit.setObjectName("newIdEdit")
        self.name_edit.setObjectName("newNameEdit")
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("newRoleCombo")
        self.password_edit, self.repeat_edit = self._password(), self._password()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addButton")
        self.add_button.clicked.connect(self._on_add_clicked)
        self._add_form = QFormLayout(self.add_group)
        for widget in (self.id_edit, self.name_edit, self.role_combo, self.password_edit,
                       self.repeat_edit):  # fmt: skip
            self._add_form.addRow(QLabel(self), widget)
        self._add_form.addRow(QLabel(self), self.add_button)
        self.reset_group = QGroupBox(self)
        self.reset_edit, self.reset_repeat = self._password(), self._password()
        self.reset_button = QPushButton(self)
        self.reset_button.setObjectName("resetButton")
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self._reset_form = QFormLayout(self.reset_group)
        self._reset_form.addRow(QLabel(self), self.reset_edit)
        self._reset_form.addRow(QLabel(self), self.reset_repeat)
        self._reset_form.addRow(QLabel(self), self.reset_button)
        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        self._layout()

    def _layout(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.reset_group)
        side.addWidget(self.disable_button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.table, 2)
        top.addLayout(side, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.add_group)
        layout.addLayout(bottom)

    def _password(self) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    # ------------------------------------------------------------ list

    def refresh(self) -> None:
        self.run(self.services.operators, self._on_listed)

    def _on_listed(self, operators: list[Operator]) -> None:
        self.operators = operators
        self._fill_table()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.operators))
        for row, op in enumerate(self.operators):
            cells = (op.id, op.name, self._role_text(op.role.value), self._state_text(op))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _role_text(self, role: str) -> str:
        return self.tr("Manager") if role == "manager" else self.tr("Operator")

    def _state_text(self, op: Operator) -> str:
        if op.disabled:
            return self.tr("Disabled")
        if op.locked_until is not None:
            return self.tr("Locked for a while (wrong passwords)")
        return self.tr("Active")

    def selected_id(self) -> str | None:
        row = self.table.currentRow()
        return self.operators[row].id if 0 <= row < len(self.operators) else None

    def select(self, operator_id: str) -> None:
        for row, op in enumerate(self.operators):
            if op.id == operator_id:
                self.table.selectRow(row)

    # ------------------------------------------------------------ actions

    def _on_add_clicked(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self.say_error(manager_error_text("password.mismatch"))
            return
        op_id, name = self.id_edit.text().strip(), self.name_edit.text().strip()
        role, password = ROLES[max(0, self.role_combo.currentIndex())], self.password_edit.text()
        self.run(
            lambda: self.services.add_operator(self.login, op_id, name, role, password),
            lambda _r: self._on_added(op_id),
        )

    def _on_added(self, operator_id: str) -> None:
        for edit in (self.id_edit, self.name_edit, self.password_edit, self.repeat_edit):
            edit.clear()
        self.say(self.tr("Operator %1 added. They can sign in now.").replace("%1", operator_id))
        self.refresh()

    def _on_disable_clicked(self) -> None:
        op_id = self.selected_id()
        if op_id is None:
            self.say_error(manager_error_text("operator.none_selected"))
            return
        if not self.confirm_disable(op_id):
            return
        self.run(
            lambda: self.services.disable_operator(self.login, op_id),
            lambda _r: self._on_changed(self.tr("Operator %1 is disabled.").replace("%1", op_id)),
        )

    def confirm_disable(self, operator_id: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Disable operator"),
            self.tr("Disable %1? They cannot sign in until a manager resets their password.")
            .replace("%1", operator_id),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def _on_reset_clicked(self) -> None:
        op_id = self.selected_id()
        if op_id is None:
            self.say_error(manager_error_text("operator.none_selected"))
            return
        if self.reset_edit.text() != self.reset_repeat.text():
            self.say_error(manager_error_text("password.mismatch"))
            return
        password = self.reset_edit.text()
        done = self.tr("New password set for %1; the account is active.").replace("%1", op_id)
        self.run(
            lambda: self.services.reset_password(self.login, op_id, password),
            lambda _r: self._on_changed(done),
        )

    def _on_changed(self, text: str) -> None:
        self.reset_edit.clear()
        self.reset_repeat.clear()
        self.say(text)
        self.refresh()

    # ------------------------------------------------------------ words

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Operators"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Operator ID"), self.tr("Name"), self.tr("Role"), self.tr("State")]
        )
        self.add_group.setTitle(self.tr("Add an operator"))
        labels = (self.tr("Operator ID"), self.tr("Name"), self.tr("Role"),
                  self.tr("Password (at least 10 characters)"), self.tr("Repeat the password"))  # fmt: skip
        for row, text in enumerate(labels):
            _set_label(self._add_form, row, text)
        index = self.role_combo.currentIndex()
        self.role_combo.clear()
        self.role_combo.addItems([self.tr("Operator"), self.tr("Manager")])
        self.role_combo.setCurrentIndex(max(0, index))
        self.add_button.setText(self.tr("&Add operator"))
        self.reset_group.setTitle(self.tr("Reset the selected operator's password"))
        _set_label(self._reset_form, 0, self.tr("New password"))
        _set_label(self._reset_form, 1, self.tr("Repeat the password"))
        self.reset_button.setText(self.tr("&Reset password"))
        self.disable_button.setText(self.tr("&Disable the selected operator"))
        self.close_button.setText(self.tr("Close"))
        self._fill_table()


def _set_label(form: QFormLayout, row: int, text: str) -> None:
    item: Any = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
    label = item.widget() if item is not None else None
    if label is not None:
        label.setText(text)
