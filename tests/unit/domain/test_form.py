"""The shipped household form definition: shape, Urdu everywhere, unique codes, skip logic."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from pser_desk.domain.form import (
    Condition,
    Field,
    FieldType,
    FormDefinition,
    Label,
    SectionKind,
    evaluate_condition,
    evaluate_relevance,
    load_form,
)
from pser_desk.paths import forms_dir

URDU = re.compile(r"[\u0600-\u06FF]")


def all_fields_deep(form: FormDefinition) -> list[Field]:
    found: list[Field] = []
    for field in form.all_fields():
        found.append(field)
        found.extend(field.fields)
    return found


def all_labels(form: FormDefinition) -> list[tuple[str, Label]]:
    labels = [("title", form.title)]
    for section in form.sections:
        labels.append((section.id, section.label))
        if section.help:
            labels.append((f"{section.id}.help", section.help))
    for field in all_fields_deep(form):
        labels.append((field.id, field.label))
        labels.extend((f"{field.id}.help", lab) for lab in [field.help, field.placeholder] if lab)
        labels.extend((f"{field.id}.{o.code}", o.label) for o in field.options)
    return labels


def test_the_shipped_definition_loads(household_form: FormDefinition) -> None:
    assert household_form.form_id == "pser-household"
    assert household_form.version == "2024.1"
    assert load_form(forms_dir() / "pser-household-2024.1.json") == household_form
    kinds = [s.kind for s in household_form.sections]
    assert set(kinds) == set(SectionKind)
    assert household_form.roster.id == "members"


@pytest.mark.parametrize(
    "field_id",
    ["cnic", "name", "father_or_husband_name", "date_of_birth", "gender", "marital_status",
     "literacy", "highest_education", "disability", "chronic_illness", "worked_last_month",
     "work_type", "main_income_source", "monthly_income", "has_bank_account", "bank_name",
     "account_number_or_iban", "mobile_1", "mobile_1_network", "mobile_2", "mobile_2_network",
     "email"],
)  # fmt: skip
def test_the_head_section_has_every_field_of_the_issue(
    household_form: FormDefinition, field_id: str
) -> None:
    assert household_form.section_of(field_id).kind is SectionKind.HEAD


def test_the_roster_has_the_issue_columns(household_form: FormDefinition) -> None:
    columns = {c.id for c in household_form.roster.fields}
    assert {"name", "relation", "cnic_or_bform", "date_of_birth", "gender", "marital_status",
            "highest_education", "disability", "chronic_illness", "worked_last_month",
            "monthly_income"} <= columns  # fmt: skip
    assert household_form.field("members.relation").type is FieldType.CHOICE


def test_disability_options_are_those_of_the_issue(household_form: FormDefinition) -> None:
    assert household_form.field("disability").option_codes == (
        "none", "upper_limb", "lower_limb", "visual", "hearing", "speech", "mental", "multiple",
    )  # fmt: skip


def test_every_label_option_and_help_has_urdu(household_form: FormDefinition) -> None:
    labels = all_labels(household_form)
    assert len(labels) > 380
    missing = [
        where for where, label in labels if not URDU.search(label.ur) and not label.ur[0].isdigit()
    ]
    assert missing == []
    english_missing = [where for where, label in labels if not label.en.strip()]
    assert english_missing == []


def test_option_codes_are_unique_within_each_field(household_form: FormDefinition) -> None:
    for field in all_fields_deep(household_form):
        codes = field.option_codes
        assert len(codes) == len(set(codes)), field.id
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in codes), field.id


def test_field_ids_are_unique_outside_the_roster(household_form: FormDefinition) -> None:
    ids = [f.id for f in household_form.all_fields()]
    assert len(ids) == len(set(ids))


def test_the_raw_file_has_unique_codes_too() -> None:
    raw = json.loads((forms_dir() / "pser-household-2024.1.json").read_text(encoding="utf-8"))
    for section in raw["sections"]:
        for field in section["fields"]:
            for item in [field, *field.get("fields", [])]:
                codes = [o["code"] for o in item.get("options", [])]
                assert len(codes) == len(set(codes)), item["id"]


def test_skip_logic_only_reads_earlier_fields(household_form: FormDefinition) -> None:
    seen: set[str] = set()
    for field in household_form.all_fields():
        if field.relevant:
            assert set(field.relevant.field_refs()) <= seen, field.id
        inner = set(seen)
        for column in field.fields:
            if column.relevant:
                assert set(column.relevant.field_refs()) <= inner, column.id
            inner.add(column.id)
        seen.add(field.id)


def test_required_fields_that_are_always_asked(household_form: FormDefinition) -> None:
    always = [f.id for f in household_form.all_fields() if f.required and f.relevant is None]
    assert {"cnic", "name", "consent", "current_district"} <= set(always)
    assert household_form.field("consent").must_be == "yes"


def test_head_fields_are_asked_as_the_issue_says(household_form: FormDefinition) -> None:
    work_type = household_form.field("work_type")
    assert not evaluate_relevance(work_type, {"worked_last_month": "no"})
    assert evaluate_relevance(work_type, {"worked_last_month": "yes"})
    bank = household_form.field("account_number_or_iban")
    assert not evaluate_relevance(bank, {"has_bank_account": "no"})
    assert evaluate_relevance(bank, {"has_bank_account": "yes"})
    permanent = household_form.field("permanent_district")
    assert not evaluate_relevance(permanent, {"permanent_same_as_current": "yes"})
    values = {"permanent_same_as_current": "no", "permanent_province": "punjab"}
    assert evaluate_relevance(permanent, values)
    assert not evaluate_relevance(permanent, {**values, "permanent_province": "sindh"})


TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        (Condition("equals", "a", "yes"), {"a": "yes"}, True),
        (Condition("equals", "a", "yes"), {"a": "no"}, False),
        (Condition("equals", "a", "yes"), {}, False),
        (Condition("not_equals", "a", "yes"), {"a": "no"}, True),
        (Condition("not_equals", "a", "yes"), {}, False),
        (Condition("in", "a", ("x", "y")), {"a": "y"}, True),
        (Condition("in", "a", ("x", "y")), {"a": ["y"]}, False),
        (Condition("not_in", "a", ("x",)), {"a": "z"}, True),
        (Condition("contains", "a", "other"), {"a": ["other", "zakat"]}, True),
        (Condition("contains", "a", "other"), {"a": "other"}, False),
        (Condition("answered", "a", True), {"a": "  "}, False),
        (Condition("answered", "a", True), {"a": "03001234567"}, True),
        (Condition("answered", "a", False), {}, True),
        (Condition("age_at_least", "dob", 10), {"dob": "2016-11-24"}, True),
        (Condition("age_at_least", "dob", 10), {"dob": "2016-11-25"}, False),
        (Condition("age_below", "dob", 10), {"dob": "2016-11-25"}, True),
        (Condition("age_at_least", "dob", 10), {"dob": "not a date"}, True),
        (
            Condition("all", children=(Condition("equals", "a", 1), Condition("equals", "b", 2))),
            {"a": 1, "b": 2},
            True,
        ),
        (
            Condition("all", children=(Condition("equals", "a", 1), Condition("equals", "b", 2))),
            {"a": 1},
            False,
        ),
        (
            Condition("any", children=(Condition("equals", "a", 1), Condition("equals", "b", 2))),
            {"b": 2},
            True,
        ),
        (Condition("not", children=(Condition("equals", "a", 1),)), {"a": 2}, True),
    ],
)
def test_conditions(condition: Condition, values: dict[str, object], expected: bool) -> None:
    assert evaluate_condition(condition, values, today=TODAY) is expected
