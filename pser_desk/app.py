"""Wiring: builds the services once and hands them to the views (the only non-GUI Qt user).

``build_services`` opens the store (a damaged database stops here, with the restore
command, before any window), makes the day's backup, puts records a crash left
``sending`` back in the queue and, for ``--demo``, starts the reference central service
on loopback and enrols with it. ``build_controller`` makes the views.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pser_desk import __version__

if TYPE_CHECKING:
    from pser_desk.commands.base import Context
    from pser_desk.gui.store_backend import StoreBackend

log = logging.getLogger(__name__)

DEMO_MANAGER = ("demo", "demo-desk-2024")
DEMO_MANAGER_NAME = "Demo Manager"
DEMO_CENTRE = "LHR-0042"
DEMO_CENTRAL_DIR = "demo-central"
DEMO_CAMERA = "simulated"
SQLITE_FILE = "pser.db"  # store.engine.DB_FILENAME, not imported: start-up stays light
EXIT_ALREADY_OPEN = 4  # a second start on the same data folder: the first window came forward


class StartupError(Exception):
    """The desk cannot start; ``code`` picks the words, ``detail`` is what to do (no data)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class DeskAlreadyOpen(StartupError):
    """Another window holds this data folder's lock (``pser_desk.desk_lock``)."""

    def __init__(self) -> None:
        super().__init__("desk.open", "PSER Desk is already open on this PC.")


@dataclass
class Services:
    """What ``run`` built; ``close()`` undoes it in reverse order."""

    backend: Any
    demo_credentials: tuple[str, str] | None = None
    closers: list[Any] = field(default_factory=list)
    demo_url: str | None = None
    updates: Any = None  # the updater (update.flow.UpdateFlow), made off the GUI thread

    def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:
                log.exception("closing a service failed")
        self.closers.clear()


def _open_store(ctx: Context, data_dir: Path) -> Any:
    from pser_desk.gui.store_backend import store_error_code
    from pser_desk.security.passwords import PRODUCTION_PARAMS
    from pser_desk.store import StoreError, StoreService

    try:
        return StoreService.open(
            ctx.db_url, data_dir, password_cost=ctx.password_cost or PRODUCTION_PARAMS
        )
    except StoreError as exc:
        log.error("the database cannot be opened: %s", exc.__class__.__name__)
        raise StartupError(store_error_code(exc), str(exc)) from None


def _start_demo_central(data_dir: Path) -> Any:
    from pser_desk import paths
    from pser_desk.central.server import CentralServer
    from pser_desk.central.service import CentralService

    service = CentralService(data_dir / DEMO_CENTRAL_DIR, forms_dir=paths.forms_dir())
    return CentralServer(service, "127.0.0.1", 0).start()


def _prepare_demo(backend: StoreBackend, server: Any) -> None:
    """Enrol with the embedded central (or follow it to today's port) and add the manager."""
    identity = backend.store.device.current()
    if identity is None:
        token = server.service.new_token(DEMO_CENTRE)
        backend.enroll(server.url, DEMO_CENTRE, token)
    elif identity.central_url != server.url:
        backend.store.device.save(dataclasses.replace(identity, central_url=server.url))
    if not backend.has_operators():
        backend.create_manager(DEMO_MANAGER[0], DEMO_MANAGER_NAME, DEMO_MANAGER[1])


def build_services(ctx: Context, demo: bool) -> Services:
    """The store-backed services; raises :class:`StartupError` when the desk cannot start."""
    from pser_desk.gui.store_backend import StoreBackend
    from pser_desk.store.backup import auto_backup
    from pser_desk.store.errors import StoreError
    from pser_desk.sync.worker import Backoff

    data_dir = ctx.ensure_data_dir()
    store = _open_store(ctx, data_dir)
    services = Services(backend=None, closers=[store.close])
    if not demo:  # the demo's central has no update repository
        from pser_desk.update.flow import desk_flow

        services.updates = desk_flow(data_dir, ctx.db_url)
    try:
        backend = StoreBackend(store, data_dir, backoff=Backoff(1.0, 30.0) if demo else None)
        services.backend = backend
        services.closers.append(backend.close)
        try:
            auto_backup(store.store)
        except (StoreError, OSError) as exc:
            log.warning("the daily backup was not made: %s", exc.__class__.__name__)
        recovered = backend.recover()
        if recovered:
            log.info("%d record(s) left sending by the last run are queued again", recovered)
        if demo:
            server = _start_demo_central(data_dir)
            services.closers.insert(0, server.stop)  # stopped after the store is closed
            services.demo_url = server.url
            _prepare_demo(backend, server)
            services.demo_credentials = DEMO_MANAGER
    except BaseException:
        services.close()
        raise
    return services


