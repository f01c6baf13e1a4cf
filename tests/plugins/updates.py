"""Update repositories for tests: a real TUF repository made by the publisher, small bundles,
and the reference central serving the repository under /updates.

``releases`` makes a repository (``release init``: 3 root keys, threshold 2) and small
bundle folders laid out like PyInstaller's (an ELF executable, ``_internal/`` with the
version file and a few files); ``updates_central`` is the reference central in a thread
serving it; ``update_service(version)`` is the desk's updater for a PC running *version*,
trusting the repository's first root as a shipped program would.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pser_desk.central.server import CentralServer
from pser_desk.central.service import CentralService
from pser_desk.domain.releases import Channel
from pser_desk.update.publish import Published, Repository
from pser_desk.update.service import Setup, UpdateService

# An ELF executable to stand for the frozen program (the publisher reads its header).
ELF_PROGRAM = Path(shutil.which("true") or "/bin/true")


@dataclass
class Releases:
    folder: Path
    repo_dir: Path
    keys_dir: Path

    @property
    def repo(self) -> Repository:
        return Repository(self.repo_dir, [self.keys_dir])

    @property
    def root(self) -> bytes:
        """The root a program built now would ship: the first one."""
        return (self.repo_dir / "metadata" / "1.root.json").read_bytes()

    def bundle(self, version: str, change: str = "", size: int = 300_000) -> Path:
        """A bundle folder for *version*; *change* alters one module of it (a one-line change)."""
        folder = self.folder / f"bundle-{version}-{hashlib.sha1(change.encode()).hexdigest()[:6]}"
        shutil.rmtree(folder, ignore_errors=True)
        internal = folder / "_internal"
        (internal / "pser_desk").mkdir(parents=True)
        shutil.copy2(ELF_PROGRAM, folder / "pser-desk")
        (internal / "pser_desk" / "VERSION").write_text(version + "\n", encoding="ascii")
        rng = random.Random(7)  # the same "libraries" in every version
        (internal / "libQt6Core.so.6").write_bytes(rng.randbytes(size))
        (internal / "base_library.zip").write_bytes(rng.randbytes(size // 3))
        (internal / "pser_desk" / "app.py").write_text(f"TITLE = 'PSER Desk'\n{change}\n", "utf-8")
        (internal / "PySide6").mkdir()
        (internal / "PySide6" / "README").write_text("Qt\n", encoding="utf-8")
        (internal / "libQt6Core.so").symlink_to("libQt6Core.so.6")
        return folder

    def add(self, version: str, channel: Channel = Channel.STABLE, change: str = "") -> Published:
        return self.repo.add(self.bundle(version, change), version, channel, "gz")


PROGRAM = """#!/bin/sh
case "$1" in
  --version) echo "pser-desk {version}" ;;
  --self-test) {self_test} ;;
esac
"""


def script_bundle(
    folder: Path, version: str, *, self_test: str = 'echo "0 failure(s)"', lib: bytes = b"L" * 5000
) -> Path:
    internal = folder / "_internal"
    (internal / "pser_desk").mkdir(parents=True)
    (internal / "pser_desk" / "VERSION").write_text(version + "\n", encoding="ascii")
    (internal / "lib.so").write_bytes(lib)
    (internal / "lib.so.1").symlink_to("lib.so")
    """A bundle whose program is a shell script answering ``--version`` and ``--self-test``
    as the frozen desk does (for installing; the publisher needs ``platform=`` for it)."""
    program = folder / "pser-desk"
    program.write_text(PROGRAM.format(version=version, self_test=self_test), encoding="utf-8")
    program.chmod(0o755)
    return folder


@pytest.fixture
def releases(tmp_path: Path) -> Releases:
    folder = tmp_path / "release-team"
    folder.mkdir()
    made = Releases(folder, folder / "repo", folder / "keys")
    Repository.init(made.repo_dir, made.keys_dir)
    return made


@dataclass
class UpdatesCentral:
    url: str
    service: CentralService
    server: CentralServer


@pytest.fixture
def updates_central(tmp_path: Path, releases: Releases) -> Iterator[UpdatesCentral]:
    """The reference central in a thread, serving *releases* at /updates."""
    service = CentralService(
        tmp_path / "central-state", forms_dir=tmp_path / "no-forms", updates_dir=releases.repo_dir
    )
    server = CentralServer(service, "127.0.0.1", 0).start()
    try:
        yield UpdatesCentral(server.url, service, server)
    finally:
        server.stop()
        service.close()


MakeUpdater = Callable[..., UpdateService]


@pytest.fixture
def update_service(
    data_dir: Path, releases: Releases, updates_central: UpdatesCentral
) -> MakeUpdater:
    """``update_service("0.1.0")``: the updater of a PC running 0.1.0 (not enrolled)."""

    def make(current: str, **kwargs: object) -> UpdateService:
        os.makedirs(data_dir, exist_ok=True)
        setup = Setup(
            data_dir, central_url=updates_central.url, current=current, root=releases.root,
            platform="linux-x86_64", **kwargs,  # type: ignore[arg-type]
        )  # fmt: skip
        return UpdateService(setup)

    return make
