"""Background work off the GUI thread (Anki's task manager, Picard's ``run_task``).

Three single-thread lanes: ``Lane.DB`` (SQLite has one writer), ``Lane.NET`` (the
network) and ``Lane.PRINT`` (rendering pages and spooling them to the printer: QPainter
on a QPrinter is supported off the GUI thread, and a slow printer must not hold up the
database). ``run_task(fn, on_done, on_error)`` runs ``fn`` on its lane and delivers the
result or the exception back on the GUI thread through a queued signal. Tests may use
:class:`SyncTaskRunner`, which runs everything at once on the calling thread.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class Lane(enum.Enum):
    DB = "db"
    NET = "net"
    PRINT = "print"


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
    """One executor per lane; results come back by a signal, so always on the GUI thread.

    The runner, not the worker threads, owns each task's function, callbacks and outcome
    until the answer is delivered: they often hold a widget (``lambda: ... self ...``),
    and the last reference to a widget dropped on a worker thread deletes it there, which
    crashes Qt. A worker keeps no reference of its own once it has stored the outcome (an
    error's traceback holds the task's frames, and they hold the task), so the last
    reference always goes on the GUI thread.
    """

    _finished = Signal(int)  # task id: its outcome waits in ``_outcomes``

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"pser-{lane.value}")
            for lane in Lane
        }
        self._tasks: dict[int, tuple[Callable[[], Any], Any, Any]] = {}
        self._outcomes: dict[int, tuple[Any, BaseException | None]] = {}
        self._next_id = 0
        self._closed = False
        self._finished.connect(self._on_worker_finished)

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet (tests wait for 0)."""
        return len(self._tasks)

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
        self._next_id += 1
        task_id = self._next_id
        self._tasks[task_id] = (fn, on_done, on_error)
        self._lanes[lane].submit(self._call, task_id)

    def _call(self, task_id: int) -> None:  # on the lane's thread
        fn = self._tasks[task_id][0]
        outcome: tuple[Any, BaseException | None]
        try:
            outcome = (fn(), None)
        except BaseException as exc:  # delivered to on_error (or logged) on the GUI thread
            outcome = (None, exc)
        del fn
        self._outcomes[task_id] = outcome
        del outcome
        self._finished.emit(task_id)

    def _on_worker_finished(self, task_id: int) -> None:
        task = self._tasks.pop(task_id, None)
        result, error = self._outcomes.pop(task_id, (None, None))
        if task is None:
            return
        _fn, on_done, on_error = task
        _deliver(on_done, on_error, result, error)

    def shutdown(self) -> None:
        """Finish what is running, drop what is waiting, join the threads."""
        self._closed = True
        for executor in self._lanes.values():
            executor.shutdown(wait=True, cancel_futures=True)
        # What was dropped or never heard back from goes here, on this thread.
        self._tasks.clear()
        self._outcomes.clear()


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
