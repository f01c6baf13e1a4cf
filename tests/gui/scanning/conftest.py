"""A signed-in desk with the registration page and scanning installed."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.plugins.gui import OPERATOR


def scan_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("scan-")]


@pytest.fixture
def desk(qtbot, runner, languages, store_desk, wait_idle) -> Any:
    from pser_desk.app import registration_page
    from pser_desk.desk.settings import DeskSettings
    from pser_desk.gui.shell import DeskController

    def settle(_window: Any) -> None:
        """Before pytest-qt closes the window: save the draft and let every answer arrive."""
        controller.shutdown()
        wait_idle()
        if controller.login_dialog is not None:
            controller.login_dialog.close()

    settings = DeskSettings(camera="simulated")
    page = registration_page(store_desk.desk, runner, languages)
    controller = DeskController(store_desk.desk, runner, languages, settings, registration=page)
    qtbot.addWidget(controller.window, before_close_func=settle)
    controller.start()
    wait_idle()
    dialog = controller.login_dialog
    dialog.ui.operatorEdit.setText(OPERATOR[0])
    dialog.ui.passwordEdit.setText(OPERATOR[2])
    qtbot.mouseClick(dialog.ui.loginButton, Qt.MouseButton.LeftButton)
    wait_idle()
    qtbot.waitUntil(lambda: controller.login is not None)
    controller.window.resize(1100, 760)
    return controller
