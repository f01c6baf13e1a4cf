"""Operators: the accounts of this PC; add, disable, reset a password (managers only)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QMessageBox, QTableWidgetItem, QWidget

from pser_desk.desk.model import LoginResult
from pser_desk.desk.protocol import DeskApi
from pser_desk.domain.accounts import Operator, Role
from pser_desk.gui.forms.ui_manager_operators import Ui_OperatorsDialog
from pser_desk.gui.manager.base import ManagerDialog, no_default_buttons
from pser_desk.gui.manager.texts import manager_error_text
from pser_desk.gui.tasks import Runner

ROLES = ("operator", "manager")


class OperatorsDialog(ManagerDialog):
    def __init__(
        self, desk: DeskApi, runner: Runner, login: LoginResult | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(desk, runner, login, parent)
        self.operators: list[Operator] = []
        self._build()
        self.retranslate()
        self.refresh()

    def _build(self) -> None:
        self.ui = Ui_OperatorsDialog()
        self.ui.setupUi(self)
        ui = self.ui
        header = ui.operatorsTable.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # no column narrower than its text
        ui.disableButton.clicked.connect(self._on_disable_clicked)
        ui.addButton.clicked.connect(self._on_add_clicked)
        ui.resetButton.clicked.connect(self._on_reset_clicked)
        ui.closeButton.clicked.connect(self.accept)
        # Enter finishes the group it is typed in; no button is pressed by Enter elsewhere
        # (disabling an account must never be what Enter does: defect 3 of issue 15).
        ui.newRepeatEdit.returnPressed.connect(self._on_add_clicked)
        ui.resetRepeatEdit.returnPressed.connect(self._on_reset_clicked)
        no_default_buttons(self)
        # The screen's public surface (tests and scripts/screenshots_manager.py drive it).
        self.message, self.table = ui.managerMessage, ui.operatorsTable
        self.id_edit, self.name_edit, self.role_combo = (
            ui.newIdEdit,
            ui.newNameEdit,
            ui.newRoleCombo,
        )
        self.password_edit, self.repeat_edit = ui.newPasswordEdit, ui.newRepeatEdit
        self.add_button, self.disable_button = ui.addButton, ui.disableButton
        self.reset_edit, self.reset_repeat = ui.resetPasswordEdit, ui.resetRepeatEdit
        self.reset_button, self.close_button = ui.resetButton, ui.closeButton

    # ------------------------------------------------------------ list

    def refresh(self) -> None:
        self.run(self.desk.accounts.list, self._on_listed)

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
            lambda: self.desk.accounts.add(self._manager(), op_id, name, Role(role), password),
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
            lambda: self.desk.accounts.disable(self._manager(), op_id),
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
            lambda: self.desk.accounts.reset(self._manager(), op_id, password),
            lambda _r: self._on_changed(done),
        )

    def _on_changed(self, text: str) -> None:
        self.reset_edit.clear()
        self.reset_repeat.clear()
        self.say(text)
        self.refresh()

    # ------------------------------------------------------------ words

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        self._fill_table()
