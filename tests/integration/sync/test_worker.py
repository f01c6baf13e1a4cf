"""The outbox worker against the real reference central service on 127.0.0.1.

The store is real (SQLite, and PostgreSQL for the contract test), the HTTP is real, the
envelopes are really sealed and opened. Only the form validator on the PC side is the
store kit's accept-all stand-in, so that records central must refuse can be queued.
"""

from __future__ import annotations

import random
import socket
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pser_desk.central.faults import parse_faults
from pser_desk.domain.lifecycle import RecordState
from pser_desk.security.envelope import b64u_encode, raw_public
from pser_desk.sync.client import CentralClient
from pser_desk.sync.worker import Connection, SyncWorker, backoff_delay
from tests.plugins.central import CentralHandle, Enrolled
from tests.plugins.store import StoreKit, make_identity, sample_record


def _enrol_kit(kit: StoreKit, device: Enrolled, central: CentralHandle) -> None:
    identity = make_identity(kit.central_key)
    kit.device.save(
        replace(
            identity,
            device_id=device.device_id,
            central_url=central.url,
            central_encryption_key=b64u_encode(central.encryption_key),
            central_signing_key=b64u_encode(central.signing_key),
        )
    )


def _queue(kit: StoreKit, seeds: range, operator: str, **head: Any) -> list[str]:
    ids = []
    for seed in seeds:
        record = sample_record(seed)
        record["head"].update(head)
        ids.append(kit.records.queue(record, operator_id=operator).submission_id)
    return ids


@pytest.fixture
def operator(kit: StoreKit) -> str:
    return kit.add_operator(kit.add_manager())


def _states(kit: StoreKit, ids: list[str]) -> list[str]:
    return [kit.records.get(sid).state for sid in ids]


def test_queued_records_are_acknowledged_with_centrals_tracking_ids(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle, operator: str
) -> None:
    _enrol_kit(kit, enrolled, central_server)
    ids = _queue(kit, range(10), operator)
    worker = SyncWorker(kit.outbox, enrolled.client, clock=kit.clock)

    summary = worker.send_once()

    assert summary.acknowledged == 10
    assert central_server.households() == 10
    for sid in ids:
        local = kit.records.get(sid)
        assert local.state == RecordState.ACKNOWLEDGED
        remote = enrolled.client.submission_status(sid)
        assert remote is not None
        assert local.tracking_id == remote.tracking_id
    assert worker.state().connection is Connection.ONLINE
    assert kit.outbox.counts().as_json()["unsent"] == 0


def test_a_record_central_already_holds_is_acknowledged_once_with_the_first_answer(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle, operator: str
) -> None:
    """Power cut after central committed but before the PC stored the answer."""
    _enrol_kit(kit, enrolled, central_server)
    (sid,) = _queue(kit, range(1), operator)
    (item,) = kit.outbox.claim_due(1)
    first = enrolled.client.submit(item.body, sid)  # central commits; the PC "dies" here
    assert first.tracking_id
    worker = SyncWorker(kit.outbox, enrolled.client, clock=kit.clock)

    if kit.store.dialect != "sqlite":  # shared: taken back once no PC can still be sending it
        kit.clock.advance(seconds=121)
    assert worker.recover() == 1
    summary = worker.send_once()

    assert summary.acknowledged == 1
    assert kit.records.get(sid).tracking_id == first.tracking_id
    assert central_server.households() == 1


def test_bad_records_go_to_people_and_never_block_the_others(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle, operator: str
) -> None:
    _enrol_kit(kit, enrolled, central_server)
    good = _queue(kit, range(0, 3), operator)
    invalid = _queue(kit, range(3, 4), operator, cnic="12345")  # central answers 422
    first_of_twins = _queue(kit, range(4, 5), operator, cnic="3520211111111")
    second_of_twins = _queue(kit, range(5, 6), operator, cnic="3520211111111")
    more_good = _queue(kit, range(6, 9), operator)
    worker = SyncWorker(kit.outbox, enrolled.client, clock=kit.clock)

    summary = worker.send_once()

    assert summary.acknowledged == 7
    assert summary.needs_correction == 1
    assert summary.duplicate == 1
    assert _states(kit, good + more_good + first_of_twins) == ["acknowledged"] * 7
    assert _states(kit, invalid) == ["needs_correction"]
    assert _states(kit, second_of_twins) == ["duplicate"]
    corrected = kit.records.get(invalid[0])
    assert corrected.last_error_code == "validation"
    assert "head.cnic" in (corrected.last_error or "")


