"""Backups of the SQLite database: online and consistent (the SQLite backup API).

``backup(store, out)`` copies into a temporary file beside *out*, checks it, then renames
it into place, so a full disk never leaves a half-written backup. ``restore(file, db)``
checks the backup first, keeps the current database aside (``pser.db.before-restore-*``),
and copies the backup in with the same API. ``auto_backup`` makes one backup a day and
keeps the last seven. A shared PostgreSQL database is backed up on its server (pg_dump).
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pser_desk.security import passwords, vault
from pser_desk.store import installation, migrate
from pser_desk.store.database import Store, backups_dir_for
from pser_desk.store.errors import (
    AuthenticationFailed,
    PermissionDenied,
    StoreCorrupt,
    StoreError,
    StoreFull,
    is_no_space,
)

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


@dataclass(frozen=True, slots=True)
class BackupFacts:
    """What a sound pser-desk backup says about itself (read before anything changes)."""

    revision: str
    installation_key: bytes | None


_SQLITE_MAGIC = b"SQLite format 3\x00"
_REQUIRED_TABLES = {"alembic_version", "records", "audit_log", "audit_head", "operators",
                    "key_wraps", "installation_key"}  # fmt: skip


def _is_same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_backup_file(path: Path, *, live: Path | None = None) -> BackupFacts:
    """Raise a :class:`StoreError` unless *path* is a whole pser-desk database of a known
    schema (never the live database itself); returns what restore checks next."""
    if live is not None and any(
        _is_same_file(path, Path(f"{live}{suffix}")) for suffix in ("", "-wal", "-shm")
    ):
        raise BackupError(
            f"{path.name} is the live database itself, not a backup; nothing was changed"
        )
    if not path.is_file():
        raise BackupError(f"no such backup file: {path}")
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {path.name} ({exc.strerror or exc})") from None
    if magic != _SQLITE_MAGIC:
        raise StoreCorrupt(f"{path.name} is not a sound database backup")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            return _facts(conn, path)
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError):  # damaged pages' bytes in a message
        raise StoreCorrupt(f"{path.name} is not a sound database backup") from None


def _facts(conn: sqlite3.Connection, path: Path) -> BackupFacts:
    if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
        raise StoreCorrupt(f"{path.name} is not a sound database backup")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"alembic_version", "records", "audit_log"} <= tables:
        raise StoreCorrupt(f"{path.name} is not a pser-desk database backup")
    versions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
    if len(versions) != 1 or versions[0] not in migrate.shipped_revisions():
        raise StoreCorrupt(
            f"{path.name} has a schema this desk does not know ({', '.join(versions) or 'none'});"
            " it may come from a newer pser-desk"
        )
    if not tables >= _REQUIRED_TABLES:
        raise StoreCorrupt(f"{path.name} is not a whole pser-desk database backup")
    row = conn.execute("SELECT public_key FROM installation_key WHERE id = 1").fetchone()
    return BackupFacts(versions[0], bytes(row[0]) if row else None)


def _check_target(out: Path) -> None:
    """*out* may be a new file or an existing regular file: never a link, device or folder."""
    try:
        mode = out.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise BackupError(f"cannot use {out} for the backup ({exc.strerror or exc})") from None
    if stat.S_ISLNK(mode):
        raise BackupError(f"{out} is a symbolic link; give the backup a plain file name")
    if not stat.S_ISREG(mode):
        raise BackupError(f"{out} is not a regular file (a device, folder or pipe); not written")


def backup(store: Store, out: Path) -> Path:
    """A consistent copy of the live database at *out* (atomic: whole or absent).

    *out* is never followed through a symbolic link and never a device: the copy is made
    beside it and renamed onto the name itself.
    """
    src = _sqlite_file(store)
    out = Path(os.path.abspath(out))
    _check_target(out)
    tmp = out.with_name(f".{out.name}.partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)  # a planted link is removed, not followed
        _copy(src, tmp)
        check_backup_file(tmp)
        os.replace(tmp, out)
    except sqlite3.Error as exc:
        raise _sqlite_failure(exc) from exc
    except OSError as exc:
        if is_no_space(exc):
            raise BackupError("the disk is full where the backup goes; it was not written") from exc
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


def _live_installation_key(db_file: Path) -> bytes | None:
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT public_key FROM installation_key WHERE id = 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return bytes(row[0]) if row else None


def _check_installation(facts: BackupFacts, backup_file: Path, db_file: Path) -> None:
    """The backup must belong to this installation (same installation key)."""
    expected = _live_installation_key(db_file) if db_file.exists() else None
    expected = expected or installation.recorded_key(db_file.parent)
    if facts.installation_key is None:
        raise BackupError(f"{backup_file.name} has no operator accounts; it cannot be restored")
    if expected is not None and expected != facts.installation_key:
        raise BackupError(
            f"{backup_file.name} belongs to another installation (its installation key is not "
            "this PC's); nothing was changed"
        )


def _check_manager(backup_file: Path, facts: BackupFacts, manager_id: str, password: str) -> None:
    """*password* opens the manager's key in the backup, and that key is the backup's."""
    conn = sqlite3.connect(f"file:{backup_file}?mode=ro&immutable=1", uri=True)
    try:
        row = conn.execute(
            "SELECT role, disabled, password_hash FROM operators WHERE id = ?", (manager_id,)
        ).fetchone()
        wrap = conn.execute(
            "SELECT salt, nonce, wrapped, params FROM key_wraps WHERE operator_id = ?",
            (manager_id,),
        ).fetchone()
    finally:
        conn.close()
    if row is None or wrap is None or not passwords.verify_password(password, row[2]):
        raise AuthenticationFailed(
            f"wrong manager id or password for the accounts in {backup_file.name}; "
            "nothing was changed"
        )
    if row[0] != "manager" or row[1]:
        raise PermissionDenied("only an active manager may restore a backup")
    key_wrap = vault.KeyWrap(bytes(wrap[0]), bytes(wrap[1]), bytes(wrap[2]),
                             vault.KeyWrap.parse_params(wrap[3]))  # fmt: skip
    try:
        key = vault.unwrap_key(key_wrap, password)
    except vault.VaultError:
        raise AuthenticationFailed("the manager's key does not open in this backup") from None
    if vault.public_bytes(key) != facts.installation_key:
        raise StoreCorrupt(
            f"{backup_file.name} was altered: its installation key is not the one its "
            "operators' passwords protect; nothing was changed"
        )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # directories cannot be fsynced on Windows
    finally:
        os.close(fd)


def _stage(backup_file: Path, db_file: Path) -> Path:
    """A checked copy of the backup beside the live database (whole, synced) or nothing."""
    staged = db_file.with_name(f".{db_file.name}.restoring")
    try:
        with backup_file.open("rb") as src, staged.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
            dst.flush()
            os.fsync(dst.fileno())
        check_backup_file(staged)
    except OSError as exc:
        _remove_quietly(staged)
        if exc.errno == errno.ENOSPC:
            raise StoreFull(
                "the disk is full: the backup was not restored and the live database is as "
                "it was. Free some space and try again"
            ) from None
        raise BackupError(
            f"cannot copy the backup in ({exc.strerror or exc}); nothing was changed"
        ) from None
    except StoreError:
        _remove_quietly(staged)
        raise
    return staged


def _settle_live(db_file: Path) -> None:
    """Fold a healthy live database's journal into its file, so one file is all of it."""
    if not Path(f"{db_file}-wal").exists():
        return
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=rw", uri=True, timeout=5)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # damaged: the journal is kept aside with the file below


