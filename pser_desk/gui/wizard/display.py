"""How a stored value reads on screen (the review page, lists)."""

from __future__ import annotations

from pser_desk.domain.form import Field, FieldType
from pser_desk.gui.wizard.editors import iso_to_typed


def display_value(field_: Field, value: object, language: str) -> str:
    """How a stored value reads in a table."""
    if value is None:
        return ""
    if field_.type in (FieldType.CHOICE, FieldType.YES_NO):
        option = field_.option(value) if isinstance(value, str) else None
        if option is None and field_.type is FieldType.YES_NO:
            return {"yes": "✔", "no": "✘"}.get(str(value), str(value))
        return option.label.text(language) if option else str(value)
    if field_.type is FieldType.DATE:
        return iso_to_typed(value)
    if field_.type is FieldType.CNIC and isinstance(value, str) and len(value) == 13:
        return f"{value[:5]}-{value[5:12]}-{value[12]}"
    return str(value)
