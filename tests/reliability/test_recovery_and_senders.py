"""Reliability runs for issue 13, against real processes:

- restore under SIGKILL and a full disk: afterwards the live database or the backup is
  whole (never neither), and the live database is the old one or the backup, whole;
- two senders and more on one queue: the window's sender, ``pser-desk sync`` and a second
  PC on the same PostgreSQL database with its clock 3 minutes ahead, through a faulty
  network, with SIGKILLs: every household reaches central exactly once and no sender
  ever exits with an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from pser_desk.central.service import CentralService
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.domain.lifecycle import RecordState
from pser_desk.store import Store, StoreService
from pser_desk.store.backup import backup
from pser_desk.store.sealing import new_submission_id
from tests.plugins.central import CentralHandle, StartCentral
from tests.plugins.disks import SmallDisk, fill
from tests.plugins.postgres import PostgresServer
from tests.plugins.store import MANAGER_PASSWORD, make_kit, sample_record, stamped

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

FAST_BACKOFF = {"PSER_DESK_SYNC_BACKOFF": "0.05,1"}


def _cli(data: Path, *args: str, stdin: str = "", db: str | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess[str]:  # fmt: skip
    where = ["--data-dir", str(data)] + (["--db", db] if db else [])
    return subprocess.run([sys.executable, "-m", "pser_desk", *where, *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **FAST_BACKOFF})  # fmt: skip


# ------------------------------------------------------------------ restore under faults


def _db_state(db: Path) -> int | str:
    """The number of records when *db* is a whole database; else what is wrong with it."""
    beside = sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name))
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                return f"integrity_check {check[:3]}; files {beside}"
            return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"{type(exc).__name__}: {exc}; files {beside}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _centre_with_backup(data: Path, backup_file: Path, before: int, after: int) -> None:
    store = Store.open(data_dir=data)
    kit = make_kit(store)
    kit.add_operator(kit.add_manager())
    pad = "x" * 20_000  # a few MB, so that a restore takes long enough to be killed inside
    for n in range(before):
        kit.records.save_draft({**sample_record(n), "answers": {"pad": pad}}, operator_id="op1")
    backup(store, backup_file)
    for n in range(before, after):
        kit.records.save_draft({**sample_record(n), "answers": {"pad": pad}}, operator_id="op1")
    store.close()


@pytest.mark.timeout(600)
@pytest.mark.allow_log_warnings
def test_restore_killed_at_random_moments_leaves_the_live_database_or_the_backup_whole(
    tmp_path: Path,
) -> None:
    data, saved = tmp_path / "pc", tmp_path / "usb" / "saved.db"
    _centre_with_backup(data, saved, before=150, after=300)
    db, saved_digest = data / "pser.db", _digest(saved)
    newer = tmp_path / "newer.db"
    shutil.copyfile(db, newer)

    def put_back_the_newer_database() -> None:
        for old in data.glob("pser.db.before-restore-*"):
            old.unlink()
        for extra in ("-wal", "-shm"):
            Path(f"{db}{extra}").unlink(missing_ok=True)
        shutil.copyfile(newer, db)

    # The kills land across the whole restore as this machine runs it now (a loaded CI
    # machine takes several times as long as an idle one).
    started = time.monotonic()
    whole = _cli(data, "restore", str(saved), "--as", "mgr1", stdin=f"{MANAGER_PASSWORD}\n")
    took = time.monotonic() - started
    assert whole.returncode == 0, whole.stderr
    put_back_the_newer_database()
    rng = random.Random(13)
    outcomes = {"old": 0, "restored": 0}
    for _ in range(25):
        proc = subprocess.Popen(
            [sys.executable, "-m", "pser_desk", "--data-dir", str(data), "restore", str(saved),
             "--as", "mgr1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdin is not None
        proc.stdin.write(f"{MANAGER_PASSWORD}\n")
        proc.stdin.flush()
        time.sleep(rng.uniform(0.15, 1.2) * took)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        live = _db_state(db)
        assert live in (150, 300), f"the live database is not whole ({live})"
        assert _digest(saved) == saved_digest  # the backup is never touched
        opened = _cli(data, "record", "list", "--json")
        assert opened.returncode == 0, opened.stderr  # and the desk starts on it
        assert len(opened.stdout.splitlines()) == live
        outcomes["restored" if live == 150 else "old"] += 1
        if live == 150:  # the newer database again, for the next round
            put_back_the_newer_database()
        for old in data.glob("pser.db.before-restore-*"):
            old.unlink()
    assert outcomes["old"] > 0, outcomes  # some kills landed before the swap
    assert outcomes["restored"] > 0, outcomes  # and some restores finished


@pytest.mark.timeout(600)
@pytest.mark.allow_log_warnings
def test_restore_onto_disks_of_every_fullness_leaves_a_whole_live_database(
    small_disk: SmallDisk, tmp_path: Path
) -> None:
    data, saved = small_disk("data", 12_288), tmp_path / "saved.db"
    _centre_with_backup(data, saved, before=40, after=80)
    db = data / "pser.db"
    size = saved.stat().st_size
    for leave in (0, 4096, size // 4, size // 2, size - 4096, size + 65536):
        filler = fill(data, leave_bytes=leave)
        done = _cli(data, "restore", str(saved), "--as", "mgr1", stdin=f"{MANAGER_PASSWORD}\n")
        filler.unlink()  # (SQLite cannot even read a WAL database on a disk with no room)
        live = _db_state(db)
        assert live in (40, 80), (leave, live, done.stderr)
        assert len(done.stderr.strip().splitlines()) <= 1, done.stderr
        assert "Traceback" not in done.stderr
        if done.returncode != 0:
            assert live == 80
            assert "disk is full" in done.stderr
        for old in data.glob("pser.db.before-restore-*"):
            old.unlink()
    assert _db_state(db) in (40, 80)


# ------------------------------------------------------------------ two senders and more


def _queue(service: StoreService, count: int) -> list[str]:
    form, geography, today = load_form(), load_geography(), date.today()
    heads: set[str] = set()
    ids: list[str] = []
    seed = 0
    while len(ids) < count:
        seed += 1
        record = example_record(seed, form, geography, today)
        if record["head"]["cnic"] in heads:
            continue
        heads.add(record["head"]["cnic"])
        ids.append(
            service.records.queue(
                stamped(record, new_submission_id()), operator_id="mgr1"
            ).submission_id
        )
    return ids


def _sender(kind: str, data: Path, url: str, *extra: str) -> subprocess.Popen[str]:
    if kind == "sync":
        args = [sys.executable, "-m", "pser_desk", "--data-dir", str(data), "--db", url,
                "sync", "--until-empty", "--timeout", "300"]  # fmt: skip
    else:
        args = [sys.executable, "-m", "tests.reliability.sender", kind, str(data), url, *extra]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **FAST_BACKOFF})  # fmt: skip


@pytest.mark.timeout(900)
@pytest.mark.postgres
@pytest.mark.allow_log_warnings
def test_the_window_sync_and_a_pc_three_minutes_ahead_deliver_exactly_once(
    tmp_path: Path, central_process: StartCentral, postgres_server: PostgresServer,
    postgres_template: str,
) -> None:  # fmt: skip
    central: CentralHandle = central_process(
        faults="p503=0.15,drop=0.05,drop_after_commit=0.1,slow=0.2,slow_s=0.3,seed=16"
    )
    url = postgres_server.create_database(template=postgres_template)
    pc1, pc2 = tmp_path / "pc1", tmp_path / "pc2"
    added = _cli(pc1, "operator", "add", "mgr1", "--name", "M", "--role", "manager", db=url,
                 stdin=f"{MANAGER_PASSWORD}\n{MANAGER_PASSWORD}\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    for pc in (pc1, pc2):
        enrolled = _cli(pc, "enroll", "--central", central.url, "--centre", "LHR-0042",
                        "--token", central.new_token("LHR-0042"), db=url)  # fmt: skip
        assert enrolled.returncode == 0, enrolled.stderr
    service = StoreService.open(url, pc1)
    try:
        ids = _queue(service, 300)
    finally:
        service.close()

    rng = random.Random(1613)
    plan = {"window": (pc1, ()), "sync": (pc1, ()),
            "agent": (pc2, ("--host", "pc2", "--clock-offset", "180", "--ttl", "3"))}  # fmt: skip
    running = {kind: _sender(kind, data, url, *extra) for kind, (data, extra) in plan.items()}
    failures: list[str] = []
    kills = exits = 0
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(0.3, 1.2))
        for kind, proc in list(running.items()):
            if proc.poll() is not None:
                out, err = proc.communicate()
                exits += 1
                if proc.returncode not in (0, -signal.SIGKILL):
                    failures.append(f"{kind} exited {proc.returncode}: {err[-500:]}")
                running[kind] = _sender(kind, plan[kind][0], url, *plan[kind][1])
        if kills < 15:
            victim = rng.choice(sorted(running))
            os.kill(running[victim].pid, signal.SIGKILL)
            kills += 1
        else:
            state = StoreService.open(url, pc1)
            try:
                left = state.outbox.counts().as_json()["unsent"]
            finally:
                state.close()
            if left == 0:
                break
    for kind, proc in running.items():
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            failures.append(f"{kind} did not finish")
        out, err = proc.communicate()
        if proc.returncode not in (0, -signal.SIGKILL):
            failures.append(f"{kind} exited {proc.returncode}: {err[-500:]}")
    assert not failures, failures
    assert kills == 15

    final = _cli(pc1, "sync", "--until-empty", "--timeout", "300", db=url)
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout)["unsent"] == 0
    assert central.households() == len(ids)
    remote = CentralService(central.state_dir, forms_dir=central.state_dir / "no-forms")
    state = StoreService.open(url, pc1)
    try:
        for sid in ids:
            local = state.records.get(sid)
            assert local.state is RecordState.ACKNOWLEDGED, (sid, local.state)
            row = remote.db.submission(sid)
            assert row is not None
            assert local.tracking_id == row.tracking_id
    finally:
        state.close()
        remote.close()
    check = _cli(pc1, "audit", "verify", db=url)
    assert check.returncode == 0, check.stdout + check.stderr
