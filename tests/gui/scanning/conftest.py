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
def desk(qtbot, make_controller, memory_backend, wait_idle) -> Any:
    from pser_desk.gui.registration import attach_registration
    from pser_desk.gui.settings import DeskSettings

    controller = make_controller(memory_backend, DeskSettings(camera="simulated"))
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
    yield controller
    wait_idle()
