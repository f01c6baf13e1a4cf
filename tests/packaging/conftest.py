"""The frozen Linux bundle, built once per test run and shared by every packaging test.

The build (``pyinstaller pser_desk.spec``, about a minute on two cores) ships the
``root.json`` of this run's update repository (``release_keys``), as a release build ships
the registry's: the spec takes it from ``PSER_DESK_UPDATE_ROOT``. Set
``PSER_DESK_BUNDLE=dist/pser-desk`` to test a bundle built before instead; the update tests
then give their copies of it this run's root (the same file the build would have put in).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pser_desk.update.publish import Repository

REPO = Path(__file__).resolve().parents[2]
BUILD_BUDGET_S = 300  # CI has 2 cores and 90 minutes for everything


@dataclass(frozen=True)
class ReleaseKeys:
    """An update repository made before the build: the bundle trusts its first root."""

    folder: Path

    @property
    def repo_dir(self) -> Path:
        return self.folder / "repo"

    @property
    def keys_dir(self) -> Path:
        return self.folder / "keys"

    @property
    def root_file(self) -> Path:
        return self.folder / "shipped" / "root.json"


@pytest.fixture(scope="session")
def release_keys(tmp_path_factory: pytest.TempPathFactory) -> ReleaseKeys:
    made = ReleaseKeys(tmp_path_factory.mktemp("release-team"))
    Repository.init(made.repo_dir, made.keys_dir)
    made.root_file.parent.mkdir()
    shutil.copy2(made.repo_dir / "metadata" / "1.root.json", made.root_file)
    return made


@dataclass(frozen=True)
class BuiltBundle:
    path: Path
    built_here: bool  # False: PSER_DESK_BUNDLE, built elsewhere (with another root)
    seconds: float


@pytest.fixture(scope="session")
def built_bundle(
    tmp_path_factory: pytest.TempPathFactory, release_keys: ReleaseKeys
) -> Iterator[BuiltBundle]:
    given = os.environ.get("PSER_DESK_BUNDLE")
    if given:
        yield BuiltBundle(Path(given).resolve(), False, 0.0)
        return
    if not (REPO / "resources" / "translations" / "pser_desk_ur.qm").is_file():
        pytest.fail("the Urdu .qm is not built: run scripts/build_ui.py --qm-only (setup.sh does)")
    work = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(REPO / "pser_desk.spec")],
        cwd=REPO, capture_output=True, text=True, timeout=BUILD_BUDGET_S * 2, check=False,
        env={**os.environ, "PSER_DESK_UPDATE_ROOT": str(release_keys.root_file)},
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert elapsed < BUILD_BUDGET_S, f"the bundle took {elapsed:.0f} s to build"
    print(f"bundle built in {elapsed:.1f} s")
    yield BuiltBundle(work / "dist" / "pser-desk", True, elapsed)


@pytest.fixture
def bundle(built_bundle: BuiltBundle) -> Path:
    return built_bundle.path
