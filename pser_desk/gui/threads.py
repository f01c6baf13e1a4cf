"""Every QThread the GUI starts is registered here, so tests can prove none is left running."""

from __future__ import annotations

import weakref

from PySide6.QtCore import QThread

_tracked: weakref.WeakSet[QThread] = weakref.WeakSet()


def track(thread: QThread) -> QThread:
    """Register *thread* (call before ``start()``); returns it for chaining."""
    _tracked.add(thread)
    return thread


def running_threads() -> list[QThread]:
    """The registered threads that are still running."""
    alive: list[QThread] = []
    for thread in list(_tracked):
        try:
            if thread.isRunning():
                alive.append(thread)
        except RuntimeError:  # the C++ object is already gone
            continue
    return alive
