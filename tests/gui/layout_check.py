"""Clipped text and hidden focus, measured: what the 1366x768 layout test asserts.

For every visible widget of a window that shows text, the text's extent in the widget's
font is compared with the room the widget gives it: the advance (how far the pen moves)
and the ink (Nastaliq letters reach past their advance, so the first letter of an Urdu
word is cut at the edge of a box that holds only its advance). A wrapped label must be as
tall as its text needs at its width. Table cells and list rows are checked the same way,
and every row of a tick list must be in view. The focused widget must be inside its
window and inside every scroll area around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QTableWidget,
    QWidget,
)

SLACK = 1  # a pixel of rounding


@dataclass(frozen=True)
class Clipped:
    where: str
    text: str
    needed: int
    room: int

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} needs {self.needed} px, has {self.room}"


def plain(text: str) -> str:
    """The text as drawn: no mnemonic ampersand (bidi controls stay: they draw nothing but
    order the runs, and so change how wide the line is)."""
    return re.sub(r"&(?!&)", "", text).replace("&&", "&")


def needed_width(metrics: QFontMetrics, text: str) -> int:
    """The width a line of *text* needs: its advance, or its ink when that reaches farther."""
    advance = metrics.horizontalAdvance(text)
    ink = metrics.boundingRect(text)
    return max(advance, ink.right() + 1) - min(0, ink.left())


def _name(widget: QWidget) -> str:
    chain = []
    current: QWidget | None = widget
    while current is not None and len(chain) < 4:
        chain.append(current.objectName() or type(current).__name__)
        current = current.parentWidget()
    return "/".join(reversed(chain))


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def clipped_text(window: QWidget) -> list[Clipped]:
    found: list[Clipped] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not _visible(widget) or not _really_shown(widget, window):
            continue
        if isinstance(widget, QLabel):
            found += _label(widget)
        elif isinstance(widget, QComboBox):
            found += _combo(widget)
        elif isinstance(widget, QPushButton | QCheckBox | QRadioButton):
            found += _button(widget)
        elif isinstance(widget, QLineEdit):
            found += _line_edit(widget)
        elif isinstance(widget, QGroupBox) and widget.title():
            found += _one(widget, widget.title(), widget.width() - 16)
        if isinstance(widget, QTableWidget):
            found += _table(widget)
        elif isinstance(widget, QListWidget):
            found += _list(widget)
    return found


def _really_shown(widget: QWidget, window: QWidget) -> bool:
    """Inside the window's area (a widget scrolled out of view is not checked here)."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    return window.rect().intersects(rect)


def _one(widget: QWidget, text: str, room: int) -> list[Clipped]:
    shown = plain(text)
    if not shown.strip():
        return []
    needed = needed_width(widget.fontMetrics(), shown)
    return [Clipped(_name(widget), shown, needed, room)] if needed > room + SLACK else []


def _label(label: QLabel) -> list[Clipped]:
    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return []
    if label.textFormat() == Qt.TextFormat.RichText or re.search(r"<[a-zA-Z/][^>]*>", text):
        return []
    # Painting is clipped at the label's edges, not at its contents: its padding (room
    # for Nastaliq's overhang) is room for ink.
    room = label.width() - 2 * label.margin() - max(label.indent(), 0)
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK:
            return [Clipped(_name(label), plain(text), needed, label.height())]
        words = plain(text).split()
        longest = max(words, key=lambda w: needed_width(label.fontMetrics(), w), default="")
        return _one(label, longest, room)
    found = []
    for line in text.split("\n"):
        found += _one(label, line, room)
    metrics = label.fontMetrics()
    lines = max(1, len(text.split("\n")))
    if metrics.height() * lines > label.contentsRect().height() + SLACK:
        found.append(Clipped(_name(label) + " (height)", plain(text),
                             metrics.height() * lines, label.contentsRect().height()))  # fmt: skip
    return found


def _combo(combo: QComboBox) -> list[Clipped]:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return _one(combo, combo.currentText(), field.width())


def _button(button: QAbstractButton) -> list[Clipped]:
    if not button.text():
        return []
    hint = button.sizeHint()
    if hint.width() > button.width() + SLACK:
        return [Clipped(_name(button), plain(button.text()), hint.width(), button.width())]
    return []


def _line_edit(edit: QLineEdit) -> list[Clipped]:
    if not edit.text() or edit.echoMode() != QLineEdit.EchoMode.Normal:
        return []
    margins = edit.textMargins()
    room = edit.contentsRect().width() - margins.left() - margins.right() - 8
    return _one(edit, edit.displayText(), room)


def _table(table: QTableWidget) -> list[Clipped]:
    found = []
    metrics = table.fontMetrics()
    viewport = table.viewport().rect()
    style = table.style()
    cell_margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    header_margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, table)
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is None or not item.text():
                continue
            rect = table.visualItemRect(item)
            if not viewport.intersects(rect):
                continue
            needed = needed_width(metrics, plain(item.text())) + cell_margin
            if needed > rect.width() + SLACK and column < table.columnCount() - 1:
                found.append(Clipped(f"{_name(table)}[{row},{column}]", item.text(), needed,
                                     rect.width()))  # fmt: skip
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        item = table.horizontalHeaderItem(column)
        if item is None or header.isSectionHidden(column):
            continue
        needed = needed_width(header.fontMetrics(), plain(item.text())) + header_margin
        if needed > header.sectionSize(column) + SLACK:
            found.append(Clipped(f"{_name(table)} header {column}", item.text(), needed,
                                 header.sectionSize(column)))  # fmt: skip
    return found


def _list(widget: QListWidget) -> list[Clipped]:
    found = []
    viewport = widget.viewport().rect()
    must_show_all = widget.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    for row in range(widget.count()):
        item = widget.item(row)
        rect = widget.visualItemRect(item)
        if not viewport.contains(rect):
            if must_show_all:  # a tick list shows every option; no scrolling to find one
                found.append(Clipped(f"{_name(widget)} row {row} out of view", item.text(),
                                     rect.bottom(), viewport.bottom()))  # fmt: skip
            continue
        needed = needed_width(widget.fontMetrics(), plain(item.text()))
        room = rect.width() - (24 if item.flags() & Qt.ItemFlag.ItemIsUserCheckable else 4)
        if not widget.wordWrap() and needed > room + SLACK:
            found.append(Clipped(f"{_name(widget)} row {row}", item.text(), needed, room))
    return found


def focus_out_of_view(window: QWidget) -> str | None:
    """Why the focused widget is not fully in view, or None."""
    focus = QApplication.focusWidget()
    if focus is None or not window.isAncestorOf(focus):
        return None
    top_left = focus.mapTo(window, focus.rect().topLeft())
    rect = QRect(top_left, focus.size())
    if not window.rect().contains(rect):
        return f"{_name(focus)} at {rect} outside the window {window.rect()}"
    parent = focus.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QAbstractItemView):
            viewport = parent.viewport()
            inside = QRect(focus.mapTo(viewport, focus.rect().topLeft()), focus.size())
            if not viewport.rect().contains(inside):
                return f"{_name(focus)} at {inside} outside its scroll view {viewport.rect()}"
        parent = parent.parentWidget()
    return None
