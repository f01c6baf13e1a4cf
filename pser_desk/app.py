"""Wiring: builds the services once and hands them to the views (the only non-GUI Qt user).

``build_services`` opens the store (a damaged database stops here, with the restore
command, before any window), makes the day's backup, puts records a crash left
``sending`` back in the queue and, for ``--demo``, starts the reference central service
on loopback and enrols with it. ``build_controller`` makes the views.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


class StartupError(Exception):
    """The desk cannot start; ``code`` picks the words, ``detail`` is what to do (no data)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class Services:
    """What ``run`` built; ``close()`` undoes it in reverse order."""

    backend: Any
    demo_credentials: tuple[str, str] | None = None
    closers: list[Any] = field(default_factory=list)
    demo_url: str | None = None

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
    from pser_desk.gui.startup import DeskStart
    from pser_desk.settings import load_settings

    data_dir = ctx.ensure_data_dir()

    def start_logging() -> None:
        from pser_desk.gui.logsetup import configure_file_logging

        log_file = configure_file_logging(data_dir)
        log.info("starting the desk (demo=%s); log file %s", demo, log_file.name)

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
    start.finished.connect(lambda _code: qt_app.quit())
    start.start()
    return start


def run(ctx: Context, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from pser_desk.gui.logsetup import hold_early_records, route_qt_messages

    hold_early_records()  # until the log file starts, just after the window shows
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    route_qt_messages()
    qt_app.setApplicationName("PSER Desk")
    start = begin(ctx, demo, qt_app)
    try:
        code = int(qt_app.exec())
    finally:
        start.shutdown()
    code = start.exit_code or code
    log.info("desk closed with code %s", code)
    return code


def startup_probe(ctx: Context, timeout_ms: int) -> int:
    """Start the real desk (demo defaults) as ``app.run`` does; exit 0 once it is ready.

    Prints ``login shown after N.NN s`` when the sign-in window is on screen (the next
    turn of the event loop after it is shown, as the benchmark's bare window does), then
    ``ready after N.NN s`` once the store is open and the window can sign in (times from
    this function's start). Exit code 1 when that does not happen within *timeout_ms*.
    """
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from pser_desk.gui.logsetup import hold_early_records, route_qt_messages

    # As ``app.run`` does (the log file starts in ``app.begin``): the probe pays the same.
    hold_early_records()  # until the log file starts, just after the window shows
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    route_qt_messages()
    outcome: dict[str, float] = {}

    def note(what: str) -> None:
        if what not in outcome:
            outcome[what] = time.perf_counter() - started
            # At once, so that a benchmark reading stdout sees the moment, not the shutdown.
            ctx.stdout.write(f"{what} after {outcome[what]:.2f} s\n")
            ctx.stdout.flush()

    def ready(controller: Any) -> None:
        dialog = controller.login_dialog
        if dialog is not None and dialog.backend_ready and dialog.isVisible():
            note("ready")
        QTimer.singleShot(0, qt_app.quit)

    QTimer.singleShot(timeout_ms, qt_app.quit)
    start = None
    try:
        start = begin(ctx, demo=True, qt_app=qt_app)
        log.info("startup probe: to quit once the desk is ready")
        start.ready.connect(ready)
        start.failed.connect(lambda _code: qt_app.quit())
        if start.early_login is not None and start.early_login.isVisible():
            QTimer.singleShot(0, lambda: note("login shown"))
        qt_app.exec()
    finally:
        if start is not None:
            start.shutdown()
    if "login shown" not in outcome or "ready" not in outcome:
        ctx.stdout.write("the desk was not ready within the time allowed\n")
        return 1
    log.info("startup probe: login shown after %.2f s, ready after %.2f s",
             outcome["login shown"], outcome["ready"])  # fmt: skip
    return 0
