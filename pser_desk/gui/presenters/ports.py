"""What a presenter needs to run work off the GUI thread, without Qt.

:class:`pser_desk.gui.tasks.TaskRunner` implements :class:`Runner` with Qt lanes (the
answer comes back on the GUI thread by a signal); tests may run tasks at once
(:class:`ImmediateRunner`).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
ErrorCallback = Callable[[BaseException], None]


class Lane(enum.Enum):
    DB = "db"
    NET = "net"
    PRINT = "print"


class Runner(Protocol):
    """Run work somewhere else and hear back on the GUI thread."""

    def run_task(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        lane: Lane = Lane.DB,
    ) -> None: ...

    def shutdown(self) -> None: ...


def _log_error(exc: BaseException) -> None:
    log.error("background task failed: %s", exc.__class__.__name__, exc_info=exc)


class Runnable(Protocol):
    """A task whatever its result type: run on a lane, then delivered on the GUI thread."""

    def run(self) -> None: ...
    def deliver(self) -> None: ...


class Task(Generic[T]):
    """A function, its callbacks and, once run, its outcome."""

    def __init__(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None,
        on_error: ErrorCallback | None,
    ) -> None:
        self._fn, self._on_done, self._on_error = fn, on_done, on_error
        self._result: tuple[T] | None = None  # boxed: a task may return None
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            self._result = (self._fn(),)
        except BaseException as exc:  # delivered to on_error (or logged) on the GUI thread
            self._error = exc

    def deliver(self) -> None:
        if self._error is not None:
            (self._on_error or _log_error)(self._error)
        elif self._result is not None and self._on_done is not None:
            self._on_done(self._result[0])


class ImmediateRunner:
    """Runs each task at once on the calling thread: for tests that want no waiting."""

    def __init__(self) -> None:
        self.pending = 0

    def run_task(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        lane: Lane = Lane.DB,
    ) -> None:
        task = Task(fn, on_done, on_error)
        task.run()
        task.deliver()

    def shutdown(self) -> None:
        return None
