"""The PSER Desk Updater, a Windows service (advapi32 through ctypes; Windows only).

- :func:`register` / :func:`unregister`: run by the installer and the uninstaller (as
  administrator). The service runs ``pser-desk-cli.exe update service`` as LocalSystem,
  started on demand; its security descriptor lets interactive users start it and read its
  state, and only SYSTEM and administrators change, stop or delete it.
- :func:`start`: the desk, as its user, starts it with a request as its arguments.
- :func:`dispatch`: the service's side: hands the request to *work* on the service thread
  and reports running, then stopped.

Import it only where ``sys.platform == "win32"`` (the type checker then checks it as
Windows code). The work itself (:mod:`~pser_desk.update.machine`) runs on Linux too, and
is tested there; this module under Wine (tests/packaging/windows/test_update.py).
"""

from __future__ import annotations

import sys

assert sys.platform == "win32", "the updater service exists on Windows only"

import ctypes  # noqa: E402
import logging  # noqa: E402
from collections.abc import Callable  # noqa: E402
from ctypes import wintypes  # noqa: E402
from pathlib import Path  # noqa: E402

log = logging.getLogger(__name__)
NAME = "PSERDeskUpdate"
DISPLAY_NAME = "PSER Desk Updater"
# SYSTEM and administrators: everything; interactive users: query, read, start (RP).
SDDL = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLORPRC;;;IU)"
SC_MANAGER_ALL_ACCESS = 0xF003F
SC_MANAGER_CONNECT = 0x0001
SERVICE_ALL_ACCESS = 0xF01FF
SERVICE_QUERY_STATUS = 0x0004
SERVICE_START = 0x0010
DELETE = 0x10000
SERVICE_WIN32_OWN_PROCESS = 0x10
SERVICE_DEMAND_START = 3
SERVICE_ERROR_NORMAL = 1
SERVICE_RUNNING = 4
SERVICE_STOPPED = 1
SERVICE_START_PENDING = 2
DACL_SECURITY_INFORMATION = 4
ERROR_SERVICE_ALREADY_RUNNING = 1056
ERROR_SERVICE_DOES_NOT_EXIST = 1060


class ServiceError(OSError):
    """A service call that failed (its Windows error code in ``winerror``)."""


class _Status(ctypes.Structure):
    _fields_ = [
        (name, wintypes.DWORD)
        for name in (
            "type",
            "state",
            "accepted",
            "exit_code",
            "specific_exit_code",
            "check_point",
            "wait_hint",
        )  # fmt: skip
    ]


_MAIN = ctypes.WINFUNCTYPE(None, wintypes.DWORD, ctypes.POINTER(wintypes.LPWSTR))
_HANDLER = ctypes.WINFUNCTYPE(
    wintypes.DWORD, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID, wintypes.LPVOID
)


class _TableEntry(ctypes.Structure):
    _fields_ = [("name", wintypes.LPWSTR), ("proc", _MAIN)]


def _advapi() -> ctypes.WinDLL:
    api = ctypes.WinDLL("advapi32", use_last_error=True)
    handle, text, dword = wintypes.HANDLE, wintypes.LPCWSTR, wintypes.DWORD
    api.OpenSCManagerW.restype = handle
    api.OpenSCManagerW.argtypes = [text, text, dword]
    api.OpenServiceW.restype = handle
    api.OpenServiceW.argtypes = [handle, text, dword]
    api.CreateServiceW.restype = handle
    api.CreateServiceW.argtypes = [handle, text, text, dword, dword, dword, dword, text, text,
                                   wintypes.LPVOID, text, text, text]  # fmt: skip
    api.StartServiceW.argtypes = [handle, dword, ctypes.POINTER(text)]
    api.DeleteService.argtypes = [handle]
    api.CloseServiceHandle.argtypes = [handle]
    api.QueryServiceStatus.argtypes = [handle, ctypes.POINTER(_Status)]
    api.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [
        text,
        dword,
        ctypes.POINTER(wintypes.LPVOID),
        ctypes.POINTER(wintypes.ULONG),
    ]
    api.SetServiceObjectSecurity.argtypes = [handle, dword, wintypes.LPVOID]
    api.RegisterServiceCtrlHandlerExW.restype = handle
    api.RegisterServiceCtrlHandlerExW.argtypes = [text, _HANDLER, wintypes.LPVOID]
    api.SetServiceStatus.argtypes = [handle, ctypes.POINTER(_Status)]
    api.StartServiceCtrlDispatcherW.argtypes = [ctypes.POINTER(_TableEntry)]
    return api


def _check(ok: object, what: str) -> None:
    if not ok:
        code = ctypes.get_last_error()
        raise ServiceError(code, f"{what} failed (Windows error {code})")


