"""Folders and files that only the desk's user can open: the data folder and the key files.

On POSIX a private folder has mode 0700 and a private file 0600. On Windows a mode means
nothing (``os.chmod`` only sets the read-only flag, and ``os.fchmod`` does not exist before
Python 3.13): there the folder gets a *protected* access-control list, with nothing
inherited from above, that lets in the user the desk runs as and the operating system
(SYSTEM) only; what is created inside inherits it, and each key file gets the same list of
its own (:mod:`pser_desk.security.windows_acl`).

:func:`write_private_file` replaces a file atomically (temporary file beside it, fsync,
rename). On Windows a file cannot be renamed or deleted while a handle is open, so the
handle is closed before either, and a rename refused because another process has the
target open for a moment (a virus scanner, the window reading its settings) is retried.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
WINDOWS = os.name == "nt"
REPLACE_RETRY_S = 2.0  # how long a Windows rename waits out another process's open handle


class NotPrivateError(OSError):
    """The folder or file could not be restricted to this user (filesystem without modes
    or ACLs, or owned by someone else)."""


def restrict(path: Path, *, directory: bool) -> None:
    """Let only this user (and, on Windows, SYSTEM) open *path*; raises NotPrivateError."""
    try:
        if WINDOWS:
            from pser_desk.security import windows_acl

            windows_acl.restrict_to_current_user(path, directory=directory)
        else:
            os.chmod(path, PRIVATE_DIR_MODE if directory else PRIVATE_FILE_MODE)
    except OSError as exc:
        raise NotPrivateError(
            exc.errno, f"cannot restrict {path.name}: {exc.strerror or exc}"
        ) from exc


def is_private(path: Path) -> bool:
    """True when no one but this user (and SYSTEM on Windows) is let in to *path*."""
    if WINDOWS:
        from pser_desk.security import windows_acl

        return windows_acl.is_restricted_to_current_user(path)
    return path.stat().st_mode & 0o077 == 0


def make_private_dir(path: Path) -> Path:
    """Create *path* (and its parents) if needed and make it private; returns it.

    A folder that cannot be made private (a FAT-formatted stick, a folder someone else
    owns) is still used: the desk logs a warning rather than refusing to start.
    """
    path.mkdir(parents=True, exist_ok=True)
    try:
        if not is_private(path):
            restrict(path, directory=True)
    except OSError as exc:
        _warn_not_private("folder", path, exc)
    return path


def _warn_not_private(what: str, path: Path, exc: OSError) -> None:
    log.warning("the %s %s is not private to this user: %s", what, path.name, exc.strerror or exc)


def write_private_file(path: Path, data: bytes) -> None:
    """Atomically replace *path* with *data*, readable by the owner only (POSIX 0600,
    Windows: a user-only ACL), in a private folder (a filesystem that cannot restrict
    it gets the file anyway, with a warning in the log)."""
    folder = make_private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:  # closed before the rename (and any unlink)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            restrict(tmp, directory=False)
        except NotPrivateError as exc:  # the folder's own protection still holds
            _warn_not_private("file", path, exc)
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(folder)


def replace(source: Path, target: Path) -> None:
    """``os.replace``; on Windows a refusal because *target* is open elsewhere is retried
    for up to :data:`REPLACE_RETRY_S` (then the PermissionError stands)."""
    deadline = time.monotonic() + REPLACE_RETRY_S
    delay = 0.01
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not WINDOWS or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def fsync_dir(directory: Path) -> None:
    """Make a rename in *directory* durable (POSIX; Windows commits renames itself)."""
    if WINDOWS:
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
