"""Who sends, and central's configuration (issue 16): a configuration whose signature does
not verify is ignored (and audited); on one PostgreSQL database two PCs, one of them with
its window and its background sender, all try to send at once: one holds the queue at a
time, every household reaches central once, and nobody fails."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select, text

from pser_desk.desk.errors import RecordRejected
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.domain.verdict import VerdictStatus
from pser_desk.security.envelope import b64u_decode, b64u_encode
from pser_desk.store.models import AuditRow
from pser_desk.sync import kept_config
from tests.plugins.central import CentralHandle
from tests.plugins.gui import DeskKit


@pytest.mark.allow_log_warnings
def test_a_configuration_whose_signature_does_not_verify_is_ignored(
    make_desk: Callable[..., DeskKit], central_server: CentralHandle, data_dir: Path
) -> None:
    (central_server.state_dir / "central-config.json").write_text(
        json.dumps({"retention_days": 7, "heartbeat_s": 120}), encoding="utf-8"
    )
    kit = make_desk(central_server)
    desk = kit.desk
    identity = desk.store.device.require()
    stranger = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw,
                                                                      PublicFormat.Raw)  # fmt: skip
    desk.store.device.save(replace(identity, central_signing_key=b64u_encode(stranger)))
    desk.sending.reset()
    summary = desk.sending.send_once()
    assert summary.heartbeat == "bad_signature"
    info = desk.loop.info()
    assert (info.config_source, info.config.retention_days) == ("default", 30)
    assert info.last_heartbeat_at is not None  # central answered; its configuration was not taken
    with desk.store.store.read() as session:
        events = list(session.scalars(select(AuditRow.event)))
    assert "config_refused" in events
    assert "config_applied" not in events

    desk.store.device.save(identity)  # the right key again: the next start applies it
    desk.close()
    again = make_desk(operators=False).desk
    assert again.sending.send_once().heartbeat == "ok"
    info = again.loop.info()
    assert (info.config_source, info.config.retention_days, info.config.heartbeat_s) == (
        "central", 7, 120)  # fmt: skip
    # The updater (issue 17) reads the same verified answer and sends no heartbeat of its own;
    # what a bad signature brought was never kept for it.
    kept = kept_config.load(data_dir, b64u_decode(identity.central_signing_key))
    assert kept.received_at is not None
    assert (kept.config.retention_days, kept.config.heartbeat_s) == (7, 120)


@pytest.mark.postgres
@pytest.mark.timeout(300)
def test_two_pcs_on_postgresql_and_a_background_sender_send_each_household_once(
    make_desk: Callable[..., DeskKit], central_server: CentralHandle, postgres_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    pc1 = make_desk(central_server, folder=tmp_path / "pc1", db_url=postgres_url)
    pc2 = make_desk(operators=False, folder=tmp_path / "pc2", db_url=postgres_url)
    pc2.desk.enrolment.enrol(central_server.url, "LHR-0042", central_server.new_token("LHR-0042"))
    agent1 = make_desk(operators=False, folder=tmp_path / "pc1", db_url=postgres_url,
                       sender="agent")  # fmt: skip
    form, geography = load_form(), load_geography()
    sids = []
    for n, kit in enumerate((pc1, pc2) * 15):
        record = example_record(500 + n, form, geography, kit.desk.today())
        sids.append(kit.queue(kit.operator(), record).submission_id)

    errors: list[BaseException] = []
    stood_aside: dict[str, int] = {}

    def sender(name: str, kit: DeskKit) -> None:
        try:
            for _ in range(200):
                summary = kit.desk.sending.pass_once()
                if summary is not None and summary.held_by is not None:
                    stood_aside[name] = stood_aside.get(name, 0) + 1
                if kit.desk.sending.unsent() == 0:
                    return
        except BaseException as exc:  # noqa: BLE001 - any failure fails the test
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(name, kit))
               for name, kit in (("pc1", pc1), ("agent1", agent1), ("pc2", pc2))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(240)
    assert errors == []
    assert central_server.households() == len(sids)
    summaries = {s.submission_id: s for s in pc1.desk.records.summaries()}
    assert all(summaries[sid].verdict is VerdictStatus.RECEIVED for sid in sids)
    assert {summaries[sid].attempts for sid in sids} == {1}  # each sent once
    agent1.desk.close()  # the agent gives the queue back
    assert pc1.desk.sending.holder() is None


def test_a_household_registered_again_from_its_rejection_passes_the_duplicate_check(
    store_desk: DeskKit, central_server: CentralHandle
) -> None:
    """The new registration holds the same CNICs as the rejected household it was started
    from: the desk's duplicate check must not refuse it (central does not hold a rejected
    household as registered); queued, it deals with the rejection. A verified household's
    CNIC digests leave with its personal data."""
    from pser_desk.desk.model import Draft
    from pser_desk.domain.verdict import ReasonCode
    from pser_desk.store.models import CnicIndexRow
    from tests.plugins.gui import MANAGER

    desk = store_desk.desk
    operator = store_desk.operator()
    form, geography = load_form(), load_geography()
    first = store_desk.queue(operator, example_record(71, form, geography, desk.today()))
    second = example_record(72, form, geography, desk.today())
    kept = store_desk.queue(operator, second)
    desk.sending.send_until_empty(60)
    assert central_server.service is not None
    central_server.service.decide([first.submission_id], VerdictStatus.REJECTED,
                                  ReasonCode.NADRA_MISMATCH)  # fmt: skip
    central_server.service.decide([kept.submission_id], VerdictStatus.VERIFIED)
    with desk.store.store.write() as session:  # status_poll_s has passed
        session.execute(text("UPDATE records SET status_checked_at = NULL"))
    desk.sending.send_until_empty(60)
    manager = store_desk.login(MANAGER[0], MANAGER[2])
    opened = desk.loop.redo(manager, first.submission_id)
    assert opened.submission_id != first.submission_id
    # the same household again, not refused as a duplicate of its own rejection
    queued = desk.records.queue(manager, Draft(opened.submission_id, opened.form, opened.parts))
    assert queued.receipt_no != first.receipt_no
    assert desk.store.records.get(first.submission_id).dismissed_at is not None
    assert desk.loop.rejected() == []
    # a household central verified still counts ...
    again = example_record(72, form, geography, desk.today())
    with pytest.raises(RecordRejected):
        store_desk.queue(operator, again)
    # ... until retention removes its personal data, its CNIC digests with it
    with desk.store.store.read() as session:
        assert session.scalars(select(CnicIndexRow).where(
            CnicIndexRow.submission_id == kept.submission_id)).first() is not None  # fmt: skip
    purged = desk.store.verdicts.purge_due(1, now=desk.clock() + timedelta(days=2))
    assert purged.purged == 1
    with desk.store.store.read() as session:
        assert session.scalars(select(CnicIndexRow).where(
            CnicIndexRow.submission_id == kept.submission_id)).first() is None  # fmt: skip


def test_a_pc_standing_aside_for_another_pc_still_sends_its_own_heartbeat(
    make_desk: Callable[..., DeskKit], central_server: CentralHandle
) -> None:
    """On a shared database the queue's sender may be another PC: this PC's heartbeat is
    still its own to send (central sees every PC); a holder on this PC sends it instead."""
    from pser_desk.store.lease import SenderLease

    kit = make_desk(central_server)
    desk = kit.desk
    same_pc = SenderLease(desk.store.store, kind="agent")
    assert same_pc.acquire() is None
    stood = desk.sending.send_once()
    assert stood.held_by is not None
    assert stood.heartbeat is None  # the agent on this PC sends it
    same_pc.release()
    other_pc = SenderLease(desk.store.store, kind="agent", host="counter-9", pid=4242)
    assert other_pc.acquire() is None
    stood = desk.sending.send_once()
    assert stood.held_by is not None
    assert stood.held_by.host == "counter-9"
    assert stood.heartbeat == "ok"
    assert desk.loop.info().last_heartbeat_at is not None
    assert desk.sending.send_once().heartbeat is None  # not again before heartbeat_s
