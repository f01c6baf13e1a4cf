"""The desk's side of a per-machine installation: ask the updater service, follow it.

On a Windows PC where the installer registered the PSER Desk Updater, ``update download``
and ``update apply`` (and the window) do not write the program's folder themselves: they
start the service with a request (:class:`~pser_desk.update.machine.Request`) and follow
its ``status.json``. After an ``install`` request is handed to the finisher, the desk must
close (the finisher replaces its folder once nothing runs from it); ``update wait``, run
from the staged copy as the desk's user, records the outcome in this PC's audit log and
starts the new window.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from pser_desk.update.install import Installation
from pser_desk.update.machine import MachineStatus, Request, StatusFile, machine_dir
from pser_desk.update.service import UpdateService

Progress = Callable[[int, int], None]
WAIT_FOR_SERVICE_S = 30 * 60  # a full archive on a slow line


def managed() -> bool:
    """True on a PC whose installation the updater service keeps (Windows, per machine)."""
    if sys.platform != "win32":
        return False
    from pser_desk.update import windows_service

    return windows_service.exists()


def ask(
    action: str,
    service: UpdateService,
    progress: Progress | None = None,
    *,
    folder: Path | None = None,
    start: Callable[[list[str]], None] | None = None,
    timeout_s: float = WAIT_FOR_SERVICE_S,
) -> MachineStatus:
    """Start the service with *action* for this PC's channel and central; the status it
    reaches (final, or ``finishing`` for an install handed to the finisher)."""
    request = Request(action, service.channel(), service.central_url(), uuid.uuid4().hex)
    status_file = StatusFile(folder or machine_dir())
    (start or _start_service)(request.args())
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = status_file.read()
        if status.request == request.request_id:
            if status.phase == "downloading" and progress is not None:
                progress(status.done_bytes, status.total_bytes)
            if status.final or status.phase == "finishing":
                return status
        time.sleep(0.25)
    return MachineStatus(phase="unavailable", request=request.request_id,
                         message="the updater service did not answer in time; try again later")  # fmt: skip


def _start_service(args: list[str]) -> None:
    if sys.platform != "win32":
        raise OSError("the updater service runs on Windows only")
    from pser_desk.update import windows_service

    windows_service.start(args)


def wait_for(
    request_id: str, folder: Path | None = None, timeout_s: float = 15 * 60
) -> MachineStatus:
    """The final status of the install *request_id* (run by ``update wait``)."""
    status_file = StatusFile(folder or machine_dir())
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = status_file.read()
        if status.request == request_id and status.final:
            return status
        time.sleep(0.5)
    return MachineStatus(
        phase="failed", request=request_id, message="the updater did not finish in time"
    )


def spawn_waiter(
    installation: Installation, version: str, request_id: str, data_dir: Path, restart: bool
) -> None:
    """``update wait`` from the staged copy (the installation's folder is about to be
    replaced, so nothing may run from it), as this user, detached."""
    staged = Installation(installation.sibling(version, "staged"))
    command = [str(staged.console_program), "--data-dir", str(data_dir), "update", "wait",
               "--request", request_id]  # fmt: skip
    if restart:
        command += ["--start", str(installation.program)]
    flags = 0
    if sys.platform == "win32":
        flags = (
            subprocess.DETACHED_PROCESS
            | subprocess.CREATE_NEW_PROCESS_GROUP
            | subprocess.CREATE_NO_WINDOW
        )
    subprocess.Popen(  # noqa: S603 - the staged copy of our own program
        command, creationflags=flags, close_fds=True, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=sys.platform != "win32",
    )  # fmt: skip
