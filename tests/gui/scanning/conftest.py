"""A signed-in desk with the registration page and scanning installed (in-memory backend)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.plugins.gui import OPERATOR


def scan_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("scan-")]


@pytest.fixture
def desk(qtbot, runner, languages, memory_backend, wait_idle, data_dir) -> Any:
    from pser_desk.gui.registration import attach_registration
    from pser_desk.gui.shell import DeskController
    from pser_desk.settings import DeskSettings

    def settle(_window: Any) -> None:
        """Before pytest-qt closes the window: save the draft and let every answer arrive."""
        controller.shutdown()
        wait_idle()
        if controller.login_dialog is not None:
            controller.login_dialog.close()

    data_dir.mkdir(parents=True, exist_ok=True)  # the app creates it before the window
    settings = DeskSettings(camera="simulated")
    controller = DeskController(memory_backend, runner, languages, settings, data_dir)
    qtbot.addWidget(controller.window, before_close_func=settle)
    attach_registration(controller)
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
