"""A wheel that works: ``pip install .`` (not editable) into a clean virtual environment
gives a desk that passes its self-test and a centre's headless day, run from outside the
checkout. The wheel carries ``resources/`` (forms, geography, fonts, samples, icons) inside
the package with the Urdu translation compiled (scripts/pser_build.py); the desk finds them
through importlib.resources (pser_desk/paths.py).

The wheel is built from a copy of the checkout's files (the tree is left as it is), then
installed with its dependencies (from pip's cache after scripts/setup.sh): about a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from pser_desk import selftest
from tests.packaging.headless_flow import reference_central, run_headless_flow
from tests.plugins.cli import CliResult

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Installed:
    wheel: Path
    venv: Path

    @property
    def program(self) -> Path:
        return self.venv / "bin" / "pser-desk"


def _run(*command: str | Path, cwd: Path, timeout: float = 600) -> None:
    proc = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        check=False, env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
    )  # fmt: skip
    assert proc.returncode == 0, f"{command[:3]}: {proc.stdout[-2000:]}{proc.stderr[-4000:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode("utf-8").split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "-w",
        work / "dist",
        ".",
        cwd=source,
    )
    wheel = next((work / "dist").glob("pser_desk-*.whl"))
    _run(sys.executable, "-m", "venv", work / "venv", cwd=work)
    _run(work / "venv" / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=work)
    return Installed(wheel, work / "venv")


def test_the_wheel_carries_the_resources_and_the_built_translation(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    inside = "pser_desk/resources/"
    for needed in (
        "translations/pser_desk_ur.qm",
        "forms/pser-household-2024.1.json",
        "geography/punjab.json",
        "fonts/NotoNastaliqUrdu-Regular.ttf",
        "fonts/NotoSans-Regular.ttf",
        "fonts/NotoSans-Bold.ttf",
        "samples/samples.json",
        "icons/pser-desk.ico",
    ):
        assert inside + needed in names, needed
    assert "pser_desk/store/migrations/versions/0001_initial.py" in names
    assert not [n for n in names if n.endswith(".ts") or n.startswith(("resources/", "tests/"))]


def test_the_installed_desk_passes_its_self_test_from_anywhere(
    installed: Installed, tmp_path: Path
) -> None:
    proc = subprocess.run(
        [str(installed.program), "--self-test"], cwd=tmp_path, capture_output=True, text=True,
        timeout=300, check=False,
        env={**_clean_env(), "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = next((installed.venv / "lib").glob("python3*/site-packages"))
    assert lines[0] == f"pser-desk self-test (installed package: {site / 'pser_desk'})"
    assert [line.split()[1] for line in lines[1:-1]] == [name for name, _ in selftest.CHECKS]
    assert all(line.startswith("ok ") for line in lines[1:-1]), lines


def _clean_env() -> dict[str, str]:
    """No PYTHONPATH or the like: the venv alone decides what is imported."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


class InstalledDesk:
    def __init__(self, installed: Installed, data_dir: Path) -> None:
        self.program, self.data_dir = installed.program, data_dir

    def __call__(self, *args: str, stdin: str = "") -> CliResult:
        proc = subprocess.run(
            [str(self.program), "--data-dir", str(self.data_dir), *args],
            input=stdin, capture_output=True, text=True, timeout=300, check=False,
            cwd=self.data_dir.parent, env={**_clean_env(), "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    def path(self, path: Path) -> str:
        return str(path)


def test_a_centres_headless_day_with_the_installed_desk(
    installed: Installed, tmp_path: Path
) -> None:
    with reference_central(tmp_path / "central") as central:
        receipts = run_headless_flow(InstalledDesk(installed, tmp_path / "pc"), central, tmp_path)
    assert len(receipts) == 5
