"""Saved records back on the registration page, without Qt: a draft or a returned record
the operator picked, and the draft a crash or power cut left open (its resume note names
it, with its page and question). Read through the application layer on the database
lane; shown by the page once read."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from pser_desk.desk.model import LoginResult, OpenedRecord
from pser_desk.gui.presenters.ports import Runner
from pser_desk.gui.presenters.registration import ResumeNote, ResumeNotes

log = logging.getLogger(__name__)

Show = Callable[[OpenedRecord, int, str | None], None]  # (record, page, question)


class Opener(Protocol):
    def open(self, login: LoginResult, submission_id: str) -> OpenedRecord: ...
    def open_draft(self, login: LoginResult, submission_id: str) -> OpenedRecord | None: ...


class SavedRecords:
    def __init__(
        self, records: Opener, runner: Runner, notes: ResumeNotes | None, show: Show
    ) -> None:
        self._records, self._runner, self._notes, self._show = records, runner, notes, show

    def open(self, login: LoginResult, submission_id: str, page: int = 0) -> None:
        """A saved draft or a returned record, at *page*."""
        self._runner.run_task(
            lambda: self._records.open(login, submission_id),
            lambda opened: self._show(opened, page, None),
            lambda exc: log.error("record not opened: %s", exc.__class__.__name__),
        )

    def reopen_noted(self, login: LoginResult, operator_id: str) -> None:
        """After a crash or power cut: the draft *operator_id* had open, where they were."""
        notes = self._notes
        if notes is None:
            return

        def noted() -> tuple[ResumeNote, OpenedRecord | None] | None:
            note = notes.read()
            if note is None or note.operator_id != operator_id:
                return None
            return note, self._records.open_draft(login, note.submission_id)

        self._runner.run_task(noted, self._on_noted, lambda exc: log.error(
            "open draft not reopened: %s", exc.__class__.__name__))  # fmt: skip

    def _on_noted(self, found: tuple[ResumeNote, OpenedRecord | None] | None) -> None:
        if found is not None and found[1] is not None:
            note, opened = found[0], found[1]
            self._show(opened, note.page, note.field)