def _open(
    api: ctypes.WinDLL, access: int, manager_access: int = SC_MANAGER_CONNECT
) -> tuple[int, int]:
    manager = api.OpenSCManagerW(None, None, manager_access)
    _check(manager, "opening the service manager")
    service = api.OpenServiceW(manager, NAME, access)
    if not service:
        code = ctypes.get_last_error()
        api.CloseServiceHandle(manager)
        raise ServiceError(
            code, f"the {DISPLAY_NAME} service is not installed (Windows error {code})"
        )
    return manager, service


def register(program: Path, data_dir: Path) -> None:
    """Create (or re-create) the service for the installed *program* (administrator); its
    logs go to *data_dir*."""
    api = _advapi()
    try:
        unregister()
    except ServiceError:
        pass
    manager = api.OpenSCManagerW(None, None, SC_MANAGER_ALL_ACCESS)
    _check(manager, "opening the service manager")
    try:
        command = f'"{program}" --data-dir "{data_dir}" update service'
        service = api.CreateServiceW(manager, NAME, DISPLAY_NAME, SERVICE_ALL_ACCESS,
                                     SERVICE_WIN32_OWN_PROCESS, SERVICE_DEMAND_START,
                                     SERVICE_ERROR_NORMAL, command, None, None, None, None,
                                     None)  # fmt: skip
        _check(service, "creating the service")
        try:
            descriptor, size = wintypes.LPVOID(), wintypes.ULONG()
            _check(api.ConvertStringSecurityDescriptorToSecurityDescriptorW(
                SDDL, 1, ctypes.byref(descriptor), ctypes.byref(size)), "reading its security descriptor")  # fmt: skip
            _check(api.SetServiceObjectSecurity(service, DACL_SECURITY_INFORMATION, descriptor),
                   "setting who may start it")  # fmt: skip
        finally:
            api.CloseServiceHandle(service)
    finally:
        api.CloseServiceHandle(manager)


def unregister() -> None:
    api = _advapi()
    manager, service = _open(api, DELETE, SC_MANAGER_ALL_ACCESS)
    try:
        _check(api.DeleteService(service), "deleting the service")
    finally:
        api.CloseServiceHandle(service)
        api.CloseServiceHandle(manager)


def exists() -> bool:
    """True when this PC has the updater service (a per-machine installation)."""
    try:
        manager, service = _open(_advapi(), SERVICE_QUERY_STATUS)
    except ServiceError:
        return False
    api = _advapi()
    api.CloseServiceHandle(service)
    api.CloseServiceHandle(manager)
    return True


def start(args: list[str]) -> None:
    """Start the service with *args* (as the desk's user)."""
    api = _advapi()
    manager, service = _open(api, SERVICE_START | SERVICE_QUERY_STATUS)
    try:
        values = (wintypes.LPCWSTR * len(args))(*args)
        if not api.StartServiceW(service, len(args), values):
            code = ctypes.get_last_error()
            if code == ERROR_SERVICE_ALREADY_RUNNING:
                raise ServiceError(
                    code, "the updater is busy with another request: try again in a minute"
                )
            raise ServiceError(code, f"the updater service did not start (Windows error {code})")
    finally:
        api.CloseServiceHandle(service)
        api.CloseServiceHandle(manager)


def dispatch(work: Callable[[list[str]], None]) -> None:
    """Run as the service: *work* gets the start arguments (without the service's name)."""
    api = _advapi()

    def on_control(control: int, event: int, data: int, context: int) -> int:
        return 0  # a request runs to its end; stop and shutdown are answered by finishing

    def on_start(argc: int, argv: ctypes.Array[wintypes.LPWSTR]) -> None:
        args = [str(argv[i]) for i in range(1, argc)]
        status_handle = api.RegisterServiceCtrlHandlerExW(NAME, handler, None)
        _report(api, status_handle, SERVICE_RUNNING)
        try:
            work(args)
        except Exception:  # noqa: BLE001 - the service must always report it stopped
            log.exception("the updater service's work failed")
        finally:
            _report(api, status_handle, SERVICE_STOPPED)

    handler = _HANDLER(on_control)  # kept alive here for as long as the dispatcher runs
    main = _MAIN(on_start)
    table = (_TableEntry * 2)(_TableEntry(NAME, main), _TableEntry(None, _MAIN()))
    _check(api.StartServiceCtrlDispatcherW(table), "running as a service")


def _report(api: ctypes.WinDLL, handle: int, state: int) -> None:
    status = _Status(SERVICE_WIN32_OWN_PROCESS, state, 0, 0, 0, 0, 0)
    api.SetServiceStatus(handle, ctypes.byref(status))
