"""Start-up: the sign-in window before the store is open, then the hand-over to the desk.

Real widgets offscreen, the real store (SQLite in the test's data folder) through
``app.begin`` where the store matters; a gate (threading.Event) holds the opening of the
services where the test needs the window to be up while the store is still opening.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from pser_desk import app
from pser_desk.commands.base import Context
from pser_desk.desk_lock import DeskLock
from pser_desk.gui.shell import DeskController
from pser_desk.gui.startup import EXIT_CANNOT_START, DeskStart
from pser_desk.store.engine import DB_FILENAME
from tests.plugins.gui import MANAGER

pytestmark = pytest.mark.gui


class Starts:
    """Makes DeskStarts on the test's data folder and shuts every one down afterwards."""

    def __init__(self, qapp: QApplication, data_dir: Path) -> None:
        self.qapp, self.data_dir = qapp, data_dir
        self.made: list[DeskStart] = []
        self.finished: list[int] = []

    def make(
        self,
        open_services: Callable[[], Any],
        *,
        demo: tuple[str, str] | None = None,
        new_pc: bool = False,
    ) -> DeskStart:
        data_dir = self.data_dir
        start = DeskStart(
            self.qapp,
            data_dir,
            "en",
            open_services,
            demo_credentials=demo,
            new_pc=new_pc,
        )
        start.finished.connect(self.finished.append)
        self.made.append(start)
        return start

    def close_all(self) -> None:
        for start in self.made:
            for widget in (start.early_login, start.error_box):
                if widget is not None:
                    widget.close()
            controller = start.controller
            start.shutdown()
            if controller is not None:
                for dialog in (controller.login_dialog, controller.first_run_dialog):
                    if dialog is not None:
                        dialog.close()
                        dialog.deleteLater()
                controller.window.close()
                controller.window.deleteLater()
            start.languages.set_language("en")


@pytest.fixture
def starts(qapp: QApplication, data_dir: Path) -> Iterator[Starts]:
    made = Starts(qapp, data_dir)
    yield made
    made.close_all()


def _services_with_manager(data_dir: Path) -> Callable[[], app.Services]:
    """The real services on the test's data folder, with one manager account."""

    def build() -> app.Services:
        services = app.build_services(Context(data_dir=data_dir), demo=False)
        if not services.desk.sessions.has_operators():
            services.desk.sessions.create_first_manager(MANAGER[0], MANAGER[1], MANAGER[2])
        return services

    return build


def _type_credentials(qtbot: Any, dialog: Any, operator: str, password: str) -> None:
    qtbot.keyClicks(dialog.ui.operatorEdit, operator)
    qtbot.keyClick(dialog.ui.operatorEdit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.ui.passwordEdit, password)


def test_sign_in_window_shows_before_the_store_opens_and_a_sign_in_typed_meanwhile_runs(
    qtbot: Any, starts: Starts, data_dir: Path
) -> None:
    gate = threading.Event()
    build = _services_with_manager(data_dir)

    def slow_open() -> app.Services:
        assert gate.wait(20), "the test never opened the gate"
        return build()

    start = starts.make(slow_open)
    shown: list[bool] = []
    start.login_shown.connect(lambda: shown.append(True))
    start.start()
    dialog = start.early_login
    assert dialog is not None
    assert dialog.isVisible()
    assert shown == [True]
    assert not dialog.ready
    assert start.controller is None  # nothing of the desk is built yet

    _type_credentials(qtbot, dialog, MANAGER[0], MANAGER[2])
    qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.ui.messageLabel.text() == "Opening the records on this PC..."
    assert not dialog.ui.loginButton.isEnabled()  # asked once; no second click meanwhile

    with qtbot.waitSignal(start.ready, timeout=20_000):
        gate.set()
    controller: DeskController = start.controller
    qtbot.waitUntil(lambda: controller.login is not None, timeout=10_000)
    assert controller.login.operator.operator_id == MANAGER[0]
    assert controller.window.isVisible()
    assert not isValid(dialog) or not dialog.isVisible()  # accepted, then deleted
    assert controller.login_dialog is None


def test_a_wrong_password_typed_before_the_store_opened_is_refused_in_words(
    qtbot: Any, starts: Starts, data_dir: Path
) -> None:
    gate = threading.Event()
    build = _services_with_manager(data_dir)
    start = starts.make(lambda: (gate.wait(20), build())[1])
    start.start()
    dialog = start.early_login
    assert dialog is not None
    _type_credentials(qtbot, dialog, MANAGER[0], "not-the-password")
    qtbot.mouseClick(dialog.ui.loginButton, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.login_failed, timeout=20_000):
        gate.set()
    assert "Wrong operator ID or password" in dialog.ui.messageLabel.text()
    assert dialog.isVisible()
    assert dialog.ui.loginButton.isEnabled()
    assert start.controller.login is None
    assert start.controller.login_dialog is dialog  # the desk took the window over


