"""Wiring: builds the application layer once and hands it to the views (the only non-GUI Qt user).

``build_services`` opens the desk (:func:`pser_desk.desk.services.open_desk`: a damaged
database stops here, with the restore command, before any window), makes the day's
backup, puts records a crash left ``sending`` back in the queue and, for ``--demo``,
starts the reference central service on loopback and enrols with it.
``build_controller`` makes the views on it, each collaborator once.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pser_desk.desk.errors import ErrorCode, StartupError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from pser_desk.central.server import CentralServer
    from pser_desk.commands.base import Context
    from pser_desk.desk.protocol import DeskApi
    from pser_desk.desk.services import Desk
    from pser_desk.gui.i18n import LanguageManager
    from pser_desk.gui.registration import RegistrationPage
    from pser_desk.gui.shell import DeskController
    from pser_desk.gui.startup import DeskStart
    from pser_desk.gui.tasks import Runner

log = logging.getLogger(__name__)

DEMO_MANAGER = ("demo", "demo-desk-2024")
DEMO_MANAGER_NAME = "Demo Manager"
DEMO_CENTRE = "LHR-0042"
DEMO_CENTRAL_DIR = "demo-central"
SQLITE_FILE = "pser.db"  # store.engine.DB_FILENAME, not imported: start-up stays light
EXIT_ALREADY_OPEN = 4  # a second start on the same data folder: the first window came forward

__all__ = ["StartupError"]


class DeskAlreadyOpen(StartupError):
    """Another window holds this data folder's lock (``pser_desk.desk_lock``)."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.ALREADY_OPEN, "PSER Desk is already open on this PC.")


@dataclass
class Services:
    """What ``build_services`` built; ``close()`` undoes it in reverse order."""

    desk: Desk
    data_dir: Path
    demo_credentials: tuple[str, str] | None = None
    demo_url: str | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)

    def make_controller(self, runner: Runner, languages: LanguageManager) -> DeskController:
        """The desk's windows (start-up made the runner and the language manager)."""
        return build_controller(self, runner, languages)

    def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:
                log.exception("closing a service failed")
        self.closers.clear()


def _open_desk(ctx: Context, data_dir: Path, demo: bool) -> Desk:
    from pser_desk.desk.errors import DeskError
    from pser_desk.desk.sending import Backoff, backoff_from_env
    from pser_desk.desk.services import open_desk
    from pser_desk.security.passwords import PRODUCTION_PARAMS

    try:
        backoff = Backoff(1.0, 30.0) if demo else backoff_from_env()
    except DeskError as exc:
        log.warning("%s; the contract's backoff is used", exc)
        backoff = Backoff()
    try:
        return open_desk(
            ctx.db_url, data_dir, password_cost=ctx.password_cost or PRODUCTION_PARAMS,
            sender="window", backoff=backoff,
        )  # fmt: skip
    except DeskError as exc:
        log.error("the database cannot be opened: %s", exc.code.value)
        raise StartupError(exc.code, str(exc)) from None


def _start_demo_central(data_dir: Path) -> CentralServer:
    from pser_desk import paths
    from pser_desk.central.server import CentralServer
    from pser_desk.central.service import CentralService

    service = CentralService(data_dir / DEMO_CENTRAL_DIR, forms_dir=paths.forms_dir())
    return CentralServer(service, "127.0.0.1", 0).start()


def _prepare_demo(desk: Desk, server: CentralServer) -> None:
    """Enrol with the embedded central (or follow it to today's port) and add the manager."""
    if not desk.sessions.has_operators():
        desk.sessions.create_first_manager(DEMO_MANAGER[0], DEMO_MANAGER_NAME, DEMO_MANAGER[1])
    if desk.enrolment.identity() is None:
        token = server.service.new_token(DEMO_CENTRE)
        desk.enrolment.enrol(server.url, DEMO_CENTRE, token)
    else:
        desk.enrolment.follow_central(server.url)


def build_services(ctx: Context, demo: bool) -> Services:
    """The application layer and what runs beside it; raises :class:`StartupError` when the
    desk cannot start."""
    from pser_desk.desk.errors import DeskError

    data_dir = ctx.ensure_data_dir()
    desk = _open_desk(ctx, data_dir, demo)
    services = Services(desk, data_dir, closers=[desk.close])
    try:
        try:
            desk.maintenance.daily_backup()
        except DeskError as exc:
            log.warning("the daily backup was not made: %s", exc.code.value)
        recovered = desk.sending.recover()
        if recovered:
            log.info("%d record(s) left sending by the last run are queued again", recovered)
        if demo:
            server = _start_demo_central(data_dir)
            services.closers.insert(0, server.stop)  # stopped after the store is closed
            services.demo_url = server.url
            _prepare_demo(desk, server)
            services.demo_credentials = DEMO_MANAGER
    except BaseException:
        services.close()
        raise
    return services


