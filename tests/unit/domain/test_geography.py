"""Punjab's divisions, districts and tehsils: complete, coded, bilingual, consistent."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pser_desk.domain.geography import Geography, GeographyError, load_geography, parse_geography
from pser_desk.paths import resource

URDU = re.compile(r"[\u0600-\u06FF]")


def test_counts_match_the_reference(punjab: Geography, shared_dir: Path) -> None:
    reference = json.loads(
        (shared_dir / "data/reference/punjab_admin.json").read_text(encoding="utf-8")
    )
    assert len(punjab.divisions()) == reference["counts"]["divisions"] == 10
    assert len(punjab.all_at("district")) == reference["counts"]["districts"] == 41
    assert len(punjab.all_at("tehsil")) == reference["counts"]["tehsils"] == 158


def test_every_reference_name_is_kept_under_its_parent(punjab: Geography, shared_dir: Path) -> None:
    reference = json.loads(
        (shared_dir / "data/reference/punjab_admin.json").read_text(encoding="utf-8")
    )
    for division in reference["divisions"]:
        place = punjab.find_by_name(division["name"], "division")
        assert place is not None
        assert place.name.ur == division["name_ur"]
        for district in division["districts"]:
            found = punjab.find_by_name(district["name"], "district", parent=place.code)
            assert found is not None, district["name"]
            names = [t.name.en for t in punjab.tehsils(found.code)]
            assert names == district["tehsils"]


def test_codes_are_hierarchical_and_every_name_has_urdu(punjab: Geography) -> None:
    for division in punjab.divisions():
        assert re.fullmatch(r"[A-Z]{3}", division.code)
        for district in punjab.districts(division.code):
            assert re.fullmatch(rf"{division.code}-[A-Z]{{3}}", district.code)
            for tehsil in punjab.tehsils(district.code):
                assert re.fullmatch(rf"{district.code}-\d{{2}}", tehsil.code)
                assert URDU.search(tehsil.name.ur), tehsil.code
            assert URDU.search(district.name.ur)
        assert URDU.search(division.name.ur)


def test_lookups(punjab: Geography) -> None:
    lahore = punjab.find("LHR", "division")
    assert lahore is not None
    assert lahore.name.en == "Lahore"
    assert [d.code for d in punjab.districts("LHR")] == ["LHR-LHR", "LHR-KSR", "LHR-NNS", "LHR-SKP"]
    kasur = punjab.find("LHR-KSR-02")
    assert kasur is not None
    assert kasur.name.en == "Chunian"
    assert kasur.name.ur == "چونیاں"
    assert punjab.contains("LHR", "LHR-KSR")
    assert punjab.contains("LHR-KSR", "LHR-KSR-02")
    assert not punjab.contains("MUL", "LHR-KSR")
    assert punjab.find("LHR-KSR", "tehsil") is None
    assert punjab.districts("LHR-KSR") == ()
    assert punjab.tehsils("nowhere") == ()
    assert punjab.find(None) is None
    assert punjab.find(["LHR"]) is None
    assert punjab.find_by_name("قصور", "district") == punjab.find("LHR-KSR")
    uncertain = [t.name.en for t in punjab.all_at("tehsil") if t.uncertain]
    assert sorted(uncertain) == ["Jallah Jeem", "Mandi Shah Jeewna"]


def test_the_file_keeps_its_source_and_open_questions() -> None:
    obj = json.loads(resource("geography", "punjab.json").read_text(encoding="utf-8"))
    assert "Board of Revenue" in obj["source"]
    assert obj["known_discrepancies"]
    assert obj["open_questions"]
    assert load_geography().meta["source"] == obj["source"]


def _div(**changes: Any) -> dict[str, Any]:
    tehsil = {"code": "AAA-BBB-01", "name": {"en": "T", "ur": "ت"}}
    district = {"code": "AAA-BBB", "name": {"en": "D", "ur": "د"}, "tehsils": [tehsil]}
    division = {"code": "AAA", "name": {"en": "V", "ur": "و"}, "districts": [district]}
    division.update(changes)
    return {"divisions": [division]}


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({}, "divisions: missing"),
        (_div(code=""), "divisions[0].code: missing"),
        (_div(name={"en": "V"}), "divisions[0].name: needs en and ur"),
        (_div(districts=[]), "divisions[0].districts: missing or empty"),
        (
            _div(districts=[{"code": "XXX-BBB", "name": {"en": "D", "ur": "د"}, "tehsils": []}]),
            "does not start with AAA-",
        ),
    ],
)
def test_a_broken_geography_is_rejected(obj: Any, message: str) -> None:
    with pytest.raises(GeographyError, match=re.escape(message)):
        parse_geography(obj)


def test_a_small_geography_parses() -> None:
    geo = parse_geography(_div())
    assert len(geo) == 3
    assert geo.tehsils("AAA-BBB")[0].code == "AAA-BBB-01"
