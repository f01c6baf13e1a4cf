"""This PC's settings: typed defaults, schema upgrades, bad values, central's TLS options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.settings import (
    SCHEMA_VERSION,
    CentralTls,
    DeskSettings,
    SettingsStore,
    load_settings,
    save_settings,
)


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
    assert saved["schema"] == SCHEMA_VERSION == 3
    assert saved["pins"] == ""


def test_version_3_drops_centrals_address(tmp_path: Path) -> None:
    """Central's address is the enrolment's (in the database): a setting that held one,
    read by nothing that sends, is dropped by the upgrade (issue 14)."""
    (tmp_path / "settings.json").write_text(json.dumps(
        {"schema": 2, "central_url": "https://old.example/api/v1", "paper": "80mm"}
    ))  # fmt: skip
    settings = load_settings(tmp_path)
    assert settings.paper == "80mm"
    save_settings(tmp_path, settings)
    saved = json.loads((tmp_path / "settings.json").read_text())
    assert "central_url" not in saved
    assert saved["schema"] == 3


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


def test_central_tls_as_every_client_takes_it(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    assert store.central_tls() == CentralTls(None, ())
    save_settings(tmp_path, DeskSettings(ca_bundle="/etc/pser/ca.pem", pins="aa, bb  cc"))
    assert store.central_tls() == CentralTls("/etc/pser/ca.pem", ("aa", "bb", "cc"))


def test_one_store_checks_and_keeps_and_tells_the_sender(tmp_path: Path) -> None:
    """Both settings screens save through the one store: the same rules, nothing kept on a
    refusal, and its listeners (the sender: central's TLS options) hear of every save."""
    heard: list[str] = []
    store = SettingsStore(tmp_path)
    store.add_listener(lambda: heard.append("saved"))
    with pytest.raises(DeskError) as refused:
        store.save(DeskSettings(idle_lock_minutes=500))
    assert refused.value.code is ErrorCode.SETTINGS_BAD_IDLE
    assert heard == []
    assert not (tmp_path / "settings.json").exists()
    store.save(DeskSettings(paper="80mm"))
    assert heard == ["saved"]
    assert store.current().paper == "80mm"