def _keep_live(db_file: Path, stamp: str) -> Path | None:
    """Keep the live database as ``pser.db.before-restore-<time>`` without moving it."""
    if not db_file.exists():
        return None
    kept = db_file.with_name(f"{db_file.name}.before-restore-{stamp}")
    try:
        os.link(db_file, kept)
    except OSError:
        shutil.copy2(db_file, kept)
    for suffix in ("-wal", "-shm"):
        journal = Path(f"{db_file}{suffix}")
        if journal.exists() and journal.stat().st_size:
            shutil.copy2(journal, Path(f"{kept}{suffix}"))
    return kept


def restore(backup_file: Path, db_file: Path, *, manager_id: str, password: str) -> Path | None:
    """Replace *db_file* by *backup_file*; returns where the old database was kept.

    Everything is checked first (a whole database of a known schema, not the live file,
    of this installation, opened by a manager's password); then the backup is copied
    beside the live file, checked again, and swapped in with one atomic rename. Any
    failure before the rename leaves the live database exactly as it was.
    """
    facts = check_backup_file(backup_file, live=db_file)
    _check_installation(facts, backup_file, db_file)
    _check_manager(backup_file, facts, manager_id, password)
    db_file.parent.mkdir(parents=True, exist_ok=True)
    staged = _stage(backup_file, db_file)
    try:
        _settle_live(db_file)
        kept = _keep_live(db_file, datetime.now().strftime("%Y%m%d-%H%M%S"))
        os.replace(staged, db_file)
    except OSError as exc:
        raise BackupError(
            f"the backup was not swapped in ({exc.strerror or exc}); the live database is as it was"
        ) from None
    finally:
        _remove_quietly(staged)
    for suffix in ("-wal", "-shm"):  # the old file's journal; kept aside above
        _remove_quietly(Path(f"{db_file}{suffix}"))
    _fsync(db_file.parent)
    installation.remember_key(db_file.parent, facts.installation_key or b"")
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
