"""Section 10 against the real server: ``POST /devices/heartbeat`` and the signed configuration."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from pser_desk.central.service import CentralService
from pser_desk.domain.central_config import DEFAULT_CONFIG, CentralConfig, Notice
from pser_desk.security.device import DeviceKey
from pser_desk.security.form_signing import verify_canonical
from pser_desk.security.request_signing import format_ts, sign_request
from pser_desk.sync.client import CentralRejected
from pser_desk.sync.heartbeat import ConfigVerdict
from tests.plugins.central import Enrolled, sample_heartbeat

NOW = datetime(2026, 11, 24, 9, 15, 2, tzinfo=UTC)


def _service(enrolled: Enrolled) -> CentralService:
    assert enrolled.central.service is not None
    return enrolled.central.service


def _write_config(enrolled: Enrolled, config: dict[str, Any]) -> None:
    """Replace central's configuration file the way an editor or a deploy script would."""
    path = enrolled.central.state_dir / "central-config.json"
    staging = path.with_suffix(".tmp")
    staging.write_text(json.dumps(config), encoding="utf-8")
    os.replace(staging, path)


def _post(enrolled: Enrolled, body: bytes, *, sign: bool = True) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if sign:
        headers["Authorization"] = sign_request(
            enrolled.key, enrolled.device_id, "POST", "/api/v1/devices/heartbeat", body,
            format_ts(datetime.now(UTC)),
        )  # fmt: skip
    return requests.post(
        enrolled.central.url + "/devices/heartbeat", data=body, headers=headers, timeout=10
    )


def _stored(enrolled: Enrolled) -> list[tuple[str, dict[str, Any]]]:
    rows = _service(enrolled).db.query("SELECT device_id, body FROM heartbeats")
    return [(row[0], json.loads(row[1])) for row in rows]


def test_a_heartbeat_is_kept_and_answered_with_the_signed_defaults(enrolled: Enrolled) -> None:
    beat = sample_heartbeat()
    reply = enrolled.client.heartbeat(beat)
    assert reply.outcome is ConfigVerdict.APPLIED
    assert (reply.config, reply.ignored) == (DEFAULT_CONFIG, ())
    assert abs((reply.server_time - datetime.now(UTC)).total_seconds()) < 5
    [(device_id, stored)] = _stored(enrolled)
    assert device_id == enrolled.device_id
    assert stored["queue"] == beat.queue.to_json()
    assert (stored["app_version"], stored["clock_offset_s"]) == ("0.2.0", -2.4)
    enrolled.client.heartbeat(sample_heartbeat(app_version="0.2.1"))
    assert [body["app_version"] for _, body in _stored(enrolled)] == ["0.2.1"]  # the latest only


def test_the_wire_answer_is_section_10s(enrolled: Enrolled) -> None:
    body = json.dumps(sample_heartbeat().to_json(NOW)).encode()
    reply = _post(enrolled, body)
    assert reply.status_code == 200
    answer = reply.json()
    assert set(answer) == {"server_time", "config", "config_signature"}
    assert answer["config"] == {
        "heartbeat_s": 900, "status_poll_s": 900, "retention_days": 30,
        "min_app_version": "0.1.0", "message": None,
    }  # fmt: skip
    assert verify_canonical(
        enrolled.central.signing_key, answer["config"], answer["config_signature"]
    )


def test_the_configuration_file_is_read_again_when_it_changes(enrolled: Enrolled) -> None:
    notice = {"en": "Centres close at 2 pm on Friday.", "ur": "جمعہ کو مراکز دو بجے بند ہوں گے۔"}
    _write_config(enrolled, {"heartbeat_s": 600, "message": notice, "channel": "pilot"})
    first = enrolled.client.heartbeat(sample_heartbeat())
    assert first.verified
    assert first.config == CentralConfig(
        heartbeat_s=600, message=Notice(notice["en"], notice["ur"])
    )
    _write_config(enrolled, {"retention_days": 7, "min_app_version": "0.3.0"})
    second = enrolled.client.heartbeat(sample_heartbeat(), current=first.config)
    assert second.config == CentralConfig(retention_days=7, min_app_version="0.3.0")
    assert second.config.update_required("0.2.0")
    (enrolled.central.state_dir / "central-config.json").unlink()
    assert enrolled.client.heartbeat(sample_heartbeat()).config == DEFAULT_CONFIG


def test_unknown_keys_reach_the_pc_signed_and_the_pc_ignores_them(enrolled: Enrolled) -> None:
    _write_config(enrolled, {"channel": "pilot", "status_poll_s": 300})
    answer = _post(enrolled, json.dumps(sample_heartbeat().to_json(NOW)).encode()).json()
    assert answer["config"]["channel"] == "pilot"
    assert verify_canonical(
        enrolled.central.signing_key, answer["config"], answer["config_signature"]
    )
    reply = enrolled.client.heartbeat(sample_heartbeat())
    assert (reply.config, reply.ignored) == (CentralConfig(status_poll_s=300), ())


