"""One editor per field type: a Qt widget plus the conversion to and from the record's values.

Record values follow central-api.md: dates ISO ``yyyy-mm-dd`` (typed ``dd-mm-yyyy``), CNICs
13 digits, mobiles ``03001234567``, choices their option code, multi-choices a list of codes.
A value the operator typed that cannot be converted is returned as typed, so the domain
validator reports it (``date_format``, ``cnic.wrong_length``...); a number typed wrong
(``25k``) is never cut to what parses: :meth:`FieldEditor.input_problem` says why.

The keyboard (issue 15): every option has a key (``1``..``9``, ``0``) that chooses it and
moves on (``advanced``); letters search any word of the options (``domain/typeahead``);
Space never opens a list; a fixed-length field (CNIC, B-Form, date, mobile) moves on by
itself once complete and valid.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QListWidgetItem, QWidget

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.digits import to_ascii_digits
from pser_desk.domain.form import YES_NO_OPTIONS_LABELS as YES_NO
from pser_desk.domain.form import Field, FieldType, Label, Option
from pser_desk.domain.mobile import parse_mobile
from pser_desk.domain.numbers import parse_number
from pser_desk.domain.typeahead import Choice, TypeAhead, code_of, index_of_code

DEFAULT_MASKS = {FieldType.CNIC: "99999-9999999-9", FieldType.MOBILE: "9999-9999999"}
DATE_MASK = "99-99-9999"
_DATE_RE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
FIXED_LENGTH = frozenset({FieldType.CNIC, FieldType.MOBILE, FieldType.DATE})
SINGLE_COLUMN_OPTIONS = 6  # a longer tick list takes two columns
TICK_ROOM = 44  # the tick box and the gaps around an option's text
TWO_COLUMNS_WIDTH = 900  # the page's width for a tick list in two columns
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier,
          Qt.KeyboardModifier.ShiftModifier)  # fmt: skip


def qt_mask(field_: Field) -> str:
    """The form's mask (``0`` = a digit) as a Qt input mask (``9`` = a required digit)."""
    mask = field_.mask or DEFAULT_MASKS.get(field_.type, "")
    return mask.replace("0", "9")


def digits_of(text: str) -> str:
    return "".join(ch for ch in to_ascii_digits(text) if ch.isdigit())


def typed_to_iso(text: str) -> str | None:
    """``24-11-2026`` -> ``2026-11-24``; None when empty; the typed text when not a real date."""
    compact = to_ascii_digits(text).strip()
    if not digits_of(compact):
        return None
    match = _DATE_RE.match(compact)
    if match is None:
        return compact
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return compact


def iso_to_typed(value: object) -> str:
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    return value if isinstance(value, str) else ""


def option_text(index: int, label: str) -> str:
    """An option as a list shows it: its key first (``1  Male``), none after the tenth."""
    code = code_of(index)
    return f"{code}  {label}" if code is not None else f"    {label}"


def key_text(event: QKeyEvent) -> str:
    """The character a plain key press types ('' for Enter, arrows, chords)."""
    if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier & ~Qt.KeyboardModifier.ShiftModifier:
        return ""
    text = event.text()
    return text if len(text) == 1 and text.isprintable() else ""


class FieldEditor(QObject):
    """A field's widget and its value; ``changed`` fires on every edit, ``advanced`` when
    the answer is complete and the focus should move on (a key chose an option, a CNIC
    got its 13th digit)."""

    changed = Signal()
    advanced = Signal()

    def __init__(self, field_: Field, widget: QWidget) -> None:
        super().__init__(widget)
        self.field = field_
        self.widget = widget
        self.auto_filled = False  # set when the desk filled it in (network, carry-forward)
        widget.setObjectName(f"field_{field_.id}")
        widget.setAccessibleName(field_.label.en)

    def value(self) -> object:
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        raise NotImplementedError

    def input_problem(self) -> str | None:
        """Why what was typed is not an answer at all (a code), before any rule is checked."""
        return None

    def set_language(self, language: str) -> None:
        self.widget.setAccessibleName(self.field.label.text(language))


