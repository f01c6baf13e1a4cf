"""A real SQLite store with a manager signed in, and the application layer on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pser_desk.desk.model import LoginOutcome, LoginResult, OperatorInfo
from pser_desk.desk.services import Desk
from pser_desk.domain.accounts import Role
from pser_desk.store import StoreService
from tests.plugins.store import FAST_SCRYPT, StoreKit, make_kit


@pytest.fixture
def kit(sqlite_store) -> StoreKit:
    return make_kit(sqlite_store)


@pytest.fixture
def manager_login(kit: StoreKit) -> LoginResult:
    session = kit.add_manager("mgr1")
    return LoginResult(LoginOutcome.OK, OperatorInfo("mgr1", "Manager", Role.MANAGER), session)


@pytest.fixture
def desk(kit: StoreKit, data_dir: Path) -> Desk:
    """The application layer on the kit's store and clock (what the screens are given)."""
    store = StoreService(kit.store, clock=kit.clock, password_cost=FAST_SCRYPT)
    return Desk.on(store, data_dir, clock=kit.clock)


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
