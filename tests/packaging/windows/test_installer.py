"""The NSIS installer as a centre's PC gets it, under Wine: silent install (/S) per machine
into Program Files with Start-menu and desktop entries, the installed desk working from any
folder (self-test, the sign-in window with Qt's windows plugin), silent uninstall that
removes the program and keeps the data folder, and an upgrade over an older version that
keeps the data, the enrolment and a queued record (which then sends)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from pser_desk import selftest
from tests.packaging.headless_flow import CENTRE, MANAGER, OPERATOR, ok, reference_central

from .conftest import REPO, FrozenDesk, WindowsBuild, Wine
from .test_build import _standin_digests

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]

APP = "PSER Desk"
UNINSTALL_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\PSERDesk"


class Machine:
    """Where the installer puts things in the prefix, and the installed programs."""

    def __init__(self, wine: Wine) -> None:
        self.wine = wine
        c = wine.c_drive()
        self.program_dir = c / "Program Files" / APP
        self.start_menu = (
            c / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / APP
        )
        self.desktop_link = c / "users" / "Public" / "Desktop" / f"{APP}.lnk"
        self.data_dir = c / "users" / _wine_user(wine) / "AppData" / "Local" / "PSER" / "pser-desk"

    def install(self, installer: Path) -> None:
        proc = self.wine.run(installer, "/S", timeout=600)
        self.wine.wait_for_end(installer.name)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert (self.program_dir / "pser-desk-cli.exe").is_file(), "the installer installed nothing"

    def uninstall(self) -> subprocess.CompletedProcess[str]:
        proc = self.wine.run(self.program_dir / "uninstall.exe", "/S", timeout=600)
        # uninstall.exe copies itself to %TEMP%\\~nsuA.tmp\\Un_A.exe, starts that, returns.
        self.wine.wait_for_end("uninstall.exe", "Un_A.exe", "~nsu")
        return proc

    def registry(self, value: str) -> str | None:
        proc = self.wine.run("reg", "query", UNINSTALL_KEY, "/v", value, "/reg:64")
        found = re.search(rf"{value}\s+REG_\w+\s+(.*)", proc.stdout)
        return found.group(1).strip() if found else None

    def cli(self) -> FrozenDesk:
        """The installed console program on the default data folder (no --data-dir)."""
        program = self.program_dir / "pser-desk-cli.exe"
        return FrozenDesk(self.wine, program, self.data_dir, default_data_dir=True)


def _wine_user(wine: Wine) -> str:
    users = [p.name for p in (wine.c_drive() / "users").iterdir() if p.name != "Public"]
    assert len(users) == 1, users
    return users[0]


@pytest.fixture
def machine(wine: Wine, windows_build: WindowsBuild) -> Iterator[Machine]:
    """A PC without the desk and without a data folder; cleaned up again afterwards."""
    here = Machine(wine)
    shutil.rmtree(here.data_dir.parent, ignore_errors=True)
    yield here
    if (here.program_dir / "uninstall.exe").is_file():
        here.uninstall()
    shutil.rmtree(here.data_dir.parent, ignore_errors=True)


def test_silent_install_self_test_window_and_uninstall_that_keeps_the_data(
    machine: Machine, windows_build: WindowsBuild, wine: Wine, tmp_path: Path
) -> None:
    version = windows_build.info["version"]
    machine.install(windows_build.installer)

    # Per machine, 64-bit Program Files, Start-menu and desktop entries, Apps & features.
    assert (machine.program_dir / "pser-desk.exe").is_file()
    assert not (wine.c_drive() / "Program Files (x86)" / APP).exists()
    assert {p.name for p in machine.start_menu.iterdir()} == {f"{APP}.lnk", f"Uninstall {APP}.lnk"}
    assert machine.desktop_link.is_file()
    assert machine.registry("DisplayVersion") == version
    assert (
        machine.registry("QuietUninstallString") == f'"C:\\Program Files\\{APP}\\uninstall.exe" /S'
    )
    digests = _standin_digests(windows_build)
    assert not [p for p in machine.program_dir.rglob("*") if p.name.lower() in digests]

    # The installed copy finds its resources from any working folder.
    proc = wine.run(machine.program_dir / "pser-desk-cli.exe", "--self-test", cwd=tmp_path,
                    env={"QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert lines[0] == f"pser-desk self-test (frozen bundle: C:\\Program Files\\{APP}\\_internal)"
    assert [line.split()[1] for line in lines[1:-1]] == [name for name, _ in selftest.CHECKS]
    assert all(line.startswith("ok ") for line in lines[1:-1]), lines
    # ... and its window (fonts, translation, Qt's windows plugin), on the default data folder.
    probe = wine.run(machine.program_dir / "pser-desk-cli.exe", "--startup-probe",
                     cwd=Path("/"), env={"QT_QPA_PLATFORM": "windows"})  # fmt: skip
    assert probe.returncode == 0, probe.stdout + probe.stderr
    assert probe.stdout.splitlines()[-1] == "platform windows"
    database = machine.data_dir / "pser.db"
    assert database.is_file()  # the default data folder, outside Program Files
    before = database.read_bytes()

    proc = machine.uninstall()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not machine.program_dir.exists()
    assert not machine.start_menu.exists()
    assert not machine.desktop_link.exists()
    assert machine.registry("DisplayVersion") is None
    assert database.read_bytes() == before  # the data folder stays, untouched


def _next_version(version: str) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    return f"{major}.{minor}.{patch + 1}"


def _enrolled_devices(data_dir: Path) -> list[str]:
    """The device ids of this PC's enrolment record, read from its database (the one place
    an enrolment is kept: issue 14), with no desk running."""
    with closing(sqlite3.connect(f"file:{data_dir / 'pser.db'}?mode=ro", uri=True)) as db:
        return [row[0] for row in db.execute("SELECT device_id FROM device_identity")]


def test_an_upgrade_keeps_the_data_the_enrolment_and_a_queued_record_that_then_sends(
    machine: Machine, windows_build: WindowsBuild, wine: Wine, tmp_path: Path
) -> None:
    version = windows_build.info["version"]
    newer = _next_version(version)
    # Version N+1: the same bundle under the next version number, compiled by the same
    # script (stored, not LZMA: the upgrade path is what is tested, not the compression).
    upgrade = tmp_path / f"pser-desk-{newer}-setup.exe"
    made = subprocess.run(
        ["makensis", "-V2", "-WX", f"-DVERSION={newer}",
         f"-DBUNDLE_DIR={windows_build.bundle}", "-DNOCOMPRESS", f"-DOUTFILE={upgrade}",
         str(REPO / "installer" / "pser-desk.nsi")],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr

    machine.install(windows_build.installer)
    desk = machine.cli()
    with reference_central(tmp_path / "central") as central:
        manager_id, manager_name, manager_pw = MANAGER
        operator_id, operator_name, operator_pw = OPERATOR
        ok(desk, "operator", "add", manager_id, "--name", manager_name, "--role", "manager",
           stdin=f"{manager_pw}\n{manager_pw}\n")  # fmt: skip
        ok(desk, "operator", "add", operator_id, "--name", operator_name, "--role", "operator",
           "--as", manager_id, stdin=f"{manager_pw}\n{operator_pw}\n{operator_pw}\n")  # fmt: skip
        enrolled = json.loads(ok(desk, "enroll", "--central", central.url, "--centre", CENTRE,
                                 "--token", central.new_token()))  # fmt: skip
        record = ok(desk, "record", "example", "--seed", "11")
        queued = json.loads(ok(desk, "record", "add", "-", "--operator", operator_id,
                               stdin=f"{operator_pw}\n{record}"))  # fmt: skip
        stale = machine.program_dir / "_internal" / "left-by-the-old-version.txt"
        stale.write_text("old", encoding="utf-8")

        machine.install(upgrade)

        assert machine.registry("DisplayVersion") == newer
        assert not stale.exists()  # the old version's files went before the new ones came
        listed = [json.loads(line) for line in ok(desk, "record", "list", "--json").splitlines()]
        assert [(r["submission_id"], r["state"]) for r in listed] == [
            (queued["submission_id"], "queued")
        ]
        assert _enrolled_devices(machine.data_dir) == [enrolled["device_id"]]  # the same one
        synced = json.loads(ok(desk, "sync", "--until-empty", "--timeout", "180"))
        assert synced["unsent"] == 0, synced
        assert [sid for sid, _ in central.records()] == [queued["submission_id"]]


AGENT_TASK = ("PSER Desk", "Background sender")


def _registered_task(wine: Wine) -> Path | None:
    """The task definition Task Scheduler keeps (Wine: ``C:\\windows\\system32\\tasks``)."""
    system32 = wine.c_drive() / "windows" / "system32"
    for tasks in (system32 / "tasks", system32 / "Tasks"):
        found = tasks.joinpath(*AGENT_TASK)
        if found.is_file():
            return found
    return None


def _action(task: Path) -> tuple[str, list[str]]:
    """(Command, Arguments) of a task definition's Exec action (logon trigger, no time limit)."""
    raw = task.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8")
    command = re.search(r"<Command>(.*?)</Command>", text, re.S)
    arguments = re.search(r"<Arguments>(.*?)</Arguments>", text, re.S)
    assert command is not None, text
    assert "<LogonTrigger>" in text
    assert "<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>" in text
    return command.group(1).strip(), (arguments.group(1).split() if arguments else [])


