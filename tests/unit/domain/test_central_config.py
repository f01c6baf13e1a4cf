"""Section 10's configuration rules: defaults, ranges, unknown keys, the update notice."""

from __future__ import annotations

from typing import Any

import pytest

from pser_desk.domain.central_config import (
    DEFAULT_CONFIG,
    CentralConfig,
    Notice,
    config_problems,
    version_numbers,
)


def test_the_defaults_are_section_10s() -> None:
    assert DEFAULT_CONFIG.to_json() == {
        "heartbeat_s": 900, "status_poll_s": 900, "retention_days": 30,
        "min_app_version": "0.1.0", "message": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("key", "good", "bad"),
    [
        ("heartbeat_s", [60, 86400], [59, 86401, 900.0, True, "900", None]),
        ("status_poll_s", [60, 86400], [0, -60, 86401, 60.5]),
        ("retention_days", [1, 365], [0, 366, False]),
        ("min_app_version", ["0.2.0", "1", "1.2.3.4"], ["", "v1.0", "1.2.3.4.5", "1.0rc1", 1]),
    ],
)
def test_values_in_range_are_taken_and_others_keep_the_previous(
    key: str, good: list[Any], bad: list[Any]
) -> None:
    previous = CentralConfig(
        heartbeat_s=1200, status_poll_s=300, retention_days=10, min_app_version="0.1.5"
    )
    for value in good:
        update = previous.apply({key: value})
        assert (getattr(update.config, key), update.ignored) == (value, ())
    for value in bad:
        update = previous.apply({key: value})
        assert (update.config, update.ignored) == (previous, (key,))


def test_unknown_and_missing_keys_change_nothing() -> None:
    previous = CentralConfig(retention_days=7)
    update = previous.apply({"channel": "pilot", "heartbeat_s": 600})
    assert update.config == CentralConfig(retention_days=7, heartbeat_s=600)
    assert update.ignored == ()


@pytest.mark.parametrize(
    ("message", "taken"),
    [
        (None, None),
        ({"en": "Closed Friday.", "ur": "جمعہ بند"}, Notice("Closed Friday.", "جمعہ بند")),
        (
            {"en": "Closed Friday.", "ur": "جمعہ بند", "pa": "x"},
            Notice("Closed Friday.", "جمعہ بند"),
        ),
    ],
)
def test_a_notice_in_both_languages_or_null_is_taken(message: Any, taken: Notice | None) -> None:
    before = CentralConfig(message=Notice("old", "پرانا"))
    assert before.apply({"message": message}).config.message == taken


@pytest.mark.parametrize(
    "message",
    [{"en": "only English"}, {"en": " ", "ur": "x"}, "text", {"en": "x" * 501, "ur": "y"}, []],
)
def test_a_notice_not_in_both_languages_is_ignored(message: Any) -> None:
    before = CentralConfig(message=Notice("old", "پرانا"))
    update = before.apply({"message": message})
    assert (update.config, update.ignored) == (before, ("message",))


def test_round_trip_and_update_required() -> None:
    config = CentralConfig(heartbeat_s=120, message=Notice("a", "ب"), min_app_version="0.2.10")
    assert CentralConfig.from_json(config.to_json()) == config
    assert config.update_required("0.2.9")
    assert config.update_required("0.2")
    assert not config.update_required("0.2.10")
    assert not config.update_required("0.10.0")
    assert not config.update_required("0.2.10rc1")  # the numbers are what count
    assert version_numbers("1.4") == (1, 4, 0, 0)
    assert version_numbers("unknown") == (0, 0, 0, 0)


def test_problems_name_each_bad_key() -> None:
    assert config_problems({"heartbeat_s": 10, "message": "x", "channel": "pilot"}) == [
        "heartbeat_s: a whole number of seconds from 60 to 86400",
        'message: null or {"en": "...", "ur": "..."}, each 1 to 500 characters',
    ]
    assert config_problems(DEFAULT_CONFIG.to_json()) == []
