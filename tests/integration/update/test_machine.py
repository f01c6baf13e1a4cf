"""The per-machine updater's work (update/machine.py, managed.py), on Linux: the service's
requests against the reference central, and the finisher replacing an installation by a
copy of the staged version. The Windows service around them runs under Wine
(tests/packaging/windows/test_update.py)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from pser_desk.commands.update_service import is_service_command
from pser_desk.domain.releases import Channel
from pser_desk.update.install import Installation
from pser_desk.update.machine import MachineStatus, Request, StatusFile, finish, serve
from pser_desk.update.managed import ask
from pser_desk.update.service import Setup, UpdateService
from tests.plugins.cli import RunCli
from tests.plugins.updates import Releases, UpdatesCentral, script_bundle


def _publish(releases: Releases, *versions: str) -> None:
    for version in versions:
        bundle = script_bundle(releases.folder / f"script-{version}", version)
        releases.repo.add(bundle, version, Channel.STABLE, "gz", platform="linux-x86_64")


def _installed(tmp_path: Path, version: str) -> Installation:
    folder = script_bundle(tmp_path / "Program Files" / "PSER Desk", version)
    (folder / "uninstall.exe").write_bytes(b"MZ the installer's own uninstaller")
    return Installation(folder)


def test_install_requests_stage_try_and_hand_over_to_the_finisher(
    releases: Releases, updates_central: UpdatesCentral, tmp_path: Path
) -> None:
    _publish(releases, "0.1.0", "0.1.1")
    installation = _installed(tmp_path, "0.1.0")
    machine = tmp_path / "ProgramData" / "PSER"
    handed: list[list[str]] = []
    request = Request("install", Channel.STABLE, updates_central.url, "req-1")
    status = serve(request, installation, machine, spawn=handed.append, root=releases.root)
    assert (status.phase, status.version, status.previous) == ("finishing", "0.1.1", "0.1.0")
    (command,) = handed
    staged = installation.sibling("0.1.1", "staged")
    assert command[:3] == [str(staged / "pser-desk"), "update", "finish"]
    assert installation.version == "0.1.0"  # nothing replaced before the finisher

    done = finish(staged, installation.folder, "0.1.1", machine, "req-1")
    assert (done.phase, done.version, done.previous) == ("installed", "0.1.1", "0.1.0")
    assert installation.version == "0.1.1"
    assert (
        installation.folder / "uninstall.exe"
    ).read_bytes() == b"MZ the installer's own uninstaller"
    assert StatusFile(machine).read().phase == "installed"
    assert not installation.sibling("0.1.0", "previous").exists()
    assert (
        json.loads((machine / "updates" / "status.json").read_text("utf-8"))["request"] == "req-1"
    )


def test_a_finish_that_fails_puts_the_old_folder_back(releases: Releases, tmp_path: Path) -> None:
    installation = _installed(tmp_path, "0.1.0")
    staged = script_bundle(tmp_path / "staged", "0.1.1")
    (staged / "pser-desk").write_text("#!/bin/sh\nexit 1\n", "utf-8")  # does not start
    before = sorted(p.name for p in installation.folder.rglob("*"))
    done = finish(staged, installation.folder, "0.1.1", tmp_path / "machine", "req-2")
    assert done.phase == "failed"
    assert done.message.startswith("the new version 0.1.1 does not start")
    assert installation.version == "0.1.0"
    assert sorted(p.name for p in installation.folder.rglob("*")) == before


def test_download_requests_and_refusals_are_reported_in_the_status_file(
    releases: Releases, updates_central: UpdatesCentral, tmp_path: Path
) -> None:
    _publish(releases, "0.1.0", "0.1.1")
    installation = _installed(tmp_path, "0.1.0")
    machine = tmp_path / "machine"
    request = Request("download", Channel.STABLE, updates_central.url, "req-3")
    status = serve(request, installation, machine, root=releases.root)
    assert (status.phase, status.version) == ("downloaded", "0.1.1")
    # A state.json planted in the machine's folder is never believed: only TUF is.
    state = machine / "updates" / "state.json"
    raw = json.loads(state.read_text("utf-8"))
    raw["downloaded"]["sha256"] = "0" * 64
    raw["downloaded"]["tree_sha256"] = "0" * 64
    state.write_text(json.dumps(raw), "utf-8")
    install = Request("install", Channel.STABLE, updates_central.url, "req-4")
    handed: list[list[str]] = []
    assert serve(install, installation, machine, spawn=handed.append, root=releases.root).phase == (
        "finishing"
    )
    assert handed  # staged from what TUF verified, not from the planted note
    stamp = releases.repo_dir / "metadata" / "timestamp.json"
    stamp.write_bytes(stamp.read_bytes().replace(b'"version": 3', b'"version": 7'))
    refused = serve(request, installation, machine, root=releases.root)
    assert refused.phase == "refused"
    assert refused.message == (
        "refused: timestamp metadata's signature does not verify (it was changed after signing)"
    )


def test_the_desk_asks_the_service_and_follows_its_status(
    releases: Releases, updates_central: UpdatesCentral, tmp_path: Path, data_dir: Path
) -> None:
    _publish(releases, "0.1.0", "0.1.1")
    installation = _installed(tmp_path, "0.1.0")
    machine = tmp_path / "machine"
    data_dir.mkdir()
    desk = UpdateService(Setup(data_dir, central_url=updates_central.url, current="0.1.0",
                               root=releases.root, installation=installation))  # fmt: skip
    threads: list[threading.Thread] = []

    def start_service(args: list[str]) -> None:  # what StartServiceW does on Windows
        work = threading.Thread(target=serve, args=(Request.parse(args), installation, machine),
                                kwargs={"root": releases.root})  # fmt: skip
        threads.append(work)
        work.start()

    seen: list[tuple[int, int]] = []
    status = ask("download", desk, lambda done, total: seen.append((done, total)),
                 folder=machine, start=start_service, timeout_s=60)  # fmt: skip
    for work in threads:
        work.join()
    assert isinstance(status, MachineStatus)
    assert (status.phase, status.version) == ("downloaded", "0.1.1")


def test_the_services_command_line_goes_to_the_dispatcher_before_the_parser(
    run_cli: RunCli,
) -> None:
    """The service manager waits only seconds for a service to connect (Wine 10 s): on
    Windows ``[--data-dir DIR] update service`` skips building the parser and its imports."""
    assert is_service_command(["--data-dir", r"C:\ProgramData\PSER\service", "update", "service"])
    assert is_service_command(["update", "service"])
    assert not is_service_command(["update", "service", "now"])
    assert not is_service_command(["--db", "sqlite://", "update", "service"])
    result = run_cli("update", "service")  # elsewhere: one line, as any command
    assert (result.code, result.err.strip()) == (
        1,
        "pser-desk: the updater service runs on Windows only",
    )
