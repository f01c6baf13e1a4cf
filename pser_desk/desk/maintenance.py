"""Backups and restore: a consistent copy of the database, and putting one back.

``restore`` runs without an open database (it may be too damaged to open): it checks
the backup completely, with a manager's password checked against the accounts *in the
backup*, before the live file is swapped (SQLite only; PostgreSQL is restored on its
server).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.failures import desk_errors
from pser_desk.store import StoreService, audit_log
from pser_desk.store.backup import auto_backup, backup, restore
from pser_desk.store.engine import default_url, normalise_url, sqlite_path
from pser_desk.store.errors import StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Restored:
    database: Path
    previous_kept_as: Path | None
    audited: bool


class Maintenance:
    def __init__(self, store: StoreService) -> None:
        self._store = store

    def backup(self, out: Path) -> Path:
        """A consistent copy of the database at *out* (never over a link, device or folder)."""
        with desk_errors():
            return backup(self._store.store, out)

    def daily_backup(self) -> Path | None:
        """The day's automatic backup (kept for a while); None when there is one already."""
        with desk_errors():
            return auto_backup(self._store.store)


def restore_database(
    db_url: str | None, data_dir: Path, backup_file: Path, *, manager_id: str, password: str,
    opener: type[StoreService] = StoreService,
) -> Restored:  # fmt: skip
    """Put *backup_file* back as this PC's SQLite database, then audit it."""
    url = normalise_url(db_url) if db_url else default_url(data_dir)
    db_file = sqlite_path(url)
    if db_file is None:
        raise DeskError(
            ErrorCode.RESTORE_REFUSED,
            "restore is for the SQLite database; restore PostgreSQL on its server",
        )
    try:
        kept = restore(backup_file, db_file, manager_id=manager_id, password=password)
    except StoreError as exc:
        raise DeskError(ErrorCode.RESTORE_REFUSED, str(exc)) from None
    try:
        service = opener.open(db_url, data_dir)
        try:
            with service.store.write() as session:
                audit_log.append(session, audit_log.Event.BACKUP_RESTORED,
                                 at=datetime.now(UTC), actor=manager_id)  # fmt: skip
        finally:
            service.close()
    except StoreError as exc:  # restored all the same; the audit entry could not be written
        log.warning("the restore was not audited: %s", exc)
        return Restored(db_file, kept, audited=False)
    return Restored(db_file, kept, audited=True)
