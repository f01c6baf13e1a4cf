"""The form registry without a database: shipped files, version order, per-version judging."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pser_desk import paths
from pser_desk.domain.example import example_record
from pser_desk.domain.form import FormDefinitionError
from pser_desk.domain.geography import load_geography
from pser_desk.store.forms import FormRegistry, UnknownFormVersion, version_key
from pser_desk.store.validation import FormValidator

FORM_ID = "pser-household"


def _shipped() -> dict[str, Any]:
    text = (paths.forms_dir() / "pser-household-2024.1.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _write(folder: Path, name: str, definition: Any) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")


def test_versions_order_numerically() -> None:
    versions = ["2024.10", "2024.2", "2025.1", "2024.1"]
    assert sorted(versions, key=version_key) == ["2024.1", "2024.2", "2024.10", "2025.1"]


def test_the_shipped_form_is_found_by_its_own_id_and_version() -> None:
    registry = FormRegistry(None)
    assert registry.versions(FORM_ID) == ["2024.1"]
    assert registry.current(FORM_ID).version == "2024.1"
    assert registry.get(FORM_ID, "2024.1") is registry.get(FORM_ID, "2024.1")  # cached
    with pytest.raises(UnknownFormVersion, match="forms update"):
        registry.get(FORM_ID, "2024.2")


@pytest.mark.allow_log_warnings
def test_a_folder_of_versions_with_an_unreadable_file(tmp_path: Path) -> None:
    newer = copy.deepcopy(_shipped())
    newer["version"] = "2024.10"
    _write(tmp_path, "a.json", _shipped())
    _write(tmp_path, "b.json", newer)
    (tmp_path / "c.json").write_text("{not json", encoding="utf-8")
    registry = FormRegistry(None, tmp_path)
    assert registry.versions(FORM_ID) == ["2024.1", "2024.10"]
    assert registry.current(FORM_ID).version == "2024.10"


def test_a_file_whose_content_is_not_a_form_raises_the_loaders_error(tmp_path: Path) -> None:
    broken = copy.deepcopy(_shipped())
    broken["version"] = "2024.3"
    broken["sections"] = []
    _write(tmp_path, "x.json", broken)
    with pytest.raises(FormDefinitionError):
        FormRegistry(None, tmp_path).get(FORM_ID, "2024.3")


def test_the_default_validator_judges_a_record_by_the_version_it_names(tmp_path: Path) -> None:
    newer = copy.deepcopy(_shipped())
    newer["version"] = "2024.2"
    housing = next(s for s in newer["sections"] if s["id"] == "housing")
    housing["fields"].append({"id": "has_solar_panels", "type": "yes_no", "required": True,
                              "label": {"en": "Solar panels?", "ur": "سولر پینل؟"}})  # fmt: skip
    _write(tmp_path, "old.json", _shipped())
    _write(tmp_path, "new.json", newer)
    registry = FormRegistry(None, tmp_path)
    validator = FormValidator(registry, load_geography())
    today = date.today()
    record = example_record(3, registry.get(FORM_ID, "2024.1"), load_geography(), today)

    assert registry.current(FORM_ID).version == "2024.2"
    assert validator.validate(record, today) == []
    issues = validator.validate({**record, "form_version": "2024.2"}, today)
    assert [(i.path, i.code) for i in issues] == [("answers.has_solar_panels", "required")]
    unknown = validator.validate({**record, "form_version": "1999.1"}, today)
    assert [(i.path, i.code) for i in unknown] == [("form_version", "unknown_form_version")]
    assert FormValidator.shipped().validate(record, today) == []
