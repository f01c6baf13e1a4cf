"""The record validator: the right path and code for each broken rule, every error, no crash."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pser_desk.domain.form import FormDefinition
from pser_desk.domain.geography import Geography
from pser_desk.domain.validate import (
    ValidationIssue,
    check_iban_or_account,
    iban_checksum_ok,
    validate_draft,
    validate_field,
    validate_record,
)
from tests.plugins.forms import TODAY

Record = dict[str, Any]


@pytest.fixture
def check(
    household_form: FormDefinition, punjab: Geography
) -> Callable[[Any], list[tuple[str, str]]]:
    def run(record: Any) -> list[tuple[str, str]]:
        issues = validate_record(record, household_form, geography=punjab, today=TODAY)
        return [(i.path, i.code) for i in issues]

    return run


def find_example(make_example: Callable[[int], Record], wanted: Callable[[Record], bool]) -> Record:
    for seed in range(500):
        record = make_example(seed)
        if wanted(record):
            return copy.deepcopy(record)
    raise AssertionError("no example seed has the wanted shape")


def with_members(n: int) -> Callable[[Record], bool]:
    return lambda r: len(r["members"]) >= n


def test_an_example_is_valid(make_example: Callable[[int], Record], check: Any) -> None:
    assert check(make_example(7)) == []


def test_a_broken_head_cnic(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(1)
    record["head"]["cnic"] = record["head"]["cnic"][:12]
    assert ("head.cnic", "cnic.wrong_length") in check(record)
    record["head"]["cnic"] = "0" + record["head"]["cnic"][1:] + "1"
    assert ("head.cnic", "cnic.bad_province") in check(record)


def test_a_dashed_cnic_is_not_normalised(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(1)
    digits = record["head"]["cnic"]
    record["head"]["cnic"] = f"{digits[:5]}-{digits[5:12]}-{digits[12]}"
    assert check(record) == [("head.cnic", "cnic.not_normalised")]


def test_a_duplicate_member_cnic(make_example: Callable[[int], Record], check: Any) -> None:
    record = find_example(make_example, lambda r: any(m["id_type"] == "cnic" for m in r["members"]))
    index = next(i for i, m in enumerate(record["members"]) if m["id_type"] == "cnic")
    member = record["members"][index]
    member["cnic_or_bform"] = record["head"]["cnic"]
    member["gender"] = record["head"]["gender"]  # keep the gender digit consistent
    found = check(record)
    assert (f"members[{index}].cnic_or_bform", "duplicate_cnic") in found


def test_two_members_with_one_number(make_example: Callable[[int], Record], check: Any) -> None:
    record = find_example(
        make_example, lambda r: sum(m["gender"] == "female" for m in r["members"]) >= 2
    )
    first, second = [i for i, m in enumerate(record["members"]) if m["gender"] == "female"][:2]
    record["members"][second]["cnic_or_bform"] = record["members"][first]["cnic_or_bform"]
    assert (f"members[{second}].cnic_or_bform", "duplicate_cnic") in check(record)


def test_a_twelve_year_old_head(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(2)
    record["head"]["date_of_birth"] = date(TODAY.year - 12, 1, 1).isoformat()
    assert ("head.date_of_birth", "head_too_young") in check(record)


def test_a_tehsil_outside_its_district(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(3)
    record["address"].update(
        current_division="LHR", current_district="LHR-KSR", current_tehsil="MUL-MUL-01"
    )
    assert check(record) == [("address.current_tehsil", "tehsil_not_in_district")]


def test_a_district_outside_its_division(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(3)
    record["address"].update(
        current_division="MUL", current_district="LHR-KSR", current_tehsil="LHR-KSR-01"
    )
    assert check(record) == [("address.current_district", "district_not_in_division")]


def test_an_unknown_tehsil_code(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(3)
    record["address"]["current_tehsil"] = "LHR-KSR-99"
    assert check(record) == [("address.current_tehsil", "option")]


def test_negative_and_absurd_incomes(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(4)
    record["head"]["monthly_income"] = -500
    assert check(record) == [("head.monthly_income", "negative")]
    record["head"]["monthly_income"] = 10_000_001
    assert check(record) == [("head.monthly_income", "too_large")]
    record["head"]["monthly_income"] = "5000"
    assert check(record) == [("head.monthly_income", "type")]


def test_a_negative_member_income(make_example: Callable[[int], Record], check: Any) -> None:
    record = find_example(make_example, lambda r: any("monthly_income" in m for m in r["members"]))
    index = next(i for i, m in enumerate(record["members"]) if "monthly_income" in m)
    record["members"][index]["monthly_income"] = -1
    assert check(record) == [(f"members[{index}].monthly_income", "negative")]


def test_gender_must_match_the_cnic(make_example: Callable[[int], Record], check: Any) -> None:
    record = find_example(make_example, lambda r: r["head"]["gender"] == "male")
    record["head"]["cnic"] = record["head"]["cnic"][:12] + "2"
    assert check(record) == [("head.gender", "gender_mismatch")]
    record["head"]["gender"] = "transgender"  # not checked: the rule for them is undocumented
    assert ("head.gender", "gender_mismatch") not in check(record)


def test_a_minor_registered_with_a_cnic(make_example: Callable[[int], Record], check: Any) -> None:
    record = find_example(
        make_example, lambda r: any(m["id_type"] == "bform" for m in r["members"])
    )
    index = next(i for i, m in enumerate(record["members"]) if m["id_type"] == "bform")
    record["members"][index]["id_type"] = "cnic"
    assert check(record) == [(f"members[{index}].id_type", "bform_for_minor")]


def test_a_son_older_than_the_head(make_example: Callable[[int], Record], check: Any) -> None:
    record = find_example(make_example, lambda r: any(m["relation"] == "son" for m in r["members"]))
    index = next(i for i, m in enumerate(record["members"]) if m["relation"] == "son")
    son = record["members"][index]
    son.update(date_of_birth=record["head"]["date_of_birth"], id_type="cnic")
    son.pop("highest_education", None)
    found = check(record)
    assert (f"members[{index}].date_of_birth", "child_older_than_parent") in found


def test_a_mother_younger_than_the_head(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(5)
    head_born = date.fromisoformat(record["head"]["date_of_birth"])
    mother = {
        "name": "Razia Bibi", "relation": "mother", "id_type": "cnic", "cnic_or_bform": "3520112345682",
        "date_of_birth": head_born.replace(year=head_born.year + 1).isoformat(), "gender": "female",
        "marital_status": "widowed", "highest_education": "never_attended", "disability": "none",
        "chronic_illness": "no", "worked_last_month": "no",
    }  # fmt: skip
    record["members"].append(mother)
    index = len(record["members"]) - 1
    assert check(record) == [(f"members[{index}].date_of_birth", "child_older_than_parent")]


def test_relation_and_gender_agree(make_example: Callable[[int], Record], check: Any) -> None:
    record = find_example(
        make_example, lambda r: any(m["relation"] == "daughter" for m in r["members"])
    )
    index = next(i for i, m in enumerate(record["members"]) if m["relation"] == "daughter")
    record["members"][index]["relation"] = "son"
    assert check(record) == [(f"members[{index}].gender", "relation_gender_mismatch")]


def test_required_not_allowed_unknown_and_option(
    make_example: Callable[[int], Record], check: Any
) -> None:
    record = find_example(make_example, lambda r: r["head"]["worked_last_month"] == "yes")
    del record["head"]["work_type"]
    record["head"]["has_bank_account"] = "no"
    record["head"].pop("bank_name", None)
    record["head"]["account_number_or_iban"] = "PK36SCBL0000001123456702"
    record["answers"]["favourite_colour"] = "green"
    record["answers"]["toilet"] = "golden"
    assert sorted(check(record)) == [
        ("answers.favourite_colour", "unknown_field"),
        ("answers.toilet", "option"),
        ("head.account_number_or_iban", "not_allowed"),
        ("head.work_type", "required"),
    ]


def test_multi_choice_rules(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(6)
    record["answers"]["vehicles"] = ["none", "car"]
    record["answers"]["appliances"] = ["television", "television"]
    assert sorted(check(record)) == [
        ("answers.appliances", "duplicate_option"),
        ("answers.vehicles", "exclusive_option"),
    ]


def test_consent_must_be_given(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(8)
    record["answers"]["consent"] = "no"
    assert check(record) == [("answers.consent", "must_be")]


def test_iban_checksum(make_example: Callable[[int], Record], check: Any) -> None:
    assert iban_checksum_ok("PK36SCBL0000001123456702")  # the published example IBAN
    assert not iban_checksum_ok("PK37SCBL0000001123456702")
    assert check_iban_or_account("PK36 SCBL 0000 0011 2345 6702") is None
    assert check_iban_or_account("PK36SCBL00000011234567") == "iban_format"
    assert check_iban_or_account("12-34") == "account_number_format"
    record = find_example(
        make_example, lambda r: r["head"].get("account_number_or_iban", "").startswith("PK")
    )
    record["head"]["account_number_or_iban"] = "PK37SCBL0000001123456702"
    assert check(record) == [("head.account_number_or_iban", "iban_checksum")]


def test_mobile_numbers(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(9)
    record["head"]["mobile_1"] = "03801234567"
    assert check(record) == [("head.mobile_1", "mobile.unallocated")]
    record["head"]["mobile_1"] = "0300-1234567"
    assert check(record) == [("head.mobile_1", "mobile.not_normalised")]
    record["head"]["mobile_1"] = "0300123"
    assert check(record) == [("head.mobile_1", "mobile.wrong_length")]


def test_dates(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(10)
    record["head"]["date_of_birth"] = "15/03/1980"
    assert check(record) == [("head.date_of_birth", "date_format")]
    record["head"]["date_of_birth"] = "1980-02-30"
    assert check(record) == [("head.date_of_birth", "date_format")]
    record["head"]["date_of_birth"] = "1890-01-01"
    assert check(record) == [("head.date_of_birth", "date_too_old")]


def test_every_error_is_reported(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(11)
    record["head"]["cnic"] = "123"
    record["head"]["monthly_income"] = -1
    record["address"]["current_tehsil"] = "MUL-MUL-01"
    record["answers"]["rooms"] = 0
    found = check(record)
    assert {("head.cnic", "cnic.wrong_length"), ("head.monthly_income", "negative"),
            ("address.current_tehsil", "tehsil_not_in_district"), ("answers.rooms", "min")} <= set(found)  # fmt: skip


def test_one_field_is_judged_as_the_whole_record_judges_it(
    make_example: Callable[[int], Record], household_form: FormDefinition, punjab: Geography
) -> None:
    """The wizard checks only the field the operator changed: the same issues at that path
    as the whole record's check gives, field checks and the rules that read it alike."""
    record = make_example(11)
    record["head"]["cnic"] = "123"
    record["head"]["monthly_income"] = -1
    record["address"]["current_tehsil"] = "MUL-MUL-01"  # a rule's issue (not its district's)
    record["head"]["date_of_birth"] = "2020-01-01"  # too young to head a household (a rule)
    record["answers"]["rooms"] = 0
    del record["head"]["name"]
    everything = validate_record(record, household_form, geography=punjab, today=TODAY)
    paths = [f"{s.kind.value}.{f.id}" for s in household_form.sections for f in s.fields
             if s.kind.value != "members"]  # fmt: skip
    for path in paths:
        alone = validate_field(record, household_form, path, geography=punjab, today=TODAY)
        assert alone == [i for i in everything if i.path == path], path
    assert {i.path for i in everything if not i.path.startswith("members")} <= set(paths)
    assert validate_field(record, household_form, "members", geography=punjab, today=TODAY) == []
    assert validate_field(record, household_form, "head.nope", geography=punjab, today=TODAY) == []