def test_a_new_pc_gets_the_first_run_window_without_a_sign_in_window_first(
    qtbot: Any, starts: Starts, data_dir: Path
) -> None:
    ctx = Context(data_dir=data_dir)
    assert app.is_new_pc(ctx, demo=False)
    assert not app.is_new_pc(ctx, demo=True)  # the demo makes its own manager
    start = starts.make(lambda: app.build_services(ctx, demo=False), new_pc=True)
    with qtbot.waitSignal(start.first_run_shown, timeout=20_000):
        start.start()
        assert start.early_login is None
    controller = start.controller
    assert controller.first_run_dialog is not None
    assert controller.first_run_dialog.isVisible()
    assert controller.login_dialog is None
    assert (data_dir / DB_FILENAME).exists()
    assert not app.is_new_pc(ctx, demo=False)  # from now on the sign-in window comes first


def test_a_store_with_no_operator_yet_replaces_the_sign_in_window_by_the_first_run(
    qtbot: Any, starts: Starts, data_dir: Path
) -> None:
    ctx = Context(data_dir=data_dir)
    app.build_services(ctx, demo=False).close()  # a database, but nobody in it
    assert not app.is_new_pc(ctx, demo=False)
    start = starts.make(lambda: app.build_services(ctx, demo=False))
    start.start()
    dialog = start.early_login
    assert dialog is not None
    assert dialog.isVisible()
    with qtbot.waitSignal(start.first_run_shown, timeout=20_000):
        pass
    assert not dialog.isVisible()
    assert starts.finished == []  # closing the early window did not end the desk
    assert start.controller.first_run_dialog.isVisible()


@pytest.mark.allow_log_warnings  # the refusal is logged (the error's type only)
def test_a_damaged_database_closes_the_sign_in_window_and_says_how_to_restore(
    qtbot: Any, starts: Starts, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    damaged = b"this is no database " * 500
    (data_dir / DB_FILENAME).write_bytes(damaged)
    ctx = Context(data_dir=data_dir)
    start = starts.make(lambda: app.build_services(ctx, demo=False))
    failed: list[str] = []
    start.failed.connect(failed.append)
    start.start()
    dialog = start.early_login
    assert dialog is not None
    qtbot.waitUntil(lambda: failed != [], timeout=20_000)
    assert failed == ["store.corrupt"]
    assert not isValid(dialog) or not dialog.isVisible()  # closed (and maybe deleted by now)
    box = start.error_box
    assert box is not None
    assert box.isVisible()
    assert "database on this PC is damaged" in box.text()
    assert "restore" in box.text()
    assert "pser-desk restore" in box.informativeText()
    assert "Traceback" not in box.text() + box.informativeText()
    assert start.exit_code == EXIT_CANNOT_START
    assert starts.finished == []
    box.button(QMessageBox.StandardButton.Close).click()
    assert starts.finished == [EXIT_CANNOT_START]
    assert (data_dir / DB_FILENAME).read_bytes() == damaged  # never replaced


@pytest.mark.allow_log_warnings
def test_an_unexpected_start_failure_is_a_calm_box_pointing_at_the_log(
    qtbot: Any, starts: Starts
) -> None:
    def broken() -> app.Services:
        raise RuntimeError("disk on fire at /home/secret/path")

    start = starts.make(broken)
    failed: list[str] = []
    start.failed.connect(failed.append)
    start.start()
    qtbot.waitUntil(lambda: failed != [], timeout=10_000)
    box = start.error_box
    assert failed == ["internal"]
    assert box is not None
    assert "could not start" in box.text()
    assert "log file" in box.informativeText()
    assert "disk on fire" not in box.text() + box.informativeText()


@pytest.mark.allow_log_warnings
def test_a_desk_that_cannot_be_built_does_not_leave_the_sign_in_window_waiting(
    qtbot: Any, qapp: QApplication, data_dir: Path
) -> None:
    build = _services_with_manager(data_dir)

    class BrokenDesk:
        """Services that open, and a desk that fails to build on them."""

        def __init__(self) -> None:
            self.services = build()

        def make_controller(self, *_args: Any) -> Any:
            raise ValueError("a screen failed to build")

        def close(self) -> None:
            self.services.close()

    start = DeskStart(qapp, data_dir, "en", BrokenDesk)
    failed: list[str] = []
    start.failed.connect(failed.append)
    try:
        start.start()
        dialog = start.early_login
        assert dialog is not None
        qtbot.waitUntil(lambda: failed != [], timeout=20_000)
        assert failed == ["internal"]
        assert not isValid(dialog) or not dialog.isVisible()
        assert start.error_box is not None
        assert start.error_box.isVisible()
    finally:
        if start.error_box is not None:
            start.error_box.close()
        start.shutdown()  # the services opened are closed though no desk was built
    assert isinstance(start.services, BrokenDesk)
    assert start.services.services.closers == []


def test_closing_the_sign_in_window_while_the_store_opens_ends_and_closes_everything(
    qtbot: Any, starts: Starts, data_dir: Path
) -> None:
    gate = threading.Event()
    build = _services_with_manager(data_dir)
    closed: list[str] = []

    def slow_open() -> app.Services:
        gate.wait(20)
        services = build()
        services.closers.append(lambda: closed.append("services"))
        return services

    start = starts.make(slow_open)
    start.start()
    dialog = start.early_login
    assert dialog is not None
    qtbot.mouseClick(dialog.ui.quitButton, Qt.MouseButton.LeftButton)
    assert starts.finished == [0]
    gate.set()
    start.shutdown()  # as app.run does once the event loop returns
    assert closed == ["services"]  # built after the quit, still closed
    assert start.controller is None


def test_app_begin_on_a_known_pc_shows_sign_in_then_the_desk_signs_in_for_real(
    qtbot: Any, qapp: QApplication, data_dir: Path
) -> None:
    ctx = Context(data_dir=data_dir)
    _services_with_manager(data_dir)().close()
    start = app.begin(ctx, demo=False, qt_app=qapp)
    try:
        dialog = start.early_login
        assert dialog is not None
        assert dialog.isVisible()
        _type_credentials(qtbot, dialog, MANAGER[0], MANAGER[2])
        with qtbot.waitSignal(start.ready, timeout=20_000):
            pass
        qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: start.controller.login is not None, timeout=10_000)
        assert start.controller.window.isVisible()
    finally:
        controller = start.controller
        start.shutdown()
        if controller is not None:
            controller.window.close()
            controller.window.deleteLater()
        start.languages.set_language("en")


