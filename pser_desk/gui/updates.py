"""The desk updating itself in the window (issue 17; docs/updates.md).

:class:`UpdateDriver` runs :meth:`~pser_desk.desk.updates.Updates.poll` on the network
lane, never on the GUI thread: shortly after start, then on a one-minute timer (the flow
decides when a check is due: every 4 hours, sooner after the repository could not be
reached, at once when central's configuration requires a newer version), and again soon
after while a download has more to fetch (each poll downloads a slice, so the households'
sending gets the lane in between). While a poll runs, the progress it reports reaches the
window four times a second.

:class:`UpdateControls` shows it: a line in the status bar (downloading and how far, ready,
required by central, refused and why, failed), "Check for updates" in the Help menu for
everyone, and for a signed-in manager "Install the update and restart", refused while a
household is open on the registration page. A verified update waiting when the window
closes is installed then (``app.py`` runs :meth:`UpdateDriver.at_close` once the window is
gone, before the store closes); after the manager's word the new version's window opens.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox

from pser_desk.desk.updates import Phase, UpdatesApi, UpdateStatus
from pser_desk.gui.tasks import Lane, Runner

if TYPE_CHECKING:
    from pser_desk.gui.shell import DeskController

log = logging.getLogger(__name__)

START_MS = 20_000  # the first check: once the sign-in and the first sending are done
POLL_MS = 60_000
MORE_MS = 500  # between two slices of a download: sending's tasks queued meanwhile go first
SHOW_MS = 250  # the progress shown while a poll runs


class UpdateDriver(QObject):
    changed = Signal(object)  # UpdateStatus, after each poll and while one runs
    checked = Signal(object)  # UpdateStatus: the answer to "Check for updates"

    def __init__(
        self,
        flow: UpdatesApi,
        runner: Runner,
        parent: QObject | None = None,
        *,
        start_ms: int = START_MS,
        poll_ms: int = POLL_MS,
        more_ms: int = MORE_MS,
    ) -> None:
        super().__init__(parent)
        self.flow, self._runner = flow, runner
        self._start_ms, self._more_ms = start_ms, more_ms
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)
        self._show = QTimer(self)
        self._show.setInterval(SHOW_MS)
        self._show.timeout.connect(lambda: self.changed.emit(self.flow.status))
        self._busy = False
        self._asked = False  # "Check for updates" waits for its answer
        self._again_now = False
        self._stopped = False
        self.restart_requested = False  # the manager's word: open the new version after closing

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self) -> None:
        """The first poll after *start_ms*, then every *poll_ms*."""
        self._stopped = False
        if not self._timer.isActive():
            self._timer.start()
            QTimer.singleShot(self._start_ms, self.poll)

    def check_now(self) -> None:
        """The Help menu: check at once, whatever is due; :attr:`checked` answers."""
        self._asked = True
        self.poll(now=True)

    def poll(self, now: bool = False) -> None:
        if self._stopped:
            return
        if self._busy:
            self._again_now = self._again_now or now
            return
        self._busy = True
        self._show.start()
        flow, stopped = self.flow, lambda: self._stopped
        self._runner.run_task(
            lambda: flow.poll(stopped, now=now), self._on_done, self._on_error, Lane.NET
        )

    def _on_done(self, status: UpdateStatus) -> None:
        self._busy = False
        self._show.stop()
        self.changed.emit(status)
        if self._asked and status.phase is not Phase.CHECKING:
            self._asked = False
            self.checked.emit(status)
        if self._stopped:
            return
        if self._again_now:
            self._again_now = False
            self.poll(now=True)
        elif self.flow.more:
            QTimer.singleShot(self._more_ms, self.poll)

    def _on_error(self, exc: BaseException) -> None:
        log.error("the update check failed: %s", exc.__class__.__name__, exc_info=exc)
        self._on_done(self.flow.status)

    def stop(self) -> None:
        """No new polls; a download under way stops at its next piece (the part is kept)."""
        self._stopped = True
        self._timer.stop()
        self._show.stop()

    def at_close(self) -> None:
        """Once the window has closed: install a verified update waiting (blocking), then
        open the new version if the manager asked for it. Never raises."""
        if self.flow.status.phase is not Phase.READY:
            return
        log.info("installing %s now that the window has closed", self.flow.status.available)
        try:
            outcome = self.flow.install()
        except Exception:  # the desk is closing: a failure is logged and audited, not shown
            log.exception("the update could not be installed")
            return
        if outcome is None:
            log.warning("the update was not installed: %s", self.flow.status.message)
            return
        (outcome.restart if self.restart_requested else outcome.closed)()


class UpdateControls(QObject):
    """The status-bar line and the Help menu's update actions."""

    def __init__(self, controller: DeskController, driver: UpdateDriver) -> None:
        super().__init__(controller)
        self._desk, self.driver = controller, driver
        window = controller.window
        self.label = QLabel(window)
        self.label.setObjectName("updateStatus")
        window.ui.statusBar.addPermanentWidget(self.label)
        self.action_check = QAction(window)
        self.action_check.setObjectName("actionCheckUpdates")
        self.action_install = QAction(window)
        self.action_install.setObjectName("actionInstallUpdate")
        help_menu = window.ui.menuHelp
        assert isinstance(help_menu, QMenu)
        help_menu.insertAction(window.ui.actionAbout, self.action_check)
        help_menu.insertAction(window.ui.actionAbout, self.action_install)
        help_menu.insertSeparator(window.ui.actionAbout)
        self.action_check.triggered.connect(driver.check_now)
        self.action_install.triggered.connect(self.install_now)
        driver.changed.connect(self.show_status)
        driver.checked.connect(self._on_checked)
        controller.signed_in.connect(self.update_access)
        controller.locked.connect(self.update_access)
        window.installEventFilter(self)
        self.retranslate()
        self.show_status(driver.flow.status)

    # ------------------------------------------------------------ what is shown

    def describe(self, status: UpdateStatus) -> str:
        """One line for the status bar ("" when there is nothing to say)."""
        required = self.tr("Central requires a newer PSER Desk.") if status.required else ""
        return " ".join(part for part in (required, self._phase_text(status)) if part)

    def _phase_text(self, status: UpdateStatus) -> str:
        version = status.available or ""
        match status.phase:
            case Phase.CHECKING:
                return self.tr("Checking for updates...")
            case Phase.DOWNLOADING:
                text = self.tr("Downloading update %1: %2%")
                return text.replace("%1", version).replace("%2", str(status.percent))
            case Phase.READY:
                text = self.tr("Update %1 is ready: it installs when PSER Desk closes.")
                return text.replace("%1", version)
            case Phase.INSTALLING:
                return self.tr("Installing update %1...").replace("%1", version)
            case Phase.REFUSED:
                text = self.tr("Update refused (see the audit log): %1")
                return text.replace("%1", status.message)
            case Phase.FAILED:
                text = self.tr("The update failed; this version keeps working: %1")
                return text.replace("%1", status.message)
        return ""

    def show_status(self, status: UpdateStatus) -> None:
        self.label.setText(self.describe(status))
        self.update_access()

    def _on_checked(self, status: UpdateStatus) -> None:
        text = self.describe(status)
        if status.phase is Phase.UP_TO_DATE:
            text = self.tr("PSER Desk %1 is the newest version.").replace("%1", status.current)
        elif status.phase is Phase.UNAVAILABLE:
            text = self.tr("The update server cannot be reached now; PSER Desk checks again later.")
        elif status.phase is Phase.NOT_SET_UP:
            text = self.tr("This PSER Desk cannot update itself: %1").replace("%1", status.message)
        QMessageBox.information(self._desk.window, self.tr("Updates"), text)

    # ------------------------------------------------------------ the manager's word

    def is_manager(self) -> bool:
        login = self._desk.login
        operator = login.operator if login is not None else None
        return bool(operator and operator.role == "manager" and self._desk.login_dialog is None)

    def update_access(self, *_args: object) -> None:
        ready = self.driver.flow.status.phase is Phase.READY
        self.action_install.setVisible(self.is_manager())
        self.action_install.setEnabled(ready and self.is_manager())

    def household_open(self) -> bool:
        page = self._desk.registration
        return page is not None and self._desk.window.current_page() is page

    def install_now(self) -> None:
        window = self._desk.window
        if self.household_open():
            QMessageBox.information(window, self.tr("Updates"), self.tr(
                "A household is open. Save it or go back to the dashboard, then install the update."
            ))  # fmt: skip
            return
        version = self.driver.flow.status.available or ""
        answer = QMessageBox.question(window, self.tr("Updates"), self.tr(
            "Install PSER Desk %1 now? The desk closes, installs it and opens again."
        ).replace("%1", version))  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            log.info("the manager asked to install %s now", version)
            self.driver.restart_requested = True
            window.close()

    # ------------------------------------------------------------ language

    def retranslate(self) -> None:
        self.action_check.setText(self.tr("Check for &updates"))
        self.action_install.setText(self.tr("&Install the update and restart"))
        self.show_status(self.driver.flow.status)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def install_updates(controller: DeskController, flow: UpdatesApi) -> UpdateControls:
    """The updater in the window: the driver on the controller's runner, started now (its
    first check a little later), stopped when the window closes."""
    driver = UpdateDriver(flow, controller.runner, controller)
    controls = UpdateControls(controller, driver)
    controller.window.closing.connect(driver.stop)
    driver.start()
    return controls
