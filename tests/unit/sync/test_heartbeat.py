"""The heartbeat body the PC sends, and how it reads central's signed configuration."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pser_desk.central.heartbeats import check_heartbeat
from pser_desk.domain.central_config import DEFAULT_CONFIG, CentralConfig, Notice
from pser_desk.security.form_signing import sign_canonical
from pser_desk.sync.heartbeat import ConfigVerdict, Heartbeat, NotTheContract, read_reply
from tests.plugins.central import sample_heartbeat

NOW = datetime(2026, 11, 24, 9, 15, 2, tzinfo=UTC)
KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def reply(config: dict[str, Any], key: Ed25519PrivateKey = KEY) -> dict[str, Any]:
    return {"server_time": "2026-11-24T09:15:03Z", "config": config,
            "config_signature": sign_canonical(key, config)}  # fmt: skip


def test_the_body_is_section_10s_and_central_takes_it() -> None:
    body = sample_heartbeat().to_json(NOW)
    assert body == {
        "app_version": "0.2.0", "form_versions": ["2024.1"], "sent_at": "2026-11-24T09:15:02Z",
        "queue": {"draft": 2, "queued": 3, "sending": 0, "failed": 0, "needs_correction": 1,
                  "duplicate": 0, "rejected": 0, "acknowledged_today": 41,
                  "oldest_unsent_at": "2026-11-24T08:01:11Z"},
        "last_success_at": "2026-11-24T09:10:40Z", "clock_offset_s": -2.4, "disk_free_mb": 10240,
        "peripherals": {"printer": "ok", "camera": "none"},
    }  # fmt: skip
    assert check_heartbeat(json.loads(json.dumps(body))) == []
    bare = Heartbeat(app_version="0.1.0").to_json(NOW)
    assert (bare["last_success_at"], bare["queue"]["oldest_unsent_at"]) == (None, None)
    assert check_heartbeat(bare) == []


@pytest.mark.allow_log_warnings
def test_a_verified_config_is_applied_value_by_value() -> None:
    current = CentralConfig(heartbeat_s=1200, retention_days=10)
    config = {**DEFAULT_CONFIG.to_json(), "heartbeat_s": 30, "status_poll_s": 120,
              "message": {"en": "Hello", "ur": "سلام"}, "channel": "pilot"}  # fmt: skip
    answer = read_reply(reply(config), PUBLIC, current)
    assert answer.outcome is ConfigVerdict.APPLIED
    assert answer.verified
    assert answer.config == CentralConfig(
        heartbeat_s=1200, status_poll_s=120, retention_days=30, message=Notice("Hello", "سلام")
    )
    assert answer.ignored == ("heartbeat_s",)
    assert answer.server_time == datetime(2026, 11, 24, 9, 15, 3, tzinfo=UTC)


@pytest.mark.allow_log_warnings
@pytest.mark.parametrize("tamper", ["other-key", "changed-value", "garbled", "reordered-signed"])
def test_a_config_whose_signature_does_not_verify_changes_nothing(tamper: str) -> None:
    current = CentralConfig(retention_days=5)
    config = {**DEFAULT_CONFIG.to_json(), "retention_days": 200}
    body = reply(config, Ed25519PrivateKey.generate() if tamper == "other-key" else KEY)
    if tamper == "changed-value":
        body["config"] = {**config, "retention_days": 365}
    elif tamper == "garbled":
        body["config_signature"] = "not a signature"
    elif tamper == "reordered-signed":  # signed over the non-canonical text: refused too
        body["config_signature"] = sign_canonical(KEY, json.dumps(config, indent=2))
    answer = read_reply(body, PUBLIC, current)
    assert (answer.outcome, answer.config, answer.verified) == (
        ConfigVerdict.BAD_SIGNATURE, current, False,
    )  # fmt: skip


def test_key_order_does_not_matter_canonical_json_does() -> None:
    config = dict(reversed(list({**DEFAULT_CONFIG.to_json(), "retention_days": 60}.items())))
    assert read_reply(reply(config), PUBLIC, DEFAULT_CONFIG).config.retention_days == 60


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"config": {}, "config_signature": "x"},
        {"server_time": "now", "config": {}, "config_signature": "x"},
        {"server_time": "2026-11-24T09:15:03Z", "config": [], "config_signature": "x"},
        {"server_time": "2026-11-24T09:15:03Z", "config": {}},
    ],
)
def test_an_answer_not_of_the_contract_raises(body: Any) -> None:
    with pytest.raises(NotTheContract):
        read_reply(body, PUBLIC, DEFAULT_CONFIG)
