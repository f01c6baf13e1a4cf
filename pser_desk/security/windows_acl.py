"""Windows only: restrict a folder or file to the current user (and SYSTEM) by its ACL.

The desk's data folder holds the database, the device's signing key and the keys that
open the households' records. A mode such as 0700 means nothing on Windows; what decides
who opens a file there is its discretionary access-control list (DACL). This module sets
a *protected* DACL (nothing inherited from the parent folder, so a data folder chosen under
``C:\\`` does not let "Users" in) with two entries: full control for the user the desk runs
as, and for SYSTEM (the operating system itself: backups, the indexer, the virus scanner).
On a folder both entries are inherited by everything created in it. Administrators are left
out on purpose: they can still take ownership, but nothing grants them reading by default.

Wine (where CI runs the Windows build) keeps no ACLs: it maps a DACL onto the file's Unix
mode and reports one back from it, so there the check is that Everyone loses access.

Plain ctypes on advapi32 (no pywin32), in SDDL, Windows' text form of a security descriptor.
"""

from __future__ import annotations

import ctypes
import re
import sys
from ctypes import wintypes
from pathlib import Path

if sys.platform != "win32":  # pragma: no cover - imported on Windows only
    raise ImportError("pser_desk.security.windows_acl is for Windows")

SE_FILE_OBJECT = 1
DACL_SECURITY_INFORMATION = 0x00000004
PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000
SDDL_REVISION_1 = 1
TOKEN_QUERY = 0x0008
TOKEN_USER_CLASS = 1
SYSTEM_SID = "S-1-5-18"  # "SY" in SDDL

_advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
_kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)

_kernel32.GetCurrentProcess.restype = wintypes.HANDLE
_kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
_kernel32.LocalFree.argtypes = [ctypes.c_void_p]
_kernel32.LocalFree.restype = ctypes.c_void_p
_advapi32.OpenProcessToken.argtypes = [
    wintypes.HANDLE,
    wintypes.DWORD,
    ctypes.POINTER(wintypes.HANDLE),
]
_advapi32.GetTokenInformation.argtypes = [
    wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD, ctypes.POINTER(wintypes.DWORD),
]  # fmt: skip
_advapi32.ConvertSidToStringSidW.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
_advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [
    wintypes.LPCWSTR, wintypes.DWORD, ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p,
]  # fmt: skip
_advapi32.GetSecurityDescriptorDacl.argtypes = [
    ctypes.c_void_p, ctypes.POINTER(wintypes.BOOL), ctypes.POINTER(ctypes.c_void_p),
    ctypes.POINTER(wintypes.BOOL),
]  # fmt: skip
_advapi32.SetNamedSecurityInfoW.argtypes = [
    wintypes.LPWSTR, ctypes.c_int, wintypes.DWORD, ctypes.c_void_p, ctypes.c_void_p,
    ctypes.c_void_p, ctypes.c_void_p,
]  # fmt: skip
_advapi32.SetNamedSecurityInfoW.restype = wintypes.DWORD
_advapi32.SetFileSecurityW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, ctypes.c_void_p]
_advapi32.GetNamedSecurityInfoW.argtypes = [
    wintypes.LPCWSTR, ctypes.c_int, wintypes.DWORD, ctypes.c_void_p, ctypes.c_void_p,
    ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
]  # fmt: skip
_advapi32.GetNamedSecurityInfoW.restype = wintypes.DWORD
_advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW.argtypes = [
    ctypes.c_void_p, wintypes.DWORD, wintypes.DWORD, ctypes.POINTER(ctypes.c_void_p),
    ctypes.c_void_p,
]  # fmt: skip

_ACE = re.compile(r"\(([^)]*)\)")


def _check(ok: int) -> None:
    if not ok:
        raise ctypes.WinError(ctypes.get_last_error())


def _take_string(pointer: ctypes.c_void_p) -> str:
    """The wide string at *pointer* (LocalAlloc'ed by Windows), freed after reading."""
    try:
        return ctypes.wstring_at(pointer.value or 0)
    finally:
        _kernel32.LocalFree(pointer)


