"""The options of the question being answered, each with its key, beside the form.

A combo box shows one option at a time; the operator needs to see every option's key
(``1``..``9``, ``0``) to choose with one key press. The pane lists them while a choice
or tick list has the focus, the chosen ones marked; it never takes the focus itself (a
click on an option chooses it, as its key would).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget
from shiboken6 import isValid

from pser_desk.domain.typeahead import CODED_OPTIONS
from pser_desk.gui.wizard.editors import ChoiceEditor, FieldEditor, MultiChoiceEditor, option_text

CHOSEN = "✔ "
URDU_SMALLER_PT = 3


class ChoicePane(QWidget):
    """Shows an editor's options; ``picked(index)`` when one is clicked."""

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("choicePane")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.title = QLabel(self)
        self.title.setObjectName("choicePaneTitle")
        self.title.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("choicePaneList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._on_list_item_clicked)
        self.more = QLabel(self)
        self.more.setObjectName("choicePaneMore")
        self.more.setWordWrap(True)
        self.more.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.more)
        self.editor: FieldEditor | None = None
        self.with_title = True
        self._language = "en"
        self._retranslate()
        self.show_editor(None)

    def show_editor(self, editor: FieldEditor | None) -> None:
        """List *editor*'s options (a choice or a tick list); None empties the pane."""
        if self.editor is not None and self.editor is not editor and isValid(self.editor):
            try:
                self.editor.changed.disconnect(self.refresh)
            except (RuntimeError, TypeError):
                pass
        if editor is not None and editor is not self.editor:
            editor.changed.connect(self.refresh)
        self.editor = editor
        self.refresh()

    def refresh(self) -> None:
        editor = self.editor
        if editor is not None and not (isValid(editor) and isValid(editor.widget)):
            editor = self.editor = None  # its grid row was removed
        self.list.clear()
        if not isinstance(editor, (ChoiceEditor, MultiChoiceEditor)):
            self.list.setVisible(False)
            self.title.setVisible(False)
            self.more.setVisible(False)
            return
        chosen = _chosen_codes(editor)
        options = editor.options
        for i, option in enumerate(options[:CODED_OPTIONS]):
            self._add(option_text(i, option.label.text(self._language)), option.code in chosen)
        rest = options[CODED_OPTIONS:]  # no key: reached by typing (the list shows them)
        self.more.setText(
            self.tr("%n more: type a letter of the answer to find it.", "", len(rest))
            if rest else ""
        )  # fmt: skip
        self.more.setVisible(bool(rest))
        self.title.setVisible(self.with_title)
        self.list.setVisible(True)

    def _add(self, text: str, chosen: bool) -> None:
        item = QListWidgetItem((CHOSEN if chosen else "") + text.strip())
        if chosen:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.list.addItem(item)

    def _on_list_item_clicked(self, item: QListWidgetItem) -> None:
        editor = self.editor
        index = self.list.row(item)
        if index >= CODED_OPTIONS:
            return
        if isinstance(editor, ChoiceEditor):
            editor.choose(index, advance=False)
        elif isinstance(editor, MultiChoiceEditor):
            editor.toggle(index)
        self.picked.emit(index)
        if editor is not None:
            editor.widget.setFocus()

    def set_language(self, language: str) -> None:
        self._language = language
        self._retranslate()
        self._fit_font()
        self.refresh()

    def _fit_font(self) -> None:
        """Nastaliq rows are twice as tall: in Urdu the list is a little smaller, so that
        every option with a key is in view."""
        font = QFont(self.font())
        if self._language == "ur":
            font.setPointSize(max(8, font.pointSize() - URDU_SMALLER_PT))
        self.list.setFont(font)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Press the number of the answer:"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        if event.type() == QEvent.Type.FontChange:
            self._fit_font()
        super().changeEvent(event)


def _chosen_codes(editor: FieldEditor) -> set[str]:
    value = editor.value()
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)} if value is not None else set()
