"""Keys typed while a household is saved (gui/held_keys.py): kept for the next form, in
order; commands (Ctrl, Alt) are not typing; a failed save drops them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from pser_desk.gui.held_keys import HeldKeys

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    QVBoxLayout(widget).addWidget(QLineEdit(widget))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    edit = widget.findChild(QLineEdit)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    return widget


def _type_while_busy(held: HeldKeys, edit: QLineEdit) -> None:
    held.hold(True)
    QTest.keyClicks(edit, "352")
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    QTest.keyClicks(edit, "02")
    assert edit.text() == ""  # nothing reaches the form being saved
    assert held.held == 5


def test_keys_typed_while_busy_are_typed_in_order_when_the_next_form_is_shown(window) -> None:
    edit = window.findChild(QLineEdit)
    held = HeldKeys(window)
    _type_while_busy(held, edit)
    held.hold(False)
    held.replay()  # the save worked: the next form has the focus in the same turn
    assert edit.text() == "35202"
    assert held.held == 0


def test_keys_held_for_a_save_that_failed_are_dropped(window, qtbot) -> None:
    edit = window.findChild(QLineEdit)
    held = HeldKeys(window)
    _type_while_busy(held, edit)
    held.hold(False)  # the save failed: no next form
    qtbot.wait(20)
    held.replay()
    assert edit.text() == ""
    QTest.keyClicks(edit, "7")  # and the keyboard is the form's again
    assert edit.text() == "7"


def test_keys_of_another_window_are_not_held(window, qtbot) -> None:
    other = QLineEdit()
    qtbot.addWidget(other)
    other.show()
    held = HeldKeys(window)
    held.hold(True)
    QTest.keyClicks(other, "12")
    assert other.text() == "12"
    assert held.held == 0
    held.hold(False)
