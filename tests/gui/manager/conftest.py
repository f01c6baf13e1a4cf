"""A real SQLite store with a manager signed in, and the manager screens' adapter on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pser_desk.gui.backend import LoginOutcome, LoginResult, OperatorInfo
from pser_desk.gui.manager.services import ManagerServices
from pser_desk.store import StoreService
from tests.plugins.store import StoreKit, make_kit


@pytest.fixture
def kit(sqlite_store) -> StoreKit:
    return make_kit(sqlite_store)


@pytest.fixture
def manager_login(kit: StoreKit) -> LoginResult:
    session = kit.add_manager("mgr1")
    return LoginResult(LoginOutcome.OK, OperatorInfo("mgr1", "Manager", "manager"), session)


@pytest.fixture
def services(kit: StoreKit, data_dir: Path) -> ManagerServices:
    return ManagerServices(StoreService(kit.store), data_dir)


def answer_next_question(button: QMessageBox.StandardButton) -> list[str]:
    """Press *button* on the next message box (a real one, shown modally); its text."""
    seen: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(20, press)
    return seen


def set_text(widget: Any, text: str) -> None:
    widget.clear()
    widget.setText(text)
