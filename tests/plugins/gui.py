"""Fixtures for the Qt views: a real task runner, the in-memory backend, the desk controller.

Every test here runs real widgets offscreen (``QT_QPA_PLATFORM=offscreen`` in conftest).
A test that leaves a QThread running fails, whoever started it (tests/gui/test_threads.py
leaks one on purpose to prove it); Python threads are checked by ``tests/conftest.py``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The offscreen platform says it cannot do these window-manager things; that is no failure.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise|requestActivate)\(\)"


MANAGER = ("mgr1", "Manager One", "centre-manager-77")
OPERATOR = ("op7", "Operator Seven", "counter-seven-77")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("gui") is not None:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


_started_qthreads: weakref.WeakSet[Any] = weakref.WeakSet()


def pytest_configure(config: pytest.Config) -> None:
    """Every QThread a test starts is noted (``QThread.start`` wrapped once per session),
    so that a thread left running fails the test whoever started it."""
    from PySide6.QtCore import QThread

    original = QThread.start
    if getattr(original, "_pser_tracked", False):
        return

    def start(self: QThread, *args: Any, **kwargs: Any) -> None:
        _started_qthreads.add(self)
        original(self, *args, **kwargs)

    start._pser_tracked = True  # type: ignore[attr-defined]
    QThread.start = start  # type: ignore[method-assign]


def running_qthreads() -> list[Any]:
    """The QThreads started so far that are still running."""
    alive = []
    for thread in list(_started_qthreads):
        try:
            if thread.isRunning():
                alive.append(thread)
        except RuntimeError:  # the C++ object is already gone
            continue
    return alive


def check_no_running_qthreads(before: list[Any], wait_ms: int = 2000) -> None:
    """Fail when a QThread not in *before* is still running after *wait_ms* (the fixture
    below, and tests/gui/test_threads.py)."""
    for thread in running_qthreads():
        if thread not in before:
            thread.wait(wait_ms)
    still = [t.objectName() or type(t).__name__ for t in running_qthreads() if t not in before]
    if still:
        pytest.fail(f"test left QThreads running: {still}")


@pytest.fixture(autouse=True)
def _no_running_qthreads(request: pytest.FixtureRequest) -> Iterator[None]:
    before = running_qthreads()  # a thread an earlier test leaked is that test's failure
    yield
    if request.node.get_closest_marker("allow_threads") is None:
        check_no_running_qthreads(before)


@pytest.fixture
def runner(qapp: Any) -> Iterator[Any]:
    """The real two-lane runner; shut down (threads joined) after the test."""
    from pser_desk.gui.tasks import TaskRunner

    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()
    task_runner.deleteLater()


@pytest.fixture
def wait_idle(qtbot: Any, runner: Any) -> Any:
    """Call to wait until every task handed to the runner has delivered its result."""

    def _wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: runner.pending == 0, timeout=timeout)

    return _wait


@pytest.fixture
def memory_backend() -> Any:
    """The in-memory backend with a manager and an operator, the PC enrolled."""
    from pser_desk.gui.memory_backend import MemoryBackend

    backend = MemoryBackend()
    backend.create_manager(*MANAGER)
    backend.add_operator(*OPERATOR, role="operator")
    backend.enroll("http://127.0.0.1:1/api/v1", "LHR-0042", "TOKEN")
    return backend


@pytest.fixture
def languages(qapp: Any, tmp_path: Path) -> Iterator[Any]:
    """The language manager; English (left to right) is restored after the test."""
    from pser_desk.gui.i18n import LanguageManager

    manager = LanguageManager(qapp, cache_dir=tmp_path / "qm")
    yield manager
    manager.set_language("en")
    manager.deleteLater()


@pytest.fixture
def make_controller(qtbot: Any, runner: Any, languages: Any, data_dir: Path) -> Iterator[Any]:
    """Builds a DeskController on a backend; closes its windows after the test."""
    from pser_desk.gui.shell import DeskController
    from pser_desk.settings import DeskSettings

    made: list[Any] = []

    def _make(backend: Any, settings: Any = None, demo: Any = None) -> Any:
        controller = DeskController(
            backend, runner, languages, settings or DeskSettings(), data_dir, demo
        )
        qtbot.addWidget(controller.window)
        made.append(controller)
        return controller

    yield _make
    for controller in made:
        controller.shutdown()
        for dialog in (controller.login_dialog, controller.first_run_dialog):
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()


@pytest.fixture
def store_desk(data_dir: Path, central_server: Any) -> Iterator[Any]:
    """The real backend: SQLite in the test's data dir, a manager and an operator, the PC
    enrolled with the reference central service on loopback (short retry backoff)."""
    from pser_desk.gui.store_backend import StoreBackend
    from pser_desk.store import StoreService
    from pser_desk.sync.worker import Backoff
    from tests.plugins.store import FAST_SCRYPT

    data_dir.mkdir(parents=True, exist_ok=True)
    store = StoreService.open(None, data_dir, password_cost=FAST_SCRYPT)
    backend = StoreBackend(store, data_dir, device_name="Counter 3", backoff=Backoff(0.2, 1.0))
    backend.create_manager(MANAGER[0], MANAGER[1], MANAGER[2])
    manager = backend.login(MANAGER[0], MANAGER[2])
    backend.add_operator(OPERATOR[0], OPERATOR[1], OPERATOR[2], "operator", by=manager)
    backend.enroll(central_server.url, "LHR-0042", central_server.new_token("LHR-0042"))
    backend.central = central_server
    try:
        yield backend
    finally:
        backend.close()
        store.close()
