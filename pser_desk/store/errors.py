"""Storage failures a person can act on, sorted from the driver's exceptions.

Known failures (damaged file, disk full, read-only folder, database locked, server
unreachable) become a :class:`StoreError` with a clear message and what to do; anything
else is a bug and propagates. Messages never carry record content.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from sqlalchemy import exc as sa_exc

# SQLite reports a disk that filled up mid-write as "disk I/O error" or "unable to open"
# (a journal or shared-memory file that cannot grow): with less than this left free on
# the database's disk, such an error is a full disk, not a damaged database.
LOW_SPACE_BYTES = 4 * 1024 * 1024
FULL_MESSAGE = "the disk is full; nothing was saved. Free some space and try again"


class StoreError(Exception):
    """A storage failure with a message fit for an operator or manager."""


class StoreCorrupt(StoreError):
    pass


class StoreFull(StoreError):
    pass


class StoreReadOnly(StoreError):
    pass


class StoreLocked(StoreError):
    pass


class StoreUnavailable(StoreError):
    pass


class NotFound(StoreError):
    pass


class Conflict(StoreError):
    """The request clashes with what is stored (an existing id, a wrong state)."""


class AlreadyExists(Conflict):
    """The id is taken already (an operator account)."""


class InvalidId(Conflict):
    """The id, role or name given cannot be used (the message says how it must look)."""


class BadSubmissionId(Conflict):
    """A submission id that is not a UUID written the usual way."""


class NotEditable(Conflict):
    """The record is past being edited (queued, sending, delivered...)."""


class PermissionDenied(StoreError):
    """The operator's role or state does not allow this."""


class OwnAccount(PermissionDenied):
    """A manager may not disable their own account."""


class AuthenticationFailed(StoreError):
    pass


_PATTERNS: tuple[tuple[tuple[str, ...], type[StoreError], str], ...] = (
    (
        ("file is not a database", "malformed", "disk image is malformed", "not a database"),
        StoreCorrupt,
        "the database is damaged; nothing was changed. Restore the latest backup with "
        "'pser-desk restore FILE' (backups are in the data folder's 'backups')",
    ),
    (
        ("database or disk is full", "disk full", "no space left"),
        StoreFull,
        FULL_MESSAGE,
    ),
    (
        ("readonly database", "read-only", "read only"),
        StoreReadOnly,
        "the database folder is read-only; nothing was saved. Check the folder's permissions",
    ),
    (
        ("database is locked", "database table is locked", "lock timeout", "deadlock"),
        StoreLocked,
        "the database is busy (locked by another program); nothing was saved. Try again",
    ),
    (
        ("unable to open database", "connection refused", "could not connect", "connection failed"),
        StoreUnavailable,
        "the database cannot be opened; check that the data folder or server is reachable",
    ),
)


def classify(exc: BaseException) -> StoreError | None:
    """The :class:`StoreError` for a known driver failure, or None for a bug."""
    if not isinstance(exc, sa_exc.OperationalError | sa_exc.DatabaseError | sa_exc.InterfaceError):
        return None
    text = str(getattr(exc, "orig", exc)).lower()
    for needles, kind, message in _PATTERNS:
        if any(needle in text for needle in needles):
            return kind(message)
    return None


def disk_is_full(folder: Path | None) -> bool:
    """True when the disk holding *folder* has (almost) no space left."""
    if folder is None:
        return False
    probe = Path(folder)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free < LOW_SPACE_BYTES
    except OSError:
        return False


def is_no_space(exc: BaseException) -> bool:
    """An ``OSError`` (or one it wraps) that says the disk is full."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def full_disk(folder: Path | None) -> StoreFull:
    where = f" (where {folder} is)" if folder is not None else ""
    return StoreFull(f"the disk is full{where}; nothing was saved. Free some space and try again")


class Purged(StoreError):
    """The household's personal data left this PC after central verified it (retention)."""

    def __init__(self, receipt_no: str | None) -> None:
        super().__init__(
            f"the household {receipt_no or ''} was verified by central and its personal data "
            "has been removed from this PC (retention); it is safe at central"
        )
        self.receipt_no = receipt_no


class NotRejected(Conflict):
    """Only a household central rejected, not yet dealt with, can be dismissed or redone."""