def test_a_record_sealed_to_the_wrong_key_fails_for_the_manager(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle, operator: str
) -> None:
    _enrol_kit(kit, enrolled, central_server)
    good = _queue(kit, range(2), operator)
    wrong = replace(
        kit.device.require(),
        central_encryption_key=b64u_encode(raw_public(X25519PrivateKey.generate().public_key())),
    )
    kit.device.save(wrong)
    bad = _queue(kit, range(2, 3), operator)
    worker = SyncWorker(kit.outbox, enrolled.client, clock=kit.clock)

    summary = worker.send_once()

    assert summary.acknowledged == 2
    assert summary.failed == 1
    assert _states(kit, good) == ["acknowledged"] * 2
    failed = kit.records.get(bad[0])
    assert failed.state == RecordState.FAILED
    assert failed.last_error_code == "bad_envelope"


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v1"


def test_offline_records_wait_with_backoff_and_go_when_central_returns(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle, operator: str
) -> None:
    _enrol_kit(kit, enrolled, central_server)
    ids = _queue(kit, range(3), operator)
    offline_client = CentralClient(
        _closed_port_url(), device_id=enrolled.device_id, device_key=enrolled.key
    )
    try:
        worker = SyncWorker(kit.outbox, offline_client, clock=kit.clock, rng=random.Random(1))
        summary = worker.send_once()
        assert summary.retry_later == 3
        assert summary.errors == {"transient": 3}
        assert worker.state().connection is Connection.OFFLINE
        assert _states(kit, ids) == ["queued"] * 3
        # Each record waits for its own backoff (at most 2 s after a first failure).
        assert worker.send_once().attempted == 0
    finally:
        offline_client.close()
    kit.clock.advance(seconds=2.1)
    online = SyncWorker(kit.outbox, enrolled.client, clock=kit.clock)
    assert online.send_once().acknowledged == 3
    assert _states(kit, ids) == ["acknowledged"] * 3
    assert online.state().connection is Connection.ONLINE


def test_backoff_is_full_jitter_from_2_seconds_to_10_minutes() -> None:
    rng = random.Random(7)
    first = [backoff_delay(1, rng) for _ in range(500)]
    late = [backoff_delay(30, rng) for _ in range(500)]
    assert min(first) >= 0
    assert max(first) <= 2.0
    assert max(first) > 1.8  # the whole range is used
    assert max(late) <= 600.0
    assert max(late) > 500
    assert min(late) < 100  # full jitter: may be short even late


def test_rate_limit_pauses_the_whole_queue(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle, operator: str
) -> None:
    _enrol_kit(kit, enrolled, central_server)
    ids = _queue(kit, range(6), operator)
    assert central_server.server is not None
    central_server.server.set_faults(parse_faults("p429=1,retry_after=120"))
    worker = SyncWorker(kit.outbox, enrolled.client, clock=kit.clock, max_in_flight=1)

    summary = worker.send_once()

    assert summary.attempted == 1  # the first 429 stops the pass from claiming more
    assert summary.paused_until is not None
    assert worker.state().connection is Connection.PAUSED
    assert worker.paused_until() is not None
    assert worker.send_once().attempted == 0  # still paused
    assert _states(kit, ids) == ["queued"] * 6
    paused = worker.paused_until()
    assert paused is not None
    assert timedelta(seconds=119) <= paused - kit.clock() <= timedelta(seconds=121)
    kit.clock.advance(seconds=121)
    central_server.server.set_faults(parse_faults(""))
    assert worker.send_once().acknowledged == 6


def test_a_pass_with_nothing_to_send_asks_centrals_health(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle, operator: str
) -> None:
    """Issue 15 (defect 12) through the worker's typed health port: an empty queue's pass
    asks central's health, so the connection is known (and a dead central shows)."""
    _enrol_kit(kit, enrolled, central_server)
    silent = SyncWorker(kit.outbox, enrolled.client, clock=kit.clock)  # no health to ask
    assert silent.try_send_once() is not None
    assert silent.state().connection is Connection.UNKNOWN
    asking = SyncWorker(kit.outbox, enrolled.client, clock=kit.clock,
                        health=enrolled.client.health)  # fmt: skip
    asking.try_send_once()
    assert asking.state().connection is Connection.ONLINE
    dead = CentralClient(_closed_port_url(), device_id=enrolled.device_id, device_key=enrolled.key)
    try:
        gone = SyncWorker(kit.outbox, dead, clock=kit.clock, health=dead.health)
        gone.try_send_once()
        assert gone.state().connection is Connection.OFFLINE
    finally:
        dead.close()
