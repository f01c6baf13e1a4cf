"""The review page: every problem of the record listed first, then what will be saved.

The keyboard stays on this page (nothing typed here reaches a hidden question): Enter on
a problem goes to its question, and only there; with no problem left Enter saves, as
"Save and queue" does. In Urdu the summary reads right to left, labels on the right.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
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
from pser_desk.gui.wizard.display import display_value
from pser_desk.gui.wizard.field_form import is_enter

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
        self.problems_label.setObjectName("problemsLabel")
        self.problems_label.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("problemsList")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._on_problems_item_activated)  # a mouse
        # Completeness through a mandatory field, not an isComplete() override: in PySide6
        # 6.12 a Python isComplete() drops a reference to True/False on every call and the
        # interpreter eventually aborts ("bool_dealloc").
        self._gate = QLineEdit(self)
        self._gate.setObjectName("reviewGate")
        self._gate.hide()
        self.registerField("reviewClean*", self._gate)
        self.summary = QTextBrowser(self)
        self.summary.setObjectName("reviewSummary")
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for widget in (self.problems, self.summary):
            widget.installEventFilter(self)
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
        QTimer.singleShot(0, self._focus_here)  # after QWizard has placed its own focus

    def _focus_here(self) -> None:
        if self._wizard.currentPage() is not self:
            return
        (self.problems if self._issues else self.summary).setFocus(Qt.FocusReason.OtherFocusReason)

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
            detail = self._wizard.externals().get(issue.path, ("", ""))[1]
            text = issue_text(issue.code, detail)
            item = QListWidgetItem(f"{self.path_label(issue.path)}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, issue.path)
            self.problems.addItem(item)
        self.problems.setVisible(bool(self._issues))
        self._retranslate()
        self.summary.setHtml(self._summary_html())
        self._gate.setText("" if self._issues else "ok")
        if self._issues:
            self.problems.setCurrentRow(0)
            if self._wizard.currentPage() is self:
                self.problems.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not is_enter(event):
            return False
        if watched is self.problems:
            item = self.problems.currentItem()
            if item is not None:  # go there, and only there (the key is used up here)
                self._on_problems_item_activated(item)
            return True
        if watched is self.summary and not self._issues:
            self._wizard.accept()  # Enter means "next": here, save and queue
            return True
        return watched is self.summary

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
            parts.append(f"<h3 align='{self._side()}'>"
                         f"{html.escape(section.label.text(self._language))}</h3>")  # fmt: skip
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
        direction = "rtl" if self._language == "ur" else "ltr"
        return f"<div dir='{direction}'>{''.join(parts)}</div>"

    def _members_html(self, roster: Field, rows: list[dict[str, object]]) -> str:
        if not rows:
            return (f"<p align='{self._side()}'>"
                    f"{html.escape(self.tr('No other family members.'))}</p>")  # fmt: skip
        out = []
        for i, row in enumerate(rows, start=1):
            title = self.tr("Member %1").replace("%1", str(i))
            out.append(f"<p align='{self._side()}'><b>{html.escape(title)}</b></p>")
            out.append(self._table([(c, row[c.id]) for c in roster.fields if c.id in row]))
        return "".join(out)

    def _table(self, rows: list[tuple[Field, object]]) -> str:
        cells = []
        align = "right" if self._language == "ur" else "left"
        for field_, value in rows:
            shown = (
                ", ".join(display_value(_option_field(field_), v, self._language) for v in value)
                if isinstance(value, list)
                else display_value(field_, value, self._language)
            )
            label = f"<td align='{align}'>{html.escape(field_.label.text(self._language))}</td>"
            answer = f"<td align='{align}'><b>{html.escape(_isolated(shown))}</b></td>"
            # Qt's rich text lays tables out left to right whatever the direction: in Urdu
            # the label goes in the last column, so that it reads first, on the right.
            row = answer + label if self._language == "ur" else label + answer
            cells.append(f"<tr>{row}</tr>")
        side = "right" if self._language == "ur" else "left"
        return f"<table align='{side}' cellspacing='4'>{''.join(cells)}</table><br/>"

    def _side(self) -> str:
        return "right" if self._language == "ur" else "left"

    def set_language(self, language: str) -> None:
        self._language = language
        self.summary.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if language == "ur" else Qt.LayoutDirection.LeftToRight
        )
        self._retranslate()
        if self._wizard.currentPage() is self:
            self.refresh()

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
                self.tr(
                    "No problems found. Check the answers with the citizen, then press Enter "
                    "to save."
                )
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def _isolated(text: str) -> str:
    """A value that starts with Latin letters or digits stays whole inside Urdu text."""
    if text and (text[0].isascii() and text[0].isalnum()):
        return "\u2068" + text + "\u2069"
    return text


def _option_field(field_: Field) -> Field:
    """A multi-choice's options read like a single choice's, one value at a time."""
    return Field(field_.id, FieldType.CHOICE, field_.label, options=field_.options)
