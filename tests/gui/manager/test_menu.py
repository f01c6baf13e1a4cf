"""The Manager menu is offered to managers only, with a shortcut for every screen."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from pser_desk.desk.settings import DeskSettings, load_settings
from pser_desk.gui.manager import install_manager_screens
from pser_desk.gui.manager.audit import AuditDialog
from pser_desk.gui.manager.operators import OperatorsDialog
from tests.plugins.gui import MANAGER, OPERATOR

pytestmark = pytest.mark.gui


def _sign_in(qtbot, controller, wait_idle, operator_id: str, password: str) -> None:
    dialog = controller.login_dialog
    dialog.ui.operatorEdit.setText(operator_id)
    dialog.ui.passwordEdit.setText(password)
    qtbot.mouseClick(dialog.ui.loginButton, Qt.MouseButton.LeftButton)
    wait_idle()
    qtbot.waitUntil(lambda: controller.login_dialog is None)


def test_the_manager_menu_follows_the_role(
    qtbot, make_controller, store_desk, wait_idle, data_dir
) -> None:
    controller = make_controller(store_desk)
    screens = install_manager_screens(controller)
    assert {a.shortcut().toString() for a in screens.actions.values()} == {
        "Ctrl+Shift+O", "Ctrl+Shift+N", "Ctrl+Shift+S", "Ctrl+Shift+A", "Ctrl+Shift+R",
    }  # fmt: skip
    assert not screens.menu.menuAction().isVisible()
    controller.start()
    wait_idle()
    _sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    assert not screens.menu.menuAction().isVisible()
    assert screens.open("operators") is None
    controller.switch_operator()
    assert not screens.actions["audit"].isEnabled()
    _sign_in(qtbot, controller, wait_idle, MANAGER[0], MANAGER[2])
    assert screens.menu.menuAction().isVisible()
    dialog = screens.open("operators")
    assert isinstance(dialog, OperatorsDialog)
    assert screens.open("audit") is None  # one screen at a time
    dialog.reject()
    wait_idle()
    qtbot.waitUntil(lambda: screens.dialog is None)
    screens.actions["audit"].trigger()
    assert isinstance(screens.dialog, AuditDialog)
    screens.dialog.reject()
    wait_idle()
    controller.apply_settings(DeskSettings(camera="simulated", idle_lock_minutes=5, paper="80mm"))
    wait_idle()
    saved = load_settings(data_dir)
    assert (saved.camera, saved.idle_lock_minutes, saved.paper) == ("simulated", 5.0, "80mm")
    assert json.loads((data_dir / "settings.json").read_text())["camera"] == "simulated"
    assert controller.settings.paper == "80mm"


def test_locking_the_desk_closes_the_managers_screen(
    qtbot, make_controller, store_desk, wait_idle
) -> None:
    controller = make_controller(store_desk)
    screens = install_manager_screens(controller)
    controller.start()
    wait_idle()
    _sign_in(qtbot, controller, wait_idle, MANAGER[0], MANAGER[2])
    dialog = screens.open("operators")
    assert dialog is not None
    assert dialog.isVisible()
    wait_idle()
    controller.lock()  # the manager walks away: the idle lock, or Ctrl+L
    assert not screens.menu.menuAction().isVisible()
    qtbot.waitUntil(lambda: screens.dialog is None, timeout=5000)
    assert not dialog.isVisible()
    wait_idle()
