"""Storage failures a person can act on, sorted from the driver's exceptions.

Known failures (damaged file, disk full, read-only folder, database locked, server
unreachable) become a :class:`StoreError` with a clear message and what to do; anything
else is a bug and propagates. Messages never carry record content.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc


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


class PermissionDenied(StoreError):
    """The operator's role or state does not allow this."""


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
        "the disk is full; nothing was saved. Free some space and try again",
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
