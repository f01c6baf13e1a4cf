"""What is known is carried forward, only into empty answers (domain/carry_forward.py)."""

from __future__ import annotations

from datetime import date

import pytest

from pser_desk.domain.carry_forward import bform_prefix, infer_head, infer_member, inference_for
from pser_desk.domain.form import load_form

TODAY = date(2026, 11, 24)
WIFE_HEAD = {
    "cnic": "3520212345672", "gender": "female", "marital_status": "married",
    "father_or_husband_name": "Muhammad Aslam",
}  # fmt: skip


@pytest.fixture(scope="module")
def facts():
    return inference_for(load_form())


def test_the_form_rules_give_the_facts(facts) -> None:
    assert (facts.relation, facts.gender, facts.cnic) == ("relation", "gender", "cnic_or_bform")
    assert (facts.id_type, facts.minor_value, facts.adult_value) == ("id_type", "bform", "cnic")
    assert facts.adult_age == 18
    assert facts.relation_genders["son"] == "male"
    assert facts.spouse_values == {"spouse"}
    assert facts.head_husband == "father_or_husband_name"


def test_the_heads_gender_follows_the_cnics_last_digit(facts) -> None:
    assert infer_head({"cnic": "3520212345671"}, facts) == {"gender": "male"}
    assert infer_head({"cnic": "3520212345672"}, facts) == {"gender": "female"}
    assert infer_head({"cnic": "35202"}, facts) == {}
    assert infer_head({"cnic": "3520212345671", "gender": "transgender"}, facts) == {}


def test_a_married_womans_spouse_gets_her_husbands_name_and_is_a_married_man(facts) -> None:
    inferred = infer_member({"relation": "spouse"}, WIFE_HEAD, facts, TODAY)
    assert inferred == {"gender": "male", "marital_status": "married", "name": "Muhammad Aslam"}


def test_the_husbands_name_typed_makes_the_member_her_spouse(facts) -> None:
    row = {"name": "muhammad  aslam"}
    assert infer_member(row, WIFE_HEAD, facts, TODAY)["relation"] == "spouse"
    man_head = {**WIFE_HEAD, "gender": "male"}  # his father's name: not a spouse
    assert "relation" not in infer_member(row, man_head, facts, TODAY)


def test_gender_from_relation_then_from_the_cnic(facts) -> None:
    assert infer_member({"relation": "daughter"}, WIFE_HEAD, facts, TODAY)["gender"] == "female"
    row = {"relation": "other_relative", "cnic_or_bform": "3520212345673"}
    assert infer_member(row, WIFE_HEAD, facts, TODAY)["gender"] == "male"


def test_the_document_follows_the_age(facts) -> None:
    child = infer_member({"date_of_birth": "2015-03-01"}, WIFE_HEAD, facts, TODAY)
    adult = infer_member({"date_of_birth": "1990-03-01"}, WIFE_HEAD, facts, TODAY)
    assert child["id_type"] == "bform"
    assert adult["id_type"] == "cnic"
    assert "id_type" not in infer_member({"date_of_birth": "2030-01-01"}, WIFE_HEAD, facts, TODAY)


def test_nothing_typed_is_ever_replaced(facts) -> None:
    row = {"relation": "son", "gender": "female", "id_type": "cnic", "date_of_birth": "2015-03-01"}
    assert infer_member(row, WIFE_HEAD, facts, TODAY) == {}


def test_a_childs_b_form_starts_like_the_households_cnic(facts) -> None:
    assert bform_prefix({"id_type": "bform"}, WIFE_HEAD, facts) == "35202"
    assert bform_prefix({"id_type": "cnic"}, WIFE_HEAD, facts) is None
    assert bform_prefix({"id_type": "bform", "cnic_or_bform": "3"}, WIFE_HEAD, facts) is None
    assert bform_prefix({"id_type": "bform"}, {}, facts) is None
