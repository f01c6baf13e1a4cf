"""A column of questions: label, editor and error line per field, skip logic, Enter moves on.

Used by each section page. Dependent geography choices (division -> district -> tehsil)
follow their parent here.

The keyboard: Enter (or a complete answer: a chosen option, a CNIC's 13th digit) moves to
the next question shown; Enter on the last one asks the wizard to leave the page, which
it does only when the page has no problem left; Ctrl+Enter leaves it anyway (the
deliberate key). A problem is shown under its question once the operator has answered or
passed it with the keyboard, never on a fresh form; its words follow the language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from pser_desk.domain.form import Field, FieldType, Option
from pser_desk.domain.geography import Geography
from pser_desk.gui.messages import issue_text
from pser_desk.gui.wizard.editors import (
    ChoiceEditor,
    FieldEditor,
    LineEditor,
    MultiChoiceEditor,
    fit_width,
    label_text,
    make_editor,
)

ERROR_STYLE = "color: #b00020;"
HINT_STYLE = "color: #7a4f00; font-style: italic;"
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
NAVIGATION_REASONS = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
LABEL_WIDTH = 300  # a label wraps at this width and is as tall as its lines need
TICK_LABEL_WIDTH = 900


def geography_options(
    field_: Field, geography: Geography, parent_code: object
) -> tuple[Option, ...]:
    """The places a geography choice offers, given its parent's current code."""
    level = field_.options_from or ""
    if level.endswith("divisions"):
        places = geography.divisions()
    elif not isinstance(parent_code, str):
        places = ()
    elif level.endswith("districts"):
        places = geography.districts(parent_code)
    else:
        places = geography.tehsils(parent_code)
    return tuple(Option(p.code, p.name) for p in places)


def is_enter(event: QKeyEvent) -> bool:
    return event.key() in ENTER_KEYS and event.modifiers() in PLAIN


def is_deliberate_enter(event: QKeyEvent) -> bool:
    """Ctrl+Enter: leave the page even with problems on it."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in ENTER_KEYS and mods == Qt.KeyboardModifier.ControlModifier


def hint_text(kind: str) -> str:
    """The note under a value the desk filled in for the operator to check."""
    if kind == "card":
        return QCoreApplication.translate("FieldForm", "Filled from the card: check it.")
    if kind == "carried":
        return QCoreApplication.translate("FieldForm", "Filled in from what is known: check it.")
    return kind


class _Row:
    """One question: its label, its editor and the line under it (a problem or a hint)."""

    def __init__(self, field_: Field, parent: QWidget, today: Callable[[], date]) -> None:
        self.field = field_
        self.box = QWidget(parent)
        column = QVBoxLayout(self.box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        self.editor = make_editor(field_, self.box)
        if isinstance(self.editor, LineEditor):
            self.editor.today = today
        self.error = QLabel(self.box)
        self.error.setObjectName(f"error_{field_.id}")
        self.error.setProperty("role", "fieldError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        column.addWidget(self.editor.widget, 0, Qt.AlignmentFlag.AlignLeading)
        column.addWidget(self.error)
        self.label = QLabel(parent)
        self.label.setWordWrap(True)
        if field_.type is not FieldType.MULTI_CHOICE:  # a tick list's label spans the row
            self.label.setFixedWidth(LABEL_WIDTH)
        else:
            self.label.setMaximumWidth(TICK_LABEL_WIDTH)
        self.label.setBuddy(self.editor.widget)
        self.error_code: str | None = None
        self.error_detail = ""
        self.hint: str | None = None  # a hint kind ("card") until the operator edits it
        self.touched = False  # answered, or passed with the keyboard

    def place(self, grid: QGridLayout) -> None:
        """Label left of the answer; a tick list's label over it, both the whole width."""
        row_index = grid.rowCount()
        if isinstance(self.editor, MultiChoiceEditor):
            grid.addWidget(self.label, row_index, 0, 1, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self.box, row_index + 1, 0, 1, 2)
        else:
            grid.addWidget(self.label, row_index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self.box, row_index, 1)

    def set_error(self, code: str | None, detail: str) -> None:
        self.error_code, self.error_detail = code, detail if code else ""
        if code:
            self.hint = None
        self.render()

    def set_hint(self, kind: str | None) -> None:
        if self.error_code:
            return  # the error matters more; it stays
        self.hint = kind
        self.render()

    def render(self) -> None:
        """The line under the question, in the current language."""
        if self.error_code:
            text = issue_text(self.error_code, self.error_detail)
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setProperty("role", "fieldError")
        elif self.hint:
            text = hint_text(self.hint)
            self.error.setStyleSheet(HINT_STYLE)
            self.error.setProperty("role", "fieldHint")
        else:
            text = ""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_label(self, language: str) -> None:
        self.label.setText(label_text(self.field.label, language, self.field.required))
        fit_label(self.label)
        help_ = self.field.help
        self.editor.widget.setToolTip(help_.text(language) if help_ else "")


