"""Injected faults (--faults) as the real client sees them, and exactly-once through them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

from pser_desk.central.faults import parse_faults
from pser_desk.sync.client import CentralClient, CentralUnavailable
from pser_desk.sync.outcomes import OutcomeKind, SubmitOutcome
from tests.plugins.central import (
    Enrolled,
    StartCentral,
    build_submission,
    enrol_device,
    sample_heartbeat,
    submit_households,
)

T = TypeVar("T")


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
    status = enrolled.client.submission_status(sid)
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
    (sid,) = submit_households(enrolled, 1)
    _server(enrolled, "p503=1")
    assert enrolled.client.health().status == "ok"
    assert enrolled.client.current_form("pser-household").version == "2024.1"
    assert enrolled.client.heartbeat(sample_heartbeat()).verified
    assert enrolled.client.submission_status(sid) is not None
    assert enrolled.client.submission_statuses([sid]).error is None


def test_faults_on_the_new_endpoints_leave_submissions_alone(enrolled: Enrolled) -> None:
    (sid,) = submit_households(enrolled, 1)
    _server(enrolled, "p503=1,on=status+status_batch+heartbeat")
    with pytest.raises(CentralUnavailable):
        enrolled.client.heartbeat(sample_heartbeat())
    with pytest.raises(CentralUnavailable):
        enrolled.client.submission_status(sid)
    assert isinstance(enrolled.client.submission_statuses([sid]).error, CentralUnavailable)
    body, other = build_submission(enrolled.central.encryption_key)
    assert enrolled.client.submit(body, other).status == 201


def test_a_heartbeat_dropped_after_commit_was_kept(enrolled: Enrolled) -> None:
    _server(enrolled, "drop_after_commit=1,on=heartbeat")
    with pytest.raises(CentralUnavailable):
        enrolled.client.heartbeat(sample_heartbeat())
    assert enrolled.central.service is not None
    assert enrolled.central.service.db.query("SELECT count(*) FROM heartbeats") == [(1,)]


@pytest.mark.parametrize("fault", ["garbage", "truncate", "drop", "p429"])
def test_a_status_batch_that_is_not_an_answer_is_never_read_as_one(
    enrolled: Enrolled, fault: str
) -> None:
    sids = submit_households(enrolled, 2)
    _server(enrolled, f"{fault}=1,on=status_batch")
    report = enrolled.client.submission_statuses(sids)
    assert isinstance(report.error, CentralUnavailable)
    assert (report.verdicts, report.unknown, report.unanswered) == ({}, [], sids)


def test_a_slow_heartbeat_arrives_whole(enrolled: Enrolled) -> None:
    _server(enrolled, "slow=1,slow_s=0.5,on=all")
    started = time.monotonic()
    assert enrolled.client.heartbeat(sample_heartbeat()).verified
    assert time.monotonic() - started >= 0.5


def test_each_endpoint_may_have_its_own_faults(enrolled: Enrolled) -> None:
    assert enrolled.central.server is not None
    enrolled.central.server.set_faults(
        [parse_faults("p500=1"), parse_faults("p503=1,on=heartbeat")]
    )
    body, sid = build_submission(enrolled.central.encryption_key)
    assert enrolled.client.submit(body, sid).status == 500
    with pytest.raises(CentralUnavailable, match="503"):
        enrolled.client.heartbeat(sample_heartbeat())
    assert enrolled.central.server.fault_counts == {"p500": 1, "p503": 1}


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
            status = client.submission_status(sid)
            assert status is not None
            assert status.tracking_id == tracking_id
    assert central.households() == 60
    assert len(set(tracking.values())) == 60
    assert attempts > 60  # the faults did happen


def _until_answered(call: Callable[[], T]) -> tuple[T, int]:
    for attempt in range(1, 200):
        try:
            return call(), attempt
        except CentralUnavailable:
            continue
    raise AssertionError("never answered")


@pytest.mark.reliability
def test_verdicts_and_heartbeats_through_a_real_faulty_process(
    central_process: StartCentral,
) -> None:
    central = central_process(
        faults=[
            "p503=0.2,drop=0.1,seed=3",
            "p503=0.2,p500=0.1,drop=0.1,drop_after_commit=0.1,garbage=0.1,truncate=0.1,seed=5,"
            "on=status+status_batch+heartbeat",
        ]
    )
    device = enrol_device(central)
    with device.client as client:
        sids = []
        for _ in range(20):
            body, sid = build_submission(central.encryption_key)
            assert _deliver(client, body, sid)[0].kind is OutcomeKind.ACCEPTED
            sids.append(sid)
        tries = 0
        for _ in range(10):
            reply, attempts = _until_answered(lambda: client.heartbeat(sample_heartbeat()))
            assert reply.verified
            tries += attempts
        learnt: dict[str, str] = {}
        while len(learnt) < len(sids):
            report = client.submission_statuses([s for s in sids if s not in learnt])
            learnt.update({sid: v.tracking_id for sid, v in report.verdicts.items()})
            assert report.unknown == []
            tries += 1
        single, attempts = _until_answered(lambda: client.submission_status(sids[0]))
        assert single is not None
        assert single.tracking_id == learnt[sids[0]]
    assert tries > 11  # the faults did happen
