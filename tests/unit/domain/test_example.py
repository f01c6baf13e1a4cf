"""Example records: valid, deterministic per seed, varied, and together they reach every field."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.dates import age_on, parse_iso_date
from pser_desk.domain.form import FormDefinition
from pser_desk.domain.geography import Geography
from pser_desk.domain.mobile import parse_mobile
from pser_desk.domain.validate import validate_record
from tests.plugins.forms import TODAY

Record = dict[str, Any]
SEEDS = range(300)


def test_many_seeds_give_valid_records(
    make_example: Callable[[int], Record], household_form: FormDefinition, punjab: Geography
) -> None:
    for seed in SEEDS:
        issues = validate_record(make_example(seed), household_form, geography=punjab, today=TODAY)
        assert issues == [], (seed, issues[:3])


def test_deterministic_per_seed_and_different_across_seeds(
    make_example: Callable[[int], Record],
) -> None:
    assert make_example(42) == make_example(42)
    assert make_example(42) != make_example(43)
    ids = {make_example(seed)["submission_id"] for seed in range(50)}
    assert len(ids) == 50
    assert uuid.UUID(make_example(42)["submission_id"]).version == 4


def test_the_record_shape_of_central_api(make_example: Callable[[int], Record]) -> None:
    record = make_example(0)
    assert list(record) == [
        "submission_id",
        "form_id",
        "form_version",
        "head",
        "members",
        "address",
        "answers",
    ]
    assert record["form_id"] == "pser-household"
    assert record["form_version"] == "2024.1"
    assert {"cnic", "name"} <= set(record["head"])
    assert all({"cnic_or_bform", "name", "relation"} <= set(m) for m in record["members"])


def test_households_are_varied(make_example: Callable[[int], Record]) -> None:
    relations: Counter[str] = Counter()
    sizes: Counter[int] = Counter()
    minors_with_bform = 0
    provinces: Counter[str] = Counter()
    for seed in SEEDS:
        record = make_example(seed)
        sizes[len(record["members"])] += 1
        for member in record["members"]:
            relations[member["relation"]] += 1
            born = parse_iso_date(member["date_of_birth"])
            assert born is not None
            if age_on(born, TODAY) < 18:
                assert member["id_type"] == "bform"
                minors_with_bform += 1
            provinces[member["cnic_or_bform"][0]] += 1
    assert {"spouse", "son", "daughter", "mother", "father", "grandson", "daughter_in_law"} <= set(
        relations
    )
    assert min(sizes) >= 1
    assert max(sizes) <= 9
    assert len(sizes) >= 6
    assert minors_with_bform > 100
    assert provinces["3"] > sum(provinces.values()) * 0.7
    assert len(provinces) > 1


def test_numbers_are_well_formed(make_example: Callable[[int], Record]) -> None:
    for seed in range(100):
        record = make_example(seed)
        head = record["head"]
        cnic = parse_cnic(head["cnic"]).cnic
        assert cnic is not None
        if head["gender"] != "transgender":
            assert cnic.gender.value == head["gender"]
        for key in ("mobile_1", "mobile_2"):
            if key in head:
                mobile = parse_mobile(head[key]).mobile
                assert mobile is not None
                assert mobile.national == head[key]


def test_every_field_is_reachable(
    make_example: Callable[[int], Record], household_form: FormDefinition
) -> None:
    """Relevance never makes a field impossible: across seeds every field gets answered."""
    answered: set[str] = set()
    for seed in SEEDS:
        record = make_example(seed)
        for part in ("head", "address", "answers"):
            answered.update(record[part])
        for member in record["members"]:
            answered.update(f"members.{key}" for key in member)
    expected = {f.id for f in household_form.all_fields() if f.id != "members"}
    expected |= {f"members.{c.id}" for c in household_form.roster.fields}
    assert expected - answered == set()


def test_every_option_of_a_plain_choice_appears(
    make_example: Callable[[int], Record], household_form: FormDefinition
) -> None:
    seen: dict[str, set[Any]] = {}
    for seed in SEEDS:
        record = make_example(seed)
        for part in ("head", "answers"):
            for key, value in record[part].items():
                seen.setdefault(key, set()).update(value if isinstance(value, list) else [value])
    for field_id in (
        "toilet",
        "cooking_fuel",
        "roof_material",
        "bank_name",
        "work_type",
        "vehicles",
    ):
        assert set(household_form.field(field_id).option_codes) <= seen[field_id], field_id
