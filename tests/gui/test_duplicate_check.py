"""Issue 15, the duplicate check at the desk (and defect 12: the same head's CNIC saved
three times on this PC with no warning), on the real store."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from pser_desk.desk.errors import RecordRejected
from pser_desk.desk.records import stamp
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.wizard.model import split_record
from tests.gui.keyboard import send_text
from tests.gui.test_desk_store import keyboard_sign_in
from tests.plugins.gui import OPERATOR

pytestmark = pytest.mark.gui


def _household(seed: int) -> dict:
    return example_record(seed, load_form(), load_geography(), date.today())


@pytest.fixture
def desk(qtbot, store_desk, make_controller, wait_idle):
    controller = make_controller(store_desk, registration=True)
    controller.start()
    wait_idle()
    keyboard_sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    controller.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is controller.window, timeout=5000)
    return controller


def test_a_head_already_saved_is_flagged_at_the_field_with_its_receipt(
    qtbot, desk, store_desk, wait_idle
) -> None:
    saved = _household(51)
    first = store_desk.queue(desk.login, saved)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    head = desk.registration.wizard.forms["cnic"]
    cnic = head.editor("cnic")
    qtbot.waitUntil(cnic.widget.hasFocus, timeout=5000)
    send_text(cnic.widget, saved["head"]["cnic"])
    error = head.findChild(QWidget, "error_cnic")
    qtbot.waitUntil(lambda: first.receipt_no in error.text(), timeout=5000)
    assert error.isVisible()
    assert saved["head"]["cnic"] not in error.text()
    # another number: the flag goes
    QTest.keyClick(cnic.widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    send_text(cnic.widget, "3520299999991")
    qtbot.waitUntil(lambda: first.receipt_no not in error.text(), timeout=5000)
    wait_idle()


def test_a_member_already_in_another_household_is_flagged_in_the_grid(
    qtbot, desk, store_desk, wait_idle
) -> None:
    saved = _household(52)
    assert saved["members"], "the example household has members"
    first = store_desk.queue(desk.login, saved)
    desk.show_registration()
    wizard = desk.registration.wizard
    while wizard.currentPage().content is not wizard.roster:
        wizard.next()
    roster = wizard.roster
    cell = roster.editor_at(0, "cnic_or_bform")
    cell.widget.setFocus()
    qtbot.waitUntil(cell.widget.hasFocus, timeout=2000)
    send_text(cell.widget, saved["members"][0]["cnic_or_bform"])
    qtbot.waitUntil(lambda: first.receipt_no in roster.problems_label.text(), timeout=5000)
    assert "⚠" in roster.findChild(QWidget, "memberNumber_1").text()
    wait_idle()


def test_saving_is_refused_while_a_number_is_in_another_household(
    qtbot, desk, store_desk, wait_idle
) -> None:
    saved = _household(53)
    store_desk.queue(desk.login, saved)
    again = _household(54)
    again["head"]["cnic"], again["head"]["gender"] = saved["head"]["cnic"], saved["head"]["gender"]
    with pytest.raises(RecordRejected) as refused:
        store_desk.queue(desk.login, again)
    assert refused.value.code == "record.invalid"
    assert [(p.path, p.code) for p in refused.value.problems] == [
        ("head.cnic", "duplicate.elsewhere")
    ]
    page = desk.registration
    desk.show_registration()
    page.wizard.load(*split_record(page.wizard.form, again))
    page.wizard._number_changed("head.cnic", again["head"]["cnic"])  # as typing it would
    qtbot.waitUntil(lambda: "head.cnic" in page.wizard.externals(), timeout=5000)
    while page.wizard.currentId() != page.wizard.review_id:
        page.wizard.next()
    assert [(i.path, i.code) for i in page.wizard.review.issues] == [
        ("head.cnic", "duplicate.elsewhere")
    ]
    assert not page.wizard.button(page.wizard.WizardButton.FinishButton).isEnabled()
    wait_idle()


def test_households_saved_before_the_index_are_indexed_after_a_sign_in(
    qtbot, desk, store_desk, wait_idle
) -> None:
    old = _household(55)
    sid = str(uuid.uuid4())
    records = store_desk.desk.records
    stamped = stamp(sid, store_desk.desk.forms.current_ref(), old)
    store_desk.desk.store.records.queue(stamped, operator_id=OPERATOR[0])  # not through the desk
    assert records.find_cnic(desk.login, old["head"]["cnic"], None) is None
    desk.switch_operator()  # the next sign-in indexes what is missing, on the database lane
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    wait_idle()
    receipt = store_desk.desk.store.records.get(sid).receipt_no
    assert records.find_cnic(desk.login, old["head"]["cnic"], None) == receipt
    assert records.index_missing(desk.login) == 0
    assert records.find_cnic(desk.login, old["head"]["cnic"], sid) is None
    wait_idle()
