"""The Windows desk updating itself under Wine: the per-machine install in Program Files,
updated through the PSER Desk Updater service the installer registers (issue 17).

N is the Windows bundle this run built (it ships the root of ``release-team/repo``, made
before the build: conftest.py); N+1 is that bundle with its version file changed. Both
are published with ``pser-desk release add`` and served by the reference central. The
installed N (as its user, on its default data folder) finds N+1, has the service download
it (a refused, tampered download first), then install it: the service stages and
self-tests N+1, ``update finish`` replaces the program folder from the staged copy,
Apps & features shows N+1, ``uninstall.exe`` stays, and ``update wait`` starts N+1's
window on the same data, enrolment and queue. Uninstalling removes the service and its
ProgramData folder and keeps the data.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from pser_desk.store.audit_log import entries
from pser_desk.store.database import Store
from pser_desk.update.publish import Repository
from tests.packaging.headless_flow import CENTRE, MANAGER, OPERATOR, ok, reference_central

from .conftest import RELEASE_TEAM, WindowsBuild, Wine
from .test_installer import Machine, machine  # noqa: F401 - the fixture

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]


@dataclass(frozen=True)
class Published:
    n: str
    newer: str
    repo: Path


def _bump(version: str) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    return f"{major}.{minor}.{patch + 1}"


@pytest.fixture(scope="module")
def published(windows_build: WindowsBuild, tmp_path_factory: pytest.TempPathFactory) -> Published:
    team = windows_build.out / RELEASE_TEAM
    if not (team / "keys").is_dir():
        pytest.fail(f"{team} is missing: the Windows build must ship its root (conftest.py)")
    n = windows_build.info["version"]
    newer = _bump(n)
    work = tmp_path_factory.mktemp("windows-versions")
    derived = Path(shutil.copytree(windows_build.bundle, work / newer, copy_function=os.link))
    version_file = derived / "_internal" / "pser_desk" / "VERSION"
    version_file.unlink()  # a hard link to the build's: never write through it
    version_file.write_text(newer + "\n", encoding="ascii")
    repo = Repository(team / "repo", [team / "keys"])
    if not any((team / "repo" / "targets").rglob(f"*-{n}-windows-*")):
        repo.add(windows_build.bundle, n, compression="gz")
        repo.add(derived, newer, compression="gz")
    shutil.rmtree(derived)
    return Published(n, newer, team / "repo")


def _status(pc: Machine) -> dict[str, object]:
    path = pc.wine.c_drive() / "ProgramData" / "PSER" / "updates" / "status.json"
    try:
        value: dict[str, object] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return value


def _wait(condition: object, what: str, timeout: float = 600) -> None:
    assert callable(condition)
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"waited {timeout:.0f} s for {what}"
        time.sleep(1)


def _service_state(wine: Wine) -> str:
    proc = wine.run("sc", "query", "PSERDeskUpdate")
    return proc.stdout


@pytest.fixture
def served(published: Published, tmp_path: Path) -> Path:
    folder = tmp_path / "served"
    shutil.copytree(published.repo / "metadata", folder / "metadata")
    shutil.copytree(published.repo / "targets", folder / "targets", copy_function=os.link)
    return folder


def test_the_installed_desk_is_updated_by_the_updater_service_and_restarts_as_n_plus_1(
    machine: Machine, wine: Wine, windows_build: WindowsBuild, published: Published,  # noqa: F811
    served: Path, tmp_path: Path,
) -> None:  # fmt: skip
    n, newer = published.n, published.newer
    machine.install(windows_build.installer)
    assert "RUNNING" in _service_state(wine) or "STOPPED" in _service_state(wine)
    desk = machine.cli()
    central_state = tmp_path / "central"
    with reference_central(central_state, served) as central:
        manager_id, manager_name, manager_pw = MANAGER
        operator_id, operator_name, operator_pw = OPERATOR
        ok(desk, "operator", "add", manager_id, "--name", manager_name, "--role", "manager",
           stdin=f"{manager_pw}\n{manager_pw}\n")  # fmt: skip
        ok(desk, "operator", "add", operator_id, "--name", operator_name, "--role", "operator",
           "--as", manager_id, stdin=f"{manager_pw}\n{operator_pw}\n{operator_pw}\n")  # fmt: skip
        ok(
            desk,
            "enroll",
            "--central",
            central.url,
            "--centre",
            CENTRE,
            "--token",
            central.new_token(),
        )
        record = ok(desk, "record", "example", "--seed", "21")
        queued = json.loads(ok(desk, "record", "add", "-", "--operator", operator_id,
                               stdin=f"{operator_pw}\n{record}"))  # fmt: skip

        checked = json.loads(ok(desk, "update", "check", "--json"))
        assert checked == {"current": n, "available": newer, "channel": "stable", "required": False}

        # A tampered download is refused by the service; the program stays N.
        patch = next((served / "targets").rglob(f"*-{n}-to-{newer}-*.patch"))
        good = patch.read_bytes()
        patch.unlink()
        patch.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
        refused = desk("update", "download")
        assert refused.code == 2, refused.out + refused.err
        assert refused.err.strip().endswith(
            f"refused: {patch.name} differs from its signed SHA-256"
        )
        patch.unlink()
        patch.write_bytes(good)

        fetched = json.loads(ok(desk, "update", "download", "--json"))
        assert fetched["version"] == newer
        applied = json.loads(ok(desk, "update", "apply", "--json", "--restart"))
        assert applied == {"installing": newer, "previous": n, "restart": True}
        _wait(lambda: _status(machine).get("phase") in ("installed", "failed"), "the finisher")
        assert _status(machine)["phase"] == "installed", _status(machine)
        log_file = machine.data_dir / "logs" / "pser-desk.log"
        _wait(lambda: f"pser-desk {newer}: starting the desk" in _text(log_file), "N+1's window")
        wine.run("taskkill", "/f", "/im", "pser-desk.exe")
        wine.wait_for_end("pser-desk.exe")

        assert ok(desk, "--version").strip() == f"pser-desk {newer}"
        assert machine.registry("DisplayVersion") == newer
        assert (machine.program_dir / "uninstall.exe").is_file()
        listed = [json.loads(line) for line in ok(desk, "record", "list", "--json").splitlines()]
        assert [(r["submission_id"], r["state"]) for r in listed] == [
            (queued["submission_id"], "queued")
        ]
        again = json.loads(ok(desk, "update", "check", "--json"))
        assert again == {
            "current": newer,
            "available": None,
            "channel": "stable",
            "required": False,
        }
        leftovers = [
            p.name for p in machine.program_dir.parent.iterdir() if p.name.startswith(".PSER Desk-")
        ]
        assert not [p for p in leftovers if p.endswith(".previous")], leftovers
        synced = json.loads(ok(desk, "sync", "--until-empty", "--timeout", "180"))
        assert synced["unsent"] == 0
    store = Store.open(None, data_dir=machine.data_dir, upgrade=False)
    try:
        with store.read() as session:
            events = [e.event for e in reversed(entries(session)) if e.event.startswith("update_")]
    finally:
        store.close()
    assert events == ["update_refused", "update_downloaded", "update_installed"]

    machine.uninstall()
    assert "PSERDeskUpdate" not in _service_state(wine) or "1060" in _service_state(wine)
    assert not (wine.c_drive() / "ProgramData" / "PSER").exists()
    beside = [p.name for p in machine.program_dir.parent.iterdir() if p.name.startswith(".PSER")]
    assert not beside  # the update's staged copy went with the program
    assert (machine.data_dir / "pser.db").is_file()


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8", "replace")
    except OSError:
        return ""
