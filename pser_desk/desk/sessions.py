"""Sign-in and sessions: the first manager of a new PC, and every sign-in after.

A refused sign-in is a :class:`~pser_desk.desk.model.LoginResult` that says why (wrong
password with the attempts left before the lock, locked with the minutes left,
disabled), read from the account's state, never from an error's text.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.model import LoginOutcome, LoginResult, OperatorInfo
from pser_desk.domain.accounts import Role
from pser_desk.store import StoreService
from pser_desk.store import errors as store_errors
from pser_desk.store.operators import MAX_FAILED_LOGINS, Clock, LoginSession


class Sessions:
    def __init__(self, store: StoreService, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def has_operators(self) -> bool:
        with desk_errors():
            return self._store.operators.count() > 0

    def create_first_manager(self, operator_id: str, name: str, password: str) -> None:
        """The first account of a new PC (it makes the installation key)."""
        with desk_errors(not_found=ErrorCode.OPERATOR_NOT_FOUND):
            self._store.operators.add(operator_id.strip(), name, Role.MANAGER, password, by=None)

    def login(self, operator_id: str, password: str) -> LoginResult:
        with desk_errors(not_found=ErrorCode.OPERATOR_NOT_FOUND):
            try:
                session = self._store.operators.login(operator_id, password)
            except store_errors.AuthenticationFailed:
                return self._refused(operator_id)
            operator = self._store.operators.get(operator_id)
        info = OperatorInfo(operator.id, operator.name, Role(operator.role))
        return LoginResult(LoginOutcome.OK, operator=info, session=session)

    def _refused(self, operator_id: str) -> LoginResult:
        try:
            operator = self._store.operators.get(operator_id)
        except store_errors.NotFound:
            return LoginResult(LoginOutcome.BAD_CREDENTIALS)
        if operator.disabled:
            return LoginResult(LoginOutcome.DISABLED)
        now = self._clock()
        locked_until = _utc(operator.locked_until)
        if locked_until is not None and locked_until > now:
            left = int((locked_until - now).total_seconds()) + 1
            return LoginResult(LoginOutcome.LOCKED, locked_for_s=left)
        left_tries = max(1, MAX_FAILED_LOGINS - operator.failed_logins)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS, attempts_left=left_tries)


def signed_in(login: LoginResult | None) -> LoginSession:
    """The store's session of a sign-in (the operator must have signed in)."""
    if login is None or login.session is None:
        raise DeskError(ErrorCode.LOGIN_REQUIRED, "sign in first")
    return login.session


def manager(login: LoginResult | None) -> LoginSession:
    """The store's session of a signed-in manager."""
    if login is None or login.session is None:
        raise DeskError(ErrorCode.SIGNED_OUT, "a manager must sign in first")
    if login.session.role != Role.MANAGER:
        raise DeskError(ErrorCode.MANAGER_ONLY, "only a manager may do this")
    return login.session


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
