"""A damaged, missing, full, locked or read-only database: a clear error, nothing half-written."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from pser_desk.store import Store
from pser_desk.store.backup import backup
from pser_desk.store.errors import (
    StoreCorrupt,
    StoreFull,
    StoreLocked,
    StoreReadOnly,
    StoreUnavailable,
)
from tests.plugins.store import make_kit, sample_record

REPO = Path(__file__).resolve().parents[3]


def _filled(db: Path, records: int = 30) -> None:
    store = Store.open(f"sqlite:///{db}")
    kit = make_kit(store)
    kit.add_operator(kit.add_manager())
    for n in range(records):
        kit.records.save_draft(sample_record(n), operator_id="op1")
    backup(store, db.parent / "backups" / "pser-20261124.db")
    store.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "pser.db"
    path.parent.mkdir()
    _filled(path)
    return path


@pytest.mark.allow_log_warnings
def test_garbage_file_is_refused_and_left_alone(db: Path) -> None:
    db.write_bytes(b"this is not a database at all" * 100)
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    before = db.read_bytes()
    with pytest.raises(StoreCorrupt, match=r"pser-desk restore .*pser-20261124\.db"):
        Store.open(f"sqlite:///{db}")
    assert db.read_bytes() == before


# Seed 25 puts bytes in quick_check's messages that are not UTF-8 (once a crash, not damage).
@pytest.mark.parametrize("seed", [1, 25])
def test_damaged_pages_are_found(db: Path, seed: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data, noise = bytearray(db.read_bytes()), random.Random(seed)
    for page in range(2, len(data) // page_size):
        start = page * page_size
        data[start + 8 : start + 200] = noise.randbytes(192)
    db.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt, match="damaged"):
        Store.open(f"sqlite:///{db}")


def test_missing_database_with_backups_is_not_silently_recreated(db: Path) -> None:
    for extra in ("", "-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    with pytest.raises(StoreUnavailable, match="missing"):
        Store.open(f"sqlite:///{db}")
    assert not db.exists()


@pytest.mark.allow_log_warnings
def test_disk_full_saves_nothing(db: Path) -> None:
    store = Store.open(f"sqlite:///{db}")
    kit = make_kit(store)
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def _limit(dbapi_conn: Any, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    before = len(kit.records.list())
    big = {**sample_record(99), "answers": {"notes": os.urandom(200_000).hex()}}
    with pytest.raises(StoreFull, match="disk is full"):
        kit.records.save_draft(big, operator_id="op1")
    assert len(kit.records.list()) == before
    store.close()
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


@pytest.mark.allow_log_warnings
def test_locked_database_is_reported(db: Path) -> None:
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store = Store.open(f"sqlite:///{db}", busy_timeout_ms=200, upgrade=False)
        with pytest.raises(StoreLocked, match="busy"):
            make_kit(store).records.save_draft(sample_record(1), operator_id="op1")
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _make_read_only(folder: Path) -> None:
    """Really read-only: permissions for a normal user, the immutable flag for root."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return
    proc = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if proc.returncode != 0:
        pytest.skip(
            "running as root on a file system without chattr: cannot make a read-only folder"
        )


def _undo_read_only(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
    folder.chmod(0o755)


@pytest.fixture
def readonly_data(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    folder.mkdir()
    _filled(folder / "pser.db", records=2)
    _make_read_only(folder)
    try:
        yield folder
    finally:
        _undo_read_only(folder)


def test_read_only_folder_is_refused_before_anything_is_written(readonly_data: Path) -> None:
    with pytest.raises(StoreReadOnly, match="read-only"):
        Store.open(f"sqlite:///{readonly_data / 'pser.db'}")
