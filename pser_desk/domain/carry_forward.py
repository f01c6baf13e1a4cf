"""What is already known, carried forward so that the operator does not type it twice.

Pure Python. Every inference here is one the form's own rules make unambiguous, and it
only ever fills an *empty* answer (the views mark it so the operator checks it):

- the head's gender from the CNIC's last digit (odd: male, even: female);
- a member's gender from the relation (son: male...), from being the head's spouse
  (a man's spouse is a woman and back), or from the CNIC/B-Form's last digit;
- a spouse is married; a married woman's spouse is named in her "father's or husband's
  name"; that name typed for a member of such a head makes the member her spouse;
- the identity document from the age (under 18: B-Form, else CNIC);
- a child's B-Form starts like the household's CNIC (the first five digits are the place
  of registration): :func:`bform_prefix`.

The rule parameters (relation genders, spouse and married codes, the adult age) are read
from the form definition's ``rules``, so a new form version brings its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.dates import age_on, parse_iso_date
from pser_desk.domain.form import FieldType, FormDefinition, SectionKind, is_answered

PREFIX_DIGITS = 5
HUSBAND_FIELD = "father_or_husband_name"  # a married woman's husband, or a person's father
GENDERS = ("male", "female")


def _column(ref: Any) -> str | None:
    """``members[].gender`` -> ``gender``; None for anything else."""
    if isinstance(ref, str) and ref.startswith("members[]."):
        return ref.split(".", 1)[1]
    return None


def _head(ref: Any) -> str | None:
    if isinstance(ref, str) and ref.startswith("head."):
        return ref.split(".", 1)[1]
    return None


@dataclass(frozen=True, slots=True)
class Inference:
    """The form's facts the inferences need (column and field ids, codes, ages)."""

    relation: str | None = None
    gender: str | None = None
    cnic: str | None = None
    id_type: str | None = None
    date_of_birth: str | None = None
    marital_status: str | None = None
    name: str | None = None
    relation_genders: Mapping[str, str] = field(default_factory=dict)
    spouse_values: frozenset[str] = frozenset()
    married_values: frozenset[str] = frozenset()
    adult_age: int | None = None
    minor_value: str | None = None
    adult_value: str | None = None
    head_cnic: str | None = None
    head_gender: str | None = None
    head_marital: str | None = None
    head_husband: str | None = None


def inference_for(form: FormDefinition) -> Inference:
    """Read the inference facts from *form*'s rules and fields (missing ones: no inference)."""
    found: dict[str, Any] = {}
    for rule in form.rules:
        params = rule.params
        if rule.check == "relation_gender":
            found["relation"] = _column(params.get("relation"))
            found["gender"] = _column(params.get("gender"))
            found["relation_genders"] = dict(params.get("genders") or {})
        elif rule.check == "cnic_gender":
            if _column(params.get("cnic")):
                found["cnic"] = _column(params.get("cnic"))
            elif _head(params.get("cnic")):
                found["head_cnic"] = _head(params.get("cnic"))
                found["head_gender"] = _head(params.get("gender"))
        elif rule.check == "minor_id_type":
            found["id_type"] = _column(params.get("id_type"))
            found["date_of_birth"] = _column(params.get("date_of_birth"))
            found["adult_age"] = int(params.get("adult_age") or 18)
            found["minor_value"] = params.get("minor_value")
        elif rule.check == "spouse_requires_married":
            found["spouse_values"] = frozenset(params.get("spouse_values") or ())
            found["married_values"] = frozenset(params.get("married_values") or ())
            found["head_marital"] = _head(params.get("marital_status"))
    roster = form.roster
    columns = {c.id: c for c in roster.fields}
    id_type = columns.get(found.get("id_type") or "")
    if id_type is not None and found.get("minor_value"):
        others = [o.code for o in id_type.options if o.code != found["minor_value"]]
        found["adult_value"] = others[0] if len(others) == 1 else None
    if "marital_status" in columns:
        found["marital_status"] = "marital_status"
    name = next((c.id for c in roster.fields if c.type is FieldType.TEXT), None)
    found["name"] = name
    head_ids = {f.id for s in form.sections_of_kind(SectionKind.HEAD) for f in s.fields}
    found["head_husband"] = HUSBAND_FIELD if HUSBAND_FIELD in head_ids else None
    return Inference(**found)


