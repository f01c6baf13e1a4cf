"""The wizard's judge: what is wrong with the household being typed, and where.

A question left is judged alone (only that field and the rules that read it), once per
value it takes; a member's row within the household as it stands; the whole record only
on the review page (the application layer judges it once more before queueing).
Problems found outside the form (a CNIC already in another household) are kept here by
path and shown at their field.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pser_desk.desk.errors import DUPLICATE_CNIC
from pser_desk.domain.validate import ValidationIssue, validate_field, validate_record
from pser_desk.gui.wizard.field_form import FieldForm
from pser_desk.gui.wizard.model import field_path
from pser_desk.gui.wizard.paths import member_path

if TYPE_CHECKING:
    from pser_desk.gui.wizard.wizard import RegistrationWizard

log = logging.getLogger(__name__)

HOUSEHOLD_PARTS = ("head", "address", "answers")


class WizardChecks:
    def __init__(self, wizard: RegistrationWizard) -> None:
        self._wizard = wizard
        self.external: dict[str, tuple[str, str]] = {}  # path -> (code, detail), e.g. duplicates
        # field id -> (the value last judged, the rules' verdict on it): a question left
        # again unchanged is not judged again
        self._judged: dict[str, tuple[object, ValidationIssue | None]] = {}

    def reset(self) -> None:
        """Another record is shown: nothing judged or found before applies."""
        self.external = {}
        self._judged.clear()

    def issues(self) -> list[ValidationIssue]:
        """Every problem of the record: the rules', a number typed wrong, a CNIC elsewhere
        (the whole record: judged on the review page; the store judges it once more)."""
        w = self._wizard
        found = validate_record(w.record(), w.form, geography=w.geography, today=w.today())
        typed = self._input_problems()
        issues = [ValidationIssue.of(i.path, typed.get(i.path, i.code)) for i in found]
        seen = {i.path for i in issues}
        issues += [
            ValidationIssue.of(p, c) for p, (c, _d) in self.externals().items() if p not in seen
        ]
        return issues

    def externals(self) -> dict[str, tuple[str, str]]:
        """Every problem found outside the form: path -> (code, detail)."""
        found = dict(self.external)
        if self._wizard.roster is not None:
            found.update(self._wizard.roster.external_problems())
        return found

    def _input_problems(self) -> dict[str, str]:
        w = self._wizard
        problems: dict[str, str] = {}
        for field_id, form in w.forms.items():
            problem = form.editor(field_id).input_problem()
            if problem:
                problems[field_path(w.form.section_of(field_id).kind, field_id)] = problem
        return problems

    def field_problem(self, field_id: str) -> tuple[str, str] | None:
        """(code, detail) of the problem of a household question, if it has one."""
        w = self._wizard
        path = field_path(w.form.section_of(field_id).kind, field_id)
        problem = w.forms[field_id].editor(field_id).input_problem()
        if problem:
            return problem, ""
        if path in self.external:
            return self.external[path]
        issue = self._judge(field_id, path)
        return (issue.code, "") if issue else None

    def _judge(self, field_id: str, path: str) -> ValidationIssue | None:
        """The rules' verdict on one question: only that field (and the rules that read
        it), once per value it takes; the whole record is judged on the review page."""
        w = self._wizard
        value = w.forms[field_id].editor(field_id).value()
        judged = self._judged.get(field_id)
        if judged is not None and judged[0] == value:
            return judged[1]
        found = validate_field(w.record(), w.form, path, geography=w.geography, today=w.today())
        issue = found[0] if found else None
        self._judged[field_id] = (value, issue)
        return issue

    def left_field(self, field_id: str) -> None:
        """A question was left: its problem (or none) shows under it."""
        found = self.field_problem(field_id)
        self._wizard.forms[field_id].show_error(field_id, *(found or (None, "")))

    def check_member(self, row: dict[str, object]) -> dict[str, str]:
        """Problems of one member row (column -> code), checked within the household."""
        w = self._wizard
        record = w.record()
        record["members"] = [row]
        found: dict[str, str] = {}
        for issue in validate_record(record, w.form, geography=w.geography, today=w.today()):
            if issue.path.startswith("members[0]."):
                found.setdefault(issue.path.split(".", 1)[1], issue.code)
        return found

    def set_external_problem(self, path: str, code: str | None, detail: str = "") -> None:
        """A problem found outside the form (a CNIC already registered), shown at its field."""
        w = self._wizard
        part, _, field_id = path.partition(".")
        if part in HOUSEHOLD_PARTS:
            if code:
                self.external[path] = (code, detail)
            else:
                self.external.pop(path, None)
        if part in HOUSEHOLD_PARTS and field_id in w.forms:
            w.forms[field_id].touch(field_id)
            self.left_field(field_id)
        elif path.startswith("members") and w.roster is not None:
            index, column = member_path(path)
            if column is not None:
                w.roster.set_external(index, column, code, detail)

    def show_duplicate(self, path: str, digits: str, receipt: str | None) -> None:
        """The duplicate check's answer for *digits* at *path* (None: no other household
        holds it), if that number is still there."""
        if self._wizard.paths.number_at(path) != digits:
            return  # the operator has moved on: the answer is about something else
        if receipt is None:
            self.set_external_problem(path, None)
            return
        log.info("a CNIC typed is already in another household on this store")
        self.set_external_problem(path, DUPLICATE_CNIC, receipt)

    def try_leave(self, form: FieldForm) -> None:
        """Enter past the last question: go on only if the page has no problem left."""
        first_bad: str | None = None
        count = 0
        for field_id in form.field_ids():
            if not form.is_shown(field_id):
                continue
            form.touch(field_id)
            found = self.field_problem(field_id)
            form.show_error(field_id, *(found or (None, "")))
            if found:
                count += 1
                first_bad = first_bad or field_id
        form.show_page_problems(count)
        if first_bad is None:
            self._wizard.next()
        else:
            form.focus_field(first_bad)
