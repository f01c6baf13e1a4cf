"""Work-around for a reference-counting bug of PySide6 6.12.0 on Python 3.11.

Every call of a Qt method returning ``void`` drops one reference to ``None`` (a Python
``isComplete()`` override drops one to ``True``/``False``). From Python 3.12 these
objects are immortal and nothing happens; on 3.11 the interpreter aborts with
"none_dealloc" after a few thousand calls, i.e. within seconds of using the wizard.

The real fixes are Python >= 3.12 or PySide6 < 6.12 (PySide6-Pdf 6.12 is the only Pdf
wheel our index has, so the lead decides). Until then :func:`install_guard` detects the
bug at start and keeps those reference counts far from zero: it raises them once by
2**40 (no memory is used: only the counter moves) and re-checks every few seconds.
The guard does nothing where the bug is absent.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger(__name__)

TOP_UP = 2**40
LOW_WATER = 2**39
CHECK_MS = 5_000
_SINGLETONS = (None, True, False)


def refs_dropped_per_call(calls: int = 64) -> float:
    """How many references to None one void Qt call drops (0 on a healthy build)."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")
    return (before - sys.getrefcount(None)) / calls


def _counter(obj: object) -> ctypes.c_ssize_t:
    return ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is a PyObject's first field


def top_up() -> int:
    """Raise the counts of None/True/False that ran low; returns how many were raised."""
    if sys.version_info >= (3, 12):
        return 0  # immortal objects: never touch their counts
    raised = 0
    for obj in _SINGLETONS:
        counter = _counter(obj)
        if counter.value < LOW_WATER:
            counter.value += TOP_UP
            raised += 1
    return raised


def needs_guard() -> bool:
    return sys.version_info < (3, 12) and refs_dropped_per_call() > 0.5


def install_guard(parent: QObject | None = None) -> QTimer | None:
    """Start the guard if this PySide6 has the bug; the timer is returned (None if not needed)."""
    if not needs_guard():
        return None
    log.info("PySide6 reference-count guard active (PySide6 6.12 on Python 3.11)")
    top_up()
    timer = QTimer(parent or QCoreApplication.instance())
    timer.setInterval(CHECK_MS)
    timer.timeout.connect(top_up)
    timer.start()
    return timer