def test_the_installer_registers_the_background_sender_which_sends_and_stops(
    machine: Machine, windows_build: WindowsBuild, wine: Wine, tmp_path: Path
) -> None:
    """The agent as Task Scheduler starts it at logon (the registered command, on the
    default data folder): it holds the queue, sends what is queued, and stops on
    ``agent --stop`` (exit 0); the uninstaller removes the task."""
    machine.install(windows_build.installer)
    assert _registered_task(wine) is not None, "the installer registered no Task Scheduler task"
    # Wine's scheduler keeps the task but drops what it cannot run (logon triggers, group
    # principals, the action): the definition the installer registered is read instead.
    command, arguments = _action(machine.program_dir / "agent-task.xml")
    assert command == f"C:\\Program Files\\{APP}\\pser-desk.exe"
    assert arguments == ["agent"]
    desk = machine.cli()
    with reference_central(tmp_path / "central") as central:
        manager_id, manager_name, manager_pw = MANAGER
        operator_id, operator_name, operator_pw = OPERATOR
        ok(desk, "operator", "add", manager_id, "--name", manager_name, "--role", "manager",
           stdin=f"{manager_pw}\n{manager_pw}\n")  # fmt: skip
        ok(desk, "operator", "add", operator_id, "--name", operator_name, "--role", "operator",
           "--as", manager_id, stdin=f"{manager_pw}\n{operator_pw}\n{operator_pw}\n")  # fmt: skip
        ok(desk, "enroll", "--central", central.url, "--centre", CENTRE,
           "--token", central.new_token())  # fmt: skip
        record = ok(desk, "record", "example", "--seed", "12")
        queued = json.loads(ok(desk, "record", "add", "-", "--operator", operator_id,
                               stdin=f"{operator_pw}\n{record}"))  # fmt: skip
        program = machine.program_dir / "pser-desk.exe"  # what the task runs, windowed
        agent = subprocess.Popen(
            wine.command(program, *arguments), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/",
            env=wine.env(QT_QPA_PLATFORM="offscreen"), start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 240
            while [sid for sid, _ in central.records()] != [queued["submission_id"]]:
                # (not the launcher's liveness: wine may return for a windowed program early)
                assert time.monotonic() < deadline, "the agent did not send the queued record"
                time.sleep(2)
            info = json.loads(ok(desk, "info", "--json"))
            assert info["sender"]["kind"] == "agent"
            assert info["last_heartbeat_at"] is not None
            stopped = json.loads(ok(desk, "agent", "--stop"))
            assert stopped == {"stopped": True}
            assert agent.wait(timeout=60) == 0
        finally:
            if agent.poll() is None:
                os.killpg(agent.pid, signal.SIGKILL)
                agent.wait(30)
        assert json.loads(ok(desk, "info", "--json"))["sender"] is None
    machine.uninstall()
    assert _registered_task(wine) is None, "the uninstaller left the task registered"
    assert not (machine.program_dir / "agent-task.xml").exists()
