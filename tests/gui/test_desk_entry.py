"""Issue 15 at the desk level: the first Ctrl+N after sign-in, the place after a crash."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.keyboard import send_text
from tests.gui.test_desk_store import keyboard_sign_in
from tests.plugins.gui import OPERATOR

pytestmark = pytest.mark.gui


def _signed_in_desk(qtbot, backend, make_controller, wait_idle):
    desk = make_controller(backend, registration=True)
    desk.start()
    wait_idle()
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    desk.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk.window, timeout=5000)
    return desk


def test_the_first_ctrl_n_after_sign_in_takes_every_digit(
    qtbot, store_desk, make_controller, wait_idle
) -> None:
    """Defect 9: the cursor sat after the CNIC mask and the digits typed were lost."""
    desk = _signed_in_desk(qtbot, store_desk, make_controller, wait_idle)
    QTest.keyClick(QApplication.focusWidget() or desk.window, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier)  # fmt: skip
    cnic = desk.registration.wizard.forms["cnic"].editor("cnic")
    qtbot.waitUntil(cnic.widget.hasFocus, timeout=5000)
    send_text(QApplication.focusWidget(), "3520212345671")
    assert cnic.value() == "3520212345671"
    wait_idle()


def test_after_a_crash_the_draft_reopens_with_the_focus_where_the_operator_was(
    qtbot, store_desk, make_controller, wait_idle, data_dir
) -> None:
    """Defect 17: after a crash the focus went to the page's first question."""
    data_dir.mkdir(parents=True, exist_ok=True)
    first = _signed_in_desk(qtbot, store_desk, make_controller, wait_idle)
    first.show_registration()
    wizard = first.registration.wizard
    dob = wizard.forms["date_of_birth"].editor("date_of_birth")
    dob.widget.setFocus()
    qtbot.waitUntil(dob.widget.hasFocus, timeout=2000)
    send_text(dob.widget, "2307")  # half a date: the operator is here
    with qtbot.waitSignal(first.registration.draft_saved, timeout=5000):
        pass
    wait_idle()
    sid = first.registration.submission_id
    # The power goes: no shutdown, no flush, no more events; the window is simply gone.
    first.registration._timer.stop()
    first.sync.stop()
    first.idle.stop()
    first.window.hide()
    second = _signed_in_desk(qtbot, store_desk, make_controller, wait_idle)
    qtbot.waitUntil(lambda: second.registration.submission_id == sid, timeout=10_000)
    again = second.registration.wizard.forms["date_of_birth"].editor("date_of_birth")
    qtbot.waitUntil(again.widget.hasFocus, timeout=5000)
    wait_idle()
