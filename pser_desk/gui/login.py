"""The sign-in dialog: operator id and password, the store's lockout shown in words.

At start-up the dialog is shown before the database is open (``sessions`` None): the
operator types at once; a sign-in asked for meanwhile waits, and runs as soon as
:meth:`LoginDialog.set_sessions` hands the dialog the application layer's sign-in.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QDialog, QWidget

from pser_desk.gui.forms.ui_login_dialog import Ui_LoginDialog

if TYPE_CHECKING:  # the window shows before the application layer is loaded
    from PySide6.QtGui import QKeyEvent

    from pser_desk.desk.model import LoginResult
    from pser_desk.desk.protocol import SessionsApi
    from pser_desk.gui.tasks import Runner

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    """Accepted once a login succeeded; :attr:`result_login` then holds it."""

    login_failed = Signal(str)  # the LoginOutcome value

    def __init__(
        self,
        sessions: SessionsApi | None,
        runner: Runner,
        demo_credentials: tuple[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.setObjectName("LoginDialog")
        self._sessions = sessions
        self._runner = runner
        self._last: LoginResult | None = None
        self._waiting: tuple[str, str] | None = None  # asked for before the store opened
        self.result_login: LoginResult | None = None
        self._demo = demo_credentials
        self.ui.bannerLabel.setVisible(demo_credentials is not None)
        self._retranslate_dynamic()
        self.ui.loginButton.clicked.connect(self._on_login_clicked)
        self.ui.quitButton.clicked.connect(self.reject)
        self.ui.operatorEdit.returnPressed.connect(self.ui.passwordEdit.setFocus)
        self.ui.operatorEdit.setFocus()

    @property
    def ready(self) -> bool:
        """Whether the store is open (a sign-in runs at once)."""
        return self._sessions is not None

    def set_sessions(self, sessions: SessionsApi) -> None:
        """The store is open: a sign-in asked for meanwhile runs now."""
        self._sessions = sessions
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start_login(*waiting)

    def preset_operator(self, operator_id: str) -> None:
        """Lock screen: the same operator signs back in."""
        self.ui.operatorEdit.setText(operator_id)
        self.ui.passwordEdit.setFocus()

    def ask_operator(self) -> None:
        """Switch operator: the operator id is typed afresh."""
        self.ui.operatorEdit.clear()
        self.ui.operatorEdit.setFocus()

    def _on_login_clicked(self) -> None:
        operator_id = self.ui.operatorEdit.text().strip()
        password = self.ui.passwordEdit.text()
        if not operator_id or not password:
            self.ui.messageLabel.setText(self.tr("Type your operator ID and password."))
            return
        self._set_busy(True)
        if self._sessions is None:  # still opening the database: sign in once it is open
            self._waiting = (operator_id, password)
            self.ui.messageLabel.setText(self.tr("Opening the records on this PC..."))
            return
        self._start_login(operator_id, password)

    def _start_login(self, operator_id: str, password: str) -> None:
        sessions = self._sessions
        assert sessions is not None
        self._set_busy(True)
        self._runner.run_task(
            lambda: sessions.login(operator_id, password),
            self._on_login_done,
            self._on_login_error,
        )

    def _on_login_done(self, result: LoginResult) -> None:
        from pser_desk.desk.model import LoginOutcome

        self._set_busy(False)
        self.ui.messageLabel.clear()
        self._last = result
        if result.outcome is LoginOutcome.OK:
            log.info("operator signed in")
            self.result_login = result
            self.ui.passwordEdit.clear()
            self.accept()
            return
        log.info("sign-in refused: %s", result.outcome.value)
        self.ui.passwordEdit.clear()
        self.ui.passwordEdit.setFocus()
        self._show_outcome()
        self.login_failed.emit(result.outcome.value)

    def _on_login_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        log.error("sign-in failed: %s", exc.__class__.__name__)
        self.ui.messageLabel.setText(self.tr("Sign-in is not possible right now; try again."))

    def _set_busy(self, busy: bool) -> None:
        self.ui.loginButton.setEnabled(not busy)
        self.ui.operatorEdit.setEnabled(not busy)
        self.ui.passwordEdit.setEnabled(not busy)

    def _show_outcome(self) -> None:
        self.ui.messageLabel.setText(self.outcome_text(self._last))

    def outcome_text(self, result: LoginResult | None) -> str:
        from pser_desk.desk.model import LoginOutcome

        if result is None or result.outcome is LoginOutcome.OK:
            return ""
        if result.outcome is LoginOutcome.LOCKED:
            minutes = max(1, -(-(result.locked_for_s or 60) // 60))
            return self.tr("Too many wrong passwords. Try again in %n minute(s).", "", minutes)
        if result.outcome is LoginOutcome.DISABLED:
            return self.tr("This account is disabled. Ask the centre manager.")
        if result.attempts_left:
            return self.tr(
                "Wrong operator ID or password. %n attempt(s) left before the account locks.",
                "",
                result.attempts_left,
            )
        return self.tr("Wrong operator ID or password.")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape does not quit the desk (an operator reaching for it to clear a typo
        lost the whole window); Quit (Alt+Q) does."""
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def _retranslate_dynamic(self) -> None:
        if self._demo is not None:
            self.ui.bannerLabel.setText(
                self.tr("Demo: sign in as %1 with the password %2.")
                .replace("%1", self._demo[0])
                .replace("%2", self._demo[1])
            )
        if self._last is not None:
            self._show_outcome()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate_dynamic()
        super().changeEvent(event)
