"""A full disk, on a real small filesystem (tmpfs): every command says the disk is full in
one line, never "damaged, restore a backup"; nothing is lost; a backup that was written
exits 0 even when the log cannot be (issue 13 item 13)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from pser_desk.store import Store
from pser_desk.store.backup import backup
from tests.plugins.disks import SmallDisk, fill
from tests.plugins.store import MANAGER_PASSWORD, make_kit, sample_record


def _cli(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pser_desk", "--data-dir", str(data), *args],
        input=stdin, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ},
    )  # fmt: skip


def _centre(data: Path, records: int = 4) -> None:
    store = Store.open(data_dir=data)
    kit = make_kit(store)
    kit.add_operator(kit.add_manager())
    kit.enrol()
    for n in range(records):
        kit.records.save_draft(sample_record(n), operator_id="op1")
    store.close()


def _count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        conn.close()


def _one_full_line(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "disk is full" in lines[0]
    assert "damaged" not in lines[0]
    assert "pser-desk restore" not in lines[0]


def test_every_command_on_a_full_disk_says_so_and_loses_nothing(small_disk: SmallDisk) -> None:
    data = small_disk("data", 3072)
    _centre(data)
    filler = fill(data)
    commands = [
        ("queue", "--json"), ("operator", "list"), ("audit", "verify"), ("record", "list"),
        ("backup", "--out", str(data / "b.db")),
    ]  # fmt: skip
    for args in commands:
        _one_full_line(_cli(data, *args))
    added = _cli(data, "operator", "add", "op2", "--name", "O", "--role", "operator",
                 "--as", "mgr1", stdin=f"{MANAGER_PASSWORD}\norange-bicycle-77\norange-bicycle-77\n")  # fmt: skip
    _one_full_line(added)
    filler.unlink()
    assert _count(data / "pser.db") == 4
    listed = _cli(data, "operator", "list")
    assert listed.returncode == 0, listed.stderr


def test_a_backup_that_was_written_exits_0_when_the_log_cannot_be(
    small_disk: SmallDisk, tmp_path: Path
) -> None:
    data, logs = small_disk("data", 8192), small_disk("logs", 512)
    _centre(data)
    fill(logs)
    (data / "logs").rmdir() if (data / "logs").exists() else None
    (data / "logs").symlink_to(logs)
    out = tmp_path / "usb" / "backup.db"
    done = _cli(data, "backup", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["backup"] == str(out)
    assert _count(out) == 4


def test_restore_onto_a_full_disk_leaves_the_live_database_as_it_was(
    small_disk: SmallDisk, tmp_path: Path
) -> None:
    data = small_disk("data", 3072)
    _centre(data, records=2)
    store = Store.open(data_dir=data)
    saved = backup(store, tmp_path / "saved.db")
    make_kit(store).records.save_draft(sample_record(9), operator_id="op1")
    store.close()
    fill(data)
    done = _cli(data, "restore", str(saved), "--as", "mgr1", stdin=f"{MANAGER_PASSWORD}\n")
    _one_full_line(done)
    (data / "filler").unlink()
    assert _count(data / "pser.db") == 3
    assert not list(data.glob(".pser.db.restoring*"))


def test_a_report_onto_a_full_disk_says_so_and_leaves_no_half_file(
    small_disk: SmallDisk, tmp_path: Path
) -> None:
    data, usb = tmp_path / "pc", small_disk("usb", 256)
    _centre(data)
    fill(usb)
    done = _cli(data, "report", "daily", "--out", str(usb / "report.pdf"))
    _one_full_line(done)
    assert sorted(p.name for p in usb.iterdir()) == ["filler"]
