"""The wizard's values -> the record (central-api.md section 5), with the form's skip logic.

Pure Python. Relevance is decided in form order from the values of the fields that are
themselves relevant, exactly as the validator reads a record, so a hidden answer never
makes another question appear and never reaches the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pser_desk.domain.form import (
    Field,
    FieldType,
    FormDefinition,
    SectionKind,
    evaluate_relevance,
    is_answered,
    row_values,
)

PART_KINDS = (SectionKind.HEAD, SectionKind.ADDRESS, SectionKind.ANSWERS)


def field_path(kind: SectionKind, field_id: str) -> str:
    return f"{kind.value}.{field_id}"


def relevant_values(
    form: FormDefinition, values: Mapping[str, object], today: date
) -> tuple[dict[str, object], set[str]]:
    """(the answered values of relevant fields, the ids of every relevant top-level field)."""
    kept: dict[str, object] = {}
    relevant: set[str] = set()
    for section in form.sections:
        if section.kind is SectionKind.MEMBERS:
            continue
        for field_ in section.fields:
            if evaluate_relevance(field_, kept, today=today):
                relevant.add(field_.id)
                if is_answered(values.get(field_.id)):
                    kept[field_.id] = values[field_.id]
    return kept, relevant


def relevant_columns(
    roster: Field, flat: Mapping[str, object], row: Mapping[str, object], today: date
) -> tuple[dict[str, object], set[str]]:
    """The same for one roster row (columns may look at the household's answers)."""
    kept: dict[str, object] = {}
    relevant: set[str] = set()
    for column in roster.fields:
        if evaluate_relevance(column, row_values(roster, flat, kept), today=today):
            relevant.add(column.id)
            if is_answered(row.get(column.id)):
                kept[column.id] = row[column.id]
    return kept, relevant


def build_record(
    form: FormDefinition,
    values: Mapping[str, object],
    members: Sequence[Mapping[str, object]],
    today: date,
) -> dict[str, object]:
    """The record's parts as the store and central want them: only relevant, answered
    fields. The ids (submission, form and version) are stamped by the application layer
    (``pser_desk.desk.records.stamp``), in one place."""
    kept, _ = relevant_values(form, values, today)
    record: dict[str, object] = {}
    for kind in PART_KINDS:
        ids = [f.id for s in form.sections_of_kind(kind) for f in s.fields]
        record[kind.value] = {i: kept[i] for i in ids if i in kept}
    roster = form.roster
    record["members"] = [relevant_columns(roster, kept, row, today)[0] for row in members]
    return record


def split_record(
    form: FormDefinition, record: Mapping[str, object]
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Inverse of :func:`build_record`: (top-level values by field id, member rows)."""
    values = form.flat_values(record)
    rows = record.get("members")
    members = [dict(r) for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []
    return values, members


def is_geography(field_: Field) -> bool:
    return field_.type is FieldType.CHOICE and bool(field_.options_from)
