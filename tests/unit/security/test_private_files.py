"""Private folders and files (the data folder, key files) on POSIX, and the Windows rules
that Linux does not enforce, played here: no ``os.fchmod``, and a file still open can be
neither renamed nor deleted (WinError 32). The real Windows run is the Wine smoke test
(tests/packaging/windows/), where the same code sets ACLs.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pser_desk.security import private_files
from pser_desk.security.device import DeviceKey, key_path
from pser_desk.security.private_files import (
    is_private,
    make_private_dir,
    replace,
    write_private_file,
)


def _open_paths() -> set[str]:
    """The files this process has open (Linux: /proc/self/fd)."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return found


@pytest.fixture
def windows_file_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows Python 3.11's rules: no os.fchmod; renaming or deleting an open file fails."""
    monkeypatch.delattr(os, "fchmod")
    real_replace, real_unlink = os.replace, Path.unlink

    def refuse_if_open(path: Any) -> None:
        if str(Path(path).resolve()) in _open_paths():
            raise PermissionError(errno.EACCES, "[WinError 32] the file is open", str(path))

    def strict_replace(src: Any, dst: Any) -> None:
        refuse_if_open(src)
        refuse_if_open(dst)
        real_replace(src, dst)

    def strict_unlink(self: Path, missing_ok: bool = False) -> None:
        refuse_if_open(self)
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(os, "replace", strict_replace)
    monkeypatch.setattr(Path, "unlink", strict_unlink)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("windows_file_rules")
def test_the_device_key_is_written_where_os_fchmod_does_not_exist(tmp_path: Path) -> None:
    # The first start on Windows failed here (AttributeError: os.fchmod), after central had
    # already taken the one-time enrolment token.
    key = DeviceKey.generate()
    path = key.save(tmp_path)
    assert DeviceKey.load(tmp_path).public_raw() == key.public_raw()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]


@pytest.mark.usefixtures("windows_file_rules")
def test_a_failed_write_leaves_no_temporary_file_even_under_windows_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "identity" / "device_ed25519.key"

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left") as failure:
        write_private_file(target, b"k" * 32)
    assert failure.value.errno == errno.ENOSPC  # the real error, not "file in use"
    assert list(target.parent.iterdir()) == []


def test_a_private_file_replaces_the_old_one_atomically(tmp_path: Path) -> None:
    target = tmp_path / "keys" / "secret.key"
    write_private_file(target, b"old")
    write_private_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["secret.key"]


def test_an_existing_open_folder_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    assert not is_private(folder)
    assert make_private_dir(folder) == folder
    assert mode(folder) == 0o700
    assert is_private(folder)
    made = make_private_dir(tmp_path / "new" / "deeper")
    assert mode(made) == 0o700


@pytest.mark.allow_log_warnings
def test_a_folder_that_cannot_be_made_private_is_still_used_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(path: Any, mode: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    folder = make_private_dir(tmp_path / "stick")
    assert folder.is_dir()
    assert "is not private to this user" in caplog.text
    assert "stick" in caplog.text


def test_a_command_makes_the_data_folder_private_before_writing_in_it(
    data_dir: Path, run_cli: Callable[..., Any]
) -> None:
    assert not data_dir.exists()
    assert run_cli("record", "example").code == 0
    assert mode(data_dir) == 0o700
    assert (data_dir / "logs" / "pser-desk.log").is_file()


def test_an_old_data_folder_becomes_private_at_the_next_command(
    data_dir: Path, run_cli: Callable[..., Any]
) -> None:
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    run_cli("record", "example")
    assert mode(data_dir) == 0o700


def test_the_identity_folder_and_the_key_are_private_after_saving(data_dir: Path) -> None:
    DeviceKey.generate().save(data_dir)
    assert mode(key_path(data_dir)) == 0o600
    assert mode(key_path(data_dir).parent) == 0o700


@pytest.mark.parametrize("windows", [True, False])
def test_a_rename_refused_for_a_moment_is_retried_on_windows_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: bool
) -> None:
    source, target = tmp_path / "new.json", tmp_path / "settings.json"
    source.write_text("{}", encoding="utf-8")
    real_replace = os.replace
    refusals = [PermissionError(errno.EACCES, "[WinError 5] Access is denied")] * 2

    def busy_then_free(src: Any, dst: Any) -> None:
        if refusals:
            raise refusals.pop()
        real_replace(src, dst)

    monkeypatch.setattr(private_files, "WINDOWS", windows)
    monkeypatch.setattr(os, "replace", busy_then_free)
    if windows:
        replace(source, target)
        assert target.read_text(encoding="utf-8") == "{}"
    else:
        with pytest.raises(PermissionError):
            replace(source, target)


def test_a_rename_refused_for_good_gives_up_after_the_retry_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_busy(src: Any, dst: Any) -> None:
        raise PermissionError(errno.EACCES, "[WinError 32] the file is open")

    monkeypatch.setattr(private_files, "WINDOWS", True)
    monkeypatch.setattr(private_files, "REPLACE_RETRY_S", 0.05)
    monkeypatch.setattr(os, "replace", always_busy)
    with pytest.raises(PermissionError):
        replace(tmp_path / "a", tmp_path / "b")
