"""Fixtures for the Qt views: a real task runner, the desk (the application layer on SQLite),
the desk controller.

Every test here runs real widgets offscreen (``QT_QPA_PLATFORM=offscreen`` in conftest).
A test that leaves a QThread running fails, whoever started it (tests/gui/test_threads.py
leaks one on purpose to prove it); Python threads are checked by ``tests/conftest.py``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pser_desk.desk.model import Draft, LoginResult
from pser_desk.desk.records import stamp, unstamp
from pser_desk.domain.accounts import Role
from pser_desk.domain.records import QueuedRecord
from pser_desk.store.sealing import new_submission_id

if TYPE_CHECKING:
    from pser_desk.desk.services import Desk

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
def languages(qapp: Any, tmp_path: Path) -> Iterator[Any]:
    """The language manager; English (left to right) is restored after the test."""
    from pser_desk.gui.i18n import LanguageManager

    manager = LanguageManager(qapp, cache_dir=tmp_path / "qm")
    yield manager
    manager.set_language("en")
    manager.deleteLater()


@pytest.fixture
def make_controller(qtbot: Any, runner: Any, languages: Any) -> Iterator[Any]:
    """Builds a DeskController on a desk (or a DeskKit); closes its windows after the test."""
    from pser_desk.desk.settings import DeskSettings
    from pser_desk.gui.shell import DeskController

    made: list[Any] = []

    def _make(desk: Any, settings: Any = None, demo: Any = None, registration: bool = False
              ) -> Any:  # fmt: skip
        from pser_desk.app import registration_page

        desk = desk.desk if isinstance(desk, DeskKit) else desk
        page = registration_page(desk, runner, languages) if registration else None
        controller = DeskController(
            desk, runner, languages, settings or DeskSettings(), demo, registration=page
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


@dataclass
class DeskKit:
    """The application layer on SQLite in the test's data folder, as the window uses it,
    with the few shortcuts the views' tests need (records given whole, as JSON)."""

    desk: Desk
    central: Any = None  # tests.plugins.central.CentralHandle once enrolled

    @property
    def data_dir(self) -> Path:
        return self.desk.data_dir

    def login(self, operator_id: str, password: str) -> LoginResult:
        return self.desk.sessions.login(operator_id, password)

    def operator(self) -> LoginResult:
        return self.login(OPERATOR[0], OPERATOR[2])

    def _draft(self, sid: str, record: Mapping[str, object]) -> Draft:
        named, parts = unstamp(record)
        return Draft(sid, named or self.desk.forms.current_ref(), parts)

    def queue(self, login: LoginResult, record: Mapping[str, object], sid: str | None = None
              ) -> QueuedRecord:  # fmt: skip
        return self.desk.records.queue(login, self._draft(sid or new_submission_id(), record))

    def save_draft(self, login: LoginResult, sid: str, record: Mapping[str, object]) -> None:
        self.desk.records.save_draft(login, self._draft(sid, record))

    def load(self, login: LoginResult, sid: str) -> dict[str, object]:
        """The stored record, stamped (as central receives it)."""
        opened = self.desk.records.open(login, sid)
        return stamp(sid, opened.form, opened.parts)

    def load_draft(self, login: LoginResult, sid: str) -> dict[str, object] | None:
        opened = self.desk.records.open_draft(login, sid)
        return None if opened is None else stamp(sid, opened.form, opened.parts)

    def state_of(self, sid: str) -> str:
        return self.desk.store.records.get(sid).state.value


@pytest.fixture
def make_desk(data_dir: Path) -> Iterator[Callable[..., DeskKit]]:
    """Opens desks (SQLite in the test's data dir, cheap password hashing, short retry
    backoff) with the test's manager and operator unless ``operators=False``, enrolled
    with *central* when given; closes them after the test."""
    from pser_desk.desk.services import open_desk
    from pser_desk.sync.worker import Backoff
    from tests.plugins.store import FAST_SCRYPT

    made: list[DeskKit] = []

    def _make(
        central: Any = None, *, operators: bool = True, folder: Path | None = None,
        clock: Callable[[], datetime] | None = None, db_url: str | None = None,
        sender: str = "window",
    ) -> DeskKit:  # fmt: skip
        where = folder or data_dir
        where.mkdir(parents=True, exist_ok=True)
        extra: dict[str, Any] = {} if clock is None else {"clock": clock}
        desk = open_desk(db_url, where, password_cost=FAST_SCRYPT, backoff=Backoff(0.2, 1.0),
                         device_name="Counter 3", sender=sender, **extra)  # fmt: skip
        kit = DeskKit(desk)
        made.append(kit)
        if operators:
            desk.sessions.create_first_manager(*MANAGER)
            manager = desk.sessions.login(MANAGER[0], MANAGER[2])
            desk.accounts.add(manager, OPERATOR[0], OPERATOR[1], Role.OPERATOR, OPERATOR[2])
        if central is not None:
            desk.enrolment.enrol(central.url, "LHR-0042", central.new_token("LHR-0042"))
            kit.central = central
        return kit

    yield _make
    for kit in made:
        kit.desk.close()


@pytest.fixture
def store_desk(make_desk: Callable[..., DeskKit], central_server: Any) -> DeskKit:
    """The desk: SQLite in the test's data dir, a manager and an operator, the PC enrolled
    with the reference central service on loopback (short retry backoff)."""
    return make_desk(central_server)
