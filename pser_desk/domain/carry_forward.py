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

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.dates import age_on, parse_iso_date
from pser_desk.domain.form import FieldType, FormDefinition, SectionKind, is_answered

PREFIX_DIGITS = 5
HUSBAND_FIELD = "father_or_husband_name"  # a married woman's husband, or a person's father
GENDERS = ("male", "female")


def _column(ref: object) -> str | None:
    """``members[].gender`` -> ``gender``; None for anything else."""
    if isinstance(ref, str) and ref.startswith("members[]."):
        return ref.split(".", 1)[1]
    return None


def _head(ref: object) -> str | None:
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
    relation = gender = cnic = id_type = date_of_birth = minor_value = None
    head_cnic = head_gender = head_marital = None
    relation_genders: Mapping[str, str] = {}
    spouse_values: frozenset[str] = frozenset()
    married_values: frozenset[str] = frozenset()
    adult_age: int | None = None
    for rule in form.rules:
        params = rule.params
        if rule.check == "relation_gender":
            relation, gender = _column(params.get("relation")), _column(params.get("gender"))
            genders = params.get("genders")
            if isinstance(genders, Mapping):
                relation_genders = {k: v for k, v in genders.items() if isinstance(v, str)}
        elif rule.check == "cnic_gender":
            if _column(params.get("cnic")):
                cnic = _column(params.get("cnic"))
            elif _head(params.get("cnic")):
                head_cnic, head_gender = _head(params.get("cnic")), _head(params.get("gender"))
        elif rule.check == "minor_id_type":
            id_type = _column(params.get("id_type"))
            date_of_birth = _column(params.get("date_of_birth"))
            age = params.get("adult_age")
            adult_age = age if isinstance(age, int) and not isinstance(age, bool) else 18
            minor = params.get("minor_value")
            minor_value = minor if isinstance(minor, str) else None
        elif rule.check == "spouse_requires_married":
            spouse_values = _codes(params.get("spouse_values"))
            married_values = _codes(params.get("married_values"))
            head_marital = _head(params.get("marital_status"))
    roster = form.roster
    columns = {c.id: c for c in roster.fields}
    id_column = columns.get(id_type or "")
    adult_value = None
    if id_column is not None and minor_value:
        others = [o.code for o in id_column.options if o.code != minor_value]
        adult_value = others[0] if len(others) == 1 else None
    name = next((c.id for c in roster.fields if c.type is FieldType.TEXT), None)
    head_ids = {f.id for s in form.sections_of_kind(SectionKind.HEAD) for f in s.fields}
    return Inference(
        relation=relation, gender=gender, cnic=cnic, id_type=id_type,
        date_of_birth=date_of_birth,
        marital_status="marital_status" if "marital_status" in columns else None,
        name=name, relation_genders=relation_genders, spouse_values=spouse_values,
        married_values=married_values, adult_age=adult_age, minor_value=minor_value,
        adult_value=adult_value, head_cnic=head_cnic, head_gender=head_gender,
        head_marital=head_marital,
        head_husband=HUSBAND_FIELD if HUSBAND_FIELD in head_ids else None,
    )  # fmt: skip


def _codes(value: object) -> frozenset[str]:
    """A rule's list of codes (a tuple of text), or none."""
    if isinstance(value, tuple):
        return frozenset(item for item in value if isinstance(item, str))
    return frozenset()


def infer_head(values: Mapping[str, object], facts: Inference) -> dict[str, object]:
    """Values for the head's empty answers that follow from the others."""
    out: dict[str, object] = {}
    if facts.head_gender and not is_answered(values.get(facts.head_gender)):
        gender = _cnic_gender(values.get(facts.head_cnic or ""))
        if gender:
            out[facts.head_gender] = gender
    return out


def infer_member(
    row: Mapping[str, object], household: Mapping[str, object], facts: Inference, today: date
) -> dict[str, object]:
    """Values for one member row's empty cells that follow from the row and the household."""
    out: dict[str, object] = {}

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
    row: Mapping[str, object], household: Mapping[str, object], facts: Inference
) -> str | None:
    """The household CNIC's first digits, to start a child's empty B-Form number with."""
    if not facts.cnic or is_answered(row.get(facts.cnic)):
        return None
    if not facts.minor_value or row.get(facts.id_type or "") != facts.minor_value:
        return None
    head = parse_cnic(str(household.get(facts.head_cnic or "") or ""))
    return head.cnic.digits[:PREFIX_DIGITS] if head.cnic else None


def _gender_of(
    relation: object, row: Mapping[str, object], household: Mapping[str, object], facts: Inference,
    spouse: bool,
) -> str | None:  # fmt: skip
    if isinstance(relation, str) and relation in facts.relation_genders:
        return facts.relation_genders[relation]
    if spouse:
        head_gender = household.get(facts.head_gender or "")
        if head_gender in GENDERS:
            return GENDERS[1 - GENDERS.index(head_gender)]
    return _cnic_gender(row.get(facts.cnic or ""))


def _cnic_gender(value: object) -> str | None:
    if not isinstance(value, str) or len(value) != 13:
        return None
    parsed = parse_cnic(value)
    if parsed.cnic is None:
        return None
    return parsed.cnic.gender.value


def _id_type_for_age(value: object, facts: Inference, today: date) -> str | None:
    born = parse_iso_date(value)
    if born is None or born > today or facts.adult_age is None:
        return None
    return facts.minor_value if age_on(born, today) < facts.adult_age else facts.adult_value


def _head_is_married_woman(household: Mapping[str, object], facts: Inference) -> bool:
    return (
        household.get(facts.head_gender or "") == "female"
        and household.get(facts.head_marital or "") in facts.married_values
    )


def _is_the_husband(
    row: Mapping[str, object], household: Mapping[str, object], facts: Inference
) -> bool:
    """The member's name is the married woman head's husband's name."""
    name, husband = row.get(facts.name or ""), household.get(facts.head_husband or "")
    if not (isinstance(name, str) and isinstance(husband, str) and facts.spouse_values):
        return False
    same = " ".join(name.split()).casefold() == " ".join(husband.split()).casefold()
    return same and _head_is_married_woman(household, facts) and len(facts.spouse_values) == 1
