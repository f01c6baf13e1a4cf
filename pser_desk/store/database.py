"""The store: one engine, transactions, the start-up checks, and the single writer lane.

``Store.open`` refuses to start on a damaged or missing-but-expected SQLite file (it
never creates a new empty database over one), then migrates to the newest schema.
``Store.write()`` is one transaction (``BEGIN IMMEDIATE`` on SQLite) that commits or
rolls back as a whole; known driver failures become a :class:`StoreError`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pser_desk.store import migrate
from pser_desk.store.engine import (
    BUSY_TIMEOUT_MS,
    READ_OPTION,
    default_url,
    make_engine,
    sqlite_path,
)
from pser_desk.store.errors import (
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreLocked,
    StoreReadOnly,
    StoreUnavailable,
    classify,
    disk_is_full,
    full_disk,
)

log = logging.getLogger(__name__)

BACKUPS_DIRNAME = "backups"
P = ParamSpec("P")
T = TypeVar("T")


def backups_dir_for(db_file: Path) -> Path:
    return db_file.parent / BACKUPS_DIRNAME


def newest_backup(db_file: Path) -> Path | None:
    """The most recent backup in the data folder's ``backups`` (by time written)."""
    folder = backups_dir_for(db_file)
    found = [p for p in folder.glob("*.db") if p.is_file()] if folder.is_dir() else []
    return max(found, key=lambda p: (p.stat().st_mtime, p.name)) if found else None


def restore_hint(db_file: Path) -> str:
    newest = newest_backup(db_file)
    if newest is None:
        return (
            f"No backup was found in {backups_dir_for(db_file)}; restore one kept elsewhere "
            "with: pser-desk restore BACKUP_FILE --as MANAGER_ID"
        )
    return (
        f"Restore the latest backup ({newest.name}, the newest in {newest.parent}) with: "
        f"pser-desk restore {newest} --as MANAGER_ID"
    )


OPENED_LOG_LINE = "database opened (in use)"


def _log_shows_use(folder: Path) -> bool:
    """An earlier run opened a database here (the log line :meth:`Store.open` writes)."""
    needle = f"{__name__}: {OPENED_LOG_LINE}"
    for path in sorted((folder / "logs").glob("pser-desk.log*")):
        try:
            if needle in path.read_text(encoding="utf-8", errors="replace"):
                return True
        except OSError:
            continue
    return False


def use_evidence(db_file: Path, *, journal: bool = True) -> list[str]:
    """What in the data folder shows this PC was set up and used (empty: a first run).

    A ``-wal`` counts only beside a missing or empty file: an open database has one.
    """
    folder = db_file.parent
    found = []
    identity = folder / "identity"
    if identity.is_dir() and any(p.is_file() for p in identity.iterdir()):
        found.append("its identity folder")
    newest = newest_backup(db_file)
    if newest is not None and not _is_empty(newest):
        found.append("its backups")
    if journal and Path(f"{db_file}-wal").exists():
        found.append("the database's journal")
    if _log_shows_use(folder):
        found.append("its log")
    return found


def _is_empty(db_file: Path) -> bool:
    """No audit entry at all: nothing was ever done in this database (a fresh schema)."""
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return False
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "audit_head" not in tables:
            return True
        row = conn.execute("SELECT max(last_seq) FROM audit_head").fetchone()
        return not row or not row[0]
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _check_writable(db_file: Path) -> None:
    folder = db_file.parent
    files = [p for p in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")) if p.exists()]
    if (folder.exists() and not os.access(folder, os.W_OK | os.X_OK)) or any(
        not os.access(p, os.R_OK | os.W_OK) for p in files
    ):
        raise StoreReadOnly(
            f"the data folder {folder} is read-only (or belongs to another user); nothing was "
            "changed. Give this user write access to it, or choose another with --data-dir"
        )


def _quick_check(db_file: Path) -> str | None:
    """None when the file is a healthy SQLite database; else what is wrong."""
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error as exc:
        if disk_is_full(db_file.parent):
            raise full_disk(db_file.parent) from exc
        raise StoreUnavailable(f"the database {db_file} cannot be opened ({exc})") from exc
    # A damaged page's bytes can appear in quick_check's rows or in SQLite's error message:
    # read them whatever they are, so damage is reported as damage.
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except UnicodeDecodeError:
        return "it is damaged (its pages hold what SQLite cannot read)"
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc).lower():
            return None  # busy, not damaged: the busy timeout handles it later
        if "full" in str(exc).lower() or disk_is_full(db_file.parent):
            raise full_disk(db_file.parent) from exc  # not damage: never send to restore
        return f"it is damaged ({exc})"
    finally:
        conn.close()
    if rows != [("ok",)]:
        return "it is damaged (integrity check failed)"
    return None


