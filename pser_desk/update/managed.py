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

import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pser_desk.store.audit_log import Event
from pser_desk.update.install import Installation
from pser_desk.update.machine import (
    MachineStatus,
    Request,
    StatusFile,
    machine_dir,
    spawn_detached,
)
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
    request_id = begin(action, service, start=start)
    status = follow(request_id, progress, folder=folder, for_s=timeout_s)
    return status or late(request_id)


def begin(
    action: str, service: UpdateService, *, start: Callable[[list[str]], None] | None = None
) -> str:
    """Start the service with *action* (OSError when it cannot start); the request's id."""
    request = Request(action, service.channel(), service.central_url(), uuid.uuid4().hex)
    (start or _start_service)(request.args())
    return request.request_id


def follow(
    request_id: str,
    progress: Progress | None = None,
    *,
    folder: Path | None = None,
    for_s: float = WAIT_FOR_SERVICE_S,
) -> MachineStatus | None:
    """The status *request_id* reaches within *for_s* seconds (final, or ``finishing``);
    None when it is still at work."""
    status_file = StatusFile(folder or machine_dir())
    deadline = time.monotonic() + for_s
    while True:
        status = status_file.read()
        if status.request == request_id:
            if status.phase == "downloading" and progress is not None:
                progress(status.done_bytes, status.total_bytes)
            if status.final or status.phase == "finishing":
                return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.25)


def late(request_id: str) -> MachineStatus:
    return MachineStatus(phase="unavailable", request=request_id,
                         message="the updater service did not answer in time; try again later")  # fmt: skip


def audit_install(service: UpdateService, status: MachineStatus) -> None:
    """The service's install, as ``update wait`` saw it end, in this PC's audit log."""
    if status.phase == "installed":
        service.journal(Event.UPDATE_INSTALLED, version=status.version, previous=status.previous)
    else:
        service.journal(Event.UPDATE_FAILED, version=status.version, message=status.message)


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


def waiter_command(
    installation: Installation, version: str, request_id: str, data_dir: Path, restart: bool
) -> list[str]:
    """``update wait`` from the staged copy (the installation's folder is about to be
    replaced, so nothing may run from it), as this user."""
    staged = Installation(installation.sibling(version, "staged"))
    command = [str(staged.console_program), "--data-dir", str(data_dir), "update", "wait",
               "--request", request_id, "--agent", str(installation.program)]  # fmt: skip
    if restart:
        command += ["--start", str(installation.program)]
    return command


def spawn_waiter(
    installation: Installation, version: str, request_id: str, data_dir: Path, restart: bool
) -> None:
    spawn_detached(waiter_command(installation, version, request_id, data_dir, restart))


@dataclass(frozen=True)
class ServiceUpdater:
    """The updater service as the window uses it (:class:`~pser_desk.update.flow.UpdateFlow`
    on a per-machine installation): download, install, and what it has downloaded. The
    defaults are the real service; tests give a folder, a starter and a spawner."""

    folder: Path | None = None
    start: Callable[[list[str]], None] | None = None
    spawn: Callable[[list[str]], None] | None = None
    timeout_s: float = WAIT_FOR_SERVICE_S

    def ask(
        self, action: str, service: UpdateService, progress: Progress | None = None
    ) -> MachineStatus:
        """*action* by the service; its outcome in this PC's audit log (a download, a
        refusal, a failure; an install is audited by ``update wait`` once it is in)."""
        status = ask(action, service, progress, folder=self.folder, start=self.start,
                     timeout_s=self.timeout_s)  # fmt: skip
        return self.audit(service, status)

    def begin(self, action: str, service: UpdateService) -> str:
        """Start *action* without waiting (OSError when the service cannot start)."""
        return begin(action, service, start=self.start)

    def follow(
        self, request_id: str, service: UpdateService, progress: Progress | None, for_s: float
    ) -> MachineStatus | None:
        """Follow *request_id* for *for_s* seconds: its final status (audited), or None."""
        status = follow(request_id, progress, folder=self.folder, for_s=for_s)
        return None if status is None else self.audit(service, status)

    def audit(self, service: UpdateService, status: MachineStatus) -> MachineStatus:
        """*status* in this PC's audit log, when it is a download, a refusal or a failure."""
        if status.phase == "downloaded":
            service.journal(Event.UPDATE_DOWNLOADED, version=status.version, kind="service",
                            bytes=status.total_bytes)  # fmt: skip
        elif status.phase == "refused":
            service.journal(Event.UPDATE_REFUSED, version=status.version, message=status.message)
        elif status.phase == "failed":
            service.journal(Event.UPDATE_FAILED, version=status.version, message=status.message)
        return status

    def downloaded(self) -> str | None:
        """The version the service last downloaded and verified (None: none)."""
        status = StatusFile(self.folder or machine_dir()).read()
        return status.version if status.phase == "downloaded" else None

    def hand_over(
        self,
        installation: Installation,
        status: MachineStatus,
        data_dir: Path,
        *,
        restart: bool = True,
    ) -> Callable[[], None]:
        """What the window runs once it has closed: ``update wait`` from the staged copy,
        which audits the outcome and (*restart*) starts the new window."""
        version = str(status.version)
        command = waiter_command(installation, version, status.request, data_dir, restart)
        return lambda: (self.spawn or spawn_detached)(command)
