"""Injected faults (--faults) as the real client sees them, and exactly-once through them."""

from __future__ import annotations

import time

import pytest

from pser_desk.central.faults import parse_faults
from pser_desk.sync.client import CentralClient
from pser_desk.sync.outcomes import OutcomeKind, SubmitOutcome
from tests.plugins.central import Enrolled, StartCentral, build_submission, enrol_device


def _server(enrolled: Enrolled, spec: str) -> None:
    assert enrolled.central.server is not None
    enrolled.central.server.set_faults(parse_faults(spec))


@pytest.mark.parametrize(("spec", "status"), [("p503=1", 503), ("p500=1", 500)])
def test_5xx_is_transient_and_nothing_is_stored(enrolled: Enrolled, spec: str, status: int) -> None:
    _server(enrolled, spec)
    body, sid = build_submission(enrolled.central.encryption_key)
    outcome = enrolled.client.submit(body, sid)
    assert (outcome.kind, outcome.status, outcome.retryable) == (
        OutcomeKind.TRANSIENT,
        status,
        True,
    )
    assert enrolled.central.households() == 0


def test_429_carries_retry_after(enrolled: Enrolled) -> None:
    _server(enrolled, "p429=1,retry_after=7")
    body, sid = build_submission(enrolled.central.encryption_key)
    outcome = enrolled.client.submit(body, sid)
    assert (outcome.kind, outcome.status, outcome.retry_after) == (
        OutcomeKind.RATE_LIMITED,
        429,
        7.0,
    )


def test_drop_before_processing_stores_nothing(enrolled: Enrolled) -> None:
    _server(enrolled, "drop=1")
    body, sid = build_submission(enrolled.central.encryption_key)
    outcome = enrolled.client.submit(body, sid)
    assert (outcome.kind, outcome.status) == (OutcomeKind.TRANSIENT, None)
    assert enrolled.central.households() == 0


def test_drop_after_commit_then_the_retry_gets_200_with_the_first_answer(
    enrolled: Enrolled,
) -> None:
    _server(enrolled, "drop_after_commit=1")
    body, sid = build_submission(enrolled.central.encryption_key)
    assert enrolled.client.submit(body, sid).kind is OutcomeKind.TRANSIENT
    assert enrolled.central.households() == 1
    _server(enrolled, "")
    retry = enrolled.client.submit(body, sid)
    assert (retry.kind, retry.status) == (OutcomeKind.ACCEPTED, 200)
    status = enrolled.client.status(sid)
    assert status is not None
    assert status.tracking_id == retry.tracking_id


def test_garbage_200_is_never_taken_as_acceptance(enrolled: Enrolled) -> None:
    _server(enrolled, "garbage=1")
    body, sid = build_submission(enrolled.central.encryption_key)
    outcome = enrolled.client.submit(body, sid)
    assert (outcome.kind, outcome.status) == (OutcomeKind.TRANSIENT, 200)
    _server(enrolled, "")
    assert enrolled.client.submit(body, sid).status == 200  # it had been stored: the retry says so


def test_slow_answers_arrive_late_but_whole(enrolled: Enrolled) -> None:
    _server(enrolled, "slow=1,slow_s=0.6")
    body, sid = build_submission(enrolled.central.encryption_key)
    started = time.monotonic()
    outcome = enrolled.client.submit(body, sid)
    assert outcome.status == 201
    assert time.monotonic() - started >= 0.6


def test_faults_touch_only_submissions(enrolled: Enrolled) -> None:
    _server(enrolled, "p503=1")
    assert enrolled.client.health().status == "ok"
    assert enrolled.client.current_form("pser-household").version == "2024.1"


def _deliver(client: CentralClient, body: bytes, sid: str) -> tuple[SubmitOutcome, int]:
    for attempt in range(1, 200):
        outcome = client.submit(body, sid)
        if not outcome.retryable:
            return outcome, attempt
    raise AssertionError("never delivered")


@pytest.mark.reliability
def test_exactly_once_through_a_real_faulty_process(central_process: StartCentral) -> None:
    central = central_process(
        faults="p503=0.2,p500=0.05,drop=0.1,drop_after_commit=0.1,garbage=0.05,p429=0.05,retry_after=0,seed=11"
    )
    device = enrol_device(central)
    tracking: dict[str, str] = {}
    attempts = 0
    with device.client as client:
        for _ in range(60):
            body, sid = build_submission(central.encryption_key)
            outcome, tries = _deliver(client, body, sid)
            attempts += tries
            assert outcome.kind is OutcomeKind.ACCEPTED
            assert outcome.tracking_id is not None
            tracking[sid] = outcome.tracking_id
        for sid, tracking_id in tracking.items():
            status = client.status(sid)
            assert status is not None
            assert status.tracking_id == tracking_id
    assert central.households() == 60
    assert len(set(tracking.values())) == 60
    assert attempts > 60  # the faults did happen
