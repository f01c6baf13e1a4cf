"""The enrolment screen shows this PC and re-enrols it against the reference central service."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from pser_desk.gui.manager.enrolment import EnrolmentDialog
from pser_desk.security.device import DeviceKey
from tests.gui.manager.conftest import answer_next_question, set_text

pytestmark = pytest.mark.gui

CENTRE = "LHR-0042"


@pytest.fixture
def dialog(qtbot, desk, runner, manager_login, kit, wait_idle):
    kit.enrol(CENTRE)
    widget = EnrolmentDialog(desk, runner, manager_login)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle()
    return widget


def test_the_enrolment_is_shown(dialog) -> None:
    assert dialog.values["device"].text() == "dev_test1"
    assert dialog.values["centre"].text() == "LHR-0042 (Test Centre)"
    assert dialog.centre_edit.text() == CENTRE


def test_reenrol_asks_first_and_then_takes_a_new_identity(
    dialog, central_server, desk, data_dir, wait_idle
) -> None:
    set_text(dialog.url_edit, central_server.url)
    set_text(dialog.token_edit, central_server.service.new_token(CENTRE))
    answer_next_question(QMessageBox.StandardButton.No)
    QTest.mouseClick(dialog.reenrol_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert desk.enrolment.identity().device_id == "dev_test1"  # said no: nothing changed
    asked = answer_next_question(QMessageBox.StandardButton.Yes)
    QTest.mouseClick(dialog.reenrol_button, Qt.MouseButton.LeftButton)
    wait_idle(20_000)
    assert "new identity" in asked[0]
    identity = desk.enrolment.identity()
    assert identity.device_id != "dev_test1"
    assert identity.central_url == central_server.url.rstrip("/")
    assert dialog.values["device"].text() == identity.device_id
    assert identity.device_id in dialog.message.text()
    assert DeviceKey.load(data_dir).public_raw()  # the new key is kept
    assert dialog.token_edit.text() == ""


def test_a_used_token_is_refused_in_words(dialog, central_server, wait_idle) -> None:
    token = central_server.service.new_token(CENTRE)
    set_text(dialog.url_edit, central_server.url)
    for _ in range(2):
        set_text(dialog.token_edit, token)
        answer_next_question(QMessageBox.StandardButton.Yes)
        QTest.mouseClick(dialog.reenrol_button, Qt.MouseButton.LeftButton)
        wait_idle(20_000)
    assert "did not accept this enrolment token" in dialog.message.text()
    assert dialog.reenrol_button.isEnabled()
