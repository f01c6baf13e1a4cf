"""Issue 15: the family members as a keyboard-only grid, with what is known carried forward.

Defect 7 (focus on a button where Insert did nothing, Enter skipping a page with no
member, a member kept with errors and no marker, Escape throwing a half-typed member
away) and defect 8 (a cross-field rule shown only on Review), with key events.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.registration import RegistrationPage
from tests.gui.keyboard import press

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 24)
ENTER = Qt.Key.Key_Return
HEAD = {  # a married woman heads the household
    "cnic": "3520212345672", "name": "Ayesha Bibi", "father_or_husband_name": "Muhammad Aslam",
    "date_of_birth": "1985-03-12", "gender": "female", "marital_status": "married",
}  # fmt: skip


@pytest.fixture
def page(qtbot, store_desk, runner, wait_idle):
    widget = RegistrationPage(load_form(), load_geography(), store_desk.desk, runner, lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    widget.reset_for_operator(store_desk.operator())
    yield widget
    wait_idle()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _to_members_by_keyboard(qtbot, wizard) -> None:
    """The head typed in, then the Next button (Space) from the contact page."""
    wizard.load(dict(HEAD), [])
    members_page = next(p for p in wizard.section_pages if p.section.id == "members")
    contact_page = wizard.section_pages[wizard.section_pages.index(members_page) - 1]
    while wizard.currentPage() is not contact_page:
        wizard.next()
    QTest.keyClick(wizard.button(wizard.WizardButton.NextButton), Qt.Key.Key_Space)
    assert wizard.currentPage() is members_page


def test_arriving_on_the_members_page_the_keyboard_is_in_a_row_and_insert_adds_one(
    page, qtbot
) -> None:
    wizard = page.wizard
    _to_members_by_keyboard(qtbot, wizard)
    qtbot.waitUntil(lambda: focused().objectName() == "field_relation", timeout=2000)
    press(None, text="2")  # son
    assert focused().objectName() == "field_name"
    press(None, text="Ali")
    press(Qt.Key.Key_Insert)
    assert focused().objectName() == "field_relation"
    assert wizard.roster.current_row() == 1
    assert [m["name"] for m in wizard.members()] == ["Ali"]


def test_enter_with_no_member_asks_once_before_leaving_the_page(page, qtbot) -> None:
    wizard = page.wizard
    _to_members_by_keyboard(qtbot, wizard)
    members_page = wizard.currentPage()
    qtbot.waitUntil(lambda: wizard.roster.isAncestorOf(focused()), timeout=2000)
    press(ENTER)
    assert wizard.currentPage() is members_page
    message = wizard.roster.problems_label
    assert message.isVisible()
    assert "Enter again" in message.text()
    press(ENTER)
    assert wizard.currentPage() is not members_page


def test_a_member_with_a_problem_is_marked_and_the_page_is_not_left(page, qtbot) -> None:
    """The son is older than his mother: shown at once, under the grid, row marked."""
    wizard = page.wizard
    _to_members_by_keyboard(qtbot, wizard)
    roster = wizard.roster
    qtbot.waitUntil(lambda: focused().objectName() == "field_relation", timeout=2000)
    press(None, text="2")  # son
    press(None, text="Ali Aslam")
    press(ENTER)
    assert focused().objectName() == "field_date_of_birth"
    press(None, text="01011980")  # complete and valid: moves on by itself
    assert roster.problems_label.isVisible()
    assert "Member 1" in roster.problems_label.text()
    assert "relation" in roster.problems_label.text()
    assert "⚠" in roster.findChild(QWidget, "memberNumber_1").text()
    # to a fresh row and Enter there: the page is not left past the problem
    press(Qt.Key.Key_Insert)
    press(ENTER)
    assert wizard.currentPage().section.id == "members"
    assert focused().objectName() == "field_date_of_birth"
    assert roster.current_row() == 0


def test_a_cnic_for_a_child_is_shown_at_the_field_at_once(page, qtbot) -> None:
    """Defect 8: a member under 18 with a CNIC showed only on Review."""
    wizard = page.wizard
    _to_members_by_keyboard(qtbot, wizard)
    roster = wizard.roster
    qtbot.waitUntil(lambda: focused().objectName() == "field_relation", timeout=2000)
    roster.editor_at(0, "id_type").widget.setFocus()
    press(None, text="1")  # CNIC (18 or older), chosen by the operator
    roster.editor_at(0, "date_of_birth").widget.setFocus()
    press(None, text="01012015")
    assert "under 18" in roster.problems_label.text()
    assert roster.editor_at(0, "id_type").widget.property("problem") is True


def test_escape_keeps_a_half_typed_member(page, qtbot) -> None:
    wizard = page.wizard
    _to_members_by_keyboard(qtbot, wizard)
    qtbot.waitUntil(lambda: focused().objectName() == "field_relation", timeout=2000)
    press(None, text="3")  # daughter
    press(None, text="Fatima")
    press(Qt.Key.Key_Escape)
    assert [m.get("name") for m in wizard.members()] == ["Fatima"]
    assert wizard.currentPage().section.id == "members"


def test_what_is_known_is_carried_forward_and_skipped(page, qtbot) -> None:
    """The husband's name, his gender and marriage; a child's document from the age and
    the household's CNIC prefix at the start of the B-Form; all by keys only."""
    wizard = page.wizard
    _to_members_by_keyboard(qtbot, wizard)
    roster = wizard.roster
    qtbot.waitUntil(lambda: focused().objectName() == "field_relation", timeout=2000)
    press(None, text="1")  # spouse: the name is known
    assert roster.editor_at(0, "name").value() == "Muhammad Aslam"
    assert focused().objectName() == "field_date_of_birth"  # the carried name is skipped
    press(None, text="20051980")
    assert roster.editor_at(0, "id_type").value() == "cnic"
    assert focused().objectName() == "field_cnic_or_bform"
    press(None, text="3520298765431")
    assert roster.editor_at(0, "gender").value() == "male"
    assert roster.editor_at(0, "marital_status").value() == "married"
    assert focused().objectName() == "field_highest_education"
    for key in "4122":  # middle, no disability, no illness, did not work
        press(None, text=key)
    assert roster.current_row() == 1  # a fresh row for the next member
    press(None, text="2")  # son
    press(None, text="Ali Aslam")
    press(ENTER)
    press(None, text="01082012")
    cnic = roster.editor_at(1, "cnic_or_bform")
    assert roster.editor_at(1, "id_type").value() == "bform"
    assert focused() is cnic.widget
    assert cnic.edit.text().startswith("35202-")
    press(None, text="11111113")  # the rest of the B-Form
    assert cnic.value() == "3520211111113"
    assert roster.editor_at(1, "gender").value() == "male"
    members = wizard.members()
    assert members[0]["name"] == "Muhammad Aslam"
    assert members[0]["gender"] == "male"
    assert members[1]["cnic_or_bform"] == "3520211111113"
