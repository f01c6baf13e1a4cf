"""Release versions and update channels (domain/releases.py), and central refusing a
configuration that names a channel the desks do not know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pser_desk.central.config import ConfigError, read_config_file
from pser_desk.domain.releases import Channel, channel_of, check_release_version, newer


def test_a_pilot_pc_sees_both_rings_a_stable_pc_only_stable() -> None:
    assert Channel.PILOT.rings() == {Channel.PILOT, Channel.STABLE}
    assert Channel.STABLE.rings() == {Channel.STABLE}


@pytest.mark.parametrize(
    ("config", "channel"),
    [({}, Channel.STABLE), ({"channel": "pilot"}, Channel.PILOT), ({"channel": "beta"}, Channel.STABLE),
     ({"channel": 1}, Channel.STABLE)],
)  # fmt: skip
def test_the_channel_comes_from_centrals_config(
    config: dict[str, object], channel: Channel
) -> None:
    assert channel_of(config) is channel


def test_versions_are_dotted_numbers_compared_as_numbers() -> None:
    assert newer("0.10.0", "0.9.9")
    assert newer("1", "0.99")
    assert not newer("0.2", "0.2.0")
    for bad in ("v1.0", "1.0rc1", "", "1.2.3.4.5"):
        with pytest.raises(ValueError, match="dotted numbers"):
            check_release_version(bad)


def test_central_refuses_a_configuration_with_an_unknown_channel(tmp_path: Path) -> None:
    path = tmp_path / "central-config.json"
    path.write_text(json.dumps({"channel": "pilot"}), encoding="utf-8")
    assert read_config_file(path)["channel"] == "pilot"  # passed on to the PCs, signed
    path.write_text(json.dumps({"channel": "Pilot"}), encoding="utf-8")
    with pytest.raises(ConfigError, match='channel: "stable" or "pilot"'):
        read_config_file(path)
