"""What every manager screen shares: the application layer, the runner, a line for messages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QWidget
from shiboken6 import isValid

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.model import LoginResult
from pser_desk.desk.protocol import DeskApi
from pser_desk.gui.manager.texts import exception_text
from pser_desk.gui.screen_fit import fit_to_screen
from pser_desk.gui.tasks import Lane, Runner

log = logging.getLogger(__name__)

T = TypeVar("T")

ERROR_STYLE = "color: #b3261e;"
OK_STYLE = "color: #1e6b34;"


def no_default_buttons(dialog: QDialog) -> None:
    """No button of *dialog* is pressed by an Enter typed in one of its fields (a dialog's
    buttons are "auto default" otherwise, and the last one focused would take Enter)."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)


class ManagerDialog(QDialog):
    """A screen that runs its work off the GUI thread and says what happened in words.

    A screen's layout comes from its Designer file (``ui/manager_*.ui``), which has a
    ``managerMessage`` label; the subclass sets :attr:`message` to it after ``setupUi``.
    """

    message: QLabel

    def __init__(
        self,
        desk: DeskApi,
        runner: Runner,
        login: LoginResult | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk, self.runner, self.login = desk, runner, login
        self.busy = 0

    def _manager(self) -> LoginResult:
        """The signed-in manager (the application layer checks the role again)."""
        if self.login is None:
            raise DeskError(ErrorCode.SIGNED_OUT, "a manager must sign in first")
        return self.login

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        lane: Lane = Lane.DB,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.busy += 1

        def done(result: T) -> None:
            if not isValid(self):  # closed meanwhile: nothing left to show it on
                return
            self.busy -= 1
            on_done(result)

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self.busy -= 1
            code = exc.code.value if isinstance(exc, DeskError) else type(exc).__name__
            log.info("manager action refused: %s", code)
            self.say_error(exception_text(exc))
            if on_error is not None:  # may say something more precise
                on_error(exc)

        self.runner.run_task(fn, done, failed, lane)

    def say_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def say(self, text: str) -> None:
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(text)

    def showEvent(self, event: QShowEvent) -> None:
        fit_to_screen(self)
        super().showEvent(event)

    def retranslate(self) -> None:
        """Set every visible text (subclasses); called at start and on a language change."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
