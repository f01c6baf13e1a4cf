"""A card read fills the CNIC (head or the member being edited) and pre-fills what the form has."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.registration import RegistrationPage

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 24)
CARD = {"cnic": "3520212345671", "name_ur": "x", "date_of_birth": "1972-07-23", "family_no": "F1"}


@pytest.fixture
def page(qtbot, store_desk, runner, wait_idle):
    widget = RegistrationPage(load_form(), load_geography(), store_desk.desk, runner, lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    widget.reset_for_operator(store_desk.operator())
    yield widget
    wait_idle()


def test_a_scan_fills_the_heads_cnic_and_date_of_birth_marked_for_checking(page, qtbot) -> None:
    wizard = page.wizard
    with qtbot.waitSignal(page.draft_saved, timeout=5000):  # the scan is autosaved
        filled = page.apply_scan("35202-1234567-1", CARD)
        assert "card" in page.status_label.text()
    assert sorted(filled) == ["cnic", "date_of_birth"]
    form = wizard.forms["cnic"]
    assert form.editor("cnic").value() == "3520212345671"
    assert form.editor("date_of_birth").value() == "1972-07-23"
    # the gender follows from the CNIC's last digit: filled in too, marked to check
    assert form.hints() == {"cnic": "card", "date_of_birth": "card", "gender": "carried"}
    assert form.findChild(object, "error_cnic").isVisibleTo(form)
    edit = form.editor("cnic").edit
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_End)
    QTest.keyClick(edit, Qt.Key.Key_Backspace)
    assert "cnic" not in form.hints()  # edited: the operator has checked it


def test_a_scan_never_overwrites_what_the_operator_typed(page) -> None:
    form = page.wizard.forms["cnic"]
    dob = form.editor("date_of_birth").edit
    QTest.keyClick(dob, Qt.Key.Key_Home)
    QTest.keyClicks(dob, "01011980")
    assert form.editor("date_of_birth").value() == "1980-01-01"
    filled = page.apply_scan("3520212345671", CARD)
    assert filled == ["cnic"]
    assert form.editor("date_of_birth").value() == "1980-01-01"
    assert page.apply_scan("3520299999991", {}) == []
    assert form.editor("cnic").value() == "3520212345671"


def test_a_scan_while_a_member_is_typed_fills_that_member(page, qtbot) -> None:
    wizard = page.wizard
    roster = wizard.roster
    while wizard.currentPage().content is not roster:
        wizard.next()
    roster.editor_at(0, "name").widget.setFocus()
    qtbot.waitUntil(lambda: roster.current_row() == 0)
    filled = page.apply_scan("3520212345671", CARD)
    assert sorted(filled) == ["cnic_or_bform", "date_of_birth"]
    assert roster.editor_at(0, "cnic_or_bform").value() == "3520212345671"
    assert page.wizard.forms["cnic"].editor("cnic").value() is None  # the head is untouched


def test_a_scan_clears_the_required_error_left_by_the_empty_field(page, qtbot) -> None:
    """F3 from the empty CNIC field marks it "required" on the way out; the card's number
    must replace that error with the hint to check it, not leave it beside a good number."""
    form = page.wizard.forms["cnic"]
    edit = form.editor("cnic").edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    QTest.keyClick(edit, Qt.Key.Key_Tab)  # passing the empty field with the keyboard
    qtbot.waitUntil(lambda: form.error_codes().get("cnic") == "required", timeout=2000)
    page.apply_scan("3520212345671", CARD)
    assert "cnic" not in form.error_codes()
    assert "cnic" in form.hints()
    label = form.findChild(object, "error_cnic")
    assert label.isVisibleTo(form)
    assert label.text() == "Filled from the card: check it."
