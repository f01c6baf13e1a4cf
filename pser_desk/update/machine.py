"""Updating a per-machine installation the desk's user may not write to (Windows).

The installer puts the program in ``C:\\Program Files\\PSER Desk`` (administrators only)
and registers the **PSER Desk Updater** service (LocalSystem, started on demand;
:mod:`~pser_desk.update.windows_service`), which interactive users may start but not
change. The desk asks it, with the service's start arguments, to ``download`` or
``install`` what its channel offers from a central URL; the service does the work with the
machine's own TUF cache under ``%ProgramData%\\PSER\\updates`` and the ``root.json`` of the
installed program, so nothing a user can write is ever trusted (a user may only choose
*when*, and from which URL: TUF's signatures make the URL's honesty irrelevant).

``install`` stages and tries the new version beside the installation, then hands over to
``update finish`` run **from the staged copy** (Windows cannot rename a folder while a
program in it runs, and the service itself runs from the installation): the finisher
waits until nothing runs from the installation, renames it aside, copies the new version
in, carries over the installer's own files (``uninstall.exe``), checks the new program
starts, records the version in Apps & features, and puts the old folder back on any
failure. Progress and outcome go to ``status.json`` there (readable by users: the desk
shows it, audits it, and starts the new window once it says ``installed``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from pser_desk.domain.releases import Channel
from pser_desk.update.install import (
    Installation,
    InstallError,
    PatchDidNotFit,
    remove_tree,
    stage,
    trial,
)
from pser_desk.update.refusals import UpdateRefused, UpdateUnavailable
from pser_desk.update.service import Setup, UpdateNotSetUp, UpdateService

log = logging.getLogger(__name__)
INSTALLER_FILES = ("uninstall.exe",)  # what the installer adds to the program's folder
RENAME_PATIENCE_S = 120.0  # a desk window still closing, a virus scanner, Explorer
STATUS_FILE = "status.json"
ACTIONS = ("download", "install")


CSIDL_COMMON_APPDATA = 0x23  # C:\\ProgramData


def machine_dir() -> Path:
    """``%ProgramData%\\PSER`` (the updater's ``updates`` folder is inside).

    On Windows the folder is asked of the shell, never read from ``%PROGRAMDATA%``: a
    service's environment is not a user's (under Wine a service gets ``C:\\users\\Public``),
    and a user may set the variable to anything for their own programs."""
    if sys.platform == "win32":
        import ctypes

        buffer = ctypes.create_unicode_buffer(260)
        if ctypes.windll.shell32.SHGetFolderPathW(None, CSIDL_COMMON_APPDATA, None, 0, buffer) == 0:
            return Path(buffer.value) / "PSER"
        return Path(r"C:\ProgramData") / "PSER"
    return Path(os.environ.get("PROGRAMDATA", "/var/lib")) / "PSER"


@dataclass(frozen=True)
class MachineStatus:
    """What the updater service is doing or did (``status.json``)."""

    phase: str = "idle"  # checking, downloading, staging, finishing, installed, failed, refused, unavailable, up_to_date
    version: str | None = None  # the version it works on
    previous: str | None = None
    done_bytes: int = 0
    total_bytes: int = 0
    message: str = ""
    request: str = ""  # the request's id (the desk that asked waits for its own)
    at: str = ""

    @property
    def final(self) -> bool:
        return self.phase in (
            "installed",
            "failed",
            "refused",
            "unavailable",
            "up_to_date",
            "downloaded",
        )


class StatusFile:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "updates" / STATUS_FILE

    def read(self) -> MachineStatus:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return MachineStatus()
        known = {f.name for f in fields(MachineStatus)}
        try:
            return MachineStatus(**{k: v for k, v in raw.items() if k in known})
        except TypeError:
            return MachineStatus()

    def write(self, status: MachineStatus) -> MachineStatus:
        status = MachineStatus(**{**asdict(status), "at": datetime.now(UTC).isoformat()})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{STATUS_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(status), indent=1), encoding="utf-8")
        _replace(tmp, self.path)
        return status


def _replace(source: Path, target: Path) -> None:
    for _ in range(50):  # a reader holding the file open blocks a replace on Windows
        try:
            os.replace(source, target)
            return
        except PermissionError:
            time.sleep(0.1)
    os.replace(source, target)


@dataclass(frozen=True)
class Request:
    action: str
    channel: Channel
    central_url: str
    request_id: str

    def args(self) -> list[str]:
        return [self.action, self.channel.value, self.central_url, self.request_id]

    @classmethod
    def parse(cls, args: list[str]) -> Request:
        if len(args) != 4 or args[0] not in ACTIONS:
            raise ValueError("a request is: download|install CHANNEL CENTRAL_URL ID")
        try:
            channel = Channel(args[1])
        except ValueError:
            channel = Channel.STABLE
        return cls(args[0], channel, args[2], args[3][:64])


Spawn = Callable[[list[str]], None]


def serve(
    request: Request,
    installation: Installation,
    folder: Path,
    spawn: Spawn | None = None,
    root: bytes | None = None,
) -> MachineStatus:
    """Carry out *request* for *installation* (the service's work; never raises). *root*:
    None for the root.json of the installed program (tests give their repository's)."""
    status = StatusFile(folder)
    base = MachineStatus(request=request.request_id, previous=installation.version)
    status.write(MachineStatus(**{**asdict(base), "phase": "checking"}))
    setup = Setup(folder, central_url=request.central_url, current=installation.version, root=root,
                  installation=installation, heartbeat=False, channel=request.channel)  # fmt: skip
    try:
        updater = UpdateService(setup)
        offer = updater.check()
        if offer.available is None:
            return status.write(_with(base, phase="up_to_date"))
        version = offer.available.version
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if time.monotonic() - last[0] >= 0.5 or done == total:
                last[0] = time.monotonic()
                status.write(
                    _with(
                        base,
                        phase="downloading",
                        version=version,
                        done_bytes=done,
                        total_bytes=total,
                    )
                )

        # Always through TUF's verified target (a file already downloaded and still whole
        # is not fetched again): never from state.json, which a note is, not a proof.
        item = updater.download(offer, progress)
        if request.action == "download":
            return status.write(_with(base, phase="downloaded", version=version))
        status.write(_with(base, phase="staging", version=version))
        try:
            staged = stage(installation, item)
        except PatchDidNotFit:
            updater.state.mark_patch_failed(item.target)
            item = updater.download(updater.check(), full=True)
            staged = stage(installation, item)
        try:
            trial(staged, version)
        except InstallError:
            remove_tree(staged)
            raise
        updater.state.set_downloaded(None)
        finishing = status.write(_with(base, phase="finishing", version=version))
        command = [str(Installation(staged).console_program), "update", "finish", "--into",
                   str(installation.folder), "--machine-dir", str(folder), "--version", version,
                   "--request", request.request_id, "--wait-pid", str(os.getpid())]  # fmt: skip
        (spawn or spawn_detached)(command)
        return finishing
    except UpdateRefused as exc:
        return status.write(_with(base, phase="refused", message=str(exc)))
    except (UpdateUnavailable, UpdateNotSetUp) as exc:
        return status.write(_with(base, phase="unavailable", message=str(exc)))
    except InstallError as exc:
        return status.write(_with(base, phase="failed", message=str(exc)))
    except Exception as exc:  # noqa: BLE001 - the service reports every failure in its file
        log.exception("the updater service failed")
        return status.write(
            _with(base, phase="failed", message=f"the updater failed ({exc.__class__.__name__})")
        )


def _with(base: MachineStatus, **changes: object) -> MachineStatus:
    return MachineStatus(**{**asdict(base), **changes})


_detached: list[subprocess.Popen[bytes]] = []  # kept: a Popen dropped while its child runs warns


def spawn_detached(command: list[str]) -> None:
    """Start *command* (our own program, by absolute path) on its own: it outlives this
    program, which is about to close or end its request."""
    flags = 0
    if sys.platform == "win32":
        flags = (
            subprocess.DETACHED_PROCESS
            | subprocess.CREATE_NEW_PROCESS_GROUP
            | subprocess.CREATE_NO_WINDOW
        )
    _detached.append(subprocess.Popen(  # noqa: S603 - our own program, by absolute path
        command, creationflags=flags, close_fds=True, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=sys.platform != "win32",
    ))  # fmt: skip


def finish(
    staged: Path,
    target: Path,
    version: str,
    folder: Path,
    request_id: str,
    *,
    patience_s: float = RENAME_PATIENCE_S,
    record_version: Callable[[Path, str], None] | None = None,
) -> MachineStatus:
    """Replace *target* by a copy of *staged* (run from *staged*); the old one stays on any
    failure. Returns the final status (also written to the status file)."""
    status = StatusFile(folder)
    installation = Installation(target)
    old = installation.version
    base = MachineStatus(request=request_id, version=version, previous=old)
    previous = installation.sibling(old, "previous")
    remove_tree(previous)
    if not _rename_when_free(target, previous, patience_s):
        return status.write(
            _with(
                base,
                phase="failed",
                message="pser-desk is still running: the update waits for the next time",
            )
        )
    try:
        shutil.copytree(staged, target, symlinks=True)
        for name in INSTALLER_FILES:
            if (previous / name).is_file():
                shutil.copy2(previous / name, target / name)
        trial(target, version, self_test=False)
    except (OSError, InstallError) as exc:
        remove_tree(target)
        os.rename(previous, target)
        message = (
            str(exc)
            if isinstance(exc, InstallError)
            else f"the new version could not be copied in ({exc.__class__.__name__})"
        )
        return status.write(_with(base, phase="failed", message=message))
    (record_version or _record_version)(target, version)
    remove_tree(previous)  # nothing runs from it any more (the staged copy goes next time)
    log.info("pser-desk %s installed over %s by the updater service", version, old)
    return status.write(_with(base, phase="installed"))


def _rename_when_free(source: Path, target: Path, patience_s: float) -> bool:
    deadline = time.monotonic() + patience_s
    while True:
        try:
            os.rename(source, target)
            return True
        except OSError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.5)


def _record_version(target: Path, version: str) -> None:
    """The version Apps & features shows, and the installer's own record of it."""
    if sys.platform != "win32":
        return
    import winreg

    keys = (r"Software\Microsoft\Windows\CurrentVersion\Uninstall\PSERDesk", "DisplayVersion"), (
        r"Software\PSER\PSER Desk", "Version")  # fmt: skip
    for key, value in keys:
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0,
                                winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY) as handle:  # fmt: skip
                winreg.SetValueEx(handle, value, 0, winreg.REG_SZ, version)
        except OSError:
            log.warning("the installed version could not be recorded in %s", key)