def check_sqlite_file(db_file: Path) -> None:
    """Raise a :class:`StoreError` when starting on *db_file* could lose data.

    A missing, zero-length or never-used database is a first run only in a data folder
    that shows no use (no identity, backups, journal or log of an earlier run): anywhere
    else it would let anyone make a new "first manager" without a password.
    """
    _check_writable(db_file)
    if not db_file.exists() or db_file.stat().st_size == 0:
        evidence = use_evidence(db_file)
        if evidence:
            what = "missing" if not db_file.exists() else "empty (0 bytes)"
            raise StoreUnavailable(
                f"the database {db_file} is {what}, but this PC was in use "
                f"({', '.join(evidence)} show it); no new empty database was made. "
                f"{restore_hint(db_file)}"
            )
        return
    problem = _quick_check(db_file)
    if problem is not None:
        raise StoreCorrupt(
            f"the database {db_file} cannot be used: {problem}. Nothing was changed. "
            f"{restore_hint(db_file)}"
        )
    if _is_empty(db_file):
        evidence = use_evidence(db_file, journal=False)
        if evidence:
            raise StoreUnavailable(
                f"the database {db_file} is empty (nothing was ever saved in it), but this PC "
                f"was in use ({', '.join(evidence)} show it); it was not taken for a first "
                f"run. {restore_hint(db_file)}"
            )


class Store:
    """An engine plus the transactions the repositories work in."""

    def __init__(self, engine: Engine, *, data_dir: Path | None = None) -> None:
        self.engine = engine
        self._read_engine = engine.execution_options(**{READ_OPTION: True})
        # This PC's own folder (None: a database opened by URL alone, as in some tests);
        # what belongs to one PC of several sharing a database is marked there.
        self.data_dir = data_dir

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        data_dir: Path | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        upgrade: bool = True,
    ) -> Store:
        if url is None:
            if data_dir is None:
                raise ValueError("give a database URL or a data folder")
            url = default_url(data_dir)
        db_file = sqlite_path(url)
        if db_file is not None:
            check_sqlite_file(db_file)
            db_file.parent.mkdir(parents=True, exist_ok=True)
        store = cls(make_engine(url, busy_timeout_ms=busy_timeout_ms), data_dir=data_dir)
        if upgrade:
            store.upgrade()
        if db_file is not None and not _is_empty(db_file):
            log.info(OPENED_LOG_LINE)  # a later run sees from the log that this PC was in use
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite_file(self) -> Path | None:
        return sqlite_path(str(self.engine.url))

    def upgrade(self) -> None:
        with self._translated():
            migrate.upgrade(self.engine)

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            known = classify(exc)
            folder = None if self.sqlite_file is None else self.sqlite_file.parent
            if not isinstance(known, StoreFull | StoreLocked) and disk_is_full(folder):
                known = full_disk(folder)  # "disk I/O error" on a full disk is no damage
            if known is None:
                raise
            log.warning("database failure: %s", type(known).__name__)
            raise known from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: all of it is committed, or none of it."""
        with (
            self._translated(),
            Session(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with (
            self._translated(),
            Session(self._read_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["Store", "StoreError", "check_sqlite_file", "backups_dir_for"]
