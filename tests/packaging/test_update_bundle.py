"""The frozen Linux bundle updating itself from the reference central (issue 17).

Versions: N is the bundle this run built (``pser_desk/VERSION``); N+1 and N-1 are copies
of it whose version file says so: the only file a version bump changes, so the update
replaces a real frozen program by a real frozen program that starts as the next version
(tests/unit/update and bench/update_bench.py cover patches of changed code). All three
are published with ``pser-desk release add`` into the repository whose root the bundle
ships, and served by ``pser-desk central serve --updates``.

Then: the frozen N finds N+1, downloads the patch, refuses to install it while its window
is open, installs it once closed (self-test of the new version first) and restarts as N+1
with its data, enrolment and queue; a release failing
its self-test is not installed; and every attack is refused with the bundle staying N.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import Metadata
from tuf.api.serialization.json import JSONSerializer

from pser_desk.store.audit_log import entries
from pser_desk.store.database import Store
from pser_desk.update.manifest import scan
from pser_desk.update.publish import Repository
from tests.plugins.central import CentralHandle, StartCentral

from .conftest import BuiltBundle, ReleaseKeys

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

MANAGER, OPERATOR, PASSWORD = "mgr1", "op1", "kitchen-window-42"


def _bump(version: str, by: int) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    if patch + by < 0:
        return f"{major}.{minor - 1}.9"
    return f"{major}.{minor}.{patch + by}"


def derive(bundle: Path, folder: Path, version: str) -> Path:
    """A copy of *bundle* that is *version*: its version file changed, nothing else."""
    copy_bundle(bundle, folder)
    version_file = folder / "_internal" / "pser_desk" / "VERSION"
    version_file.unlink()  # a hard link to the built bundle's: never write through it
    version_file.write_text(version + "\n", encoding="ascii")
    return folder


def copy_bundle(bundle: Path, folder: Path) -> Path:
    """A copy made of hard links (the bundle is 460 MB): nothing here ever writes into an
    existing file of a bundle; updates write new folders and rename them."""
    return Path(shutil.copytree(bundle, folder, symlinks=True, copy_function=os.link))


@dataclass(frozen=True)
class Published:
    n: str
    older: str
    newer: str
    broken: str
    states: Path  # states/<name>/{metadata,targets}: the repository as it was at each step
    keys: Path

    def state(self, name: str) -> Path:
        return self.states / name


def _snapshot(repo_dir: Path, target: Path) -> None:
    """Keep the repository as it is now (hard links: the archives are large)."""
    shutil.copytree(repo_dir / "metadata", target / "metadata")
    shutil.copytree(repo_dir / "targets", target / "targets", copy_function=os.link)


@pytest.fixture(scope="module")
def published(
    built_bundle: BuiltBundle, release_keys: ReleaseKeys, tmp_path_factory: pytest.TempPathFactory
) -> Published:
    work = tmp_path_factory.mktemp("versions")
    bundle = built_bundle.path
    if not built_bundle.built_here:  # a bundle built elsewhere: give it this run's root
        bundle = copy_bundle(bundle, work / "given")
        shipped = bundle / "_internal" / "resources" / "update" / "root.json"
        shipped.parent.mkdir(parents=True, exist_ok=True)
        shipped.unlink(missing_ok=True)
        shutil.copy2(release_keys.root_file, shipped)
    n = (bundle / "_internal" / "pser_desk" / "VERSION").read_text("ascii").strip()
    older, newer, broken = _bump(n, -1), _bump(n, 1), _bump(n, 2)
    repo = Repository(release_keys.repo_dir, [release_keys.keys_dir])
    states = work / "states"
    repo.add(derive(bundle, work / older, older), older, compression="gz")
    _snapshot(release_keys.repo_dir, states / "older-only")
    repo.add(bundle, n, compression="gz")
    repo.add(derive(bundle, work / newer, newer), newer, compression="gz")
    _snapshot(release_keys.repo_dir, states / "latest")
    # A release that starts but fails its self-test: its forms were left out of the build.
    faulty = derive(bundle, work / broken, broken)
    shutil.rmtree(faulty / "_internal" / "resources" / "forms")
    repo.add(faulty, broken, compression="gz")
    _snapshot(release_keys.repo_dir, states / "broken")
    for folder in (work / older, work / newer, faulty):
        shutil.rmtree(folder)
    return Published(n, older, newer, broken, states, release_keys.keys_dir)


class Served:
    """The folder central serves: one of the published states, or a tampered copy."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def use(self, state: Path) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        _snapshot(state, self.folder)

    def metadata(self, name: str) -> Path:
        return self.folder / "metadata" / name

    def replace(self, path: Path, data: bytes) -> None:
        path.unlink()  # a hard link to the published file: never write through it
        path.write_bytes(data)


