"""The frozen Windows desk, run under Wine: its self-test, its sign-in window with Qt's
real ``windows`` platform plugin (under Xvfb), a centre's headless day with the console
program against the reference central service on 127.0.0.1, the data folder and the
device key closed to other users by ACL, one window per data folder, and a log file
that the window holds open while a command needs to rotate it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pser_desk import selftest
from tests.packaging.headless_flow import HOUSEHOLDS, reference_central, run_headless_flow

from .conftest import REPO, FrozenDesk, WindowsBuild, Wine, winpath

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]


def test_the_frozen_self_test_passes_every_check(
    windows_build: WindowsBuild, wine: Wine, tmp_path: Path
) -> None:
    proc = wine.run(windows_build.bundle / "pser-desk-cli.exe", "--self-test", cwd=tmp_path,
                    env={"QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        lines[0]
        == f"pser-desk self-test (frozen bundle: {winpath(windows_build.bundle)}\\_internal)"
    )
    assert [line.split()[1] for line in lines[1:-1]] == [name for name, _ in selftest.CHECKS]
    assert all(line.startswith("ok ") for line in lines[1:-1]), lines
    assert "user-only ACL" in lines[1 + [n for n, _ in selftest.CHECKS].index("keys")]


def test_the_sign_in_window_shows_with_the_windows_platform_plugin(
    windows_build: WindowsBuild, wine: Wine, tmp_path: Path
) -> None:
    proc = wine.run(
        windows_build.bundle / "pser-desk-cli.exe", "--data-dir", winpath(tmp_path / "pc"),
        "--startup-probe", env={"QT_QPA_PLATFORM": "windows"}, cwd=tmp_path,
    )  # fmt: skip
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert lines[0].startswith("login shown after "), lines
    assert lines[1].startswith("ready after "), lines
    assert lines[2] == "platform windows", lines


@dataclass
class Day:
    desk: FrozenDesk
    receipts: list[str]


@pytest.fixture(scope="module")
def day(windows_build: WindowsBuild, wine: Wine, tmp_path_factory: pytest.TempPathFactory) -> Day:
    work = tmp_path_factory.mktemp("windows-day")
    desk = FrozenDesk(wine, windows_build.bundle / "pser-desk-cli.exe", work / "pc")
    with reference_central(work / "central") as central:
        receipts = run_headless_flow(desk, central, work)
    return Day(desk, receipts)


def test_a_centres_headless_day_with_the_frozen_console_program(day: Day) -> None:
    # enrol, first manager, 5 households (record add), sync --until-empty, slip,
    # verify-slip, backup, audit verify: each checked in headless_flow, and central
    # holds each household once with the Urdu name intact.
    assert len(day.receipts) == HOUSEHOLDS


def _dacl(wine: Wine, path: Path) -> str:
    """The path's DACL in SDDL, read with the prefix's Windows Python and our own module."""
    script = (
        f"import sys; sys.path.insert(0, {winpath(REPO)!r}); "
        "from pathlib import Path; from pser_desk.security import windows_acl as w; "
        f"print(w.dacl_sddl(Path({winpath(path)!r}))); print(w.current_user_sid())"
    )
    proc = wine.run(wine.c_drive() / "Python311" / "python.exe", "-c", script)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_the_data_folder_and_the_device_key_are_closed_to_other_users(day: Day, wine: Wine) -> None:
    data = day.desk.data_dir
    for path in (data, data / "identity", data / "identity" / "device_ed25519.key"):
        sddl, user = _dacl(wine, path).splitlines()
        allowed = set(re.findall(r"\(A;[^;]*;[^;]*;;;([^)]+)\)", sddl))
        assert allowed == {user, "SY"}, (path, sddl)  # no Everyone (WD), no Users (BU)
        # Wine keeps a DACL as the Unix mode: others have no access bits left.
        assert path.stat().st_mode & 0o007 == 0, (path, oct(path.stat().st_mode))


@dataclass
class Window:
    process: subprocess.Popen[bytes]
    data_dir: Path


@pytest.fixture
def open_window(windows_build: WindowsBuild, wine: Wine, tmp_path: Path) -> Iterator[Window]:
    """The windowed program on a new data folder, up (its first-run window) on the screen."""
    data_dir = tmp_path / "pc"
    process = subprocess.Popen(
        wine.command(windows_build.bundle / "pser-desk.exe", "--data-dir", winpath(data_dir)),
        env=wine.env(QT_QPA_PLATFORM="windows"), cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    log = data_dir / "logs" / "pser-desk.log"
    deadline = time.monotonic() + 120
    while not (log.is_file() and "the desk is ready" in log.read_text(errors="replace")):
        assert process.poll() is None, "the window ended on its own"
        assert time.monotonic() < deadline, "the window did not come up in 2 minutes"
        time.sleep(0.5)
    yield Window(process, data_dir)
    os.killpg(process.pid, signal.SIGTERM)  # wine and the desk
    process.wait(timeout=60)
    wine.wait_for_end("pser-desk.exe")


def test_a_second_copy_of_the_desk_on_the_same_data_folder_says_it_is_open(
    windows_build: WindowsBuild, wine: Wine, open_window: Window
) -> None:
    proc = wine.run(
        windows_build.bundle / "pser-desk-cli.exe", "--data-dir", winpath(open_window.data_dir),
        "--startup-probe", env={"QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "PSER Desk is already open on this PC."
    assert open_window.process.poll() is None  # the first window is untouched


def test_a_command_whose_log_rotation_the_window_blocks_writes_on_quietly(
    windows_build: WindowsBuild, wine: Wine, open_window: Window
) -> None:
    log = open_window.data_dir / "logs" / "pser-desk.log"
    with log.open("a", encoding="utf-8") as f:  # the next line is past the 1 MB mark
        f.write("filler line for the rotation test\n" * 31_000)
    desk = FrozenDesk(wine, windows_build.bundle / "pser-desk-cli.exe", open_window.data_dir)
    result = desk("record", "example", "--seed", "3")
    assert result.code == 0, result.err
    assert result.err == ""  # no "--- Logging error ---" traceback on the console
    assert "record example ended with exit code 0" in log.read_text(errors="replace")
    assert not (log.parent / "pser-desk.log.1").exists()  # the window still holds the file