def infer_head(values: Mapping[str, Any], facts: Inference) -> dict[str, Any]:
    """Values for the head's empty answers that follow from the others."""
    out: dict[str, Any] = {}
    if facts.head_gender and not is_answered(values.get(facts.head_gender)):
        gender = _cnic_gender(values.get(facts.head_cnic or ""))
        if gender:
            out[facts.head_gender] = gender
    return out


def infer_member(
    row: Mapping[str, Any], household: Mapping[str, Any], facts: Inference, today: date
) -> dict[str, Any]:
    """Values for one member row's empty cells that follow from the row and the household."""
    out: dict[str, Any] = {}

    def empty(column: str | None) -> bool:
        return bool(column) and not is_answered(row.get(column or "")) and column not in out

    relation = row.get(facts.relation or "")
    if empty(facts.relation) and _is_the_husband(row, household, facts):
        relation = next(iter(sorted(facts.spouse_values)))
        out[str(facts.relation)] = relation
    spouse = isinstance(relation, str) and relation in facts.spouse_values
    if empty(facts.gender):
        gender = _gender_of(relation, row, household, facts, spouse)
        if gender:
            out[str(facts.gender)] = gender
    if spouse and empty(facts.marital_status) and len(facts.married_values) == 1:
        out[str(facts.marital_status)] = next(iter(facts.married_values))
    if spouse and empty(facts.name) and _head_is_married_woman(household, facts):
        husband = household.get(facts.head_husband or "")
        if is_answered(husband):
            out[str(facts.name)] = husband
    if empty(facts.id_type):
        chosen = _id_type_for_age(row.get(facts.date_of_birth or ""), facts, today)
        if chosen:
            out[str(facts.id_type)] = chosen
    return out


def bform_prefix(
    row: Mapping[str, Any], household: Mapping[str, Any], facts: Inference
) -> str | None:
    """The household CNIC's first digits, to start a child's empty B-Form number with."""
    if not facts.cnic or is_answered(row.get(facts.cnic)):
        return None
    if not facts.minor_value or row.get(facts.id_type or "") != facts.minor_value:
        return None
    head = parse_cnic(str(household.get(facts.head_cnic or "") or ""))
    return head.cnic.digits[:PREFIX_DIGITS] if head.cnic else None


def _gender_of(
    relation: Any, row: Mapping[str, Any], household: Mapping[str, Any], facts: Inference,
    spouse: bool,
) -> str | None:  # fmt: skip
    if isinstance(relation, str) and relation in facts.relation_genders:
        return facts.relation_genders[relation]
    if spouse:
        head_gender = household.get(facts.head_gender or "")
        if head_gender in GENDERS:
            return GENDERS[1 - GENDERS.index(head_gender)]
    return _cnic_gender(row.get(facts.cnic or ""))


def _cnic_gender(value: Any) -> str | None:
    parsed = parse_cnic(value) if isinstance(value, str) else None
    if parsed is None or parsed.cnic is None or len(value) != 13:
        return None
    return parsed.cnic.gender.value


def _id_type_for_age(value: Any, facts: Inference, today: date) -> str | None:
    born = parse_iso_date(value)
    if born is None or born > today or facts.adult_age is None:
        return None
    return facts.minor_value if age_on(born, today) < facts.adult_age else facts.adult_value


def _head_is_married_woman(household: Mapping[str, Any], facts: Inference) -> bool:
    return (
        household.get(facts.head_gender or "") == "female"
        and household.get(facts.head_marital or "") in facts.married_values
    )


def _is_the_husband(row: Mapping[str, Any], household: Mapping[str, Any], facts: Inference) -> bool:
    """The member's name is the married woman head's husband's name."""
    name, husband = row.get(facts.name or ""), household.get(facts.head_husband or "")
    if not (isinstance(name, str) and isinstance(husband, str) and facts.spouse_values):
        return False
    same = " ".join(name.split()).casefold() == " ".join(husband.split()).casefold()
    return same and _head_is_married_woman(household, facts) and len(facts.spouse_values) == 1
