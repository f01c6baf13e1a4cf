"""The loader rejects a malformed definition with a message that names the bad part."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from pser_desk.domain.form import FormDefinitionError, load_form, load_form_text, parse_form
from pser_desk.paths import forms_dir

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    text = (forms_dir() / "pser-household-2024.1.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def section(obj: dict[str, Any], section_id: str) -> dict[str, Any]:
    return next(s for s in obj["sections"] if s["id"] == section_id)


def field(obj: dict[str, Any], section_id: str, field_id: str) -> dict[str, Any]:
    return next(f for f in section(obj, section_id)["fields"] if f["id"] == field_id)


def _del_option_code(o: dict[str, Any]) -> None:
    del field(o, "head_identity", "gender")["options"][1]["code"]


def _dup_option(o: dict[str, Any]) -> None:
    opts = field(o, "head_identity", "marital_status")["options"]
    opts[2]["code"] = opts[0]["code"]


def _condition_forward(o: dict[str, Any]) -> None:
    field(o, "head_identity", "name")["relevant"] = {"field": "email", "answered": True}


def _roster_column_bad(o: dict[str, Any]) -> None:
    section(o, "members")["fields"][0]["fields"][3]["type"] = "photo"


CASES: list[tuple[str, Edit, str]] = [
    ("missing option code", _del_option_code, "sections[0].fields[4].options[1].code: missing"),
    ("duplicate option code", _dup_option, "sections[0].fields[5].options[2].code: duplicate code"),
    (
        "unknown type",
        lambda o: field(o, "housing", "rooms").update(type="number"),
        "sections[6].fields[2].type: unknown type 'number'",
    ),
    (
        "typo in a key",
        lambda o: field(o, "housing", "rooms").update(requried=True),
        "sections[6].fields[2].requried: unknown key",
    ),
    (
        "missing Urdu label",
        lambda o: field(o, "head_identity", "cnic")["label"].pop("ur"),
        "sections[0].fields[0].label.ur: missing",
    ),
    (
        "blank English label",
        lambda o: field(o, "head_identity", "cnic")["label"].update(en=" "),
        "sections[0].fields[0].label.en: must be a non-empty string",
    ),
    (
        "duplicate field id",
        lambda o: field(o, "housing", "rooms").update(id="cnic"),
        "sections[6].fields[2].id: duplicate field id 'cnic'",
    ),
    (
        "condition reads a later field",
        _condition_forward,
        "sections[0].fields[1].relevant.field: 'email' is not an earlier field",
    ),
    (
        "condition value not an option",
        lambda o: field(o, "head_work", "work_type").update(
            relevant={"field": "worked_last_month", "equals": "maybe"}
        ),
        "sections[2].fields[1].relevant.equals: 'maybe' is not an option of worked_last_month",
    ),
    (
        "min above max",
        lambda o: field(o, "housing", "rooms").update(min=9, max=3),
        "sections[6].fields[2].min: greater than max",
    ),
    (
        "bad pattern",
        lambda o: field(o, "head_contact", "email").update(pattern="(unclosed"),
        "sections[3].fields[4].pattern: not a regular expression",
    ),
    (
        "options on a number",
        lambda o: field(o, "housing", "rooms").update(options=[]),
        "sections[6].fields[2].options: not allowed for type integer",
    ),
    (
        "choice without options",
        lambda o: field(o, "housing", "toilet").pop("options"),
        "sections[6].fields[6].options: missing",
    ),
    (
        "bad roster column",
        _roster_column_bad,
        "sections[4].fields[0].fields[3].type: unknown type 'photo'",
    ),
    (
        "rule on an unknown field",
        lambda o: o["rules"][0].update(field="head.birthday"),
        "rules[0].field: 'head.birthday' is not a field",
    ),
    (
        "unknown rule check",
        lambda o: o["rules"][1].update(check="telepathy"),
        "rules[1].check: unknown check 'telepathy'",
    ),
    (
        "district without depends_on",
        lambda o: field(o, "address", "current_district").pop("depends_on"),
        "sections[5].fields[1].depends_on: missing",
    ),
    (
        "yes_no with other codes",
        lambda o: field(o, "housing", "internet_access").update(
            options=[{"code": "y", "label": {"en": "Y", "ur": "ہ"}}]
        ),
        "sections[6].fields[10].options: a yes_no field has exactly",
    ),
    ("sections missing", lambda o: o.pop("sections"), "sections: missing"),
    (
        "head cnic missing",
        lambda o: field(o, "head_identity", "cnic").update(id="nic"),
        "the record needs a field head.cnic",
    ),
    (
        "consent must be an option",
        lambda o: field(o, "consent", "consent").update(must_be="sure"),
        "sections[8].fields[0].must_be: 'sure' is not an option code",
    ),
]


@pytest.mark.parametrize(("edit", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_definition_is_rejected_naming_the_field(
    raw: dict[str, Any], edit: Edit, message: str
) -> None:
    broken = copy.deepcopy(raw)
    edit(broken)
    with pytest.raises(FormDefinitionError) as info:
        parse_form(broken)
    assert message in str(info.value)


def test_the_unedited_copy_parses(raw: dict[str, Any]) -> None:
    assert parse_form(copy.deepcopy(raw)).form_id == "pser-household"


@pytest.mark.parametrize("text", ["", "{", "[]", "null", '{"form_id": 1}'])
def test_text_that_is_no_definition_is_rejected(text: str) -> None:
    with pytest.raises(FormDefinitionError):
        load_form_text(text)


def test_a_missing_file_is_a_definition_error(tmp_path: Any) -> None:
    with pytest.raises(FormDefinitionError, match="cannot read"):
        load_form(tmp_path / "nope.json")
