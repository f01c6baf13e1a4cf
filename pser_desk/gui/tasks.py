"""Background work off the GUI thread (Anki's task manager, Picard's ``run_task``).

Two single-thread lanes: ``Lane.DB`` (SQLite has one writer) and ``Lane.NET`` (the
network). ``run_task(fn, on_done, on_error)`` runs ``fn`` on its lane and delivers the
result or the exception back on the GUI thread through a queued signal. Tests may use
:class:`SyncTaskRunner`, which runs everything at once on the calling thread.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class Lane(enum.Enum):
    DB = "db"
    NET = "net"


class Runner(Protocol):
    """What the views need: run work somewhere else and hear back on the GUI thread."""

    def run_task(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        lane: Lane = Lane.DB,
    ) -> None: ...

    def shutdown(self) -> None: ...


def _log_error(exc: BaseException) -> None:
    log.error("background task failed: %s", exc.__class__.__name__, exc_info=exc)


def _deliver(
    on_done: DoneCallback | None, on_error: ErrorCallback | None, result: Any, error: Any
) -> None:
    if error is not None:
        (on_error or _log_error)(error)
    elif on_done is not None:
        on_done(result)


class TaskRunner(QObject):
    """One executor per lane; results come back by a signal, so always on the GUI thread."""

    _finished = Signal(object, object, object, object)  # on_done, on_error, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"pser-{lane.value}")
            for lane in Lane
        }
        self._pending = 0
        self._closed = False
        self._finished.connect(self._on_worker_finished)

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet (tests wait for 0)."""
        return self._pending

    def run_task(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        lane: Lane = Lane.DB,
    ) -> None:
        if self._closed:
            log.info("task dropped: the runner is shut down")
            return
        self._pending += 1
        future = self._lanes[lane].submit(fn)
        future.add_done_callback(lambda f: self._emit(f, on_done, on_error))

    def _emit(self, future: Future[Any], on_done: Any, on_error: Any) -> None:
        if future.cancelled():  # dropped at shutdown: nobody waits for its answer
            return
        error = future.exception()
        result = None if error is not None else future.result()
        self._finished.emit(on_done, on_error, result, error)

    def _on_worker_finished(self, on_done: Any, on_error: Any, result: Any, error: Any) -> None:
        self._pending -= 1
        _deliver(on_done, on_error, result, error)

    def shutdown(self) -> None:
        """Finish what is running, drop what is waiting, join the threads."""
        self._closed = True
        for executor in self._lanes.values():
            executor.shutdown(wait=True, cancel_futures=True)


class SyncTaskRunner:
    """Runs each task at once on the calling thread: for tests that want no waiting."""

    def __init__(self) -> None:
        self.pending = 0

    def run_task(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        lane: Lane = Lane.DB,
    ) -> None:
        try:
            result = fn()
        except Exception as exc:  # delivered like the threaded runner does
            _deliver(on_done, on_error, None, exc)
            return
        _deliver(on_done, on_error, result, None)

    def shutdown(self) -> None:
        return None
