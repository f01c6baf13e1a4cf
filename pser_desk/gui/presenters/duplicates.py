"""The duplicate check at the desk, without Qt: a CNIC or B-Form number typed complete is
looked up in the other households saved here (``desk.records.find_cnic``: by keyed
digest, on the database lane); the answer is shown at its field only while it still
applies (the same registration; the view checks the same number is still there)."""

from __future__ import annotations

import logging
from typing import Protocol

from pser_desk.desk.errors import DeskError
from pser_desk.desk.model import LoginResult
from pser_desk.gui.presenters.ports import Runner

log = logging.getLogger(__name__)


class Lookup(Protocol):
    def find_cnic(self, login: LoginResult, cnic: str, excluding: str | None) -> str | None: ...


class Registration(Protocol):
    """Which registration the page shows, and who is signed in (the presenter)."""

    login: LoginResult | None
    submission_id: str


class DuplicateView(Protocol):
    def alive(self) -> bool: ...
    def show_duplicate(self, path: str, digits: str, receipt: str | None) -> None:
        """The answer for the number *digits* typed at *path*: the receipt number of the
        other household holding it ("" if it has none yet), or None (no other)."""


class DuplicateCheck:
    def __init__(
        self, registration: Registration, records: Lookup, runner: Runner, view: DuplicateView
    ) -> None:
        self._registration, self._records = registration, records
        self._runner, self._view = runner, view

    def number_completed(self, path: str, digits: str) -> None:
        """A number at *path* is complete and valid: is it in another household here?"""
        login, sid = self._registration.login, self._registration.submission_id
        if login is None:
            return
        self._runner.run_task(
            lambda: self._records.find_cnic(login, digits, sid),
            lambda receipt: self._on_found(sid, path, digits, receipt),
            self._on_error,
        )

    def _on_found(self, sid: str, path: str, digits: str, receipt: str | None) -> None:
        if not self._view.alive() or sid != self._registration.submission_id:
            return  # another registration meanwhile: the answer is about something else
        self._view.show_duplicate(path, digits, receipt)

    @staticmethod
    def _on_error(exc: BaseException) -> None:
        code = exc.code.value if isinstance(exc, DeskError) else exc.__class__.__name__
        log.error("duplicate check failed: %s", code)