def build_controller(
    services: Services,
    data_dir: Path,
    qt_app: Any,
    runner: Any = None,
    languages: Any = None,
) -> Any:
    """The desk's windows on *services*; *runner* and *languages* when start-up made them."""
    from pser_desk.gui.crash import install_crash_handler
    from pser_desk.gui.i18n import LanguageManager
    from pser_desk.gui.registration import attach_registration
    from pser_desk.gui.shell import DeskController
    from pser_desk.gui.tasks import TaskRunner
    from pser_desk.settings import load_settings

    runner = runner or TaskRunner()
    languages = languages or LanguageManager(qt_app, cache_dir=data_dir / "translations")
    settings = load_settings(data_dir)
    if services.demo_credentials is not None:
        settings.camera = DEMO_CAMERA
    controller = DeskController(
        services.backend,
        runner,
        languages,
        settings,
        data_dir,
        services.demo_credentials,
    )
    attach_registration(controller)
    # Closed in reverse: stop sending, join the worker lanes, then the backend and store.
    services.closers.append(runner.shutdown)
    services.closers.append(controller.sync.stop)
    install_crash_handler(controller, data_dir)
    from pser_desk.gui.manager import install_manager_screens
    from pser_desk.gui.scanning import install_scanning

    install_scanning(controller)
    install_manager_screens(controller)
    if services.updates is not None:
        from pser_desk.gui.updates import install_updates

        updates = install_updates(controller, services.updates)
        # Once the lanes are joined (a download slice stopped), before the store closes.
        services.closers.insert(services.closers.index(runner.shutdown), updates.driver.at_close)
    return controller


def is_new_pc(ctx: Context, demo: bool) -> bool:
    """No database yet (the default SQLite file is missing): the first run comes first.

    Cheap on purpose (no store import): it decides whether start-up shows the sign-in
    window before the store is open. A shared PostgreSQL database is never "new" here;
    a desk with no operator yet still gets the first run once the store answers.
    """
    return not demo and ctx.db_url is None and not (ctx.data_dir / SQLITE_FILE).exists()


def begin(ctx: Context, demo: bool, qt_app: Any) -> Any:
    """Show the first window now, then start the log file and open the store behind it.

    Returns the :class:`pser_desk.gui.startup.DeskStart` (``app.run`` and the start-up
    probe both start the desk through here, so the benchmark pays what an operator does).
    """
    from PySide6.QtCore import QTimer

    from pser_desk.desk_lock import DeskLock
    from pser_desk.gui.startup import DeskStart
    from pser_desk.settings import load_settings

    data_dir = ctx.ensure_data_dir()
    lock = DeskLock(data_dir)  # one window per data folder; released by start.shutdown()
    if not lock.acquire():
        raise DeskAlreadyOpen()

    def start_logging() -> None:
        from pser_desk.gui.logsetup import configure_file_logging

        log_file = configure_file_logging(data_dir)
        log.info(
            "pser-desk %s: starting the desk (demo=%s); log file %s",
            __version__, demo, log_file.name,
        )  # fmt: skip

    try:
        start = DeskStart(
            qt_app,
            data_dir,
            load_settings(data_dir).language,
            lambda: build_services(ctx, demo),
            lambda services, runner, languages: build_controller(
                services, data_dir, qt_app, runner, languages
            ),
            demo_credentials=DEMO_MANAGER if demo else None,
            new_pc=is_new_pc(ctx, demo),
            after_shown=start_logging,
        )
    except BaseException:
        lock.release()
        raise
    start.after_shutdown.append(lock.release)
    start.finished.connect(lambda _code: qt_app.quit())
    start.start()
    # Once the first window is on screen (QtNetwork is not on the sign-in window's path).
    QTimer.singleShot(0, start, lambda: _open_front_door(start, data_dir))
    return start


def _open_front_door(start: Any, data_dir: Path) -> None:
    """A second start on this data folder brings this window to the front."""
    from pser_desk.gui.single_window import FrontDoor, bring_to_front, front_window_of

    door = FrontDoor(data_dir, start)
    pick = front_window_of(start)
    door.knocked.connect(lambda: bring_to_front(pick()))
    door.listen()
    start.front_door = door


def run(ctx: Context, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from pser_desk.gui.logsetup import hold_early_records, route_qt_messages

    hold_early_records()  # until the log file starts, just after the window shows
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    route_qt_messages()
    qt_app.setApplicationName("PSER Desk")
    from pser_desk.gui.single_window import knock

    if knock(ctx.data_dir):  # a window is open on this data folder: it comes forward
        log.info("the desk is already open on this data folder: brought to the front")
        return EXIT_ALREADY_OPEN
    try:  # no window answered the knock, yet the folder's lock may be held (still starting)
        start = begin(ctx, demo, qt_app)
    except DeskAlreadyOpen:
        from pser_desk.gui.crash import already_open_box
        from pser_desk.gui.logsetup import configure_file_logging

        configure_file_logging(ctx.data_dir)
        log.info("the desk is already open on this data folder: this copy ends")
        already_open_box().exec()
        return EXIT_ALREADY_OPEN
    try:
        code = int(qt_app.exec())
    finally:
        start.shutdown()
    code = start.exit_code or code
    log.info("desk closed with code %s", code)
    return code
