"""Operator accounts: a manager adds, disables and resets them (the store checks again)."""

from __future__ import annotations

from pser_desk.desk.errors import ErrorCode
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.model import LoginResult
from pser_desk.desk.sessions import manager
from pser_desk.domain.accounts import Operator, Role
from pser_desk.store import StoreService


class Accounts:
    def __init__(self, store: StoreService) -> None:
        self._store = store

    def list(self) -> list[Operator]:
        with desk_errors(not_found=ErrorCode.OPERATOR_NOT_FOUND):
            return self._store.operators.list()

    def add(
        self, login: LoginResult | None, operator_id: str, name: str, role: Role, password: str
    ) -> Operator:
        """A new account, added by a signed-in manager; *login* None only for the first
        account of a new PC (a manager: it makes the installation key)."""
        by = manager(login) if login is not None else None
        with desk_errors(not_found=ErrorCode.OPERATOR_NOT_FOUND):
            return self._store.operators.add(operator_id.strip(), name, role, password, by=by)

    def disable(self, login: LoginResult, operator_id: str) -> None:
        by = manager(login)
        with desk_errors(not_found=ErrorCode.OPERATOR_NOT_FOUND):
            self._store.operators.disable(operator_id, by=by)

    def reset(self, login: LoginResult, operator_id: str, password: str) -> None:
        """A new password; the account is unlocked and enabled again."""
        by = manager(login)
        with desk_errors(not_found=ErrorCode.OPERATOR_NOT_FOUND):
            self._store.operators.reset(operator_id, password, by=by)
