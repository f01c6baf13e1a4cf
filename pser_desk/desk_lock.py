"""One window per data folder: the desk holds a lock on ``<data_dir>/desk.lock`` while open.

A second window on the same data folder (a double click on the desktop icon while the desk
is minimised) would run a second sender on the same queue and hold the same files open; on
Windows, where an open file can be neither renamed nor deleted, that also breaks the log's
rotation and a restore. So the window takes this lock first, and a second copy says the
desk is already open and ends. Headless commands (``sync``, ``backup``...) do not take it:
they may run beside the window, as managers' scripts do.

The lock is the operating system's own (Windows: ``LockFileEx`` on one byte through
``msvcrt.locking``; POSIX: ``flock``), so it ends with the process however the process
ends: a power cut or a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

LOCK_FILE = "desk.lock"


def _try_lock(handle: BinaryIO) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: BinaryIO) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class DeskLock:
    """The window's lock on a data folder; :meth:`acquire` is False when another holds it."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_FILE
        self._handle: BinaryIO | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        if not _try_lock(handle):
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            try:
                _unlock(handle)
            finally:
                handle.close()

    def __enter__(self) -> DeskLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def desk_is_open(data_dir: Path) -> bool:
    """True while a window holds *data_dir*'s lock (for commands that must not run beside
    it, such as a restore)."""
    probe = DeskLock(data_dir)
    if not probe.path.exists():
        return False
    if probe.acquire():
        probe.release()
        return False
    return True