class MaskedLineEdit(QLineEdit):
    """A line edit whose cursor, when it gets the focus, is on the first empty place of its
    mask (QLineEdit selects everything, or leaves the cursor after the mask, and the digits
    typed next were lost: defect 9)."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self.inputMask():
            self.deselect()
            self.setCursorPosition(first_blank(self))


def first_blank(edit: QLineEdit) -> int:
    """The position of the first unfilled mask position (0 for an empty field)."""
    text = edit.displayText()
    blank = text.find("_")
    return blank if blank >= 0 else len(text)


class LineEditor(FieldEditor):
    """Text, numbers, dates, CNICs and mobiles: a QLineEdit, masked for the fixed-length ones."""

    def __init__(self, field_: Field, parent: QWidget | None = None) -> None:
        edit = MaskedLineEdit(parent) if field_.type in FIXED_LENGTH else QLineEdit(parent)
        super().__init__(field_, edit)
        self.edit = edit
        self.today: Callable[[], date] = date.today  # the wizard's clock (tests fix it)
        self._configure(field_)
        edit.textEdited.connect(self._on_edit_text_edited)

    def _configure(self, field_: Field) -> None:
        edit, kind = self.edit, field_.type
        if kind in (FieldType.CNIC, FieldType.MOBILE):
            edit.setInputMask(qt_mask(field_) + ";_")
        elif kind is FieldType.DATE:
            edit.setInputMask(DATE_MASK + ";_")
            edit.setPlaceholderText("dd-mm-yyyy")
        if field_.max_length:
            edit.setMaxLength(field_.max_length)
        if kind in (FieldType.CNIC, FieldType.MOBILE, FieldType.DATE, FieldType.INTEGER,
                    FieldType.DECIMAL):  # fmt: skip
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)

    def value(self) -> object:
        text, kind = self.edit.text(), self.field.type
        if kind is FieldType.TEXT:
            return text.strip() or None
        if kind is FieldType.DATE:
            return typed_to_iso(text)
        if kind in (FieldType.CNIC, FieldType.MOBILE):
            return digits_of(text) or None
        parsed = parse_number(text, whole=kind is FieldType.INTEGER)
        if parsed.error:
            return text.strip()  # kept as typed: the validator says "type", we say why
        return parsed.value

    def input_problem(self) -> str | None:
        if self.field.type in (FieldType.INTEGER, FieldType.DECIMAL):
            return parse_number(self.edit.text(), whole=self.field.type is FieldType.INTEGER).error
        return None

    def set_value(self, value: object) -> None:
        kind = self.field.type
        if value is None:
            text = ""
        elif kind is FieldType.DATE:
            text = iso_to_typed(value)
        elif kind is FieldType.MOBILE and isinstance(value, str) and len(value) == 11:
            text = f"{value[:4]}-{value[4:]}"
        elif kind is FieldType.CNIC and isinstance(value, str) and len(value) == 13:
            text = f"{value[:5]}-{value[5:12]}-{value[12]}"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        self.edit.setText(text)

    def start_with(self, digits: str) -> None:
        """Put *digits* in an empty masked field, the cursor after them (a B-Form's prefix)."""
        if self.value() is not None:
            return
        self.edit.setText(digits)
        self.edit.setCursorPosition(first_blank(self.edit))
        self.auto_filled = True

    def _on_edit_text_edited(self, _text: str) -> None:
        self.auto_filled = False
        self.changed.emit()
        if self.field.type in FIXED_LENGTH and self.is_complete_and_valid():
            self.advanced.emit()

    def is_complete_and_valid(self) -> bool:
        """A fixed-length answer with every digit typed and nothing wrong with it."""
        value = self.value()
        kind = self.field.type
        if not isinstance(value, str):
            return False
        if kind is FieldType.CNIC:
            return len(value) == 13 and parse_cnic(value).cnic is not None
        if kind is FieldType.MOBILE:
            return len(value) == 11 and parse_mobile(value).mobile is not None
        if kind is FieldType.DATE:
            well_formed = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
            return well_formed and value <= self.today().isoformat()
        return False


class ChoiceEditor(FieldEditor):
    """Choice and yes/no: a combo box whose first entry means "not answered".

    Keys: a digit chooses its option and moves on; letters search any word of the options
    (repeating a letter cycles, Latin letters find Urdu options too); Space is ignored (it
    used to open the list); F4 or Alt+Down open the list.
    """

    def __init__(self, field_: Field, parent: QWidget | None = None) -> None:
        combo = QComboBox(parent)
        super().__init__(field_, combo)
        self.combo = combo
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._options: tuple[Option, ...] = field_.options or _yes_no(field_)
        self._language = "en"
        self._typing = TypeAhead()
        self._fill()
        combo.activated.connect(self._on_combo_activated)
        combo.installEventFilter(self)

    @property
    def options(self) -> tuple[Option, ...]:
        return self._options

    def _on_combo_activated(self, _index: int) -> None:
        self.auto_filled = False
        self.changed.emit()

    def set_options(self, options: tuple[Option, ...]) -> None:
        """Replace the options (dependent choices); keeps the value when it is still offered."""
        current = self.value()
        self._options = options
        self._fill()
        self.set_value(current if any(o.code == current for o in options) else None)

    def _fill(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("—", None)
        for i, option in enumerate(self._options):
            self.combo.addItem(option_text(i, option.label.text(self._language)), option.code)
        self.combo.blockSignals(False)

    def value(self) -> object:
        return self.combo.currentData()

    def set_value(self, value: object) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)

    def choose(self, index: int, advance: bool) -> None:
        """Make option *index* (0-based) the answer, as the operator's key chose it."""
        if not 0 <= index < len(self._options):
            return
        self.combo.setCurrentIndex(index + 1)
        self.auto_filled = False
        self.changed.emit()
        if advance:
            self.advanced.emit()

    def choices(self) -> list[Choice]:
        return [Choice(o.label.text(self._language), o.label.en) for o in self._options]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.combo and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._on_key(event)
        if watched is self.combo and event.type() == QEvent.Type.FocusOut:
            self._typing.reset()
        return False

    def _on_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Space and event.modifiers() in _PLAIN:
            return True  # never opens the list
        text = key_text(event)
        if not text:
            return False
        index = index_of_code(text)
        if index is not None:
            self.choose(index, advance=True)
            return True
        if text.isalpha():
            found = self._typing.key(text, time.monotonic(), self.choices(),
                                     self.combo.currentIndex() - 1)  # fmt: skip
            if found is not None:
                self.choose(found, advance=False)
            return True
        return False

    def set_language(self, language: str) -> None:
        super().set_language(language)
        self._language = language
        for i, option in enumerate(self._options):
            self.combo.setItemText(i + 1, option_text(i, option.label.text(language)))


def _yes_no(field_: Field) -> tuple[Option, ...]:
    if field_.type is FieldType.YES_NO:
        return tuple(Option(code, label) for code, label in YES_NO)
    return ()


class MultiChoiceEditor(FieldEditor):
    """A tick list: a digit ticks (or unticks) its option, letters move to a matching one,
    Space ticks the current one; an ``exclusive`` option clears the others and back."""

    def __init__(self, field_: Field, parent: QWidget | None = None) -> None:
        widget = QListWidget(parent)
        super().__init__(field_, widget)
        self.list = widget
        self._language = "en"
        self._typing = TypeAhead()
        for i, option in enumerate(field_.options):
            item = QListWidgetItem(option_text(i, option.label.en), widget)
            item.setData(Qt.ItemDataRole.UserRole, option.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        widget.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fit_rows()
        widget.itemChanged.connect(self._on_list_item_changed)
        widget.installEventFilter(self)

    @property
    def options(self) -> tuple[Option, ...]:
        return self.field.options

    def fit_rows(self) -> None:
        """Every option in view in the current font (Nastaliq rows are twice as tall): a
        long list in two columns, each option in a cell as wide as the widest."""
        count = max(1, len(self.field.options))
        metrics = self.list.fontMetrics()
        row_height = max(self.list.sizeHintForRow(0), metrics.height() + 6) + 2
        widest = max((metrics.horizontalAdvance(self.list.item(i).text())
                      for i in range(self.list.count())), default=0)  # fmt: skip
        cell = QSize(widest + TICK_ROOM, row_height)
        two = count > SINGLE_COLUMN_OPTIONS and 2 * cell.width() <= TWO_COLUMNS_WIDTH
        columns = 2 if two else 1
        rows = -(-count // columns)
        self.list.setSpacing(0)
        self.list.setFlow(QListWidget.Flow.TopToBottom)
        self.list.setWrapping(two)
        self.list.setGridSize(cell)
        frame = 2 * self.list.frameWidth() + 6
        self.list.setFixedSize(cell.width() * columns + frame, row_height * rows + frame)

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _on_list_item_changed(self, item: QListWidgetItem) -> None:
        if item.checkState() == Qt.CheckState.Checked:
            self._enforce_exclusive(item)
        self.changed.emit()

    def _enforce_exclusive(self, ticked: QListWidgetItem) -> None:
        ticked_option = self.field.option(ticked.data(Qt.ItemDataRole.UserRole))
        self.list.blockSignals(True)
        for item in self._items():
            if item is ticked or item.checkState() != Qt.CheckState.Checked:
                continue
            option = self.field.option(item.data(Qt.ItemDataRole.UserRole))
            if (ticked_option and ticked_option.exclusive) or (option and option.exclusive):
                item.setCheckState(Qt.CheckState.Unchecked)
        self.list.blockSignals(False)

    def toggle(self, index: int) -> None:
        item = self.list.item(index)
        if item is None:
            return
        self.list.setCurrentRow(index)
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.list or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() == Qt.Key.Key_Space and event.modifiers() in _PLAIN:
            self.toggle(max(0, self.list.currentRow()))
            return True
        text = key_text(event)
        index = index_of_code(text) if text else None
        if index is not None:
            self.toggle(index)
            return True
        if text.isalpha():
            choices = [Choice(o.label.text(self._language), o.label.en) for o in self.options]
            found = self._typing.key(text, time.monotonic(), choices, self.list.currentRow())
            if found is not None:
                self.list.setCurrentRow(found)
            return True
        return False

    def value(self) -> object:
        codes = [
            item.data(Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]
        return codes or None

    def set_value(self, value: object) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        self.list.blockSignals(True)
        for item in self._items():
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)

    def set_language(self, language: str) -> None:
        super().set_language(language)
        self._language = language
        for i, (item, option) in enumerate(zip(self._items(), self.field.options)):
            item.setText(option_text(i, option.label.text(language)))


# The widest a typed answer needs, in average characters of the current font.
WIDTH_CHARS = {FieldType.CNIC: 17, FieldType.MOBILE: 14, FieldType.DATE: 12,
               FieldType.INTEGER: 12, FieldType.DECIMAL: 12}  # fmt: skip
TEXT_WIDTH_CHARS = 46


def fit_width(editor: FieldEditor, text_chars: int = TEXT_WIDTH_CHARS) -> None:
    """As wide as the answer needs in the font now in use, and no wider (issue 15: "no
    field wider than its content needs"); called again when the font changes (Urdu)."""
    widget = editor.widget
    metrics = widget.fontMetrics()
    if isinstance(editor, LineEditor):
        chars = WIDTH_CHARS.get(editor.field.type, text_chars)
        if editor.field.max_length:
            chars = min(chars, editor.field.max_length + 2)
        if editor.field.type in FIXED_LENGTH:  # a masked number: its widest digits
            width = metrics.horizontalAdvance("0" * chars) + 16
        else:
            width = metrics.averageCharWidth() * chars + 16
        widget.setFixedWidth(width)
    elif isinstance(editor, ChoiceEditor):
        editor.combo.setMinimumWidth(editor.combo.sizeHint().width())
    elif isinstance(editor, MultiChoiceEditor):
        editor.fit_rows()


def make_editor(field_: Field, parent: QWidget | None = None) -> FieldEditor:
    """The editor for *field_* (the roster has its own widget, see ``members_grid.py``)."""
    if field_.type in (FieldType.CHOICE, FieldType.YES_NO):
        return ChoiceEditor(field_, parent)
    if field_.type is FieldType.MULTI_CHOICE:
        return MultiChoiceEditor(field_, parent)
    if field_.type is FieldType.ROSTER:
        raise ValueError("a roster is edited by the members grid")
    return LineEditor(field_, parent)


def label_text(label: Label, language: str, required: bool) -> str:
    return label.text(language) + (" *" if required else "")