def fit_label(label: QLabel) -> None:
    """A wrapped label as tall as its lines need (a second line was lost)."""
    label.setMinimumHeight(label.heightForWidth(label.maximumWidth()))


class _Keys(QObject):
    """The form's keyboard: Enter moves on, Ctrl+Enter leaves the page, leaving a question
    (with the keyboard, or after answering it) has it judged."""

    def __init__(self, form: FieldForm) -> None:
        super().__init__(form)
        self._form = form

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        form = self._form
        if event.type() == QEvent.Type.FocusOut:
            assert isinstance(event, QFocusEvent)
            field_id = form.field_of(watched)
            if field_id is not None and (
                event.reason() in NAVIGATION_REASONS or form.is_touched(field_id)
            ):
                form.touch(field_id)
                form.left_field.emit(field_id)
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if is_deliberate_enter(event):
                form.leave_requested.emit()
                return True
            if is_enter(event):
                return self._on_enter(watched)
        return False

    def _on_enter(self, widget: QObject) -> bool:
        if isinstance(widget, QComboBox) and widget.view().isVisible():
            return False  # Enter picks the highlighted option first
        if not isinstance(widget, QWidget) or widget not in self._form.visible_editors():
            return False
        self.move_on(widget)
        return True

    def move_on(self, widget: QWidget) -> None:
        """The answer in *widget* is done: check it and go to the next question shown."""
        form = self._form
        field_id = form.field_of(widget)
        if field_id is None:
            return
        form.touch(field_id)
        form.left_field.emit(field_id)
        visible = form.visible_editors()  # the answer may have shown or hidden questions
        if widget not in visible:
            return
        for following in visible[visible.index(widget) + 1 :]:
            fid = form.field_of(following)
            editor = form.editor(fid) if fid else None
            if fid and editor is not None and editor.auto_filled and editor.value() is not None:
                form.touch(fid)
                continue  # filled in for the operator (network, gender): Shift+Tab reaches it
            following.setFocus(Qt.FocusReason.TabFocusReason)
            return
        form.finished_last.emit()


