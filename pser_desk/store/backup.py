"""Backups of the SQLite database: online and consistent (the SQLite backup API).

``backup(store, out)`` copies into a temporary file beside *out*, checks it, then renames
it into place, so a full disk never leaves a half-written backup. ``restore(file, db)``
checks the backup first, keeps the current database aside (``pser.db.before-restore-*``),
and copies the backup in with the same API. ``auto_backup`` makes one backup a day and
keeps the last seven. A shared PostgreSQL database is backed up on its server (pg_dump).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

from pser_desk.store.database import Store, backups_dir_for
from pser_desk.store.errors import StoreCorrupt, StoreError

log = logging.getLogger(__name__)

KEEP_DAILY = 7
AUTO_PREFIX = "pser-"


class BackupError(StoreError):
    pass


def _sqlite_file(store: Store) -> Path:
    path = store.sqlite_file
    if path is None:
        raise BackupError(
            "backups here are for the SQLite database; back up a shared PostgreSQL "
            "database on its server (pg_dump)"
        )
    return path


def _copy(src: Path, dst: Path) -> None:
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dst)
    try:
        source.backup(target, pages=1024)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def check_backup_file(path: Path) -> None:
    """Raise :class:`StoreCorrupt` unless *path* is a sound pser-desk database."""
    if not path.is_file():
        raise BackupError(f"no such backup file: {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        ok, tables = False, set()
    if not ok:
        raise StoreCorrupt(f"{path.name} is not a sound database backup")
    if not {"alembic_version", "records", "audit_log"} <= tables:
        raise StoreCorrupt(f"{path.name} is not a pser-desk database backup")


def backup(store: Store, out: Path) -> Path:
    """A consistent copy of the live database at *out* (atomic: whole or absent)."""
    src = _sqlite_file(store)
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _copy(src, tmp)
        check_backup_file(tmp)
        os.replace(tmp, out)
    except sqlite3.Error as exc:
        raise _sqlite_failure(exc) from exc
    except OSError as exc:
        raise BackupError(f"cannot write the backup: {exc.strerror or exc}") from exc
    finally:
        _remove_quietly(tmp)
    return out


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _sqlite_failure(exc: sqlite3.Error) -> StoreError:
    text = str(exc).lower()
    if "full" in text:
        return BackupError("the disk is full; the backup was not written")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return BackupError("cannot write the backup there (read-only or missing folder)")
    return BackupError(f"the backup failed ({exc.__class__.__name__})")


def restore(backup_file: Path, db_file: Path) -> Path | None:
    """Replace *db_file* by *backup_file*; returns where the old database was kept."""
    check_backup_file(backup_file)
    db_file.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if db_file.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = db_file.with_name(f"{db_file.name}.before-restore-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{db_file}{suffix}")
            if old.exists():
                os.replace(old, Path(f"{kept}{suffix}"))
    tmp = db_file.with_name(f".{db_file.name}.restoring")
    try:
        shutil.copyfile(backup_file, tmp)
        os.replace(tmp, db_file)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("database restored from a backup")
    return kept


def auto_backup(store: Store, *, today: date | None = None, keep: int = KEEP_DAILY) -> Path | None:
    """Today's backup in the data folder's ``backups`` if missing; keep the last *keep*."""
    if store.sqlite_file is None:
        return None
    folder = backups_dir_for(_sqlite_file(store))
    day = today or date.today()
    target = folder / f"{AUTO_PREFIX}{day:%Y%m%d}.db"
    made = None if target.exists() else backup(store, target)
    daily = sorted(folder.glob(f"{AUTO_PREFIX}????????.db"))
    for old in daily[:-keep]:
        old.unlink(missing_ok=True)
    return made
