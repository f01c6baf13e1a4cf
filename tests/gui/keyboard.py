"""Typing a whole registration into the wizard from the keyboard (no mouse), for the GUI tests.

Fields are reached directly (the tests of the keyboard path itself walk with Enter); the
values are typed: text after selecting what is there (a carried-forward name is replaced),
a choice by its key (``1``..``9``, ``0``) or Home and Down, a tick list with Space.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QListWidget

from pser_desk.domain.form import FieldType, SectionKind
from pser_desk.domain.typeahead import code_of


def send_text(widget, text: str) -> None:
    """Type *text* into *widget* key by key, whatever the script (Urdu letters included)."""
    for ch in text:
        key = Qt.Key(ord(ch.upper()))
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, key, ch, Qt.KeyboardModifier.NoModifier)


def press(key, modifier=Qt.KeyboardModifier.NoModifier, text: str | None = None) -> None:
    """One key to whatever has the focus, as the keyboard would send it."""
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the focus"
    if text is not None:
        send_text(target, text)
    else:
        QTest.keyClick(target, key, modifier)


def _type_field(qtbot, editor, value) -> None:
    widget = editor.widget
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        shown = {FieldType.DATE: lambda v: f"{v[8:10]}{v[5:7]}{v[:4]}"}.get(editor.field.type, str)
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(widget, Qt.Key.Key_Delete)
        QTest.keyClick(widget, Qt.Key.Key_Home)
        send_text(widget, shown(value))
    elif isinstance(widget, QComboBox):
        target = widget.findData(value)
        code = code_of(target - 1)
        if code is not None:
            QTest.keyClick(widget, code)
        else:
            QTest.keyClick(widget, Qt.Key.Key_Home)
            for _ in range(target):
                QTest.keyClick(widget, Qt.Key.Key_Down)
    elif isinstance(widget, QListWidget):
        for row in range(widget.count()):
            ticked = widget.item(row).checkState() == Qt.CheckState.Checked
            if (widget.item(row).data(Qt.ItemDataRole.UserRole) in value) != ticked:
                widget.setCurrentRow(row)
                QTest.keyClick(widget, Qt.Key.Key_Space)


def _fill_page_from_keyboard(qtbot, wizard, section, part) -> None:
    form = wizard.forms[section.fields[0].id]
    for field_ in section.fields:
        if field_.id in part:
            _type_field(qtbot, form.editor(field_.id), part[field_.id])


def _add_members_from_keyboard(qtbot, wizard, members) -> None:
    """Each member typed into a fresh row of the grid (Insert), every column of the record
    typed over whatever was carried forward; columns the record leaves out are emptied."""
    roster = wizard.roster
    first_column = roster.columns[0].id
    for row in members:
        roster.focus_first()
        last = roster.editor_at(roster.row_count() - 1, first_column).widget
        QTest.keyClick(last, Qt.Key.Key_Insert)
        index = next(i for i in range(roster.row_count()) if roster.is_blank(i))
        for column in roster.columns:
            editor = roster.editor_at(index, column.id)
            if column.id in row:
                _type_field(qtbot, editor, row[column.id])
    assert roster.rows() == [dict(m) for m in members], (roster.rows(), members)


def type_registration(qtbot, wizard, record) -> None:
    """Every section of *record* typed page by page, Next pressed with the keyboard."""
    for section_page in wizard.section_pages:
        section = section_page.section
        if section.kind is SectionKind.MEMBERS:
            _add_members_from_keyboard(qtbot, wizard, record["members"])
        else:
            _fill_page_from_keyboard(qtbot, wizard, section, record[section.kind.value])
        if wizard.currentPage() is section_page:  # a key may have moved on by itself
            QTest.keyClick(wizard.button(wizard.WizardButton.NextButton), Qt.Key.Key_Space)
