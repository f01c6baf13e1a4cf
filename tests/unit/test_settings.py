"""This PC's settings: typed defaults, schema upgrades, bad values, central's TLS options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pser_desk.settings import SCHEMA_VERSION, DeskSettings, load_settings, save_settings


def test_defaults_when_there_is_no_file(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == DeskSettings()


def test_a_version_1_file_is_upgraded_and_keeps_its_values(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps({"schema": 1, "language": "ur", "paper": "80mm", "printer": "Counter 3"})
    )
    settings = load_settings(tmp_path)
    assert (settings.language, settings.paper, settings.printer) == ("ur", "80mm", "Counter 3")
    assert (settings.ca_bundle, settings.pins) == ("", "")
    save_settings(tmp_path, settings)
    saved = json.loads((tmp_path / "settings.json").read_text())
    assert saved["schema"] == SCHEMA_VERSION == 2
    assert saved["pins"] == ""


def test_bad_values_fall_back_to_their_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "schema": 2,
                "language": "fr",
                "paper": "letter",
                "idle_lock_minutes": -1,
                "printer": 42,
                "unknown": True,
            }
        )  # fmt: skip
    )
    settings = load_settings(tmp_path)
    assert settings == DeskSettings()


@pytest.mark.allow_log_warnings
@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '{"schema": 99, "language": "ur"}'])
def test_an_unreadable_or_future_file_gives_the_defaults(tmp_path: Path, body: str) -> None:
    (tmp_path / "settings.json").write_text(body)
    assert load_settings(tmp_path) == DeskSettings()


def test_tls_options_as_the_client_takes_them() -> None:
    assert DeskSettings().tls_options() == (None, None)
    options = DeskSettings(ca_bundle="/etc/pser/ca.pem", pins="aa, bb  cc").tls_options()
    assert options == ("/etc/pser/ca.pem", ["aa", "bb", "cc"])