def current_user_sid() -> str:
    """The SID of the user this process runs as, e.g. ``S-1-5-21-...-1001``."""
    token = wintypes.HANDLE()
    _check(
        _advapi32.OpenProcessToken(_kernel32.GetCurrentProcess(), TOKEN_QUERY, ctypes.byref(token))
    )
    try:
        size = wintypes.DWORD()
        _advapi32.GetTokenInformation(token, TOKEN_USER_CLASS, None, 0, ctypes.byref(size))
        buffer = ctypes.create_string_buffer(size.value)
        _check(
            _advapi32.GetTokenInformation(token, TOKEN_USER_CLASS, buffer, size, ctypes.byref(size))
        )
        sid = ctypes.c_void_p.from_buffer(buffer).value  # TOKEN_USER.User.Sid comes first
        text = ctypes.c_void_p()
        _check(_advapi32.ConvertSidToStringSidW(sid, ctypes.byref(text)))
        return _take_string(text)
    finally:
        _kernel32.CloseHandle(token)


def private_sddl(user_sid: str, *, directory: bool) -> str:
    """The DACL in SDDL: protected (``P``), full access (``FA``) for the user and SYSTEM;
    on a folder inherited by files (``OI``) and sub-folders (``CI``)."""
    inherit = "OICI" if directory else ""
    return f"D:P(A;{inherit};FA;;;{user_sid})(A;{inherit};FA;;;SY)"


def restrict_to_current_user(path: Path, *, directory: bool) -> None:
    """Replace the DACL of *path* by :func:`private_sddl` for this user; raises OSError."""
    descriptor = ctypes.c_void_p()
    sddl = private_sddl(current_user_sid(), directory=directory)
    _check(
        _advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(
            sddl, SDDL_REVISION_1, ctypes.byref(descriptor), None
        )
    )
    try:
        present, defaulted, dacl = wintypes.BOOL(), wintypes.BOOL(), ctypes.c_void_p()
        _check(
            _advapi32.GetSecurityDescriptorDacl(
                descriptor, ctypes.byref(present), ctypes.byref(dacl), ctypes.byref(defaulted)
            )
        )
        info = DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION
        # SetNamedSecurityInfoW also recomputes what the folder's files inherit (an older
        # data folder's files lose any entry they had inherited from above) ...
        error = _advapi32.SetNamedSecurityInfoW(
            str(path), SE_FILE_OBJECT, info, None, None, dacl, None
        )
        if error:
            raise ctypes.WinError(error)
        # ... and SetFileSecurityW sets the same list on the object itself, which Wine 8 does
        # only this way (there it becomes the Unix mode); on Windows it changes nothing more.
        _check(_advapi32.SetFileSecurityW(str(path), info, descriptor))
    finally:
        _kernel32.LocalFree(descriptor)


def dacl_sddl(path: Path) -> str:
    """The DACL of *path* in SDDL, as Windows reports it (``D:P(A;OICI;FA;;;S-1-...)...``)."""
    descriptor, dacl = ctypes.c_void_p(), ctypes.c_void_p()
    error = _advapi32.GetNamedSecurityInfoW(
        str(path), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION,
        None, None, ctypes.byref(dacl), None, ctypes.byref(descriptor),
    )  # fmt: skip
    if error:
        raise ctypes.WinError(error)
    try:
        text = ctypes.c_void_p()
        _check(
            _advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW(
                descriptor, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, ctypes.byref(text), None
            )
        )
        return _take_string(text)
    finally:
        _kernel32.LocalFree(descriptor)


def allowed_sids(sddl: str) -> set[str]:
    """Whom the DACL lets in: the SIDs of its allow (``A``) entries, ``SY`` spelt out."""
    sids = set()
    for ace in _ACE.findall(sddl):
        fields = ace.split(";")
        if len(fields) >= 6 and fields[0] == "A":
            sids.add(SYSTEM_SID if fields[5] == "SY" else fields[5])
    return sids


def is_restricted_to_current_user(path: Path) -> bool:
    """True when *path*'s DACL lets in this user, and no one else but SYSTEM.

    (Whether the list is also protected from the parent's is not asked: Wine keeps no
    ACLs, only the Unix mode it maps them to, and reports them unprotected.)
    """
    user = current_user_sid()
    allowed = allowed_sids(dacl_sddl(path))
    return user in allowed and allowed <= {user, SYSTEM_SID}