@dataclass
class Machine:
    """A PC with the frozen desk installed at ``opt/pser-desk`` and its data folder."""

    program_dir: Path
    data_dir: Path

    def run(
        self, *args: str, stdin: str = "", timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PSER_DESK_"))}
        env.update(QT_QPA_PLATFORM="offscreen", PSER_DESK_DATA_DIR=str(self.data_dir))
        return subprocess.run(
            [str(self.program_dir / "pser-desk"), *args], input=stdin, capture_output=True,
            text=True, timeout=timeout, env=env, cwd=self.data_dir.parent, check=False,
        )  # fmt: skip

    def ok(self, *args: str, stdin: str = "") -> str:
        proc = self.run(*args, stdin=stdin)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        return proc.stdout

    def json(self, *args: str, stdin: str = "") -> dict[str, object]:
        value: dict[str, object] = json.loads(self.ok(*args, "--json", stdin=stdin))
        return value

    def start_window(self) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PSER_DESK_"))}
        env.update(QT_QPA_PLATFORM="offscreen", PSER_DESK_DATA_DIR=str(self.data_dir))
        return subprocess.Popen(
            [str(self.program_dir / "pser-desk")], env=env, cwd=self.data_dir.parent,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    @property
    def version(self) -> str:
        return self.ok("--version").strip()


@pytest.fixture
def served(tmp_path: Path, published: Published) -> Served:
    folder = Served(tmp_path / "served")
    folder.use(published.state("latest"))
    return folder


@pytest.fixture
def machine(tmp_path: Path, built_bundle: BuiltBundle, published: Published) -> Machine:
    program_dir = copy_bundle(built_bundle.path, tmp_path / "opt" / "pser-desk")
    if not built_bundle.built_here:
        shipped = program_dir / "_internal" / "resources" / "update" / "root.json"
        shipped.parent.mkdir(parents=True, exist_ok=True)
        shipped.unlink(missing_ok=True)
        shutil.copy2(published.state("older-only") / "metadata" / "1.root.json", shipped)
    return Machine(program_dir, tmp_path / "pc-data")


@pytest.fixture
def central(central_process: StartCentral, served: Served, published: Published) -> CentralHandle:
    handle = central_process(extra=["--updates", str(served.folder)])
    (handle.state_dir / "central-config.json").write_text(
        json.dumps({"min_app_version": published.newer}), encoding="utf-8"
    )
    return handle


def _prepare_desk(machine: Machine, central: CentralHandle) -> str:
    """Accounts, enrolment and one queued household, as a centre has them."""
    machine.ok("operator", "add", MANAGER, "--name", "Centre Manager", "--role", "manager",
               stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    machine.ok("operator", "add", OPERATOR, "--name", "Operator One", "--role", "operator",
               "--as", MANAGER, stdin=f"{PASSWORD}\n{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    machine.ok("enroll", "--central", central.url, "--centre", "LHR-0042", "--token",
               central.new_token(), "--name", "Counter 3")  # fmt: skip
    record = machine.ok("record", "example", "--seed", "5")
    queued = json.loads(machine.ok("record", "add", "-", "--operator", OPERATOR,
                                   stdin=f"{PASSWORD}\n{record}"))  # fmt: skip
    return str(queued["submission_id"])


def _audit(machine: Machine) -> list[tuple[str, dict[str, object]]]:
    store = Store.open(None, data_dir=machine.data_dir, upgrade=False)
    try:
        with store.read() as session:
            return [
                (e.event, dict(e.detail))
                for e in reversed(entries(session))
                if e.event.startswith("update_")
            ]
    finally:
        store.close()


def _wait_for(log_file: Path, line: str, timeout: float = 120) -> None:
    started = time.monotonic()
    while not log_file.is_file() or line not in log_file.read_text("utf-8", "replace"):
        assert time.monotonic() - started < timeout, f"no {line!r} in the log"
        time.sleep(0.2)


def _windows_of(program_dir: Path) -> Iterator[int]:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                exe = os.readlink(entry / "exe")
            except OSError:
                continue
            if exe.startswith(str(program_dir)):
                yield int(entry.name)


def test_the_frozen_desk_updates_itself_and_restarts_as_the_next_version_with_its_data(
    machine: Machine, central: CentralHandle, published: Published
) -> None:
    n, newer = published.n, published.newer
    submission_id = _prepare_desk(machine, central)
    assert machine.json("update", "check") == {
        "current": n, "available": newer, "channel": "stable", "required": True
    }  # fmt: skip
    fetched = machine.json("update", "download")
    assert (fetched["version"], fetched["kind"]) == (newer, "patch")
    assert isinstance(fetched["bytes"], int)
    assert fetched["bytes"] < 100_000
    log_file = machine.data_dir / "logs" / "pser-desk.log"
    window = machine.start_window()  # the desk is open: its household may be open too
    try:
        _wait_for(log_file, f"pser-desk {n}: starting the desk")
        refused = machine.run("update", "apply")
        assert refused.returncode == 3
        assert refused.stderr.strip() == (
            "pser-desk: pser-desk is still running from this installation (the window or a "
            "command): close it, then install the update"
        )
    finally:
        window.terminate()
        window.wait(timeout=30)
    assert machine.version == f"pser-desk {n}"
    applied = machine.json("update", "apply", "--restart")
    assert applied == {"installed": newer, "previous": n, "restart": True}
    try:  # the new version's window starts on the same data folder
        _wait_for(log_file, f"pser-desk {newer}: starting the desk")
    finally:
        for pid in _windows_of(machine.program_dir):
            os.kill(pid, signal.SIGTERM)
    assert machine.version == f"pser-desk {newer}"
    assert machine.json("update", "check") == {
        "current": newer, "available": None, "channel": "stable", "required": False
    }  # fmt: skip
    assert not list(machine.program_dir.parent.glob(".pser-desk-*"))  # settled
    listed = [json.loads(line) for line in machine.ok("record", "list", "--json").splitlines()]
    assert [(r["submission_id"], r["state"]) for r in listed] == [(submission_id, "queued")]
    synced = json.loads(machine.ok("sync", "--until-empty", "--timeout", "120"))
    assert synced["acknowledged"] == 1  # the same enrolment, the same keys
    audited = _audit(machine)
    assert [event for event, _ in audited] == [
        "update_downloaded",
        "update_failed",
        "update_installed",
    ]
    assert "still running" in str(audited[1][1]["message"])  # the window was open


def test_a_release_failing_its_self_test_is_not_installed(
    machine: Machine, central: CentralHandle, served: Served, published: Published
) -> None:
    served.use(published.state("broken"))
    before = scan(machine.program_dir).digest()
    machine.ok("operator", "add", MANAGER, "--name", "M", "--role", "manager",
               stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    check = machine.json("update", "check", "--central", central.url)
    assert check["available"] == published.broken
    fetched = machine.json("update", "download", "--central", central.url)
    assert fetched["kind"] == "full"  # no patch from N to N+2
    proc = machine.run("update", "apply")
    assert proc.returncode == 3
    assert proc.stderr.strip().startswith(
        f"pser-desk: the new version {published.broken} failed its self-test (FAIL resources"
    )
    assert machine.version == f"pser-desk {published.n}"
    assert scan(machine.program_dir).digest() == before
    assert not list(machine.program_dir.parent.glob(".pser-desk-*"))
    assert [event for event, _ in _audit(machine)] == ["update_downloaded", "update_failed"]


def _sign_as_attacker(path: Path) -> bytes:
    md = Metadata.from_bytes(path.read_bytes())
    md.signed.version += 1
    private = Ed25519PrivateKey.generate()
    md.signatures.clear()
    md.sign(CryptoSigner(private, SSlibKey.from_crypto(private.public_key())))
    return md.to_bytes(JSONSerializer(compact=False))


def _one_root_key_signs_a_new_root(served: Served, keys: Path) -> bytes:
    from pser_desk.update.keys import load_folders

    root = Metadata.from_bytes(served.metadata("root.json").read_bytes())
    stolen = next(
        k for k in load_folders([keys]).values() if k.keyid in root.signed.roles["root"].keyids
    )
    root.signed.version += 1
    root.signed.roles["targets"].keyids = [stolen.keyid]
    root.signed.keys[stolen.keyid] = stolen.public
    root.signatures.clear()
    root.sign(stolen.signer)
    return root.to_bytes(JSONSerializer(compact=False))


def test_every_attack_is_refused_and_the_bundle_stays_n(
    machine: Machine, central: CentralHandle, served: Served, published: Published,
    central_process: StartCentral,
) -> None:  # fmt: skip
    n, newer = published.n, published.newer
    before = scan(machine.program_dir).digest()
    machine.ok("operator", "add", MANAGER, "--name", "M", "--role", "manager",
               stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    url = ["--central", central.url]

    def refused(*args: str) -> str:
        proc = machine.run("update", *args, *url)
        assert proc.returncode == 2, (proc.stdout, proc.stderr)
        assert proc.stderr.count("\n") == 1
        return proc.stderr.strip().removeprefix("pser-desk: ")

    # A repository that stops answering mid-download: kept, and resumed the next time.
    cutting = central_process(faults="truncate=1,on=update_targets", name="cutting",
                              extra=["--updates", str(served.folder)])  # fmt: skip
    cut = machine.run("update", "download", "--central", cutting.url)
    assert cut.returncode == 1
    assert "stopped answering after" in cut.stderr
    assert "resumes from there" in cut.stderr
    parts = list((machine.data_dir / "updates" / "downloads").glob("*.part"))
    assert len(parts) == 1
    assert parts[0].stat().st_size > 0
    fetched = machine.json("update", "download", *url)
    assert fetched["version"] == newer
    assert not parts[0].exists()

    # A target whose bytes differ from the signed ones (same length, then longer).
    patch_file = next((served.folder / "targets").rglob(f"*-{n}-to-{newer}-*.patch"))
    good = patch_file.read_bytes()
    shutil.rmtree(machine.data_dir / "updates" / "downloads")
    served.replace(patch_file, good[:100] + bytes([good[100] ^ 0xFF]) + good[101:])
    assert refused("download") == f"refused: {patch_file.name} differs from its signed SHA-256"
    served.replace(patch_file, good + b"\0" * 4096)
    assert refused("download") == f"refused: {patch_file.name} is longer than its signed length"
    served.replace(patch_file, good)

    # Metadata signed by a key the desk never trusted; a root signed by too few root keys.
    saved = served.metadata("timestamp.json").read_bytes()
    served.replace(
        served.metadata("timestamp.json"), _sign_as_attacker(served.metadata("timestamp.json"))
    )
    assert (
        refused("check")
        == "refused: timestamp metadata is signed by a key this desk does not trust"
    )
    served.replace(served.metadata("timestamp.json"), saved)
    new_root = served.metadata("2.root.json")
    new_root.write_bytes(_one_root_key_signs_a_new_root(served, published.keys))
    assert refused("check") == "refused: root metadata has 1 of the 2 signatures it needs"
    new_root.unlink()

    # Rollback: older metadata than this PC has seen; an older version than it runs.
    served.use(published.state("older-only"))
    assert refused("check") == "refused: rollback of timestamp metadata to version 2 from 4"
    shutil.rmtree(machine.data_dir / "updates")  # a PC that never saw the newer metadata
    assert refused("check") == f"refused: rollback to {published.older} from {n}"

    # Freeze: the repository stops renewing its timestamp.
    served.use(published.state("latest"))
    Repository(served.folder, [published.keys]).refresh(timedelta(seconds=2))
    time.sleep(2.5)
    message = refused("check")
    assert message.startswith("refused: freeze: timestamp metadata expired at ")

    assert machine.version == f"pser-desk {n}"
    assert scan(machine.program_dir).digest() == before
    attacks = [detail["attack"] for event, detail in _audit(machine) if event == "update_refused"]
    assert attacks == ["hash", "hash", "signature", "signature", "rollback", "rollback", "freeze"]
