"""An unexpected error: a calm dialog, a crash report without personal data, the draft kept.

The report (``<data_dir>/crash/crash-<time>.txt``) has the exception's type and the stack
as code locations only (file, line, function): no message text, no local variables,
nothing a citizen typed. The registration's draft is saved at once, so the next start
reopens it where it was.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from pser_desk import __version__

if TYPE_CHECKING:
    from pser_desk.gui.shell import DeskController

log = logging.getLogger(__name__)

CRASH_DIR = "crash"


def crash_report(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """The report's text: type and code locations only (never ``str(exc)``)."""
    lines = [
        f"pser-desk {__version__}",
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"python: {sys.version.split()[0]}",
        f"exception: {exc_type.__module__}.{exc_type.__qualname__}",
        "stack (most recent call last):",
    ]
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def _short(filename: str) -> str:
    """A path from the package or library root (no user folder names)."""
    parts = Path(filename).parts
    for anchor in ("pser_desk", "site-packages", "PySide6"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) :])
    return Path(filename).name


def write_crash_report(
    data_dir: Path, exc_type: type[BaseException], tb: TracebackType | None
) -> Path | None:
    folder = data_dir / CRASH_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"crash-{stamp}.txt"
        path.write_text(crash_report(exc_type, tb), encoding="utf-8")
        return path
    except OSError:
        return None


class CrashHandler(QObject):
    """Installed as ``sys.excepthook`` and ``threading.excepthook``."""

    crashed = Signal(str)  # report path ("" when it could not be written)

    def __init__(self, controller: DeskController, data_dir: Path) -> None:
        super().__init__(controller)
        self._controller, self._data_dir = controller, data_dir
        self._previous = (sys.excepthook, threading.excepthook)
        self._showing = False
        self.crashed.connect(self._on_crashed)  # queued from other threads
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        if sys.excepthook == self._on_exception:
            sys.excepthook, threading.excepthook = self._previous

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        self._on_exception(args.exc_type, args.exc_value, args.exc_traceback)

    def _on_exception(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous[0](exc_type, exc or exc_type(), tb)
            return
        path = write_crash_report(self._data_dir, exc_type, tb)
        log.error("unexpected error %s; crash report %s", exc_type.__name__,
                  path.name if path else "not written")  # fmt: skip
        self.crashed.emit(str(path) if path else "")

    def _on_crashed(self, path: str) -> None:
        page = self._controller.registration
        if page is not None:
            try:
                page.flush_draft()
            except Exception:
                log.error("the draft could not be saved after the error")
        if self._showing:
            return
        self._showing = True
        QTimer.singleShot(0, lambda: self._show(path))

    def _show(self, path: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("CrashHandler", "Something went wrong"),
            QCoreApplication.translate(
                "CrashHandler",
                "PSER Desk met an unexpected problem. The registration you were typing "
                "has been saved as a draft. Close PSER Desk and start it again; the draft "
                "reopens where it was. If this happens again, tell the centre manager.",
            ),
            QMessageBox.StandardButton.Ok,
            self._controller.window,
        )
        if path:
            box.setInformativeText(
                QCoreApplication.translate(
                    "CrashHandler", "A report for the support team was saved: %1"
                ).replace("%1", Path(path).name)
            )
        box.finished.connect(lambda _r: setattr(self, "_showing", False))
        self.dialog = box
        box.open()


def install_crash_handler(controller: DeskController, data_dir: Path) -> CrashHandler:
    """A calm dialog and a crash report for an unexpected error (the wiring keeps it)."""
    return CrashHandler(controller, data_dir)


def startup_error_box(code: str, detail: str, parent: QWidget | None = None) -> QMessageBox:
    """The desk cannot start: a calm box with what happened and what to do, no trace.

    *code* ``store.corrupt``: the database is damaged (restore a backup); ``store.*``: it
    cannot be opened; anything else: the desk could not start (the log says why).
    """
    if code == "store.corrupt":
        headline = QCoreApplication.translate(
            "Startup",
            "The database on this PC is damaged. Nothing was changed and no new database "
            "was made. Ask the centre manager to restore the latest backup:",
        )
    elif code.startswith("store."):
        headline = QCoreApplication.translate(
            "Startup",
            "PSER Desk cannot open its database. Nothing was changed. "
            "Ask the centre manager; this is what to do:",
        )
    else:
        headline = QCoreApplication.translate(
            "Startup",
            "PSER Desk could not start. Nothing was lost. Start it again; if this happens "
            "again, give the log file to the centre manager:",
        )
    box = QMessageBox(
        QMessageBox.Icon.Critical, QCoreApplication.translate("Startup", "PSER Desk cannot start"), headline,
        QMessageBox.StandardButton.Close, parent,
    )  # fmt: skip
    box.setObjectName("StartupErrorBox")
    box.setInformativeText(detail)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


def already_open_box(parent: QWidget | None = None) -> QMessageBox:
    """A second copy of the desk on the same data folder: use the window already open."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("Startup", "PSER Desk is already open"),
        QCoreApplication.translate(
            "Startup",
            "PSER Desk is already open on this PC. Use the window that is open: look for it "
            "in the taskbar.",
        ),
        QMessageBox.StandardButton.Ok, parent,
    )  # fmt: skip
    box.setObjectName("AlreadyOpenBox")
    return box
