"""Issue 15, the operator's keyboard path: each defect found, reproduced with key events.

A registration page on the desk (SQLite, enrolled with the reference central), shown and active (offscreen), so every key
goes to the widget that has the focus, as on a real desk.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea, QWidget

from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.registration import AUTOSAVE_MS, RegistrationPage
from pser_desk.gui.wizard.model import split_record
from tests.gui.keyboard import press

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 24)
ENTER = Qt.Key.Key_Return


@pytest.fixture(scope="module")
def form():
    return load_form()


@pytest.fixture(scope="module")
def geography():
    return load_geography()


@pytest.fixture
def page(qtbot, form, geography, store_desk, runner, wait_idle):
    widget = RegistrationPage(form, geography, store_desk.desk, runner, lambda: TODAY)
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


def _page_of(wizard, section_id: str):
    return next(p for p in wizard.section_pages if p.section.id == section_id)


def _go_to(wizard, section_id: str) -> None:
    target = wizard.pageIds()[wizard.section_pages.index(_page_of(wizard, section_id))]
    while wizard.currentId() < target:
        wizard.next()


def _focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)


def _valid_household(form, geography, seed: int = 5) -> dict:
    return example_record(seed, form, geography, TODAY)


# ---------------------------------------------------------------- 1, 2: review


def test_review_takes_the_keyboard_letters_change_nothing_and_enter_saves(
    page, qtbot, form, geography
) -> None:
    """Defect 1: on Review, Enter did nothing and typed letters went to the hidden last
    question of the consent page (``n`` set "operator declaration" to No)."""
    wizard = page.wizard
    wizard.load(*split_record(form, _valid_household(form, geography)))
    _go_to(wizard, "consent")
    last = wizard.forms["operator_declaration"].editor("operator_declaration")
    _focus(qtbot, last.widget)
    press(ENTER)
    assert wizard.currentId() == wizard.review_id
    qtbot.waitUntil(lambda: wizard.review.isAncestorOf(focused()), timeout=2000)
    press(None, text="n")
    assert last.value() == "yes"
    assert wizard.review.issues == []
    with qtbot.waitSignal(wizard.finish_requested, timeout=2000):
        press(ENTER)


def test_enter_on_a_member_problem_goes_to_it_and_stays_there(page, qtbot, form, geography) -> None:
    """Defect 2: Enter on a listed problem jumped to its question and, with the same key
    press, pressed Next (a member problem landed on the Address page)."""
    wizard = page.wizard
    record = _valid_household(form, geography, seed=2)
    assert len(record["members"]) >= 2
    del record["members"][1]["date_of_birth"]
    wizard.load(*split_record(form, record))
    while wizard.currentId() != wizard.review_id:
        wizard.next()
    review = wizard.review
    assert [i.path for i in review.issues] == ["members[1].date_of_birth"]
    qtbot.waitUntil(lambda: focused() is review.problems, timeout=2000)
    press(ENTER)
    qtbot.wait(200)
    assert wizard.currentPage() is _page_of(wizard, "members")
    assert wizard.currentPage().isAncestorOf(focused())


# ---------------------------------------------------------------- 4: focus in view


def test_in_urdu_enter_never_takes_the_focus_below_the_visible_area(
    page, qtbot, languages, form, geography
) -> None:
    """Defect 4: Nastaliq rows are twice as tall; Enter moved the focus out of view."""
    languages.set_language("ur")
    page.set_language("ur")
    wizard = page.wizard
    values, members = split_record(form, _valid_household(form, geography))
    values["permanent_same_as_current"] = "no"  # the long address page
    wizard.load(values, members)
    _go_to(wizard, "address")
    section = _page_of(wizard, "address")
    form_widget = section.content
    first = next(f for f in form_widget.field_ids() if form_widget.is_shown(f))
    _focus(qtbot, form_widget.editor(first).widget)
    seen = 0
    while wizard.currentPage() is section and seen < 30:
        widget = focused()
        qtbot.wait(20)  # the scroll follows the focus once the layout has settled
        viewport = section.findChild(QScrollArea).viewport()
        top_left = widget.mapTo(viewport, widget.rect().topLeft())
        bottom = top_left.y() + widget.height()
        assert top_left.y() >= 0, widget.objectName()
        assert bottom <= viewport.height(), widget.objectName()
        seen += 1
        press(ENTER)
    assert seen >= 12


# ---------------------------------------------------------------- 8: errors at the field


def test_enter_past_the_last_question_stays_while_the_page_has_problems(page, qtbot) -> None:
    """Defect 8: Enter on a page's last field moved on with five errors showing; now it
    goes to the first problem and says so; Ctrl+Enter is the deliberate way on."""
    wizard = page.wizard
    form_widget = wizard.forms["cnic"]
    _focus(qtbot, form_widget.editor("cnic").widget)
    press(None, text="35202")
    _focus(qtbot, form_widget.editor("marital_status").widget)
    press(ENTER)
    assert wizard.currentPage().section.id == "head_identity"
    assert focused() is form_widget.editor("cnic").widget
    assert form_widget.page_message.isVisible()
    assert "Ctrl+Enter" in form_widget.page_message.text()
    assert set(form_widget.error_codes()) >= {"cnic", "name", "father_or_husband_name"}
    press(ENTER, Qt.KeyboardModifier.ControlModifier)
    assert wizard.currentPage().section.id == "head_education_health"


def test_a_fresh_form_shows_no_problem_and_problems_follow_the_language(
    page, qtbot, languages, form, geography, wait_idle
) -> None:
    """Defect 8: a red "must be answered" showed on the fresh form for the next citizen,
    and stayed English in Urdu."""
    wizard = page.wizard
    wizard.load(*split_record(form, _valid_household(form, geography)))
    while wizard.currentId() != wizard.review_id:
        wizard.next()
    with qtbot.waitSignal(page.record_queued, timeout=10_000):
        QTest.keyClick(wizard.button(wizard.WizardButton.FinishButton), Qt.Key.Key_Space)
    wait_idle()
    head = wizard.forms["cnic"]
    qtbot.waitUntil(head.editor("cnic").widget.hasFocus, timeout=2000)
    slip = QDialog(page)  # the slip preview opens over the fresh form, then closes
    slip.open()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is slip, timeout=2000)
    slip.reject()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=2000)
    assert wizard.currentId() == wizard.pageIds()[0]
    shown = [f for f in head.field_ids() if head.findChild(QWidget, f"error_{f}").isVisible()]
    assert shown == []
    _focus(qtbot, head.editor("cnic").widget)
    press(Qt.Key.Key_Tab)  # passed with the keyboard: now it must be answered
    error = head.findChild(QWidget, "error_cnic")
    qtbot.waitUntil(error.isVisible, timeout=2000)
    english = error.text()
    languages.set_language("ur")
    qtbot.waitUntil(lambda: error.text() != english, timeout=2000)
    assert any("\u0600" <= ch <= "\u06ff" for ch in error.text())


# ---------------------------------------------------------------- 10, 11: lists, numbers


def test_space_never_opens_a_list_and_a_repeated_letter_cycles(page, qtbot) -> None:
    """Defect 10: a space opened the drop-down; a repeated letter did not move to the next
    match (five toilet options start with "Flush")."""
    wizard = page.wizard
    _go_to(wizard, "housing")
    toilet = wizard.forms["toilet"].editor("toilet")
    _focus(qtbot, toilet.widget)
    press(Qt.Key.Key_Space)
    qtbot.wait(100)
    assert not toilet.combo.view().isVisible()
    seen = []
    for _ in range(3):
        press(None, text="f")
        seen.append(toilet.value())
    assert seen == ["flush_sewer", "flush_septic_tank", "flush_pit"]
    assert focused() is toilet.widget  # a letter searches; it does not move on


def test_in_urdu_latin_letters_find_options_and_a_digit_chooses_and_moves_on(
    page, qtbot, languages
) -> None:
    """Defect 10: in Urdu, Latin letters matched nothing. And one key per choice."""
    languages.set_language("ur")
    page.set_language("ur")
    head = page.wizard.forms["gender"]
    gender = head.editor("gender")
    _focus(qtbot, gender.widget)
    press(None, text="f")
    assert gender.value() == "female"
    press(None, text="m")
    assert gender.value() == "male"
    press(None, text="۲")  # an Urdu digit is the same key
    assert gender.value() == "female"
    assert focused() is head.editor("marital_status").widget


def test_numbers_keep_what_was_typed_and_say_what_is_wrong(page, qtbot, languages) -> None:
    """Defect 11: "25k" was saved as 25 rupees; "twenty thousand" left the field empty
    with no message; Urdu digits were refused in income."""
    wizard = page.wizard
    _go_to(wizard, "head_work")
    work = wizard.forms["monthly_income"]
    income = work.editor("monthly_income")
    _focus(qtbot, income.widget)
    press(None, text="25k")
    assert income.value() != 25
    error = work.findChild(QWidget, "error_monthly_income")
    qtbot.waitUntil(error.isVisible, timeout=2000)
    assert "25000" in error.text()
    assert any(i.code == "number.shorthand" for i in wizard.issues() if "monthly" in i.path)
    QTest.keyClick(income.widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(None, text="twenty thousand")
    assert error.isVisible()
    assert "digits" in error.text()
    QTest.keyClick(income.widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(None, text="۲۵۰۰۰")
    assert income.value() == 25000
    qtbot.waitUntil(lambda: not error.isVisible(), timeout=2000)


# ---------------------------------------------------------------- 16: language switch


def test_switching_language_on_an_empty_form_makes_no_draft(
    page, qtbot, languages, store_desk
) -> None:
    """Defect 16: the daily report counted a draft nobody started."""
    languages.set_language("ur")
    page.set_language("ur")
    languages.set_language("en")
    page.set_language("en")
    qtbot.wait(AUTOSAVE_MS * 3)
    assert store_desk.desk.records.recent(store_desk.operator(), drafts=True) == []


# ---------------------------------------------------------------- 5: Urdu review


def test_the_urdu_review_puts_each_label_right_of_its_value(
    page, qtbot, languages, form, geography
) -> None:
    """Defect 5: the Urdu review's label/value table was laid out left to right, the values
    on the wrong side."""
    languages.set_language("ur")
    page.set_language("ur")
    wizard = page.wizard
    record = _valid_household(form, geography)
    wizard.load(*split_record(form, record))
    while wizard.currentId() != wizard.review_id:
        wizard.next()
    summary = wizard.review.summary
    qtbot.wait(50)
    document = summary.document()
    label = form.field("rooms").label.ur
    value = str(record["answers"]["rooms"])
    label_at = document.find(label)
    assert not label_at.isNull()
    table = label_at.currentTable()
    row = table.cellAt(label_at).row()
    cells = [table.cellAt(row, c) for c in range(table.columns())]
    [answer] = [c for c in cells if value in c.firstCursorPosition().block().text()]
    label_x = summary.cursorRect(label_at).x()
    value_x = summary.cursorRect(answer.firstCursorPosition()).x()
    assert label_x > value_x, (label_x, value_x)