def test_the_new_pc_check_names_the_stores_sqlite_file() -> None:
    assert app.SQLITE_FILE == DB_FILENAME


def test_the_sign_in_window_path_imports_nothing_heavy() -> None:
    """What stands between a double-click and the sign-in window stays light: the store,
    the central client, PDF and camera libraries load behind the window (a regression
    guard for the cold-start figure in docs/performance.md)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from pser_desk import cli, app\n"
        "from pser_desk.gui import logsetup, startup\n"
        "heavy = ('sqlalchemy', 'alembic', 'requests', 'pypdfium2', 'cv2', 'reportlab',\n"
        "         'numpy', 'cryptography', 'pser_desk.store', 'pser_desk.sync',\n"
        "         'pser_desk.documents', 'pser_desk.domain.form', 'pser_desk.gui.shell')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy\n"
        "             or any(m.startswith(h + '.') for h in heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_second_window_on_the_same_data_folder_says_the_desk_is_already_open(
    qapp: QApplication, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = Context(data_dir=data_dir)
    _services_with_manager(data_dir)().close()
    first = app.begin(ctx, demo=False, qt_app=qapp)
    shown: list[QMessageBox] = []
    root_handlers = list(logging.getLogger().handlers)
    try:
        with pytest.raises(app.DeskAlreadyOpen):
            app.begin(ctx, demo=False, qt_app=qapp)
        monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
        assert app.run(ctx) == app.EXIT_ALREADY_OPEN
    finally:
        for handler in set(logging.getLogger().handlers) - set(root_handlers):
            logging.getLogger().removeHandler(handler)
            handler.close()
        if first.early_login is not None:
            first.early_login.close()
        first.shutdown()
        first.languages.set_language("en")
    assert [box.objectName() for box in shown] == ["AlreadyOpenBox"]
    assert "already open on this PC" in shown[0].text()
    log_text = (data_dir / "logs" / "pser-desk.log").read_text(encoding="utf-8")
    assert "already open on this data folder" in log_text
    # Closed, the first window let go of the data folder: the next copy may start.
    lock = DeskLock(data_dir)
    assert lock.acquire()
    lock.release()
