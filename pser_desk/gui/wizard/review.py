"""The review page: every problem of the record listed first, then what will be saved."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWizardPage,
)

from pser_desk.desk.errors import Problem
from pser_desk.domain.form import Field, FieldType, SectionKind
from pser_desk.domain.validate import ValidationIssue
from pser_desk.gui.messages import issue_text
from pser_desk.gui.wizard.roster import display_value

if TYPE_CHECKING:
    from pser_desk.gui.wizard.wizard import RegistrationWizard

_MEMBER_PATH = re.compile(r"^members\[(\d+)\](?:\.(\w+))?$")


class ReviewPage(QWizardPage):
    def __init__(self, wizard: RegistrationWizard) -> None:
        super().__init__(wizard)
        self.setObjectName("page_review")
        self._wizard = wizard
        self._language = "en"
        self._issues: list[ValidationIssue] = []
        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("problemsList")
        self.problems.itemActivated.connect(self._on_problems_item_activated)
        # Completeness through a mandatory field, not an isComplete() override: in PySide6
        # 6.12 a Python isComplete() drops a reference to True/False on every call and the
        # interpreter eventually aborts ("bool_dealloc").
        self._gate = QLineEdit(self)
        self._gate.setObjectName("reviewGate")
        self._gate.hide()
        self.registerField("reviewClean*", self._gate)
        self.summary = QTextBrowser(self)
        self.summary.setObjectName("reviewSummary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.summary, 3)
        self._retranslate()

    @property
    def issues(self) -> list[ValidationIssue]:
        return list(self._issues)

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Judge the whole record as it stands (the page is shown)."""
        self._show_issues(self._wizard.issues())

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """The problems the application layer found when asked to queue (not judged again)."""
        self._show_issues([ValidationIssue.of(p.path, p.code) for p in problems])

    def _show_issues(self, issues: list[ValidationIssue]) -> None:
        self._issues = issues
        self.problems.clear()
        for issue in self._issues:
            item = QListWidgetItem(f"{self.path_label(issue.path)}: {issue_text(issue.code)}")
            item.setData(Qt.ItemDataRole.UserRole, issue.path)
            self.problems.addItem(item)
        self.problems.setVisible(bool(self._issues))
        self._retranslate()
        self.summary.setHtml(self._summary_html())
        self._gate.setText("" if self._issues else "ok")
        if self._issues:
            self.problems.setCurrentRow(0)
            self.problems.setFocus()

    def _on_problems_item_activated(self, item: QListWidgetItem) -> None:
        self._wizard.go_to_field(item.data(Qt.ItemDataRole.UserRole))

    def path_label(self, path: str) -> str:
        form, lang = self._wizard.form, self._language
        member = _MEMBER_PATH.match(path)
        if member:
            who = self.tr("Member %1").replace("%1", str(int(member[1]) + 1))
            column = member[2]
            return f"{who} › {form.roster.column(column).label.text(lang)}" if column else who
        field_id = path.split(".", 1)[-1]
        try:
            found = form.field(field_id)
        except KeyError:
            return path
        return f"{form.section_of(field_id).label.text(lang)} › {found.label.text(lang)}"

    def _summary_html(self) -> str:
        record = self._wizard.record()
        parts: list[str] = []
        for section in self._wizard.form.sections:
            parts.append(f"<h3>{html.escape(section.label.text(self._language))}</h3>")
            if section.kind is SectionKind.MEMBERS:
                members = record.get("members")
                rows_of = (
                    [m for m in members if isinstance(m, dict)] if isinstance(members, list) else []
                )
                parts.append(self._members_html(section.fields[0], rows_of))
                continue
            values = record.get(section.kind.value)
            if not isinstance(values, dict):
                values = {}
            rows = [(f, values[f.id]) for f in section.fields if f.id in values]
            parts.append(self._table(rows))
        return "".join(parts)

    def _members_html(self, roster: Field, rows: list[dict[str, object]]) -> str:
        if not rows:
            return f"<p>{html.escape(self.tr('No other family members.'))}</p>"
        out = []
        for i, row in enumerate(rows, start=1):
            title = self.tr("Member %1").replace("%1", str(i))
            out.append(f"<p><b>{html.escape(title)}</b></p>")
            out.append(self._table([(c, row[c.id]) for c in roster.fields if c.id in row]))
        return "".join(out)

    def _table(self, rows: list[tuple[Field, object]]) -> str:
        cells = []
        for field_, value in rows:
            shown = (
                ", ".join(display_value(_option_field(field_), v, self._language) for v in value)
                if isinstance(value, list)
                else display_value(field_, value, self._language)
            )
            cells.append(
                f"<tr><td>{html.escape(field_.label.text(self._language))}</td>"
                f"<td><b>{html.escape(shown)}</b></td></tr>"
            )
        return f"<table cellspacing='4'>{''.join(cells)}</table>"

    def set_language(self, language: str) -> None:
        self._language = language
        self._retranslate()

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Review"))
        if self._issues:
            self.problems_label.setText(
                self.tr(
                    "%n problem(s) to correct before saving. Press Enter on one to go to it.",
                    "",
                    len(self._issues),
                )  # fmt: skip
            )
        else:
            self.problems_label.setText(
                self.tr("No problems found. Check the answers with the citizen, then save.")
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def _option_field(field_: Field) -> Field:
    """A multi-choice's options read like a single choice's, one value at a time."""
    return Field(field_.id, FieldType.CHOICE, field_.label, options=field_.options)
