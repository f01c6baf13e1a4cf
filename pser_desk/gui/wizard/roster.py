"""The household roster: a table with add / edit / remove, a member dialog rendered from its columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pser_desk.domain.form import Field, FieldType
from pser_desk.domain.geography import Geography
from pser_desk.gui.wizard.editors import iso_to_typed
from pser_desk.gui.wizard.field_form import FieldForm
from pser_desk.gui.wizard.model import relevant_columns

# (row values) -> {column id: (code, text)} for the columns that have a problem
RowChecker = Callable[[dict[str, object]], dict[str, tuple[str, str]]]


def display_value(field_: Field, value: object, language: str) -> str:
    """How a stored value reads in the table."""
    if value is None:
        return ""
    if field_.type in (FieldType.CHOICE, FieldType.YES_NO):
        option = field_.option(str(value))
        if option is None and field_.type is FieldType.YES_NO:
            return {"yes": "✔", "no": "✘"}.get(str(value), str(value))
        return option.label.text(language) if option else str(value)
    if field_.type is FieldType.DATE:
        return iso_to_typed(value)
    if field_.type is FieldType.CNIC and isinstance(value, str) and len(value) == 13:
        return f"{value[:5]}-{value[5:12]}-{value[12]}"
    return str(value)


class MemberDialog(QDialog):
    """One family member's answers; skip logic and field errors as in the section pages."""

    def __init__(
        self,
        roster: Field,
        geography: Geography,
        household: dict[str, object],
        today: date,
        language: str,
        check_row: RowChecker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MemberDialog")
        self._roster, self._household, self._today = roster, household, today
        self._check_row = check_row
        self.form = FieldForm(roster.fields, geography, self)
        self.form.set_language(language)
        self.form.value_changed.connect(self._on_form_value_changed)
        self.form.left_field.connect(self._on_form_left_field)
        self.form.finished_last.connect(self.accept)
        self._build(language)
        self._update_relevance()

    def _build(self, language: str) -> None:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.ok_button = QPushButton(self)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setAutoDefault(False)
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(buttons)
        self.resize(640, 620)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Family member"))
        self.ok_button.setText(self.tr("&Keep this member"))
        self.cancel_button.setText(self.tr("&Cancel"))

    def set_row(self, row: dict[str, object]) -> None:
        self.form.set_values(row)
        self._update_relevance()

    def row(self) -> dict[str, object]:
        return relevant_columns(self._roster, self._household, self.form.values(), self._today)[0]

    def _on_form_value_changed(self, _field_id: str) -> None:
        self._update_relevance()

    def _update_relevance(self) -> None:
        _, relevant = relevant_columns(
            self._roster, self._household, self.form.values(), self._today
        )
        self.form.set_relevant(relevant)

    def _on_form_left_field(self, field_id: str) -> None:
        problems = self._check_row(self.row())
        code, text = problems.get(field_id, (None, None))
        self.form.show_error(field_id, text, code)

    def cnic_field(self) -> str | None:
        return next((c.id for c in self._roster.fields if c.type is FieldType.CNIC), None)

    def fill_empty(self, values: Mapping[str, object], hint: str) -> list[str]:
        """Fill this member's empty fields (a scanned card), marked for confirmation."""
        filled = self.form.fill_empty(values, hint)
        if filled:
            self._update_relevance()
        return filled

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class RosterEditor(QWidget):
    """The members table. Insert adds, Enter or F2 edits, Delete removes."""

    changed = Signal()

    def __init__(
        self,
        roster: Field,
        geography: Geography,
        household: Callable[[], dict[str, object]],
        today: Callable[[], date],
        check_row: RowChecker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"field_{roster.id}")
        self.field = roster
        self._geography, self._household, self._today = geography, household, today
        self._check_row = check_row
        self._rows: list[dict[str, object]] = []
        self._language = "en"
        self.dialog: MemberDialog | None = None
        self._build()
        self._retranslate()

    def _build(self) -> None:
        self.table = QTableWidget(0, len(self.field.fields), self)
        self.table.setObjectName("membersTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self.edit_current)
        self.add_button, self.edit_button, self.remove_button = (
            QPushButton(self) for _ in range(3)
        )
        for button, slot in ((self.add_button, self.add_member), (self.edit_button, self.edit_current),
                             (self.remove_button, self.remove_current)):  # fmt: skip
            button.setAutoDefault(False)
            button.clicked.connect(slot)
        self.count_label = QLabel(self)
        buttons = QHBoxLayout()
        for widget in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._keys = {
            Qt.Key.Key_Insert: self.add_member,
            Qt.Key.Key_F2: self.edit_current,
            Qt.Key.Key_Delete: self.remove_current,
            Qt.Key.Key_Return: self.edit_current,
            Qt.Key.Key_Enter: self.edit_current,
        }
        self.table.installEventFilter(self)
        QWidget.setTabOrder(self.add_button, self.table)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.table or not isinstance(event, QKeyEvent):
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        action = self._keys.get(Qt.Key(event.key()))
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        action()
        return True

    # ------------------------------------------------------------ rows

    def rows(self) -> list[dict[str, object]]:
        return [dict(r) for r in self._rows]

    def set_rows(self, rows: list[dict[str, object]]) -> None:
        self._rows = [dict(r) for r in rows]
        self._refresh()

    def add_member(self) -> None:
        self._open_dialog(None)

    def _selected_index(self) -> int:
        index = self.table.currentRow()
        if index < 0:
            rows = self.table.selectionModel().selectedRows()
            index = rows[0].row() if rows else -1
        return index if index < len(self._rows) else -1

    def edit_current(self) -> None:
        index = self._selected_index()
        if index >= 0:
            self._open_dialog(index)

    def remove_current(self) -> None:
        index = self._selected_index()
        if index >= 0:
            del self._rows[index]
            self._refresh()
            self.changed.emit()

    def _open_dialog(self, index: int | None) -> None:
        if (
            self.field.max_rows is not None
            and index is None
            and len(self._rows) >= self.field.max_rows
        ):
            return
        dialog = MemberDialog(self.field, self._geography, self._household(), self._today(),
                              self._language, self._check_row, self)  # fmt: skip
        if index is not None:
            dialog.set_row(self._rows[index])
        dialog.accepted.connect(lambda: self._on_dialog_accepted(dialog, index))
        dialog.finished.connect(lambda _r: self._on_dialog_finished(dialog))
        self.dialog = dialog
        dialog.open()
        dialog.form.focus_first()

    def _on_dialog_accepted(self, dialog: MemberDialog, index: int | None) -> None:
        row = dialog.row()
        if index is None:
            self._rows.append(row)
        else:
            self._rows[index] = row
        self._refresh()
        current = len(self._rows) - 1 if index is None else index
        self.table.setCurrentCell(current, 0)
        self.changed.emit()

    def _on_dialog_finished(self, dialog: MemberDialog) -> None:
        self.dialog = None
        dialog.deleteLater()
        self.table.setFocus()

    def _refresh(self) -> None:
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            for c, column in enumerate(self.field.fields):
                text = display_value(column, row.get(column.id), self._language)
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.count_label.setText(self.tr("%n member(s)", "", len(self._rows)))
        self.remove_button.setEnabled(bool(self._rows))
        self.edit_button.setEnabled(bool(self._rows))

    # ------------------------------------------------------------ language

    def set_language(self, language: str) -> None:
        self._language = language
        self._retranslate()

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [c.label.text(self._language) for c in self.field.fields]
        )
        self.add_button.setText(self.tr("&Add member (Ins)"))
        self.edit_button.setText(self.tr("&Edit (F2)"))
        self.remove_button.setText(self.tr("&Remove (Del)"))
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
