"""One editor per field type: a Qt widget plus the conversion to and from the record's values.

Record values follow central-api.md: dates ISO ``yyyy-mm-dd`` (typed ``dd-mm-yyyy``), CNICs
13 digits, mobiles ``03001234567``, choices their option code, multi-choices a list of codes.
A value the operator typed that cannot be converted is returned as typed, so the domain
validator reports it (``date_format``, ``cnic.wrong_length``...).
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QListWidgetItem, QWidget

from pser_desk.domain.digits import to_ascii_digits
from pser_desk.domain.form import YES_NO_OPTIONS_LABELS as YES_NO
from pser_desk.domain.form import Field, FieldType, Label, Option

DEFAULT_MASKS = {FieldType.CNIC: "99999-9999999-9", FieldType.MOBILE: "9999-9999999"}
DATE_MASK = "99-99-9999"
_DATE_RE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")


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


class FieldEditor(QObject):
    """A field's widget and its value; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, field_: Field, widget: QWidget) -> None:
        super().__init__(widget)
        self.field = field_
        self.widget = widget
        self.auto_filled = False  # set by the wizard when it pre-filled the value
        widget.setObjectName(f"field_{field_.id}")
        widget.setAccessibleName(field_.label.en)

    def value(self) -> object:
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        raise NotImplementedError

    def set_language(self, language: str) -> None:
        self.widget.setAccessibleName(self.field.label.text(language))


class LineEditor(FieldEditor):
    """Text, numbers, dates, CNICs and mobiles: a QLineEdit with a mask or validator."""

    def __init__(self, field_: Field, parent: QWidget | None = None) -> None:
        edit = QLineEdit(parent)
        super().__init__(field_, edit)
        self.edit = edit
        self._configure(field_)
        edit.textEdited.connect(self.changed)

    def _configure(self, field_: Field) -> None:
        edit, kind = self.edit, field_.type
        if kind in (FieldType.CNIC, FieldType.MOBILE):
            edit.setInputMask(qt_mask(field_) + ";_")
        elif kind is FieldType.DATE:
            edit.setInputMask(DATE_MASK + ";_")
            edit.setPlaceholderText("dd-mm-yyyy")
        elif kind is FieldType.INTEGER:
            edit.setValidator(_int_validator(field_, edit))
        elif kind is FieldType.DECIMAL:
            edit.setValidator(_decimal_validator(field_, edit))
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
        if kind is FieldType.CNIC:
            return digits_of(text) or None
        if kind is FieldType.MOBILE:
            return digits_of(text) or None
        return _number(text, kind)

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
        else:
            text = str(value)
        self.edit.setText(text)


def _int_validator(field_: Field, parent: QObject) -> QIntValidator:
    low = int(field_.min) if field_.min is not None else 0
    high = int(field_.max) if field_.max is not None else 2_000_000_000
    return QIntValidator(min(low, 0), high, parent)


def _decimal_validator(field_: Field, parent: QObject) -> QDoubleValidator:
    high = field_.max if field_.max is not None else 1e12
    validator = QDoubleValidator(0.0, high, 2, parent)
    validator.setNotation(QDoubleValidator.Notation.StandardNotation)
    validator.setLocale(QLocale.c())
    return validator


def _number(text: str, kind: FieldType) -> object:
    compact = to_ascii_digits(text).strip().replace(",", "")
    if not compact:
        return None
    try:
        return int(compact) if kind is FieldType.INTEGER else float(compact)
    except ValueError:
        return compact


class ChoiceEditor(FieldEditor):
    """Choice and yes/no: a combo box whose first entry means "not answered"."""

    def __init__(self, field_: Field, parent: QWidget | None = None) -> None:
        combo = QComboBox(parent)
        super().__init__(field_, combo)
        self.combo = combo
        self._options: tuple[Option, ...] = field_.options or _yes_no(field_)
        self._language = "en"
        self._fill()
        combo.activated.connect(self._on_combo_activated)

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
        for option in self._options:
            self.combo.addItem(option.label.text(self._language), option.code)
        self.combo.blockSignals(False)

    def value(self) -> object:
        return self.combo.currentData()

    def set_value(self, value: object) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)

    def set_language(self, language: str) -> None:
        super().set_language(language)
        self._language = language
        for i, option in enumerate(self._options, start=1):
            self.combo.setItemText(i, option.label.text(language))


def _yes_no(field_: Field) -> tuple[Option, ...]:
    if field_.type is FieldType.YES_NO:
        return tuple(Option(code, label) for code, label in YES_NO)
    return ()


class MultiChoiceEditor(FieldEditor):
    """A checkable list (Space ticks); an ``exclusive`` option clears the others and back."""

    def __init__(self, field_: Field, parent: QWidget | None = None) -> None:
        widget = QListWidget(parent)
        super().__init__(field_, widget)
        self.list = widget
        for option in field_.options:
            item = QListWidgetItem(option.label.en, widget)
            item.setData(Qt.ItemDataRole.UserRole, option.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = min(len(field_.options), 6)
        widget.setMaximumHeight(widget.sizeHintForRow(0) * rows + 2 * widget.frameWidth() + 4)
        widget.itemChanged.connect(self._on_list_item_changed)

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
        for item, option in zip(self._items(), self.field.options):
            item.setText(option.label.text(language))


def make_editor(field_: Field, parent: QWidget | None = None) -> FieldEditor:
    """The editor for *field_* (rosters have their own widget, see ``roster.py``)."""
    if field_.type in (FieldType.CHOICE, FieldType.YES_NO):
        return ChoiceEditor(field_, parent)
    if field_.type is FieldType.MULTI_CHOICE:
        return MultiChoiceEditor(field_, parent)
    if field_.type is FieldType.ROSTER:
        raise ValueError("a roster is edited by RosterEditor")
    return LineEditor(field_, parent)


def label_text(label: Label, language: str, required: bool) -> str:
    return label.text(language) + (" *" if required else "")
