"""The identity numbers of a household record: where each CNIC or B-Form number is.

Pure Python. The duplicate check at the desk looks each one up in the other households
saved on this PC or the centre's database (by keyed digest: ``security/cnic_digest``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.form import FieldType, FormDefinition, SectionKind


@dataclass(frozen=True, slots=True)
class HouseholdNumber:
    path: str  # head.cnic, members[2].cnic_or_bform
    digits: str  # 13 digits, valid
    role: str  # "head" or "member"


def household_numbers(record: Mapping[str, object], form: FormDefinition) -> list[HouseholdNumber]:
    """Every valid CNIC or B-Form number in *record*, head first, in form order."""
    found: list[HouseholdNumber] = []
    head = record.get("head")
    if isinstance(head, Mapping):
        for section in form.sections_of_kind(SectionKind.HEAD):
            for field_ in section.fields:
                if field_.type is FieldType.CNIC:
                    _add(found, f"head.{field_.id}", head.get(field_.id), "head")
    members = record.get("members")
    columns = [c.id for c in form.roster.fields if c.type is FieldType.CNIC]
    if isinstance(members, list):
        for i, row in enumerate(members):
            if isinstance(row, Mapping):
                for column in columns:
                    _add(found, f"members[{i}].{column}", row.get(column), "member")
    return found


def _add(found: list[HouseholdNumber], path: str, value: object, role: str) -> None:
    parsed = parse_cnic(value) if isinstance(value, str) else None
    if parsed is not None and parsed.cnic is not None:
        found.append(HouseholdNumber(path, parsed.cnic.digits, role))
