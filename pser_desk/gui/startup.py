"""Start-up: the sign-in window at once, the database opened behind it.

An operator starts the desk many times a day. Opening the store (SQLAlchemy, the
migrations check, the day's backup, records a crash left ``sending``) and building the
screens takes about a second; the sign-in window needs none of it. So :class:`DeskStart`
shows the sign-in window first, opens the services on the database lane, then builds the
desk and hands it the window: a sign-in typed meanwhile runs as soon as the store is open.

On a new PC (no database yet) there is nobody to sign in: the first-run window is shown
once the store is ready instead. When the store cannot be opened, the sign-in window
closes and a calm box says what to do (:func:`pser_desk.gui.crash.startup_error_box`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pser_desk.desk.errors import DeskError, StartupError
from pser_desk.gui.i18n import LanguageManager
from pser_desk.gui.login import LoginDialog
from pser_desk.gui.tasks import Runner, TaskRunner

if TYPE_CHECKING:  # the desk's windows load once the store is open
    from pser_desk.gui.shell import DeskController
    from pser_desk.gui.single_window import FrontDoor

log = logging.getLogger(__name__)

EXIT_CANNOT_START = 3


class OpenedDesk(Protocol):
    """What opening the services gave (``app.Services``): the desk's windows are made
    from it on the GUI thread, and it is closed at the end."""

    def make_controller(self, runner: Runner, languages: LanguageManager) -> DeskController: ...
    def close(self) -> None: ...


OpenServices = Callable[[], OpenedDesk]  # run on the database lane


class DeskStart(QObject):
    """Owns the desk from the first window to the hand-over to the ``DeskController``."""

    login_shown = Signal()
    first_run_shown = Signal()
    ready = Signal(object)  # the DeskController: its sign-in (or first-run) window is usable
    failed = Signal(str)  # the error code
    finished = Signal(int)  # the desk should end now, with this exit code

    def __init__(
        self,
        qt_app: QApplication,
        data_dir: Path,
        language: str,
        open_services: OpenServices,
        demo_credentials: tuple[str, str] | None = None,
        new_pc: bool = False,
        after_shown: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._app = qt_app
        self._language = language
        self._open_services = open_services
        self._demo = demo_credentials
        self._new_pc = new_pc
        self._after_shown = after_shown
        self.runner = TaskRunner()
        self.languages = LanguageManager(qt_app, cache_dir=data_dir / "translations")
        self.services: OpenedDesk | None = None  # set on the lane as soon as they exist
        self.controller: DeskController | None = None
        self.early_login: LoginDialog | None = None
        self.error_box: QMessageBox | None = None
        self.exit_code = 0
        self.after_shutdown: list[Callable[[], None]] = []  # e.g. the data folder's desk lock
        self.front_door: FrontDoor | None = None  # a second start knocks here
        self._data_dir = data_dir
        self._closing = False
        self._ready_once = False

    def start(self) -> None:
        self.languages.set_language(self._language)
        if not self._new_pc:
            dialog = LoginDialog(None, self.runner, self._demo)
            dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            dialog.rejected.connect(self._on_early_login_closed)
            self.early_login = dialog
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()
            self.login_shown.emit()
        if self._after_shown is not None:  # e.g. the log file, before the store opens
            self._after_shown()
        self.runner.run_task(self._open, self._on_opened, self._on_failed)

    def _open(self) -> OpenedDesk:  # on the database lane
        services = self._open_services()
        self.services = services  # kept at once: a quit meanwhile must still close them
        return services

    def _on_opened(self, services: OpenedDesk) -> None:
        if self._closing:
            return
        try:
            controller = services.make_controller(self.runner, self.languages)
        except Exception as exc:  # the sign-in window must not wait for ever: say so
            self._on_failed(exc)
            return
        self.controller = controller
        controller.login_shown.connect(self.login_shown)
        controller.first_run_shown.connect(self.first_run_shown)
        controller.sign_in_ready.connect(lambda: self._on_ready(controller))
        controller.first_run_shown.connect(lambda: self._on_ready(controller))
        dialog, self.early_login = self.early_login, None
        if dialog is not None:
            dialog.rejected.disconnect(self._on_early_login_closed)
        controller.start(dialog)

    def _on_ready(self, controller: DeskController) -> None:
        if self._ready_once:
            return
        self._ready_once = True
        log.info("the desk is ready")
        self.ready.emit(controller)

    def _on_failed(self, exc: BaseException) -> None:
        code = exc.code.value if isinstance(exc, DeskError) else "internal"
        detail = exc.detail if isinstance(exc, StartupError) else None
        if detail is None:
            log.error("the desk could not start: %s", exc.__class__.__name__, exc_info=exc)
            detail = self.tr("The log file is in the logs folder of the data folder.")
        self.exit_code = EXIT_CANNOT_START
        dialog, self.early_login = self.early_login, None
        if dialog is not None:
            dialog.rejected.disconnect(self._on_early_login_closed)
            dialog.hide()
            dialog.deleteLater()
        if self._closing:
            return
        from pser_desk.gui.crash import startup_error_box

        box = startup_error_box(code, str(detail))
        box.finished.connect(lambda _result: self.finished.emit(self.exit_code))
        self.error_box = box
        box.open()
        self.failed.emit(code)

    def _on_early_login_closed(self) -> None:
        log.info("sign-in closed before the desk was ready: quitting")
        self.finished.emit(self.exit_code)

    def front_window(self) -> QWidget | None:
        """What a second start brings forward: the dialog on top (an error, sign-in, the
        first run), else the main window."""
        controller = self.controller
        candidates: list[QWidget | None] = [self.error_box, self.early_login]
        if controller is not None:
            candidates += [controller.first_run_dialog, controller.login_dialog]
        for widget in candidates:
            if widget is not None and widget.isVisible():
                return widget
        return controller.window if controller is not None else None

    def open_front_door(self) -> None:
        """A second start on this data folder brings this desk's window to the front
        (opened once the first window is on screen: QtNetwork is not on its path)."""
        from pser_desk.gui.single_window import FrontDoor, bring_to_front

        door = FrontDoor(self._data_dir, self)
        door.knocked.connect(lambda: bring_to_front(self.front_window()))
        door.listen()
        self.front_door = door

    def shutdown(self) -> None:
        """After the event loop: stop the desk, wait for the lanes, close the services."""
        self._closing = True
        controller = self.controller
        if controller is not None:
            controller.shutdown()
        else:
            self.runner.shutdown()  # waits for a start still opening the store
        services = self.services
        if services is not None:
            services.close()  # with a controller: stops sending, joins the lanes, closes
        self.runner.shutdown()
        for release in self.after_shutdown:
            release()
        self.after_shutdown.clear()
