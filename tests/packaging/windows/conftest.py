"""The Windows build under Wine, made once per test run by scripts/build_windows.sh.

As soon as collection finds a test here, the build starts in the background (about 8
minutes on 2 cores: pip and PyInstaller under Wine, LZMA for the installer), so that it
runs beside the rest of the suite; the first test here waits for it. Nothing is kept
between runs: the build goes to a fresh temporary folder, removed at the end.
``PSER_DESK_WINDOWS_BUILD=DIR`` tests a build made before by
``bash scripts/build_windows.sh --out DIR`` instead (and leaves it in place).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.cli import CliResult

REPO = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
BUILD_ENV = "PSER_DESK_WINDOWS_BUILD"
BUILD_TIMEOUT_S = 45 * 60  # measured ~8 min alone on 2 cores; generous beside the suite
SCREEN = "-screen 0 1366x768x24"

_background: dict[str, Any] = {}


def pytest_collection_finish(session: pytest.Session) -> None:
    wanted = any(HERE in Path(str(item.fspath)).resolve().parents for item in session.items)
    collect_only = session.config.option.collectonly
    if wanted and not collect_only and not os.environ.get(BUILD_ENV) and not _background:
        _start_build()


def _start_build() -> None:
    out = Path(tempfile.mkdtemp(prefix="pser-windows-build-"))
    log = (out / "build.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        ["bash", str(REPO / "scripts" / "build_windows.sh"), "--out", str(out)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped whole if the run ends early
    )  # fmt: skip
    _background.update(process=process, out=out, log=log, started=time.monotonic())


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "tests/packaging/windows/" in report.nodeid:
        _background["tests_s"] = _background.get("tests_s", 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The Wine part's time, for CI's log (docs/packaging.md quotes it)."""
    built = _background.get("built_s")
    if built is None and "tests_s" not in _background:
        return
    line = "Windows under Wine: "
    if built is not None:
        line += f"build {built} s ({_background.get('steps', {})}), "
        line += f"waited {_background.get('waited_s', 0.0):.0f} s; "
    line += f"smoke tests {_background.get('tests_s', 0.0):.0f} s (waiting included)"
    terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    process = _background.get("process")
    if process is None:
        return
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    _background["log"].close()
    out: Path = _background["out"]
    subprocess.run(
        ["wineserver", "-k"], env={**os.environ, "WINEPREFIX": str(out / "prefix")},
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    shutil.rmtree(out, ignore_errors=True)


@dataclass
class WindowsBuild:
    out: Path
    info: dict[str, Any]
    build_log: str
    waited_s: float = 0.0

    @property
    def bundle(self) -> Path:
        return self.out / "dist" / "pser-desk"

    @property
    def installer(self) -> Path:
        return Path(self.info["installer"])

    @property
    def prefix(self) -> Path:
        return self.out / "prefix"


@pytest.fixture(scope="session")
def windows_build() -> WindowsBuild:
    given = os.environ.get(BUILD_ENV)
    if given:
        out, waited = Path(given).resolve(), 0.0
        log_text = (
            (out / "build.log").read_text(encoding="utf-8", errors="replace")
            if (out / "build.log").is_file()
            else ""
        )
    else:
        if not _background:
            _start_build()
        process: subprocess.Popen[bytes] = _background["process"]
        started = time.monotonic()
        try:
            code = process.wait(timeout=BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the Windows build took more than {BUILD_TIMEOUT_S // 60} minutes")
        waited = time.monotonic() - started
        out = _background["out"]
        _background["log"].flush()
        log_text = (out / "build.log").read_text(encoding="utf-8", errors="replace")
        assert code == 0, f"scripts/build_windows.sh failed:\n{log_text[-6000:]}"
        _background["waited_s"] = waited
    info = json.loads((out / "build-info.json").read_text(encoding="utf-8"))
    _background.update(built_s=info.get("total_seconds"), steps=info.get("step_seconds", {}))
    return WindowsBuild(out, info, log_text, waited)


def winpath(path: Path) -> str:
    """A Linux path as Windows programs under Wine see it (drive Z: is the Linux root)."""
    return "Z:" + str(path).replace("/", "\\")


@dataclass
class Wine:
    """Runs Windows programs in the build's Wine prefix (its wineserver kept alive)."""

    prefix: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PSER_DESK_"))}
        env.update(
            WINEPREFIX=str(self.prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml="
        )
        env.update(self.extra_env)
        env.update(extra)
        # Wine keeps Linux's QT_* variables from Windows programs; WINEQT_* reach them as QT_*.
        for name in [n for n in env if n.startswith("QT_")]:
            env["WINE" + name] = env.pop(name)
        return env

    def command(self, program: str | Path, *args: str) -> list[str]:
        return ["wine", str(program), *args]

    def run(
        self,
        program: str | Path,
        *args: str,
        stdin: str = "",
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        """Run to its end; its stdout and stderr (pipes: Windows Python loses its streams on
        a plain file). Wine's own services, started by a first program, inherit those pipes
        and keep them open, so the output is read until the program ends, not until EOF."""
        command = self.command(program, *args)
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=self.env(**(env or {})), cwd=cwd, start_new_session=True,
        )  # fmt: skip
        assert proc.stdin is not None
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdin.write(stdin.encode("utf-8"))
        proc.stdin.close()
        out, err = _read_until_exit(proc, timeout, command)
        return subprocess.CompletedProcess(command, proc.returncode, out, err)

    def wait_for_end(self, *names: str, timeout: float = 300) -> None:
        """Until no process whose command line names one of *names* is left (an NSIS
        uninstaller runs on as a copy of itself after uninstall.exe has returned)."""
        deadline = time.monotonic() + timeout
        while _processes_named(names):
            assert time.monotonic() < deadline, f"{names} still running after {timeout} s"
            time.sleep(0.5)

    def c_drive(self) -> Path:
        return self.prefix / "drive_c"


def _read_until_exit(
    proc: subprocess.Popen[bytes], timeout: float, command: list[str]
) -> tuple[str, str]:
    assert proc.stdout is not None
    assert proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    open_fds = set(chunks)
    deadline = time.monotonic() + timeout
    ended_at: float | None = None
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], 0.1)
        for fd in ready:
            data = os.read(fd, 65536)
            if data:
                chunks[fd].append(data)
            else:
                open_fds.discard(fd)
        if proc.poll() is not None:
            ended_at = ended_at or time.monotonic()
            if not ready and time.monotonic() - ended_at > 0.3:
                break  # ended, and nothing more came: the rest is Wine's services' silence
        elif time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            raise subprocess.TimeoutExpired(command, timeout)
    proc.stdout.close()
    proc.stderr.close()
    proc.wait(timeout=max(deadline - time.monotonic(), 30))  # both pipes ended before it did

    def text(fd: int) -> str:
        return b"".join(chunks[fd]).decode("utf-8", "replace").replace("\r\n", "\n")

    return text(out_fd), text(err_fd)


def _processes_named(names: tuple[str, ...]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            if any(name.lower() in cmdline.lower() for name in names):
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="session")
def wine(windows_build: WindowsBuild) -> Iterator[Wine]:
    """Wine on the build's prefix, with one Xvfb screen for the whole session.

    Every Windows program of the session sees the same display: Wine's desktop process
    (explorer.exe), started with the first program and shared by the next ones, must
    have one, or a later program's first window crashes (seen with Qt's windows plugin
    after a display-less run).
    """
    read, write = os.pipe()
    screen = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), *SCREEN.split(), "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as display:
        number = display.readline().strip()
    assert number, "Xvfb did not start"
    runner = Wine(windows_build.prefix, {"DISPLAY": f":{number}"})
    try:
        yield runner
    finally:
        subprocess.run(["wineserver", "-k"], env=runner.env(), capture_output=True, check=False)
        screen.terminate()
        screen.wait(timeout=30)


class FrozenDesk:
    """``pser-desk-cli.exe [--data-dir DIR] ...`` under Wine (a Desk for headless_flow).

    *default_data_dir* True: no ``--data-dir``, the desk's own default folder (which must
    then be *data_dir*, the Linux path of ``%LOCALAPPDATA%\\PSER\\pser-desk``).
    """

    def __init__(
        self, wine: Wine, program: Path | str, data_dir: Path, *, default_data_dir: bool = False
    ) -> None:
        self.wine, self.program, self.data_dir = wine, program, data_dir
        self.default_data_dir = default_data_dir

    def __call__(self, *args: str, stdin: str = "") -> CliResult:
        where = [] if self.default_data_dir else ["--data-dir", winpath(self.data_dir)]
        proc = self.wine.run(
            self.program, *where, *args, stdin=stdin, env={"QT_QPA_PLATFORM": "offscreen"},
            cwd=Path("/") if self.default_data_dir else self.data_dir.parent,
        )  # fmt: skip
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    def path(self, path: Path) -> str:
        return winpath(path)


@pytest.fixture
def frozen_cli(windows_build: WindowsBuild, wine: Wine, tmp_path: Path) -> FrozenDesk:
    return FrozenDesk(wine, windows_build.bundle / "pser-desk-cli.exe", tmp_path / "pc")
