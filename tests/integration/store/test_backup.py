"""Daily backups keep the last seven; a PostgreSQL database is backed up on its server."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from pser_desk.store import Store
from pser_desk.store.backup import BackupError, auto_backup, backup, check_backup_file
from tests.plugins.store import make_kit, sample_record


def test_daily_backup_once_a_day_and_keep_seven(sqlite_store: Store) -> None:
    kit = make_kit(sqlite_store)
    kit.add_operator(kit.add_manager())
    first = date(2026, 11, 1)
    for offset in range(10):
        kit.records.save_draft(sample_record(offset), operator_id="op1")
        made = auto_backup(sqlite_store, today=first + timedelta(days=offset))
        assert made is not None
        check_backup_file(made)
    assert auto_backup(sqlite_store, today=first + timedelta(days=9)) is None  # already done today
    folder = sqlite_store.sqlite_file.parent / "backups"  # type: ignore[union-attr]
    kept = sorted(p.name for p in folder.glob("*.db"))
    assert kept == [f"pser-202611{day:02d}.db" for day in range(4, 11)]


def test_backup_is_whole_or_absent(sqlite_store: Store, tmp_path: Path) -> None:
    target = tmp_path / "no-such-parent-file"
    target.write_text("a file, not a folder")
    with pytest.raises(BackupError):
        backup(sqlite_store, target / "b.db")
    assert not list(tmp_path.glob("**/.b.db.partial"))


@pytest.mark.postgres
def test_backup_of_postgres_says_use_the_server(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    try:
        with pytest.raises(BackupError, match="pg_dump"):
            backup(store, Path("/tmp/never.db"))
    finally:
        store.close()
