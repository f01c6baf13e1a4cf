"""The desk's shell: first run, sign-in, lockout, idle lock, switch operator, language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pser_desk.desk.settings import DeskSettings, load_settings
from tests.plugins.gui import MANAGER, OPERATOR

pytestmark = pytest.mark.gui


def _sign_in(qtbot, controller, wait_idle, operator_id: str, password: str) -> None:
    dialog = controller.login_dialog
    assert dialog is not None
    dialog.ui.operatorEdit.setText(operator_id)
    dialog.ui.passwordEdit.setText(password)
    qtbot.mouseClick(dialog.ui.loginButton, Qt.MouseButton.LeftButton)
    wait_idle()


def _started(qtbot, controller, wait_idle):
    controller.start()
    wait_idle()
    return controller


def test_a_pc_without_operators_starts_with_the_first_run(
    qtbot, make_controller, make_desk, central_server, wait_idle
) -> None:
    kit = make_desk(operators=False)
    controller = _started(qtbot, make_controller(kit), wait_idle)
    dialog = controller.first_run_dialog
    assert dialog is not None
    assert dialog.isVisible()
    ui = dialog.ui
    for edit, text in (
        (ui.managerIdEdit, "boss"), (ui.managerNameEdit, "The Manager"),
        (ui.passwordEdit, "centre-boss-2024"), (ui.confirmEdit, "centre-boss-2024"),
        (ui.centralEdit, central_server.url), (ui.centreEdit, "LHR-0042"),
        (ui.tokenEdit, central_server.new_token("LHR-0042")),
    ):  # fmt: skip
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(ui.createButton, Qt.MouseButton.LeftButton)
    wait_idle()
    assert kit.desk.sessions.has_operators()
    assert kit.desk.enrolment.is_enrolled()
    assert controller.login_dialog is not None
    assert controller.login_dialog.ui.operatorEdit.text() == "boss"


def test_first_run_refuses_a_weak_password_with_a_sentence(
    qtbot, make_controller, make_desk, wait_idle
) -> None:
    kit = make_desk(operators=False)
    controller = _started(qtbot, make_controller(kit), wait_idle)
    ui = controller.first_run_dialog.ui
    for edit, text in (
        (ui.managerIdEdit, "boss"), (ui.managerNameEdit, "The Manager"),
        (ui.passwordEdit, "short"), (ui.confirmEdit, "short"),
        (ui.centralEdit, "http://127.0.0.1:9"), (ui.centreEdit, "LHR-0042"), (ui.tokenEdit, "T"),
    ):  # fmt: skip
        edit.setText(text)
    ui.createButton.click()
    wait_idle()
    assert not kit.desk.sessions.has_operators()
    assert "10 characters" in ui.messageLabel.text()


def test_sign_in_opens_the_main_window_with_the_dashboard(
    qtbot, make_controller, store_desk, wait_idle
) -> None:
    controller = _started(qtbot, make_controller(store_desk), wait_idle)
    assert not controller.window.isVisible()
    _sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    assert controller.window.isVisible()
    assert controller.window.current_page() is controller.dashboard
    assert controller.login.operator.operator_id == OPERATOR[0]
    qtbot.waitUntil(lambda: controller.dashboard.data is not None)
    assert controller.dashboard.ui.mineValue.text() == "0"


def test_a_wrong_password_is_refused_and_five_lock_the_account(
    qtbot, make_controller, store_desk, wait_idle
) -> None:
    controller = _started(qtbot, make_controller(store_desk), wait_idle)
    dialog = controller.login_dialog
    _sign_in(qtbot, controller, wait_idle, OPERATOR[0], "not-the-password")
    assert dialog.isVisible()
    assert not controller.window.isVisible()
    assert "4 attempt(s) left" in dialog.ui.messageLabel.text()
    for _ in range(4):  # the store's rule, five wrong passwords (the in-memory stand-in said 3)
        _sign_in(qtbot, controller, wait_idle, OPERATOR[0], "not-the-password")
    assert "Try again in 5 minute(s)" in dialog.ui.messageLabel.text()
    _sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])  # right, but locked
    assert not controller.window.isVisible()
    assert dialog.ui.passwordEdit.text() == ""


def test_idle_lock_hides_the_screen_and_the_same_operator_unlocks(
    qtbot, make_controller, store_desk, wait_idle
) -> None:
    settings = DeskSettings(idle_lock_minutes=0.2 / 60)  # 200 ms for the test
    controller = _started(qtbot, make_controller(store_desk, settings), wait_idle)
    # Listening from the sign-in on: the first pass after it (sending, then central's
    # verdicts and a heartbeat) may keep the lanes busy for longer than the 200 ms.
    with qtbot.waitSignal(controller.locked, timeout=5000):
        _sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    assert not controller.window.ui.centralWidget.isVisible()
    assert controller.login_dialog.ui.operatorEdit.text() == OPERATOR[0]
    _sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    assert controller.window.ui.centralWidget.isVisible()
    controller.idle.stop()


def test_switch_operator_signs_in_someone_else(
    qtbot, make_controller, store_desk, wait_idle
) -> None:
    controller = _started(qtbot, make_controller(store_desk), wait_idle)
    _sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    controller.window.ui.actionSwitchOperator.trigger()
    assert controller.login_dialog.ui.operatorEdit.text() == ""
    _sign_in(qtbot, controller, wait_idle, MANAGER[0], MANAGER[2])
    assert controller.login.operator.operator_id == MANAGER[0]
    assert MANAGER[0] in controller.window._operator_label.text()


def test_language_switch_flips_direction_and_texts_without_restart(
    qtbot, make_controller, store_desk, wait_idle, data_dir
) -> None:
    controller = _started(qtbot, make_controller(store_desk), wait_idle)
    _sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    window = controller.window
    assert window.ui.menuDesk.title() == "&Desk"
    window.ui.actionUrdu.trigger()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qtbot.waitUntil(lambda: window.ui.menuDesk.title() == "ڈیسک (&D)")  # LanguageChange is posted
    assert controller.dashboard.ui.queueGroup.title() == "قطار"
    assert "Nastaliq" in QApplication.font().family()
    wait_idle()  # the choice is kept on the database lane
    assert load_settings(data_dir).language == "ur"
    window.ui.actionEnglish.trigger()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    qtbot.waitUntil(lambda: window.ui.menuDesk.title() == "&Desk")
    assert controller.dashboard.ui.queueGroup.title() == "Queue"


def test_the_demo_banner_names_the_demo_account(
    qtbot, make_controller, store_desk, wait_idle
) -> None:
    controller = _started(
        qtbot, make_controller(store_desk, demo=("demo", "demo-desk-2024")), wait_idle
    )
    banner = controller.login_dialog.ui.bannerLabel
    assert banner.isVisibleTo(controller.login_dialog)
    assert "demo-desk-2024" in banner.text()


def test_only_a_manager_changes_the_settings_and_only_to_valid_values(
    qtbot, make_controller, store_desk, wait_idle, data_dir
) -> None:
    controller = _started(qtbot, make_controller(store_desk), wait_idle)
    _sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    controller.window.ui.actionSettings.trigger()
    assert "Only a centre manager" in controller.window.statusBar().currentMessage()
    controller.switch_operator()
    wait_idle()
    _sign_in(qtbot, controller, wait_idle, MANAGER[0], MANAGER[2])
    bad = DeskSettings(pins="not-a-pin", paper="80mm")
    controller.apply_settings(bad)
    wait_idle()
    assert "not saved" in controller.window.statusBar().currentMessage()
    assert load_settings(data_dir).paper == "a4"
    good = DeskSettings(paper="80mm")
    controller.apply_settings(good)
    wait_idle()
    assert load_settings(data_dir).paper == "80mm"
    assert controller.settings.paper == "80mm"
