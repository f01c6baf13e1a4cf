"""The frozen app: CI builds the Linux one-folder bundle from pser_desk.spec and checks it.

The build takes about a minute on two cores (done once per run, shared with the update
tests: tests/packaging/conftest.py). Set ``PSER_DESK_BUNDLE=dist/pser-desk`` to test a
bundle already built by scripts/build_bundle.sh instead of building one.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pser_desk import selftest

from .conftest import BuiltBundle, ReleaseKeys
from .test_installer import makensis, version

pytestmark = pytest.mark.slow


def test_the_bundle_ships_the_update_root_it_was_built_with(
    built_bundle: BuiltBundle, release_keys: ReleaseKeys
) -> None:
    shipped = built_bundle.path / "_internal" / "resources" / "update" / "root.json"
    if not built_bundle.built_here:
        pytest.skip("PSER_DESK_BUNDLE: a bundle built elsewhere carries its own root")
    assert shipped.read_bytes() == release_keys.root_file.read_bytes()


def frozen(
    bundle: Path, *args: str, stdin: str = "", data_dir: Path
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", PSER_DESK_DATA_DIR=str(data_dir))
    return subprocess.run(
        [str(bundle / "pser-desk"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=data_dir.parent,  # not the checkout: nothing may come from the source tree
        check=False,
    )


def test_frozen_self_test_passes_every_check(bundle: Path, data_dir: Path) -> None:
    proc = frozen(bundle, "--self-test", data_dir=data_dir)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert lines[0] == f"pser-desk self-test (frozen bundle: {bundle / '_internal'})"
    assert [line.split()[1] for line in lines[1:-1]] == [name for name, _ in selftest.CHECKS]
    assert all(line.startswith("ok ") for line in lines[1:-1]), lines
    assert "offscreen" in lines[-2]


def test_frozen_app_opens_its_login_window(bundle: Path, data_dir: Path) -> None:
    proc = frozen(bundle, "--startup-probe", data_dir=data_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("login shown after "), lines
    assert lines[1].startswith("ready after "), lines
    assert (data_dir / "logs" / "pser-desk.log").stat().st_size > 0


def test_frozen_headless_commands_work(bundle: Path, data_dir: Path) -> None:
    example = frozen(bundle, "record", "example", "--seed", "7", data_dir=data_dir)
    assert example.returncode == 0, example.stderr
    checked = frozen(bundle, "validate", "-", stdin=example.stdout, data_dir=data_dir)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert frozen(bundle, "--version", data_dir=data_dir).stdout.strip() == f"pser-desk {version()}"
    log_text = (data_dir / "logs" / "pser-desk.log").read_text(encoding="utf-8")
    assert "validate started" in log_text


def test_bundle_carries_no_test_tools_and_no_unused_qt(bundle: Path) -> None:
    internal = bundle / "_internal"
    names = {p.name for p in internal.rglob("*")}
    for unwanted in ("pytest", "_pytest", "hypothesis", "tkinter", "PyInstaller", "mypy"):
        assert not (internal / unwanted).exists(), unwanted
    for qt_lib in (
        "libQt6Qml.so.6",
        "libQt6Quick.so.6",
        "libQt6Pdf.so.6",
        "libQt6WebEngineCore.so.6",
    ):
        assert qt_lib not in names, qt_lib
    assert "QtQml.abi3.so" not in names
    translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm")}
    assert translations <= {n for n in translations if n.endswith(("_en.qm", "_ur.qm"))}
    assert (internal / "pser_desk" / "store" / "migrations" / "env.py").is_file()
    assert (internal / "resources" / "fonts" / "NotoSans-Regular.ttf").is_file()


def test_installer_script_compiles_against_the_bundle(bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "pser-desk-check.exe"
    proc = makensis(
        f"-DVERSION={version()}", f"-DBUNDLE_DIR={bundle}", "-DNOCOMPRESS", f"-DOUTFILE={out}",
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # (PyInstaller links some Linux libraries twice by symlink; a Windows bundle has none.)
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    bundle_bytes = sum(p.stat().st_size for p in files)
    assert out.stat().st_size > bundle_bytes  # every file went in (stored, not compressed)
