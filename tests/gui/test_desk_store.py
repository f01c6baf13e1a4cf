"""The desk on the real services: SQLite in a temp folder, the reference central on loopback.

Keyboard only: sign in, type a household, save; the record reaches central (sent on the
network lane), the dashboard counts it, the slip prints (into a PDF through Qt's printer)
and verifies. Also: wrong passwords, a draft resumed after the window is destroyed, a
record central returns (422) corrected and resent.
"""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pser_desk import paths
from pser_desk.desk.model import LoginOutcome
from pser_desk.documents.slip_reader import read_token
from pser_desk.documents.slip_token import Verified, verify_token
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.security.device import DeviceKey
from tests.gui.keyboard import type_registration
from tests.plugins.gui import OPERATOR

pytestmark = pytest.mark.gui


def keyboard_sign_in(qtbot, controller, wait_idle, operator_id: str, password: str) -> None:
    dialog = controller.login_dialog
    assert dialog is not None
    edit = dialog.ui.operatorEdit
    edit.setFocus()
    QTest.keyClicks(edit, operator_id)
    QTest.keyClick(edit, Qt.Key.Key_Return)  # moves on to the password
    QTest.keyClicks(dialog.ui.passwordEdit, password)
    QTest.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.login_dialog is None or not dialog.isEnabled() or
                    dialog.ui.loginButton.isEnabled(), timeout=10_000)  # fmt: skip
    wait_idle()


@pytest.fixture
def desk(qtbot, store_desk, make_controller, wait_idle, tmp_path):
    controller = make_controller(store_desk, registration=True)
    controller.slips.output_file = str(tmp_path / "printed-slip.pdf")
    controller.start()
    wait_idle()
    return controller


def _household(seed: int) -> dict:
    return example_record(seed, load_form(), load_geography(), date.today())


def _save_with_keyboard(qtbot, controller, record) -> None:
    page = controller.registration
    controller.show_registration()
    type_registration(qtbot, page.wizard, record)
    wizard = page.wizard
    assert wizard.currentId() == wizard.review_id
    assert [(i.path, i.code) for i in wizard.review.issues] == []
    with qtbot.waitSignal(page.record_queued, timeout=15_000):
        QTest.keyClick(wizard.button(wizard.WizardButton.FinishButton), Qt.Key.Key_Space)


def test_a_household_typed_on_the_keyboard_reaches_central_and_its_slip_verifies(
    qtbot, desk, store_desk, wait_idle, tmp_path
) -> None:
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    assert desk.login.outcome is LoginOutcome.OK
    qtbot.waitUntil(lambda: desk.dashboard.data is not None, timeout=10_000)
    assert desk.dashboard.data.mine_today == 0
    with qtbot.waitSignal(desk.slips.printed, timeout=30_000):
        _save_with_keyboard(qtbot, desk, _household(21))
    central = store_desk.central
    qtbot.waitUntil(lambda: central.households() == 1, timeout=20_000)
    qtbot.waitUntil(
        lambda: (
            desk.dashboard.data.counts.get("acknowledged") == 1
            and desk.dashboard.data.mine_today == 1
        ),
        timeout=20_000,
    )
    assert desk.dashboard.ui.mineValue.text() == "1"
    assert desk.dashboard.connection_state() == "online"
    printed = tmp_path / "printed-slip.pdf"
    found = read_token(str(printed))
    verdict = verify_token(found.token, DeviceKey.load(store_desk.data_dir).public_raw())
    assert isinstance(verdict, Verified)
    [item] = store_desk.desk.records.recent(desk.login)
    assert verdict.claims.receipt_no == item.receipt_no
    wait_idle()


def test_a_household_typed_on_the_keyboard_in_urdu_reaches_central(
    qtbot, desk, store_desk, wait_idle
) -> None:
    """The same keyboard-only registration with the desk in Urdu (right to left)."""
    desk.set_language("ur")
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    assert desk.login.outcome is LoginOutcome.OK
    page = desk.registration
    assert page.layoutDirection() == Qt.LayoutDirection.RightToLeft
    next_button = page.wizard.button(page.wizard.WizardButton.NextButton)
    assert any("\u0600" <= ch <= "\u06ff" for ch in next_button.text())  # Urdu on screen
    record = _household(22)
    with qtbot.waitSignal(desk.slips.printed, timeout=30_000):
        _save_with_keyboard(qtbot, desk, record)
    central = store_desk.central
    qtbot.waitUntil(lambda: central.households() == 1, timeout=20_000)
    [item] = store_desk.desk.records.recent(desk.login)
    saved = store_desk.load(desk.login, item.submission_id)
    assert saved["head"] == record["head"]
    assert saved["members"] == record["members"]
    wait_idle()


def test_three_wrong_passwords_then_the_right_one(qtbot, desk, wait_idle) -> None:
    messages = []
    for _ in range(3):
        keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], "not-the-password-1")
        dialog = desk.login_dialog
        assert dialog is not None
        assert dialog.isVisible()
        messages.append(dialog.ui.messageLabel.text())
        dialog.ui.operatorEdit.clear()
    assert [m.split(".")[1].strip()[:1] for m in messages] == ["4", "3", "2"]
    assert desk.login is None
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    assert desk.login is not None
    assert desk.login.outcome is LoginOutcome.OK


