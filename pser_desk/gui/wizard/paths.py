"""Where a question is, by its record path (``head.cnic``, ``members[1].name``): the value
typed there, the question with the keyboard, going back to a question (the review's
problems, a draft resumed after a crash)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from pser_desk.domain.form import SectionKind
from pser_desk.gui.wizard.model import field_path

if TYPE_CHECKING:
    from pser_desk.gui.wizard.wizard import RegistrationWizard


def member_path(path: str) -> tuple[int, str | None]:
    """``members[2].name`` -> (2, "name"); ``members`` -> (0, None)."""
    if "[" not in path:
        return 0, None
    index = int(path[path.index("[") + 1 : path.index("]")])
    column = path.split(".", 1)[1] if "." in path else None
    return index, column


class WizardPaths:
    def __init__(self, wizard: RegistrationWizard) -> None:
        self._wizard = wizard

    def number_at(self, path: str) -> str | None:
        """The text now at *path* (to check a late answer about a number still applies)."""
        w = self._wizard
        if path.startswith("members"):
            index, column = member_path(path)
            if w.roster is None or column is None or index >= w.roster.row_count():
                return None
            value = w.roster.editor_at(index, column).value()
        else:
            field_id = path.split(".", 1)[-1]
            form = w.forms.get(field_id)
            value = form.editor(field_id).value() if form is not None else None
        return value if isinstance(value, str) else None

    def go_to_field(self, path: str) -> None:
        """Back to the page of *path* and focus it (its problem shown)."""
        w = self._wizard
        member = path.startswith("members")
        field_id = path.split(".", 1)[1] if "." in path and not member else None
        section = (
            w.form.section_of(field_id)
            if field_id
            else w.form.sections_of_kind(SectionKind.MEMBERS)[0]
        )
        target = next(i for i, p in enumerate(w.section_pages) if p.section is section)
        while w.currentId() > target:
            w.back()
        if field_id:
            form = w.forms[field_id]
            form.touch(field_id)
            w.checks.left_field(field_id)
            form.focus_field(field_id)
        elif w.roster is not None:
            index, column = member_path(path)
            w.roster.focus_problem(index, column)

    def focused_path(self) -> str | None:
        """The path of the question with the focus, or None."""
        w = self._wizard
        widget = QApplication.focusWidget()
        if widget is None or not w.isAncestorOf(widget):
            return None
        if w.roster is not None and w.roster.isAncestorOf(widget):
            editor = w.roster.editor_of(widget)
            row = w.roster.current_row()
            if editor is None or row is None:
                return None
            return f"members[{row}].{editor.field.id}"
        field_id = widget.objectName().removeprefix("field_")
        if field_id not in w.forms:
            return None
        return field_path(w.form.section_of(field_id).kind, field_id)

    def focus_path(self, path: str) -> None:
        """Put the focus on *path*'s question if it is on the page shown (a resumed draft)."""
        w = self._wizard
        if path.startswith("members") and w.roster is not None:
            index, column = member_path(path)
            if w.currentPage().isAncestorOf(w.roster):
                w.roster.focus_problem(index, column)
            return
        field_id = path.split(".", 1)[-1]
        form = w.forms.get(field_id)
        if form is not None and w.currentPage().isAncestorOf(form):
            form.focus_field(field_id)