class FieldForm(QWidget):
    """Questions in form order; emits ``value_changed(field_id)``, ``left_field(field_id)``
    (check it now), ``finished_last`` (Enter past the last question) and
    ``leave_requested`` (Ctrl+Enter)."""

    value_changed = Signal(str)
    left_field = Signal(str)
    finished_last = Signal()
    leave_requested = Signal()

    def __init__(
        self,
        fields: tuple[Field, ...],
        geography: Geography,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._geography = geography
        self._language = "en"
        self._rows: dict[str, _Row] = {}
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        self._grid.setHorizontalSpacing(14)
        self._grid.setVerticalSpacing(6)
        self.page_message = QLabel(self)
        self.page_message.setObjectName("pageMessage")
        self.page_message.setWordWrap(True)
        self.page_message.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.page_message.hide()
        self._page_problems = 0
        self._keys = _Keys(self)
        outer = QVBoxLayout(self)
        outer.addLayout(self._grid)
        outer.addWidget(self.page_message)
        outer.addStretch(1)
        for field_ in fields:
            self._add_row(field_, today)
        self._chain_tab_order()
        self._fill_geography()
        self.fit_widths()

    def _add_row(self, field_: Field, today: Callable[[], date]) -> None:
        row = _Row(field_, self, today)
        row.place(self._grid)
        self._rows[field_.id] = row
        editor = row.editor
        editor.changed.connect(lambda fid=field_.id: self._on_editor_changed(fid))
        editor.advanced.connect(lambda w=editor.widget: self._keys.move_on(w))
        editor.widget.installEventFilter(self._keys)
        row.set_label(self._language)

    def _chain_tab_order(self) -> None:
        widgets = [row.editor.widget for row in self._rows.values()]
        for first, second in zip(widgets, widgets[1:]):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------ values

    def editor(self, field_id: str) -> FieldEditor:
        return self._rows[field_id].editor

    def field_ids(self) -> list[str]:
        return list(self._rows)

    def values(self) -> dict[str, object]:
        return {fid: row.editor.value() for fid, row in self._rows.items()}

    def set_values(self, values: dict[str, object]) -> None:
        for fid, row in self._rows.items():
            if row.field.depends_on:
                self._refill(row)
            row.editor.set_value(values.get(fid, row.field.default))

    def reset_marks(self) -> None:
        """A record was loaded: no error, hint or "passed" mark is left from before."""
        for row in self._rows.values():
            row.touched = False
            row.hint = None
            row.error_code = None
            row.error.hide()
        self.show_page_problems(0)

    def _on_editor_changed(self, field_id: str) -> None:
        row = self._rows[field_id]
        row.touched = True
        if row.hint is not None:
            self.show_hint(field_id, None)
        for other in self._rows.values():
            if other.field.depends_on == field_id:
                self._refill(other)
        self.value_changed.emit(field_id)
        if row.error_code or row.editor.input_problem():
            self.left_field.emit(field_id)  # judge the new answer at once

    # ------------------------------------------------------------ geography

    def _fill_geography(self) -> None:
        for row in self._rows.values():
            if row.field.options_from:
                self._refill(row)

    def _refill(self, row: _Row) -> None:
        if not row.field.options_from or not isinstance(row.editor, ChoiceEditor):
            return
        parent = row.field.depends_on
        parent_value = self._rows[parent].editor.value() if parent in self._rows else None
        row.editor.set_options(geography_options(row.field, self._geography, parent_value))
        for child in self._rows.values():
            if child.field.depends_on == row.field.id:
                self._refill(child)

    # ------------------------------------------------------------ skip logic, errors

    def set_relevant(self, relevant: set[str]) -> None:
        for fid, row in self._rows.items():
            shown = fid in relevant
            row.label.setVisible(shown)
            row.box.setVisible(shown)

    def is_shown(self, field_id: str) -> bool:
        return self._rows[field_id].editor.widget.isVisibleTo(self)

    def is_touched(self, field_id: str) -> bool:
        return self._rows[field_id].touched

    def touch(self, field_id: str) -> None:
        self._rows[field_id].touched = True

    def show_error(self, field_id: str, code: str | None, detail: str = "") -> None:
        """Show the problem *code* under the question (None clears it; a hint returns)."""
        self._rows[field_id].set_error(code, detail)

    def show_hint(self, field_id: str, kind: str | None) -> None:
        """A note to confirm a value filled in for the operator (cleared when they edit it)."""
        self._rows[field_id].set_hint(kind)

    def hints(self) -> dict[str, str]:
        return {fid: r.hint for fid, r in self._rows.items() if r.hint}

    def fill_empty(self, values: Mapping[str, object], hint: str) -> list[str]:
        """Set the given fields that have no value yet, mark them with *hint*; the ids set."""
        filled: list[str] = []
        for fid, value in values.items():
            row = self._rows.get(fid)
            if row is None or value in (None, "") or row.editor.value() is not None:
                continue
            row.editor.set_value(value)
            row.editor.auto_filled = True
            for child in self._rows.values():
                if child.field.depends_on == fid:
                    self._refill(child)
            if row.error_code:  # e.g. "required" from leaving it empty: judge the value now
                self.left_field.emit(fid)
            self.show_hint(fid, hint)
            filled.append(fid)
        return filled

    def error_codes(self) -> dict[str, str]:
        return {fid: r.error_code for fid, r in self._rows.items() if r.error_code}

    def show_page_problems(self, count: int) -> None:
        """Enter was pressed past the last question with *count* problems on the page."""
        self._page_problems = count
        self.page_message.setText(self._page_message_text())
        self.page_message.setVisible(count > 0)

    def _page_message_text(self) -> str:
        if not self._page_problems:
            return ""
        return self.tr(
            "%n answer(s) on this page need correcting (in red). Correct them, or press "
            "Ctrl+Enter to go on and come back to them later.",
            "",
            self._page_problems,
        )

    # ------------------------------------------------------------ keyboard

    def focus_first(self) -> None:
        visible = self.visible_editors()
        if visible:
            visible[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_field(self, field_id: str) -> bool:
        row = self._rows.get(field_id)
        if row is None or not row.editor.widget.isVisibleTo(self):
            return False
        row.editor.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def visible_editors(self) -> list[QWidget]:
        return [r.editor.widget for r in self._rows.values() if r.editor.widget.isVisibleTo(self)]

    def field_of(self, widget: QObject) -> str | None:
        return next((f for f, r in self._rows.items() if r.editor.widget is widget), None)

    # ------------------------------------------------------------ language, sizes

    def set_language(self, language: str) -> None:
        self._language = language
        for row in self._rows.values():
            row.editor.set_language(language)
            row.set_label(language)
            row.render()
        self.page_message.setText(self._page_message_text())

    def fit_widths(self) -> None:
        """No answer box wider than its answer needs, in the font now in use; every label
        as tall as its wrapped lines (a second line was lost)."""
        for row in self._rows.values():
            fit_width(row.editor)
            fit_label(row.label)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LanguageChange):
            self.fit_widths()
            if event.type() == QEvent.Type.LanguageChange:
                for row in self._rows.values():
                    row.render()
                self.page_message.setText(self._page_message_text())
        super().changeEvent(event)
