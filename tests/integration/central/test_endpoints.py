"""Health, enrolment, form definitions and unknown paths against the real server."""

from __future__ import annotations

import json

import pytest
import requests

from pser_desk.security.device import DeviceKey
from pser_desk.security.form_signing import verify_canonical
from pser_desk.sync.client import CentralClient, CentralRejected, SignatureInvalid
from tests.plugins.central import CENTRE, FORM_ID, TEST_FORM, CentralHandle, Enrolled


def test_health_reports_ok_and_sets_the_clock_offset(central_server: CentralHandle) -> None:
    with CentralClient(central_server.url) as client:
        health = client.health()
    assert health.status == "ok"
    assert health.server_time.endswith("Z")
    assert abs(health.clock_offset_s) < 5


def test_enrolment_returns_the_contract_answer_and_the_token_is_single_use(
    central_server: CentralHandle,
) -> None:
    token = central_server.new_token()
    key = DeviceKey.generate()
    with CentralClient(central_server.url) as client:
        answer = client.enroll(CENTRE, token, key.public_raw(), "Counter 3", "1.4.0")
        assert answer.device_id.startswith("dev_")
        assert answer.centre == {
            "code": CENTRE,
            "name": "PSER Registration Centre Lahore 0042",
            "district": "Lahore",
            "tehsil": "Lahore City",
        }
        assert answer.central_encryption_key == central_server.encryption_key
        assert answer.central_signing_key == central_server.signing_key
        with pytest.raises(CentralRejected) as again:
            client.enroll(CENTRE, token, key.public_raw(), "Counter 3", "1.4.0")
    assert (again.value.status, again.value.code) == (401, "invalid_token")


@pytest.mark.parametrize(
    ("token_centre", "asked_centre"),
    [("LHR-0042", "LHR-0043"), (None, "LHR-0042")],
    ids=["token-for-another-centre", "unknown-token"],
)
def test_enrolment_refuses_a_token_that_does_not_fit(
    central_server: CentralHandle, token_centre: str | None, asked_centre: str
) -> None:
    token = central_server.new_token(token_centre) if token_centre else "AAAA-BBBB-CCCC"
    with CentralClient(central_server.url) as client, pytest.raises(CentralRejected) as refused:
        client.enroll(asked_centre, token, DeviceKey.generate().public_raw(), "PC", "1")
    assert (refused.value.status, refused.value.code) == (401, "invalid_token")


def test_enrolment_validation_names_the_fields(central_server: CentralHandle) -> None:
    body = {
        "centre_code": "lahore",
        "enrollment_token": "X",
        "device_public_key": "AAAA",
        "app_version": "1",
    }
    reply = requests.post(central_server.url + "/devices/enroll", data=json.dumps(body), timeout=10)
    assert reply.status_code == 422
    assert reply.json()["error"] == "validation"
    assert {d["field"] for d in reply.json()["details"]} == {"centre_code", "device_name"}


def test_expired_token_is_refused(central_server: CentralHandle) -> None:
    assert central_server.service is not None
    token = central_server.service.new_token(CENTRE, ttl_hours=-1)
    with CentralClient(central_server.url) as client, pytest.raises(CentralRejected):
        client.enroll(CENTRE, token, DeviceKey.generate().public_raw(), "PC", "1")


def test_current_form_is_signed_and_verified(enrolled: Enrolled) -> None:
    form = enrolled.client.current_form(FORM_ID)
    assert (form.form_id, form.version, form.definition) == (FORM_ID, "2024.1", TEST_FORM)
    assert verify_canonical(enrolled.central.signing_key, form.definition, form.signature)


def test_a_newer_published_version_becomes_current(enrolled: Enrolled) -> None:
    assert enrolled.central.service is not None
    newer = {**TEST_FORM, "version": "2024.10", "note": "اردو"}
    enrolled.central.service.publish_form(FORM_ID, "2024.10", newer)
    enrolled.central.service.publish_form(FORM_ID, "2024.2", {**TEST_FORM, "version": "2024.2"})
    form = enrolled.client.current_form(FORM_ID)
    assert (form.version, form.definition) == ("2024.10", newer)


def test_a_form_signed_by_another_key_is_refused(enrolled: Enrolled) -> None:
    stranger = DeviceKey.generate().public_raw()
    with pytest.raises(SignatureInvalid):
        enrolled.client.current_form(FORM_ID, signing_key=stranger)


def test_unknown_form_and_unknown_paths_are_404(enrolled: Enrolled) -> None:
    with pytest.raises(CentralRejected) as missing:
        enrolled.client.current_form("no-such-form")
    assert missing.value.status == 404
    reply = requests.get(enrolled.central.url + "/nothing", timeout=10)
    assert (reply.status_code, reply.json()) == (404, {"error": "not_found"})
    wrong_method = requests.get(enrolled.central.url + "/devices/enroll", timeout=10)
    assert wrong_method.status_code == 405


def test_signed_endpoints_refuse_unsigned_requests(central_server: CentralHandle) -> None:
    for path in ("/forms/pser-household/current", "/submissions/x"):
        reply = requests.get(central_server.url + path, timeout=10)
        assert (reply.status_code, reply.json()) == (401, {"error": "bad_signature"})
