"""On the real desk (the application layer, reference central): the manager's screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from pser_desk.desk.model import LoginOutcome
from pser_desk.gui.manager import install_manager_screens
from pser_desk.gui.manager.operators import OperatorsDialog
from tests.gui.manager.conftest import answer_next_question
from tests.gui.manager.test_menu import _sign_in
from tests.plugins.gui import MANAGER

pytestmark = pytest.mark.gui

PASSWORD = "counter-nine-2026"


def test_a_manager_adds_an_operator_who_signs_in_and_disables_one_who_then_cannot(
    qtbot, make_controller, store_desk, wait_idle
) -> None:
    controller = make_controller(store_desk)
    screens = install_manager_screens(controller)
    controller.start()
    wait_idle()
    _sign_in(qtbot, controller, wait_idle, MANAGER[0], MANAGER[2])
    assert screens.menu.menuAction().isVisible()
    QTest.keyClick(controller.window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    dialog = screens.dialog
    assert isinstance(dialog, OperatorsDialog)
    wait_idle()
    QTest.keyClicks(dialog.id_edit, "op9")
    QTest.keyClicks(dialog.name_edit, "Operator Nine")
    QTest.keyClicks(dialog.password_edit, PASSWORD)
    QTest.keyClicks(dialog.repeat_edit, PASSWORD)
    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert store_desk.login("op9", PASSWORD).outcome is LoginOutcome.OK
    dialog.select("op9")
    answer_next_question(QMessageBox.StandardButton.Yes)
    QTest.mouseClick(dialog.disable_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert store_desk.login("op9", PASSWORD).outcome is LoginOutcome.DISABLED
    dialog.reject()
    wait_idle()
