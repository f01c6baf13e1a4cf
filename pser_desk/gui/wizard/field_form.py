"""A column of questions: label, editor and error line per field, skip logic, Enter moves on.

Used by each section page and by the member dialog. Dependent geography choices
(division -> district -> tehsil) follow their parent here.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from pser_desk.domain.form import Field, Option
from pser_desk.domain.geography import Geography
from pser_desk.gui.wizard.editors import ChoiceEditor, FieldEditor, label_text, make_editor

ERROR_STYLE = "color: #b00020;"
HINT_STYLE = "color: #7a4f00; font-style: italic;"
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


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


class _Row:
    def __init__(self, field_: Field, label: QLabel, editor: FieldEditor, error: QLabel) -> None:
        self.field, self.label, self.editor, self.error = field_, label, editor, error
        self.error_code: str | None = None
        self.hint: str | None = None  # "filled from the card: check it" until edited


class FieldForm(QWidget):
    """Questions in form order; emits ``value_changed(field_id)`` and ``left_field(field_id)``."""

    value_changed = Signal(str)
    left_field = Signal(str)
    finished_last = Signal()

    def __init__(
        self,
        fields: tuple[Field, ...],
        geography: Geography,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._geography = geography
        self._language = "en"
        self._rows: dict[str, _Row] = {}
        self._layout = QFormLayout(self)
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field_ in fields:
            self._add_row(field_)
        self._chain_tab_order()
        self._fill_geography()

    def _add_row(self, field_: Field) -> None:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        editor = make_editor(field_, box)
        error = QLabel(box)
        error.setObjectName(f"error_{field_.id}")
        error.setProperty("role", "fieldError")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(editor.widget)
        column.addWidget(error)
        label = QLabel(box)
        label.setWordWrap(len(field_.label.en) > 32)  # short labels never break ("Tehsil *")
        label.setBuddy(editor.widget)
        self._layout.addRow(label, box)
        self._rows[field_.id] = _Row(field_, label, editor, error)
        editor.changed.connect(lambda fid=field_.id: self._on_editor_changed(fid))
        editor.widget.installEventFilter(self)
        self._set_label(self._rows[field_.id])

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

    def _on_editor_changed(self, field_id: str) -> None:
        if self._rows[field_id].hint is not None:
            self.show_hint(field_id, None)
        for row in self._rows.values():
            if row.field.depends_on == field_id:
                self._refill(row)
        self.value_changed.emit(field_id)

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
        for i, (fid, _row) in enumerate(self._rows.items()):
            self._layout.setRowVisible(i, fid in relevant)

    def is_shown(self, field_id: str) -> bool:
        return self._rows[field_id].editor.widget.isVisibleTo(self)

    def show_error(self, field_id: str, text: str | None, code: str | None = None) -> None:
        row = self._rows[field_id]
        row.error_code = code if text else None
        if text:
            row.hint = None
            row.error.setProperty("role", "fieldError")
            row.error.setStyleSheet(ERROR_STYLE)
        elif row.hint:
            self.show_hint(field_id, row.hint)
            return
        row.error.setText(text or "")
        row.error.setVisible(bool(text))

    def show_hint(self, field_id: str, text: str | None) -> None:
        """A note to confirm a value filled in for the operator (cleared when they edit it)."""
        row = self._rows[field_id]
        if row.error_code:
            return  # the error matters more; it stays
        row.hint = text
        row.error.setProperty("role", "fieldHint" if text else "fieldError")
        row.error.setStyleSheet(HINT_STYLE if text else ERROR_STYLE)
        row.error.setText(text or "")
        row.error.setVisible(bool(text))

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

    # ------------------------------------------------------------ keyboard

    def focus_first(self) -> None:
        visible = self._visible_editors()
        if visible:
            visible[0].setFocus(Qt.FocusReason.TabFocusReason)

    def _visible_editors(self) -> list[QWidget]:
        return [r.editor.widget for r in self._rows.values() if r.editor.widget.isVisibleTo(self)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            field_id = self._field_of(watched)
            if field_id is not None:
                self.left_field.emit(field_id)
        elif (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and event.modifiers()
            in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            return self._on_enter(watched)
        return False

    def _field_of(self, widget: QObject) -> str | None:
        return next((f for f, r in self._rows.items() if r.editor.widget is widget), None)

    def _on_enter(self, widget: QObject) -> bool:
        if isinstance(widget, QComboBox) and widget.view().isVisible():
            return False  # Enter picks the highlighted option first
        visible = self._visible_editors()
        if widget not in visible:
            return False
        index = visible.index(widget)
        if index + 1 < len(visible):
            visible[index + 1].setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.finished_last.emit()
        return True

    # ------------------------------------------------------------ language

    def set_language(self, language: str) -> None:
        self._language = language
        for row in self._rows.values():
            row.editor.set_language(language)
            self._set_label(row)

    def _set_label(self, row: _Row) -> None:
        row.label.setText(label_text(row.field.label, self._language, row.field.required))
        help_ = row.field.help
        row.editor.widget.setToolTip(help_.text(self._language) if help_ else "")
