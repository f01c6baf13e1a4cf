"""The loop with central in the window (issue 16): the manager's dashboard lists the
households central rejected with central's reason in words (English and Urdu), registers
one again (a new draft prefilled from its local copy, under a new submission id) or marks
one dealt with; the district office's notice in the operator's language; an update
required; who is sending; the records list says verified or rejected; the reprint of a
purged household's slip says why it cannot be printed."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.store.engine import DB_FILENAME
from tests.gui.test_desk_store import keyboard_sign_in
from tests.plugins.gui import MANAGER, OPERATOR

pytestmark = pytest.mark.gui


def _decided(store_desk, central_server) -> list[str]:
    """Three households sent; central rejects two and verifies one; the desk learns it."""
    desk = store_desk.desk
    operator = store_desk.operator()
    sids = [
        store_desk.queue(operator, example_record(seed, load_form(), load_geography(),
                                                  date.today())).submission_id
        for seed in (31, 32, 33)
    ]  # fmt: skip
    desk.sending.send_until_empty(60)
    service = central_server.service
    service.decide([sids[0]], VerdictStatus.REJECTED, ReasonCode.NADRA_MISMATCH)
    service.decide([sids[1]], VerdictStatus.REJECTED, ReasonCode.INCOMPLETE)
    service.decide(None, VerdictStatus.VERIFIED)
    conn = sqlite3.connect(store_desk.data_dir / DB_FILENAME)
    with conn:  # status_poll_s has passed
        conn.execute("UPDATE records SET status_checked_at = NULL")
    conn.close()
    desk.sending.send_until_empty(60)
    return sids


def test_a_manager_sees_rejections_in_words_and_deals_with_them(
    qtbot, store_desk, central_server, make_controller, wait_idle
) -> None:
    (central_server.state_dir / "central-config.json").write_text(json.dumps(
        {"message": {"en": "Office closed on Friday", "ur": "جمعہ کو دفتر بند رہے گا"},
         "min_app_version": "99.0"}), encoding="utf-8")  # fmt: skip
    sids = _decided(store_desk, central_server)
    controller = make_controller(store_desk, registration=True)
    controller.start()
    wait_idle()
    keyboard_sign_in(qtbot, controller, wait_idle, MANAGER[0], MANAGER[2])
    page = controller.dashboard
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None and len(page.data.rejections) == 2)
    panel = page.rejections
    table = panel.table
    assert panel.isVisibleTo(page)
    assert table.rowCount() == 2
    reasons = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(2)}
    assert any("NADRA's family tree" in text for text in reasons.values())
    assert any("Information central needs" in text for text in reasons.values())
    assert page.notice_label.text() == "Office closed on Friday"
    assert page.update_label.isVisibleTo(page)
    assert "Update required" in page.update_label.text()
    assert "nobody is sending" in page.sender_label.text()

    controller.window.ui.actionUrdu.trigger()
    qtbot.waitUntil(lambda: panel.label.text() == "گھرانے جو مرکز نے مسترد کیے")
    page.refresh()
    wait_idle()
    qtbot.waitUntil(lambda: page.notice_label.text() == "جمعہ کو دفتر بند رہے گا")
    urdu = {table.item(r, 2).text() for r in range(2)}
    assert "افراد نادرا کے خاندانی شجرے سے مطابقت نہیں رکھتے۔" in urdu
    assert page.update_label.text().startswith("اپ ڈیٹ ضروری ہے")
    controller.window.ui.actionEnglish.trigger()
    qtbot.waitUntil(lambda: panel.label.text() == "Households central rejected")

    # mark the first one dealt with (after saying yes)
    first = page.data.rejections[0].submission_id
    table.setCurrentCell(0, 0)
    assert panel.dismiss_button.isEnabled()
    panel.dismiss_button.click()
    box = controller.rejections.question
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_idle()
    qtbot.waitUntil(lambda: len(page.data.rejections) == 1)
    assert store_desk.desk.store.records.get(first).dismissed_at is not None

    # register the other one again: a draft under a new id, prefilled, on screen
    other = page.data.rejections[0].submission_id
    table.setCurrentCell(0, 0)
    panel.redo_button.click()
    wait_idle()
    registration = controller.registration
    qtbot.waitUntil(lambda: registration.submission_id not in (None, other), timeout=10_000)
    assert controller.window.current_page() is registration
    new_id = registration.submission_id
    redo = store_desk.desk.store.records.get(new_id)
    assert (redo.state.value, redo.redo_of) == ("draft", other)
    head = store_desk.load_draft(store_desk.login(MANAGER[0], MANAGER[2]), new_id)["head"]
    original = store_desk.load(store_desk.login(MANAGER[0], MANAGER[2]), other)["head"]
    assert head == original
    assert set(sids) >= {first, other}


def test_an_operator_sees_no_rejections_and_the_records_list_says_the_verdicts(
    qtbot, store_desk, central_server, make_controller, wait_idle
) -> None:
    sids = _decided(store_desk, central_server)
    controller = make_controller(store_desk)
    controller.start()
    wait_idle()
    keyboard_sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    page = controller.dashboard
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None)
    assert not page.rejections.isVisibleTo(page)
    controller.show_records()
    wait_idle()
    records = controller.records
    qtbot.waitUntil(lambda: records.table.rowCount() == 3)
    states = {records.table.item(r, 2).text() for r in range(3)}
    assert states == {"Verified by central", "Rejected by central"}
    assert QApplication.instance() is not None
    assert sids
