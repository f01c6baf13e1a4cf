"""The printer and camera status a heartbeat reports (central-api.md section 10), Qt-free.

``none``: not configured on this PC (or, for a printer left to the system's default, no
printing system found); ``ok``: the configured device is there; ``error``: it is
configured but cannot be found. The window may report what Qt sees instead
(:meth:`Peripherals.override`); the background sender checks without opening anything:
a printer through CUPS's ``lpstat`` (POSIX) or the spooler (Windows), a camera index
through ``/dev/videoN`` on Linux. On Windows a camera index cannot be checked without
opening the device (which the window may hold), so it is reported ``ok`` when configured.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from pser_desk.desk.settings import SIMULATED_CAMERA, SettingsStore
from pser_desk.sync.heartbeat import Peripheral

Status = tuple[Peripheral, Peripheral]


class Peripherals:
    def __init__(self, settings: SettingsStore) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._override: Callable[[], Status] | None = None

    def override(self, probe: Callable[[], Status] | None) -> None:
        """The window's own view of its devices (None: check headless)."""
        with self._lock:
            self._override = probe

    def status(self) -> Status:
        with self._lock:
            probe = self._override
        if probe is not None:
            return probe()
        chosen = self._settings.current()
        try:
            printer = printer_status(chosen.printer)
        except OSError:  # the spooler cannot be asked: the printer cannot be vouched for
            printer = Peripheral.ERROR
        return printer, camera_status(chosen.camera)


def printer_status(name: str) -> Peripheral:
    name = name.strip()
    if sys.platform == "win32":  # pragma: no cover - exercised by the Windows build
        return _windows_printer(name)
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return Peripheral.ERROR if name else Peripheral.NONE
    args = [lpstat, "-p", name] if name else [lpstat, "-d"]
    try:
        done = subprocess.run(args, capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return Peripheral.ERROR
    if name:
        return Peripheral.OK if done.returncode == 0 else Peripheral.ERROR
    text = done.stdout.decode("utf-8", "replace")
    return Peripheral.OK if done.returncode == 0 and ":" in text else Peripheral.NONE


def _windows_printer(name: str) -> Peripheral:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        return Peripheral.NONE
    import ctypes

    winspool = ctypes.WinDLL("winspool.drv")
    if not name:
        size = ctypes.c_ulong(0)
        winspool.GetDefaultPrinterW(None, ctypes.byref(size))
        return Peripheral.OK if size.value > 0 else Peripheral.NONE
    handle = ctypes.c_void_p()
    if not winspool.OpenPrinterW(ctypes.c_wchar_p(name), ctypes.byref(handle), None):
        return Peripheral.ERROR
    winspool.ClosePrinter(handle)
    return Peripheral.OK


def camera_status(chosen: str) -> Peripheral:
    camera = chosen.strip().lower()
    if not camera:
        return Peripheral.NONE
    if camera == SIMULATED_CAMERA:
        return Peripheral.OK
    if not camera.isdigit():
        return Peripheral.ERROR
    if sys.platform.startswith("linux"):
        return Peripheral.OK if Path(f"/dev/video{int(camera)}").exists() else Peripheral.ERROR
    return Peripheral.OK