def build_controller(
    services: Services,
    runner: Runner | None = None,
    languages: LanguageManager | None = None,
) -> DeskController:
    """The desk's windows on *services*; *runner* and *languages* when start-up made them."""
    import dataclasses

    from PySide6.QtWidgets import QApplication

    from pser_desk.desk.settings import SIMULATED_CAMERA
    from pser_desk.gui.crash import install_crash_handler
    from pser_desk.gui.i18n import LanguageManager
    from pser_desk.gui.manager import install_manager_screens
    from pser_desk.gui.scanning import install_scanning
    from pser_desk.gui.shell import DeskController
    from pser_desk.gui.tasks import TaskRunner

    desk, data_dir = services.desk, services.data_dir
    runner = runner or TaskRunner()
    if languages is None:
        qt_app = QApplication.instance()
        assert isinstance(qt_app, QApplication), "the window needs a QApplication"
        languages = LanguageManager(qt_app, cache_dir=data_dir / "translations")
    settings = desk.settings.current()
    if services.demo_credentials is not None:
        settings = dataclasses.replace(settings, camera=SIMULATED_CAMERA)
    registration = registration_page(desk, runner, languages)
    controller = DeskController(
        desk, runner, languages, settings, services.demo_credentials, registration=registration
    )
    # Closed in reverse: stop sending, join the worker lanes, then the desk and its store.
    services.closers.append(runner.shutdown)
    services.closers.append(controller.sync.stop)
    controller.crash_handler = install_crash_handler(controller, data_dir)
    controller.scanning = install_scanning(controller)
    controller.manager_screens = install_manager_screens(controller)
    return controller


def registration_page(
    desk: DeskApi, runner: Runner, languages: LanguageManager
) -> RegistrationPage:
    """The registration page: new registrations follow the desk's current form (the
    shipped one shows first, until the answer comes); the open draft is noted for a
    restart after a crash."""
    from pser_desk.domain.form import load_form
    from pser_desk.domain.geography import load_geography
    from pser_desk.gui.registration import RESUME_FILE, RegistrationPage

    page = RegistrationPage(
        load_form(), load_geography(), desk, runner, follow_current=True,
        resume_file=desk.data_dir / RESUME_FILE,
    )  # fmt: skip
    languages.language_changed.connect(page.set_language)
    page.set_language(languages.language)
    page.refresh_form()
    return page


def is_new_pc(ctx: Context, demo: bool) -> bool:
    """No database yet (the default SQLite file is missing): the first run comes first.

    Cheap on purpose (no store import): it decides whether start-up shows the sign-in
    window before the store is open. A shared PostgreSQL database is never "new" here;
    a desk with no operator yet still gets the first run once the store answers.
    """
    return not demo and ctx.db_url is None and not (ctx.data_dir / SQLITE_FILE).exists()


def begin(ctx: Context, demo: bool, qt_app: QApplication) -> DeskStart:
    """Show the first window now, then start the log file and open the store behind it.

    Returns the :class:`pser_desk.gui.startup.DeskStart` (``app.run`` and the start-up
    probe both start the desk through here, so the benchmark pays what an operator does).
    """
    from PySide6.QtCore import QTimer

    from pser_desk.desk.settings import load_settings
    from pser_desk.desk_lock import DeskLock
    from pser_desk.gui.startup import DeskStart

    data_dir = ctx.ensure_data_dir()
    lock = DeskLock(data_dir)  # one window per data folder; released by start.shutdown()
    if not lock.acquire():
        raise DeskAlreadyOpen()

    def start_logging() -> None:
        from pser_desk.gui.logsetup import configure_file_logging

        log_file = configure_file_logging(data_dir)
        log.info("starting the desk (demo=%s); log file %s", demo, log_file.name)

    try:
        start = DeskStart(
            qt_app,
            data_dir,
            load_settings(data_dir).language,
            lambda: build_services(ctx, demo),
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
    QTimer.singleShot(0, start, start.open_front_door)
    return start


def _qt_app() -> QApplication:
    """The running QApplication, or a new one (a QCoreApplication cannot show windows)."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return QApplication(sys.argv[:1])


def run(ctx: Context, demo: bool = False) -> int:
    from pser_desk.gui.logsetup import hold_early_records, route_qt_messages

    hold_early_records()  # until the log file starts, just after the window shows
    qt_app = _qt_app()
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


def startup_probe(ctx: Context, timeout_ms: int) -> int:
    """Start the real desk (demo defaults) as ``app.run`` does; exit 0 once it is ready.

    Prints ``login shown after N.NN s`` when the sign-in window is on screen (the next
    turn of the event loop after it is shown, as the benchmark's bare window does), then
    ``ready after N.NN s`` once the store is open and the window can sign in (times from
    this function's start), then ``platform NAME`` (Qt's platform plugin: ``windows`` in
    the Wine smoke test). Exit code 1 when that does not happen within *timeout_ms*, 4
    when another window holds the data folder.
    """
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from pser_desk.gui.logsetup import hold_early_records, route_qt_messages

    # As ``app.run`` does (the log file starts in ``app.begin``): the probe pays the same.
    hold_early_records()  # until the log file starts, just after the window shows
    qt_app = _qt_app()
    route_qt_messages()
    outcome: dict[str, float] = {}

    def note(what: str) -> None:
        if what not in outcome:
            outcome[what] = time.perf_counter() - started
            # At once, so that a benchmark reading stdout sees the moment, not the shutdown.
            ctx.stdout.write(f"{what} after {outcome[what]:.2f} s\n")
            ctx.stdout.flush()

    def ready(controller: DeskController) -> None:
        dialog = controller.login_dialog
        if dialog is not None and dialog.ready and dialog.isVisible():
            note("ready")
        QTimer.singleShot(0, qt_app.quit)

    QTimer.singleShot(timeout_ms, qt_app.quit)
    start = None
    try:
        try:
            start = begin(ctx, demo=True, qt_app=qt_app)
        except DeskAlreadyOpen as exc:
            ctx.stdout.write(f"{exc.detail}\n")
            return EXIT_ALREADY_OPEN
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
    from PySide6.QtGui import QGuiApplication

    ctx.stdout.write(f"platform {QGuiApplication.platformName()}\n")  # windows, xcb, offscreen
    return 0
