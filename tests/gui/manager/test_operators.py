"""The manager adds, disables and resets operators; the store then lets them in or not."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from pser_desk.gui.manager.operators import OperatorsDialog
from pser_desk.store.errors import AuthenticationFailed
from tests.gui.manager.conftest import answer_next_question
from tests.plugins.store import OPERATOR_PASSWORD

pytestmark = pytest.mark.gui

PASSWORD = "counter-nine-2026"


@pytest.fixture
def dialog(qtbot, desk, runner, manager_login, wait_idle):
    widget = OperatorsDialog(desk, runner, manager_login)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle()
    return widget


def _add(dialog, wait_idle, op_id: str, password: str, repeat: str | None = None) -> None:
    QTest.keyClicks(dialog.id_edit, op_id)
    QTest.keyClicks(dialog.name_edit, "Operator Nine")
    QTest.keyClicks(dialog.password_edit, password)
    QTest.keyClicks(dialog.repeat_edit, password if repeat is None else repeat)
    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle()


def test_an_added_operator_can_sign_in_and_a_disabled_one_cannot(dialog, desk, wait_idle) -> None:
    assert [op.id for op in dialog.operators] == ["mgr1"]
    _add(dialog, wait_idle, "op9", PASSWORD)
    assert "op9 added" in dialog.message.text()
    assert [op.id for op in dialog.operators] == ["mgr1", "op9"]
    assert dialog.table.item(1, 3).text() == "Active"
    assert desk.store.operators.login("op9", PASSWORD).operator_id == "op9"

    dialog.select("op9")
    asked = answer_next_question(QMessageBox.StandardButton.Yes)
    QTest.mouseClick(dialog.disable_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert "op9" in asked[0]
    assert dialog.table.item(1, 3).text() == "Disabled"
    with pytest.raises(AuthenticationFailed, match="disabled"):
        desk.store.operators.login("op9", PASSWORD)

    dialog.select("op9")
    QTest.keyClicks(dialog.reset_edit, "fresh-start-2026")
    QTest.keyClicks(dialog.reset_repeat, "fresh-start-2026")
    QTest.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert dialog.table.item(1, 3).text() == "Active"
    assert desk.store.operators.login("op9", "fresh-start-2026").operator_id == "op9"


def test_refusals_are_explained_in_words(dialog, desk, wait_idle) -> None:
    _add(dialog, wait_idle, "op9", "short")
    assert "at least 10 characters" in dialog.message.text()
    dialog.id_edit.clear()
    dialog.name_edit.clear()
    dialog.password_edit.clear()
    dialog.repeat_edit.clear()
    _add(dialog, wait_idle, "op9", PASSWORD, repeat=PASSWORD + "x")
    assert "not the same" in dialog.message.text()
    dialog.id_edit.clear()
    dialog.name_edit.clear()
    dialog.password_edit.clear()
    dialog.repeat_edit.clear()
    _add(dialog, wait_idle, "mgr1", PASSWORD)
    assert "already exists" in dialog.message.text()
    dialog.select("mgr1")
    answer_next_question(QMessageBox.StandardButton.Yes)
    QTest.mouseClick(dialog.disable_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert "your own account" in dialog.message.text()
    assert [op.id for op in desk.accounts.list()] == ["mgr1"]
    assert "Traceback" not in dialog.message.text()


def test_an_operator_session_cannot_manage(qtbot, desk, runner, kit, wait_idle) -> None:
    from pser_desk.desk.model import LoginOutcome, LoginResult, OperatorInfo
    from pser_desk.domain.accounts import Role

    manager = kit.add_manager("mgr1")
    kit.add_operator(manager, "op1")
    session = kit.operators.login("op1", OPERATOR_PASSWORD)
    login = LoginResult(LoginOutcome.OK, OperatorInfo("op1", "Op", Role.OPERATOR), session)
    widget = OperatorsDialog(desk, runner, login)
    qtbot.addWidget(widget)
    wait_idle()
    _add(widget, wait_idle, "op9", PASSWORD)
    assert "Only a manager" in widget.message.text()
    assert "op9" not in [op.id for op in desk.accounts.list()]


def test_a_name_with_a_direction_override_is_refused_in_words(dialog, wait_idle) -> None:
    QTest.keyClicks(dialog.id_edit, "op9")
    dialog.name_edit.setText("Ali\u202enaK")  # pasted: shows as "AliKan"
    QTest.keyClicks(dialog.password_edit, PASSWORD)
    QTest.keyClicks(dialog.repeat_edit, PASSWORD)
    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert "direction-control characters" in dialog.message.text()
    assert [op.id for op in dialog.operators] == ["mgr1"]