@pytest.mark.allow_log_warnings
def test_a_bad_configuration_file_leaves_the_last_good_one_in_force(enrolled: Enrolled) -> None:
    _write_config(enrolled, {"heartbeat_s": 1200})
    assert enrolled.client.heartbeat(sample_heartbeat()).config.heartbeat_s == 1200
    _write_config(enrolled, {"heartbeat_s": 5})  # below 60: central refuses its own file
    assert enrolled.client.heartbeat(sample_heartbeat()).config.heartbeat_s == 1200
    path = enrolled.central.state_dir / "central-config.json"
    path.write_text('{"heartbeat_s": 1800,', encoding="utf-8")  # half written
    assert enrolled.client.heartbeat(sample_heartbeat()).config.heartbeat_s == 1200
    _write_config(enrolled, {"heartbeat_s": 1800})
    assert enrolled.client.heartbeat(sample_heartbeat()).config.heartbeat_s == 1800


@pytest.mark.allow_log_warnings
def test_a_config_signed_by_another_key_is_ignored(enrolled: Enrolled) -> None:
    _write_config(enrolled, {"heartbeat_s": 60})
    current = CentralConfig(heartbeat_s=1200, retention_days=10)
    stranger = DeviceKey.generate().public_raw()
    reply = enrolled.client.heartbeat(sample_heartbeat(), current=current, signing_key=stranger)
    assert (reply.outcome, reply.config) == (ConfigVerdict.BAD_SIGNATURE, current)
    assert len(_stored(enrolled)) == 1  # the heartbeat itself was received


def _mutated(change: str) -> Any:
    body: Any = sample_heartbeat().to_json(NOW)
    match change:
        case "personal-field":
            body["operator_name"] = "Ayesha Bibi"
        case "queue-extra":
            body["queue"]["head_cnic"] = "3520212345671"
        case "missing":
            del body["disk_free_mb"]
        case "bool-count":
            body["queue"]["queued"] = True
        case "negative":
            body["queue"]["failed"] = -1
        case "float-disk":
            body["disk_free_mb"] = 10.5
        case "peripheral":
            body["peripherals"]["camera"] = "broken"
        case "peripheral-extra":
            body["peripherals"]["scanner"] = "ok"
        case "local-time":
            body["sent_at"] = "2026-11-24T14:15:02+05:00"
        case "offset-text":
            body["clock_offset_s"] = "-2.4"
        case "queue-null":
            body["queue"] = None
        case "versions":
            body["form_versions"] = ["2024.1", "a b"]
        case "not-object":
            body = [body]
    return body


_FIELDS = {
    "personal-field": "operator_name", "queue-extra": "queue.head_cnic", "missing": "disk_free_mb",
    "bool-count": "queue.queued", "negative": "queue.failed", "float-disk": "disk_free_mb",
    "peripheral": "peripherals.camera", "peripheral-extra": "peripherals.scanner",
    "local-time": "sent_at", "offset-text": "clock_offset_s", "queue-null": "queue",
    "versions": "form_versions", "not-object": "",
}  # fmt: skip


@pytest.mark.parametrize("change", list(_FIELDS))
def test_a_heartbeat_not_of_section_10s_shape_is_422_and_not_kept(
    enrolled: Enrolled, change: str
) -> None:
    reply = _post(enrolled, json.dumps(_mutated(change)).encode())
    assert reply.status_code == 422
    details = reply.json()["details"]
    assert _FIELDS[change] in {d["field"] for d in details}
    assert "3520212345671" not in reply.text  # central never echoes a value back
    assert _stored(enrolled) == []


def test_null_times_are_allowed(enrolled: Enrolled) -> None:
    body = sample_heartbeat().to_json(NOW)
    body["last_success_at"] = None
    body["queue"]["oldest_unsent_at"] = None
    assert _post(enrolled, json.dumps(body).encode()).status_code == 200


def test_heartbeats_are_signed_and_refused_to_revoked_pcs(enrolled: Enrolled) -> None:
    body = json.dumps(sample_heartbeat().to_json(NOW)).encode()
    unsigned = _post(enrolled, body, sign=False)
    assert (unsigned.status_code, unsigned.json()) == (401, {"error": "bad_signature"})
    _service(enrolled).revoke_device(enrolled.device_id)
    with pytest.raises(CentralRejected) as revoked:
        enrolled.client.heartbeat(sample_heartbeat())
    assert (revoked.value.status, revoked.value.code) == (403, "device_revoked")
    assert _stored(enrolled) == []


def test_config_file_given_on_the_service(tmp_path: Path) -> None:
    config = tmp_path / "pcs.json"
    config.write_text(json.dumps({"retention_days": 90}), encoding="utf-8")
    service = CentralService(tmp_path / "state", forms_dir=tmp_path / "none", config_path=config)
    try:
        served, signature = service.config.signed()
        assert served["retention_days"] == 90
        assert verify_canonical(service.keys.signing_public_raw, served, signature)
    finally:
        service.close()
