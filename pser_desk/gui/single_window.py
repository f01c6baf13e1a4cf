"""One desk window per data folder: a second start brings the first window to the front.

The first window listens on a local socket (``QLocalServer``: a named pipe on Windows, a
Unix-domain socket elsewhere) named from a hash of its data folder, so the name carries no
path, user name or anything personal, and two data folders (a demo beside the real one)
never meet. A second start knocks on it before it opens anything: the first window comes
to the front (out of the task bar if minimised, the sign-in window if that is what is
showing) and the second copy ends. Only the same user's processes can connect.

A socket left by a crash answers nobody: the next window removes it and listens again.
On Windows the knocking copy, which the user has just started and which therefore may
take the foreground, lets the first one take it (``AllowSetForegroundWindow``): otherwise
Windows would only flash its task-bar button.

Every start knocks, so the knock uses the standard library alone (a Unix socket, or the
named pipe opened as a file): QtNetwork (15-20 ms to import) is loaded by the first
window only, after it is on screen.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # QtNetwork loads with the front door, after the window is shown
    from PySide6.QtNetwork import QLocalSocket

log = logging.getLogger(__name__)

KNOCK = b"front\n"
ANSWER = b"ok\n"
TIMEOUT_MS = 1500


def server_name(data_dir: Path) -> str:
    """The socket's name for *data_dir*: a hash of its full path (case-blind on Windows);
    on POSIX a full path in the temporary folder, so that Qt and the standard library
    agree on where it is."""
    path = os.path.normcase(str(Path(data_dir).resolve()))
    digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:24]
    name = f"pser-desk-{digest}"
    if sys.platform == "win32":
        return name
    return os.path.join(tempfile.gettempdir(), name)


class FrontDoor(QObject):
    """The first window's end of the socket; ``knocked`` when another start asks for it."""

    knocked = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self.name = server_name(data_dir)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)

    def listen(self) -> bool:
        """Open the door; False when another window of this data folder already answers."""
        if self._server.listen(self.name):
            return True
        if _answers(self.name):
            return False
        self._server.removeServer(self.name)  # left by a crash: nobody behind it
        if self._server.listen(self.name):
            return True
        log.warning("the desk's front door could not open: %s", self._server.errorString())
        return True  # the desk works without it; only a second start cannot find it

    def close(self) -> None:
        self._server.close()

    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is None:
                return
            socket.readyRead.connect(lambda s=socket: self._on_socket_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_socket_ready_read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == KNOCK:
            socket.write(ANSWER)
            socket.flush()
            log.info("another start of the desk asked for this window")
            self.knocked.emit()
        socket.disconnectFromServer()


def _answers(name: str) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    alive = socket.waitForConnected(TIMEOUT_MS)
    socket.abort()
    return alive


def knock(data_dir: Path, timeout_ms: int = TIMEOUT_MS) -> bool:
    """Ask the window already open on *data_dir* to come to the front; True if it answered
    (this start should then end), False if no window is open there."""
    name = server_name(data_dir)
    try:
        if sys.platform == "win32":
            return _knock_pipe(name)
        return _knock_socket(name, timeout_ms / 1000)
    except OSError:
        return False  # nobody there (or a socket a crash left): this start goes on


def _knock_socket(path: str, timeout_s: float) -> bool:
    import socket

    if sys.platform == "win32":
        raise OSError("Windows knocks on a named pipe")

    if not os.path.exists(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout_s)
        client.connect(path)
        client.sendall(KNOCK)
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = client.recv(16)
            if not chunk:
                break
            answer += chunk
    return answer == ANSWER


def _knock_pipe(name: str) -> bool:
    pipe = rf"\\.\pipe\{name}"
    with open(pipe, "r+b", buffering=0) as handle:  # noqa: PTH123 - a named pipe
        _allow_foreground()
        handle.write(KNOCK)
        return handle.readline() == ANSWER


def _allow_foreground() -> None:
    if sys.platform != "win32":
        return
    import ctypes

    asfw_any = -1
    try:
        ctypes.windll.user32.AllowSetForegroundWindow(asfw_any)
    except (AttributeError, OSError):
        return


def bring_to_front(window: QWidget | None) -> None:
    """Show *window* on top, out of the task bar if minimised."""
    if window is None:
        return
    if window.windowState() & Qt.WindowState.WindowMinimized:
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