def test_envelope_fields(make_example: Callable[[int], Record], check: Any) -> None:
    record = make_example(12)
    record.update(submission_id="not-a-uuid", form_version="2023.9", extra=1)
    assert sorted(check(record)) == [
        ("extra", "unknown_field"),
        ("form_version", "form_mismatch"),
        ("submission_id", "type"),
    ]
    for key in ("submission_id", "form_id", "form_version", "extra"):
        record.pop(key)
    assert check(record) == []  # not yet saved: the envelope fields may be absent


def test_an_empty_record_lists_every_required_field(check: Any) -> None:
    found = check({})
    assert ("head.cnic", "required") in found
    assert ("answers.consent", "required") in found
    assert all(code == "required" for _, code in found)


def test_a_draft_skips_required(household_form: FormDefinition, punjab: Geography) -> None:
    assert validate_draft({}, household_form, geography=punjab, today=TODAY) == []
    issues = validate_draft({"head": {"cnic": "12"}}, household_form, geography=punjab, today=TODAY)
    assert issues == [
        ValidationIssue("head.cnic", "cnic.wrong_length", "validation.cnic.wrong_length")
    ]
    assert issues[0].as_json() == {
        "path": "head.cnic",
        "code": "cnic.wrong_length",
        "message_key": "validation.cnic.wrong_length",
    }


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ([], [("", "type")]),
        ("text", [("", "type")]),
        ({"head": [], "members": {}, "address": 3, "answers": None}, None),
        ({"members": [1, None, "x"]}, None),
    ],
)
def test_odd_shapes_give_issues_not_exceptions(check: Any, record: Any, expected: Any) -> None:
    found = check(record)
    if expected is not None:
        assert found == expected
    else:
        assert found
        assert all(isinstance(code, str) for _, code in found)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["head", "members", "address", "answers", "form_id", "x"]), json_values
    )
)
def test_never_raises_on_any_json(
    household_form: FormDefinition, punjab: Geography, record: Any
) -> None:
    issues = validate_record(record, household_form, geography=punjab, today=TODAY)
    assert all(isinstance(i, ValidationIssue) for i in issues)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["head", "address", "answers"]), st.data())
def test_never_raises_on_any_field_value(
    household_form: FormDefinition, punjab: Geography, seed: int, part: str, data: st.DataObject
) -> None:
    from pser_desk.domain.example import example_record

    record = example_record(seed, household_form, punjab, TODAY)
    key = data.draw(st.sampled_from(sorted(record[part])))
    record[part][key] = data.draw(json_values)
    validate_record(record, household_form, geography=punjab, today=TODAY)
