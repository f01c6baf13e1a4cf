"""The duplicate check at the desk: a CNIC or B-Form number already in another household.

When a number is complete and valid in the wizard (the head's or a member's), it is looked
up on the database lane in the CNIC index of this PC's store (the centre's database when
PCs share one), by keyed digest only. An answer that still applies when it comes back is
shown at the field, with the other household's receipt number; saving is refused while
it stands (the backend checks again when the record is queued).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from shiboken6 import isValid

if TYPE_CHECKING:
    from pser_desk.gui.registration import RegistrationPage
    from pser_desk.gui.wizard.wizard import RegistrationWizard

log = logging.getLogger(__name__)

DUPLICATE = "duplicate.elsewhere"


class DuplicateCheck(QObject):
    def __init__(self, page: RegistrationPage) -> None:
        super().__init__(page)
        self._page = page

    def check(self, path: str, digits: str) -> None:
        page = self._page
        login, sid, wizard = page.login, page.submission_id, page.wizard
        find = getattr(page.backend, "find_cnic", None)
        if login is None or find is None:
            return
        page.runner.run_task(
            lambda: find(login, digits, sid),
            lambda receipt: self._on_found(wizard, sid, path, digits, receipt),
            lambda exc: log.error("duplicate check failed: %s", exc.__class__.__name__),
        )

    def _on_found(
        self, wizard: RegistrationWizard, sid: str, path: str, digits: str, receipt: str | None
    ) -> None:
        page = self._page
        if not (isValid(page) and isValid(wizard)) or page.wizard is not wizard:
            return
        if page.submission_id != sid or wizard.number_at(path) != digits:
            return  # the operator has moved on: the answer is about something else
        if receipt is None:
            wizard.set_external_problem(path, None)
            return
        log.info("a CNIC typed is already in another household on this store")
        wizard.set_external_problem(path, DUPLICATE, receipt)

    def refused(self, issues: list[tuple[str, str]]) -> None:
        """The backend refused to queue: the numbers it found elsewhere, at their fields."""
        for path, code in issues:
            if code == DUPLICATE:
                self._page.wizard.set_external_problem(path, DUPLICATE, "")
