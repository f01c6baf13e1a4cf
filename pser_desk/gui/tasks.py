"""Background work off the GUI thread (Anki's task manager, Picard's ``run_task``).

Three single-thread lanes: ``Lane.DB`` (SQLite has one writer), ``Lane.NET`` (the
network) and ``Lane.PRINT`` (rendering pages and spooling them to the printer: QPainter
on a QPrinter is supported off the GUI thread, and a slow printer must not hold up the
database). ``run_task(fn, on_done, on_error)`` runs ``fn`` on its lane and delivers the
result or the exception back on the GUI thread through a queued signal. Tests may use
:class:`SyncTaskRunner`, which runs everything at once on the calling thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from pser_desk.gui.presenters.ports import (
    ErrorCallback,
    ImmediateRunner,
    Lane,
    Runnable,
    Runner,
    Task,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
SyncTaskRunner = ImmediateRunner  # runs each task at once on the calling thread (tests)
__all__ = ["Lane", "Runner", "SyncTaskRunner", "TaskRunner"]


class TaskRunner(QObject):
    """One executor per lane; results come back by a signal, so always on the GUI thread.

    The runner, not the worker threads, owns each task's function, callbacks and outcome
    until the answer is delivered: they often hold a widget (``lambda: ... self ...``),
    and the last reference to a widget dropped on a worker thread deletes it there, which
    crashes Qt. A worker keeps no reference of its own once the task has stored its
    outcome (an error's traceback holds the task's frames, and they hold the task, which
    the runner keeps), so the last reference always goes on the GUI thread.
    """

    _finished = Signal(int)  # task id: the task, with its outcome, waits in ``_tasks``

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"pser-{lane.value}")
            for lane in Lane
        }
        self._tasks: dict[int, Runnable] = {}
        self._next_id = 0
        self._closed = False
        self._finished.connect(self._on_worker_finished)

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet (tests wait for 0)."""
        return len(self._tasks)

    def run_task(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        lane: Lane = Lane.DB,
    ) -> None:
        if self._closed:
            log.info("task dropped: the runner is shut down")
            return
        self._next_id += 1
        task_id = self._next_id
        self._tasks[task_id] = Task(fn, on_done, on_error)
        self._lanes[lane].submit(self._call, task_id)

    def _call(self, task_id: int) -> None:  # on the lane's thread
        task = self._tasks[task_id]
        task.run()
        del task
        self._finished.emit(task_id)

    def _on_worker_finished(self, task_id: int) -> None:
        task = self._tasks.pop(task_id, None)
        if task is not None:
            task.deliver()

    def shutdown(self) -> None:
        """Finish what is running, drop what is waiting, join the threads."""
        self._closed = True
        for executor in self._lanes.values():
            executor.shutdown(wait=True, cancel_futures=True)
        # What was dropped or never heard back from goes here, on this thread.
        self._tasks.clear()
