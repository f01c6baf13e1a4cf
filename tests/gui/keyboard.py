"""Typing a whole registration into the wizard from the keyboard (no mouse), for the GUI tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget

from pser_desk.domain.form import FieldType, SectionKind


def _type_field(qtbot, editor, value) -> None:
    widget = editor.widget
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        shown = {FieldType.DATE: lambda v: f"{v[8:10]}{v[5:7]}{v[:4]}"}.get(editor.field.type, str)
        QTest.keyClick(widget, Qt.Key.Key_Home)
        QTest.keyClicks(widget, shown(value))
    elif isinstance(widget, QComboBox):
        target = widget.findData(value)
        QTest.keyClick(widget, Qt.Key.Key_Home)
        for _ in range(target):
            QTest.keyClick(widget, Qt.Key.Key_Down)
    elif isinstance(widget, QListWidget):
        for row in range(widget.count()):
            if widget.item(row).data(Qt.ItemDataRole.UserRole) in value:
                widget.setCurrentRow(row)
                QTest.keyClick(widget, Qt.Key.Key_Space)


def _fill_page_from_keyboard(qtbot, wizard, section, part) -> None:
    form = wizard.forms[section.fields[0].id]
    for field_ in section.fields:
        if field_.id in part:
            _type_field(qtbot, form.editor(field_.id), part[field_.id])


def _add_members_from_keyboard(qtbot, wizard, members) -> None:
    roster = wizard.roster
    for row in members:
        roster.table.setFocus()
        QTest.keyClick(roster.table, Qt.Key.Key_Insert)
        qtbot.waitUntil(lambda: roster.dialog is not None)
        dialog = roster.dialog
        for column in roster.field.fields:
            if column.id in row:
                _type_field(qtbot, dialog.form.editor(column.id), row[column.id])
        QTest.keyClick(dialog.ok_button, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: roster.dialog is None)


def type_registration(qtbot, wizard, record) -> None:
    """Every section of *record* typed page by page, Next pressed with the keyboard."""
    for section_page in wizard.section_pages:
        section = section_page.section
        if section.kind is SectionKind.MEMBERS:
            _add_members_from_keyboard(qtbot, wizard, record["members"])
        else:
            _fill_page_from_keyboard(qtbot, wizard, section, record[section.kind.value])
        QTest.keyClick(wizard.button(wizard.WizardButton.NextButton), Qt.Key.Key_Space)
