"""Verdicts and retention in the store (central-api.md sections 6 and 10), on SQLite and
PostgreSQL: a verdict is asked at most once per ``status_poll_s``, oldest first; final
verdicts never change; a household verified ``retention_days`` ago loses its sealed local
copy and its sealed body for central (the row stays for reports); rejected, unsent and
returned households are never purged; every step is audited without personal data; a
purged household cannot be opened, and says why; a backup made after the purge holds none
of its bytes; a manager dismisses a rejection once."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from pser_desk.domain.records import FieldProblem
from pser_desk.domain.verdict import ReasonCode, Verdict, VerdictStatus
from pser_desk.store import Store, audit_log
from pser_desk.store.backup import backup
from pser_desk.store.errors import NotRejected, PermissionDenied, Purged
from pser_desk.store.models import AuditRow, RecordRow
from pser_desk.store.verdicts import Verdicts
from tests.plugins.store import StoreKit, make_kit, sample_record


def _acknowledged(kit: StoreKit, seeds: range) -> list[str]:
    sids = [kit.records.queue(sample_record(n), operator_id="op1").submission_id for n in seeds]
    for item in kit.outbox.claim_due(len(sids)):
        kit.outbox.mark_acknowledged(item.submission_id, f"PSER-26-{item.submission_id[-6:]}")
        kit.clock.advance(seconds=1)
    return sids


def _ready(kit: StoreKit) -> None:
    kit.add_operator(kit.add_manager())
    kit.enrol()


def _verdict(sid: str, status: VerdictStatus, at: datetime) -> Verdict:
    if status is VerdictStatus.REJECTED:
        return Verdict(sid, "PSER-26-1", status, "A member is elsewhere.",
                       ReasonCode.DUPLICATE_MEMBER, at)  # fmt: skip
    return Verdict(sid, "PSER-26-1", status, decided_at=at if status.final else None)


def test_verdicts_are_asked_oldest_first_and_once_per_poll(kit: StoreKit) -> None:
    _ready(kit)
    sids = _acknowledged(kit, range(5))
    verdicts = Verdicts(kit.store, clock=kit.clock)
    assert verdicts.due(900, limit=3) == sids[:3]  # oldest acknowledgement first
    verdicts.record(sids[:3], {sids[0]: _verdict(sids[0], VerdictStatus.RECEIVED, kit.clock())})
    assert verdicts.due(900, limit=10) == sids[3:]  # asked: not again within status_poll_s
    kit.clock.advance(seconds=901)
    assert verdicts.due(900, limit=10) == sids
    now = kit.clock()
    learnt = verdicts.record(sids, {sids[0]: _verdict(sids[0], VerdictStatus.VERIFIED, now),
                                    sids[1]: _verdict(sids[1], VerdictStatus.REJECTED, now)})  # fmt: skip
    assert learnt == (1, 1)
    kit.clock.advance(seconds=901)
    assert verdicts.due(900, limit=10) == sids[2:]  # final verdicts are not asked again
    # a final verdict never changes, whatever central says later
    verdicts.record([sids[0]], {sids[0]: _verdict(sids[0], VerdictStatus.REJECTED, now)})
    assert kit.records.get(sids[0]).verdict is VerdictStatus.VERIFIED
    rejected = kit.records.get(sids[1])
    assert (rejected.reason_code, rejected.reason) == (ReasonCode.DUPLICATE_MEMBER,
                                                       "A member is elsewhere.")  # fmt: skip
    with kit.store.read() as session:
        events = [r.event for r in session.scalars(select(AuditRow).order_by(AuditRow.seq))]
    assert events.count("record_verified") == 1
    assert events.count("record_rejected") == 1


def test_only_households_verified_retention_days_ago_are_purged(kit: StoreKit) -> None:
    _ready(kit)
    verified_old, verified_new, rejected, received = _acknowledged(kit, range(4))
    unsent = kit.records.queue(sample_record(10), operator_id="op1").submission_id
    returned = kit.records.queue(sample_record(11), operator_id="op1").submission_id
    [item] = [i for i in kit.outbox.claim_due(4) if i.submission_id == returned]
    kit.outbox.mark_needs_correction(returned, [FieldProblem("head.cnic", "not in NADRA")])
    kit.outbox.requeue_interrupted()
    verdicts = Verdicts(kit.store, clock=kit.clock)
    decided = kit.clock()
    verdicts.record([verified_old, rejected], {
        verified_old: _verdict(verified_old, VerdictStatus.VERIFIED, decided),
        rejected: _verdict(rejected, VerdictStatus.REJECTED, decided)})  # fmt: skip
    kit.clock.advance(days=10)
    verdicts.record([verified_new], {
        verified_new: _verdict(verified_new, VerdictStatus.VERIFIED, kit.clock())})  # fmt: skip
    with kit.store.read() as session:
        before = {
            r.submission_id: bytes(r.sealed_local) for r in session.scalars(select(RecordRow))
        }

    kit.clock.advance(days=20, seconds=-1)
    assert verdicts.purge_due(30).purged == 0  # 30 days less a second
    kit.clock.advance(seconds=1)
    result = verdicts.purge_due(30)
    assert result.purged == 1
    if kit.store.dialect == "sqlite":
        assert result.wal_truncated is True
    else:
        assert result.vacuumed
    assert verdicts.purge_due(30).purged == 0  # once

    gone = kit.records.get(verified_old)
    assert gone.purged
    assert gone.receipt_no is not None
    assert (gone.tracking_id, gone.member_count) == (f"PSER-26-{verified_old[-6:]}", 2)
    with kit.store.read() as session:
        rows = {r.submission_id: r for r in session.scalars(select(RecordRow))}
        purged_events = session.scalars(
            select(AuditRow).where(AuditRow.event == "record_purged")).all()  # fmt: skip
    assert (rows[verified_old].sealed_local, rows[verified_old].central_body) == (b"", None)
    for kept in (verified_new, rejected, received, unsent, returned):
        assert bytes(rows[kept].sealed_local) == before[kept], kept
        assert not kit.records.get(kept).purged
    assert [e.subject for e in purged_events] == [verified_old]
    assert purged_events[0].detail == '{"retention_days":30}'
    login = kit.operators.login("mgr1", "kitchen-window-42")
    with pytest.raises(Purged, match="safe at central"):
        kit.records.load(verified_old, login)
    assert kit.records.load(rejected, login)["head"]  # a rejected household stays whole


def test_a_manager_dismisses_a_rejection_once(kit: StoreKit) -> None:
    _ready(kit)
    rejected, verified = _acknowledged(kit, range(2))
    verdicts = Verdicts(kit.store, clock=kit.clock)
    now = kit.clock()
    verdicts.record([rejected, verified], {
        rejected: _verdict(rejected, VerdictStatus.REJECTED, now),
        verified: _verdict(verified, VerdictStatus.VERIFIED, now)})  # fmt: skip
    assert verdicts.open_rejections() == 1
    operator = kit.operators.login("op1", "orange-bicycle-77")
    with pytest.raises(PermissionDenied):
        verdicts.dismiss(rejected, by=operator)
    manager = kit.operators.login("mgr1", "kitchen-window-42")
    with pytest.raises(NotRejected):
        verdicts.dismiss(verified, by=manager)
    verdicts.dismiss(rejected, by=manager)
    assert verdicts.open_rejections() == 0
    with pytest.raises(NotRejected):
        verdicts.dismiss(rejected, by=manager)
    with kit.store.read() as session:
        report = audit_log.verify(session)
    assert report.ok


def test_a_backup_after_the_purge_holds_none_of_its_bytes(
    sqlite_store: Store, tmp_path: Path
) -> None:
    kit = make_kit(sqlite_store)
    _ready(kit)
    sids = _acknowledged(kit, range(30))
    verdicts = Verdicts(kit.store, clock=kit.clock)
    verdicts.record(sids, {s: _verdict(s, VerdictStatus.VERIFIED, kit.clock()) for s in sids})
    with kit.store.read() as session:
        blobs = [bytes(r.sealed_local)[40:72] for r in session.scalars(select(RecordRow))]
    before = backup(kit.store, tmp_path / "before.db")
    assert all(b in before.read_bytes() for b in blobs)  # the search finds what is there
    kit.clock.advance(days=31)
    assert verdicts.purge_due(30).purged == 30
    after = backup(kit.store, tmp_path / "after.db").read_bytes()
    assert not [b for b in blobs if b in after]
    conn = sqlite3.connect(tmp_path / "after.db")
    assert conn.execute("SELECT count(*) FROM records WHERE purged_at IS NOT NULL").fetchone() == (
        30,
    )
    conn.close()
