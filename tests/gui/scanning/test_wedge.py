"""A handheld scanner's burst fills the CNIC anywhere in the wizard; a person's typing does not."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pser_desk.gui.scanning import install_scanning

pytestmark = pytest.mark.gui

CARD = "3389168869148"
SCANNER_DELAY_MS = 4  # USB HID scanners type a key every 2-20 ms
PERSON_DELAY_MS = 130  # a quick typist


def _head_form(desk):
    return desk.registration.wizard.forms["cnic"]


def _focus(qtbot, widget) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=3000)


def test_a_scanner_burst_in_another_field_fills_the_heads_cnic(desk, qtbot) -> None:
    scanning = install_scanning(desk)
    desk.show_registration()
    form = _head_form(desk)
    name = form.editor("name").edit
    QTest.keyClicks(name, "Ali", delay=PERSON_DELAY_MS)
    _focus(qtbot, name)
    page_before = desk.registration.wizard.currentId()
    with qtbot.waitSignal(scanning.wedge.burst_detected, timeout=5000) as burst:
        QTest.keyClicks(name, CARD, delay=SCANNER_DELAY_MS)
        QTest.keyClick(name, Qt.Key.Key_Return, delay=SCANNER_DELAY_MS)
    assert burst.args[0].cnic == CARD
    assert form.editor("cnic").value() == CARD
    assert name.text() == "Ali"  # what the scanner typed into the name is taken back out
    assert desk.registration.wizard.currentId() == page_before  # its Enter was swallowed


def test_a_person_typing_the_same_keys_is_left_alone(desk, qtbot) -> None:
    scanning = install_scanning(desk)
    desk.show_registration()
    form = _head_form(desk)
    name = form.editor("name").edit
    _focus(qtbot, name)
    bursts = []
    scanning.wedge.burst_detected.connect(bursts.append)
    QTest.keyClicks(name, CARD[:9], delay=PERSON_DELAY_MS)
    QTest.keyClick(name, Qt.Key.Key_Return, delay=PERSON_DELAY_MS)
    assert bursts == []
    assert form.editor("cnic").value() is None
    assert name.text() == CARD[:9]


def test_a_burst_while_a_member_is_typed_fills_that_members_cnic(desk, qtbot) -> None:
    install_scanning(desk)
    desk.show_registration()
    wizard = desk.registration.wizard
    roster = wizard.roster
    while wizard.currentPage().content is not roster:
        wizard.next()
    target = roster.editor_at(0, "name").edit  # the member's row being typed
    _focus(qtbot, target)
    QTest.keyClicks(target, CARD, delay=SCANNER_DELAY_MS)
    QTest.keyClick(target, Qt.Key.Key_Return, delay=SCANNER_DELAY_MS)
    assert roster.editor_at(0, "cnic_or_bform").value() == CARD
    assert target.text() == ""
    assert _head_form(desk).editor("cnic").value() is None


def test_a_burst_without_a_cnic_is_taken_out_and_explained(desk, qtbot) -> None:
    install_scanning(desk)
    desk.show_registration()
    name = _head_form(desk).editor("name").edit
    _focus(qtbot, name)
    QTest.keyClicks(name, "HELLO-WORLD-PARCEL", delay=SCANNER_DELAY_MS)
    QTest.keyClick(name, Qt.Key.Key_Return, delay=SCANNER_DELAY_MS)
    assert name.text() == ""
    assert "without a CNIC" in desk.window.statusBar().currentMessage()
    assert _head_form(desk).editor("cnic").value() is None


def test_a_burst_into_the_cnic_field_is_not_spilled_by_auto_advance(desk, qtbot) -> None:
    """Issue 15: a complete CNIC moves the focus on by itself; a scanner's payload that goes
    on past the 13 digits must not leave its rest in the next question."""
    from PySide6.QtWidgets import QApplication

    scanning = install_scanning(desk)
    desk.show_registration()
    form = _head_form(desk)
    cnic = form.editor("cnic").edit
    _focus(qtbot, cnic)
    payload = CARD + "20261124"  # a smart card's QR: the number, then more digits
    with qtbot.waitSignal(scanning.wedge.burst_detected, timeout=5000):
        for ch in payload:  # each key to whatever has the focus, as a scanner types
            QTest.keyClick(QApplication.focusWidget(), ch, delay=SCANNER_DELAY_MS)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, delay=SCANNER_DELAY_MS)
    assert form.editor("cnic").value() == CARD
    assert form.editor("name").edit.text() == ""  # nothing of the payload spilled into it
