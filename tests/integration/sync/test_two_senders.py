"""Two senders on one queue (issue 13 item 7): the window, ``pser-desk sync`` and another
PC with its clock 3 minutes ahead. One holds the sender lease at a time (decided by the
database's clock); the others stand aside quietly; nobody crashes; each household reaches
central once. Real store (SQLite and PostgreSQL), real central on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pser_desk.domain.lifecycle import RecordState
from pser_desk.security.envelope import b64u_encode
from pser_desk.store import Outbox, StoreService
from pser_desk.store.lease import SenderLease
from pser_desk.sync.client import CentralClient
from pser_desk.sync.outcomes import SubmitOutcome
from pser_desk.sync.worker import SyncWorker
from tests.plugins.central import CentralHandle, Enrolled
from tests.plugins.cli import RunCli
from tests.plugins.store import StoreKit, make_identity, sample_record

MANAGER = "kitchen-window-42"


class _HeldOnTheWire:
    """A client whose sends wait until released (a slow network), then go to central."""

    def __init__(self, client: CentralClient) -> None:
        self._client = client
        self.started = threading.Event()
        self.release = threading.Event()

    def submit(self, body: bytes, submission_id: str) -> SubmitOutcome:
        self.started.set()
        self.release.wait(30)
        return self._client.submit(body, submission_id)


def _ready(kit: StoreKit, enrolled: Enrolled, central: CentralHandle) -> list[str]:
    kit.add_operator(kit.add_manager())
    kit.device.save(replace(make_identity(kit.central_key), device_id=enrolled.device_id,
                            central_url=central.url,
                            central_encryption_key=b64u_encode(central.encryption_key)))  # fmt: skip
    return [kit.records.queue(sample_record(n), operator_id="op1").submission_id for n in (1, 2)]


def test_lease_holder_kind_pid_host_and_since_by_the_database_clock(kit: StoreKit) -> None:
    window = SenderLease(kit.store, kind="window", host="counter-3", pid=4242)
    other_pc = SenderLease(kit.store, kind="sync", host="counter-4")
    assert window.acquire() is None
    held = other_pc.acquire()
    assert held is not None
    assert (held.kind, held.pid, held.host) == ("window", 4242, "counter-3")
    assert abs((held.since - datetime.now(UTC)).total_seconds()) < 60
    assert "the desk's window (pid 4242 on counter-3" in held.describe()
    window.release()
    assert other_pc.acquire() is None
    assert window.acquire() is not None


def test_an_expired_lease_is_taken_and_its_records_come_back_to_the_queue(kit: StoreKit) -> None:
    kit.add_operator(kit.add_manager())
    kit.enrol()
    sid = kit.records.queue(sample_record(1), operator_id="op1").submission_id
    slow = SenderLease(kit.store, kind="agent", host="counter-9", ttl_s=0.5)
    assert slow.acquire() is None
    [item] = kit.outbox.claim_due(4, claimed_by=slow.holder_id)
    fresh = SenderLease(kit.store, kind="sync", host="counter-1")
    assert fresh.acquire() is not None  # still within its 0.5 s
    time.sleep(1.0)
    assert fresh.acquire() is None  # expired by the database's clock
    assert kit.records.get(sid).state is RecordState.QUEUED
    [again] = kit.outbox.claim_due(4, claimed_by=fresh.holder_id)
    assert again.body == item.body
    # the slow sender's late answer is not stored over the new claim, and raises nothing
    assert kit.outbox.mark_acknowledged(sid, "PSER-26-1", claimed_by=slow.holder_id) is False
    assert slow.renew() is False
    assert kit.outbox.mark_acknowledged(sid, "PSER-26-1", claimed_by=fresh.holder_id) is True
    assert kit.records.get(sid).state is RecordState.ACKNOWLEDGED


def test_a_second_sender_starting_never_takes_back_what_the_first_is_sending(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle
) -> None:
    ids = _ready(kit, enrolled, central_server)
    wire = _HeldOnTheWire(enrolled.new_client())
    window = SyncWorker(kit.outbox, wire, lease=SenderLease(kit.store, kind="window"))
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(window.send_once()))
    thread.start()
    try:
        assert wire.started.wait(10)
        # what `pser-desk sync` does first, then its pass (it stands aside)
        second = SyncWorker(Outbox(kit.store), enrolled.new_client(),
                            lease=SenderLease(kit.store, kind="sync"))  # fmt: skip
        assert second.recover() == 0
        stood_aside = second.send_once()
        assert stood_aside.attempted == 0
        assert stood_aside.held_by is not None
        assert stood_aside.held_by.kind == "window"
        assert [kit.records.get(s).state for s in ids] == [RecordState.SENDING] * 2
    finally:
        wire.release.set()
        thread.join(30)
    summary = result[0]
    assert summary.acknowledged == 2  # type: ignore[attr-defined]
    assert central_server.households() == 2


def test_a_pc_whose_clock_is_three_minutes_ahead_does_not_take_records_on_the_wire(
    kit: StoreKit, enrolled: Enrolled, central_server: CentralHandle
) -> None:
    ids = _ready(kit, enrolled, central_server)
    wire = _HeldOnTheWire(enrolled.new_client())
    pc1 = SyncWorker(kit.outbox, wire, lease=SenderLease(kit.store, kind="window", host="pc1"))

    def ahead() -> datetime:
        return datetime.now(UTC) + timedelta(minutes=3)

    pc2 = SyncWorker(Outbox(kit.store, clock=ahead), enrolled.new_client(), clock=ahead,
                     lease=SenderLease(kit.store, kind="agent", host="pc2"))  # fmt: skip
    thread = threading.Thread(target=pc1.send_once)
    thread.start()
    try:
        assert wire.started.wait(10)
        assert pc2.send_once().held_by is not None
        assert pc2.recover() == 0
    finally:
        wire.release.set()
        thread.join(30)
    assert [kit.records.get(s).state for s in ids] == [RecordState.ACKNOWLEDGED] * 2
    assert central_server.households() == 2


def test_sync_says_in_one_line_that_another_sender_has_the_queue_and_exits_0(
    run_cli: RunCli, central_server: CentralHandle, data_dir: Path
) -> None:
    assert run_cli("operator", "add", "mgr1", "--name", "M", "--role", "manager",
                   stdin=f"{MANAGER}\n{MANAGER}\n").code == 0  # fmt: skip
    enrolled = run_cli("enroll", "--central", central_server.url, "--centre", "LHR-0042",
                       "--token", central_server.new_token("LHR-0042"))  # fmt: skip
    assert enrolled.code == 0, enrolled.err
    example = run_cli("record", "example", "--seed", "2").out
    assert run_cli("record", "add", "-", "--operator", "mgr1",
                   stdin=f"{MANAGER}\n{example}").code == 0  # fmt: skip
    service = StoreService.open(None, data_dir)
    window = SenderLease(service.store, kind="window")
    try:
        assert window.acquire() is None
        for mode in ("--once", "--until-empty"):
            result = run_cli("sync", mode)
            assert result.code == 0, result.err
            assert len(result.lines) == 1
            report = json.loads(result.out)
            assert "another sender is sending this queue" in report["message"]
            assert report["held_by"]["kind"] == "window"
            assert report["attempted"] == 0
        window.release()
        sent = run_cli("sync", "--until-empty", "--timeout", "20")
        assert sent.code == 0, sent.err
        assert json.loads(sent.out)["acknowledged"] == 1
    finally:
        service.close()