def test_a_draft_reopens_on_its_page_after_the_window_is_destroyed(
    qtbot, store_desk, make_controller, wait_idle
) -> None:
    first = make_controller(store_desk, registration=True)
    first.start()
    wait_idle()
    keyboard_sign_in(qtbot, first, wait_idle, OPERATOR[0], OPERATOR[2])
    first.show_registration()
    wizard = first.registration.wizard
    name = wizard.forms["name"].editor("name").edit
    name.setFocus()
    QTest.keyClicks(name, "Draft Head")
    QTest.keyClick(wizard.button(wizard.WizardButton.NextButton), Qt.Key.Key_Space)
    QTest.keyClick(wizard.button(wizard.WizardButton.NextButton), Qt.Key.Key_Space)
    sid = first.registration.submission_id
    with qtbot.waitSignal(first.registration.draft_saved, timeout=5000):
        QTest.keyClick(wizard.forms["name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle()
    wizard.next()  # page changes are noted too
    wait_idle()
    # The power goes: no shutdown, no flush, no more events; the window is simply gone.
    first.registration._timer.stop()
    first.sync.stop()
    first.idle.stop()
    first.window.hide()
    second = make_controller(store_desk, registration=True)
    second.start()
    wait_idle()
    keyboard_sign_in(qtbot, second, wait_idle, OPERATOR[0], OPERATOR[2])
    qtbot.waitUntil(lambda: second.registration.submission_id == sid, timeout=10_000)
    again = second.registration.wizard
    assert again.forms["name"].editor("name").value() == "Draft Head"
    assert second.registration.page_index() == 3
    assert second.window.current_page() is second.registration
    wait_idle()


def test_the_drafts_list_resumes_a_draft(qtbot, desk, store_desk, wait_idle) -> None:
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    record = _household(5)
    sid = "0190a000-0000-7000-8000-00000000d0af"
    store_desk.save_draft(desk.login, sid, record)
    desk.show_drafts()
    qtbot.waitUntil(lambda: len(desk.drafts.items) == 1, timeout=5000)
    table = desk.drafts.table
    assert table.item(0, 2).text() == str(1 + len(record["members"]))
    QTest.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.registration.submission_id == sid, timeout=5000)
    assert desk.registration.wizard.forms["name"].editor("name").value() == record["head"]["name"]
    texts = [table.item(0, c).text() for c in range(table.columnCount())]
    assert record["head"]["name"] not in " ".join(texts)
    wait_idle()


def _strict_form() -> dict:
    """The shipped form with one rule central applies and this PC does not (at most 2 rooms)."""
    definition = json.loads(paths.resource("forms", "pser-household-2024.1.json").read_text())
    strict = copy.deepcopy(definition)
    for section in strict["sections"]:
        for field in section["fields"]:
            if field["id"] == "rooms":
                field["max"] = 2
    return strict


def test_a_record_central_returns_is_corrected_and_resent(
    qtbot, desk, store_desk, wait_idle
) -> None:
    central = store_desk.central
    central.service.publish_form("pser-household", "2024.1", _strict_form())
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    record = _household(8)
    record["answers"]["rooms"] = 4
    desk.slips.output_file = None  # no printer configured: the preview opens
    with qtbot.waitSignal(desk.slips.previewed, timeout=30_000):
        _save_with_keyboard(qtbot, desk, record)
    desk.slips.preview.reject()
    qtbot.waitUntil(
        lambda: desk.dashboard.data is not None and len(desk.dashboard.data.corrections) == 1,
        timeout=20_000,
    )
    assert "answers.rooms" in desk.dashboard.data.corrections[0].message
    desk.show_records()
    qtbot.waitUntil(lambda: len(desk.records.items) == 1, timeout=5000)
    assert desk.records.items[0].state == "needs_correction"
    receipt = desk.records.items[0].receipt_no
    QTest.keyClick(desk.records.table, Qt.Key.Key_Return)
    page = desk.registration
    qtbot.waitUntil(lambda: page.correction_label.isVisible(), timeout=5000)
    assert "Number of rooms" in page.correction_label.text()  # the question, in words
    assert "answers.rooms" not in page.correction_label.text()
    rooms = page.wizard.forms["rooms"].editor("rooms")
    page.wizard.go_to_field("answers.rooms")
    rooms.edit.selectAll()
    QTest.keyClicks(rooms.edit, "2")
    while page.wizard.currentId() != page.wizard.review_id:
        QTest.keyClick(page.wizard.button(page.wizard.WizardButton.NextButton), Qt.Key.Key_Space)
    with qtbot.waitSignal(page.record_queued, timeout=15_000) as queued:
        QTest.keyClick(page.wizard.button(page.wizard.WizardButton.FinishButton), Qt.Key.Key_Space)
    assert queued.args[0].receipt_no == receipt  # same record, same receipt
    qtbot.waitUntil(lambda: central.households() == 1, timeout=20_000)
    qtbot.waitUntil(lambda: desk.dashboard.data.counts.get("acknowledged") == 1, timeout=20_000)
    qtbot.waitUntil(lambda: desk.slips.preview is not None, timeout=10_000)
    desk.slips.preview.reject()
    wait_idle()
