"""Installing over a bundle folder: staged beside it, tried, swapped, and put back on failure.

The bundles here are small folders whose program is a shell script that answers
``--version`` and ``--self-test`` as the frozen desk does (tests/packaging runs the real
frozen bundle through the same steps).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from pser_desk.update.archive import write_archive
from pser_desk.update.install import (
    Installation,
    InstallError,
    PatchDidNotFit,
    install,
    settle,
    trial,
)
from pser_desk.update.manifest import scan
from pser_desk.update.patch import make_patch
from pser_desk.update.state import Downloaded
from tests.plugins.updates import script_bundle as bundle


def _downloaded(
    path: Path, version: str, kind: str, tree: str, old_tree: str | None = None
) -> Downloaded:
    data = path.read_bytes()
    return Downloaded(version, kind, str(path), len(data), hashlib.sha256(data).hexdigest(),
                      "tar.gz" if kind == "full" else "pser-patch-1", tree,
                      "0.1.0" if old_tree else None, old_tree, f"t/{path.name}", "linux-x86_64")  # fmt: skip


def full_release(tmp_path: Path, version: str, **kwargs: str) -> Downloaded:
    source = bundle(tmp_path / f"build-{version}", version, **kwargs)
    manifest = scan(source)
    archive = tmp_path / f"pser-desk-{version}.tar.gz"
    write_archive(source, manifest, archive, "gz")
    return _downloaded(archive, version, "full", manifest.digest())


@pytest.fixture
def installed(tmp_path: Path) -> Installation:
    return Installation(bundle(tmp_path / "opt" / "pser-desk", "0.1.0"))


def test_a_full_archive_is_installed_and_the_previous_folder_settled_later(
    installed: Installation, tmp_path: Path
) -> None:
    (installed.folder.parent / "data-elsewhere").mkdir()
    result = install(installed, full_release(tmp_path, "0.1.1"))
    assert (result.version, result.previous_version) == ("0.1.1", "0.1.0")
    assert installed.version == "0.1.1"
    trial(installed.folder, "0.1.1")
    assert result.previous.name == ".pser-desk-0.1.0.previous"
    assert result.previous.is_dir()
    assert settle(installed) == [result.previous]
    assert sorted(p.name for p in installed.folder.parent.iterdir()) == [
        "data-elsewhere",
        "pser-desk",
    ]


def test_a_patch_is_installed_from_the_installed_files(
    installed: Installation, tmp_path: Path
) -> None:
    new = bundle(tmp_path / "build-0.1.1", "0.1.1")
    old_manifest, new_manifest = scan(installed.folder), scan(new)
    patch = tmp_path / "p.patch"
    make_patch(installed.folder, old_manifest, new, new_manifest, patch, ("0.1.0", "0.1.1"))
    item = _downloaded(patch, "0.1.1", "patch", new_manifest.digest(), old_manifest.digest())
    install(installed, item)
    assert scan(installed.folder).digest() == new_manifest.digest()


def test_a_patch_that_does_not_fit_leaves_the_old_version(
    installed: Installation, tmp_path: Path
) -> None:
    new = bundle(tmp_path / "build-0.1.1", "0.1.1")
    old_manifest, new_manifest = scan(installed.folder), scan(new)
    make_patch(
        installed.folder, old_manifest, new, new_manifest, tmp_path / "p.patch", ("0.1.0", "0.1.1")
    )
    item = _downloaded(
        tmp_path / "p.patch", "0.1.1", "patch", new_manifest.digest(), old_manifest.digest()
    )
    (installed.folder / "_internal" / "lib.so").write_bytes(b"damaged")
    before = scan(installed.folder).digest()
    with pytest.raises(PatchDidNotFit):
        install(installed, item)
    assert scan(installed.folder).digest() == before
    assert [p.name for p in installed.folder.parent.iterdir()] == ["pser-desk"]


def test_a_new_version_failing_its_self_test_is_not_installed(
    installed: Installation, tmp_path: Path
) -> None:
    broken = full_release(tmp_path, "0.1.1", self_test='echo "FAIL database (no SQLite)"; exit 1')
    with pytest.raises(InstallError) as caught:
        install(installed, broken)
    assert (
        str(caught.value)
        == "the new version 0.1.1 failed its self-test (FAIL database (no SQLite))"
    )
    assert installed.version == "0.1.0"
    trial(installed.folder, "0.1.0")
    assert [p.name for p in installed.folder.parent.iterdir()] == ["pser-desk"]


def test_a_new_version_that_does_not_start_after_the_swap_is_swapped_back(
    installed: Installation, tmp_path: Path
) -> None:
    calls: list[tuple[Path, bool]] = []

    def start_only_once(folder: Path, version: str, *, self_test: bool = True) -> None:
        calls.append((folder, self_test))
        if not self_test:  # the check after the swap: say the disk failed under it
            raise InstallError(f"the new version {version} does not start (I/O error)")
        trial(folder, version)

    with pytest.raises(InstallError, match="does not start"):
        install(installed, full_release(tmp_path, "0.1.1"), check=start_only_once)
    assert [flag for _, flag in calls] == [True, False]
    assert installed.version == "0.1.0"
    assert [p.name for p in installed.folder.parent.iterdir()] == ["pser-desk"]


def test_a_download_changed_since_it_was_verified_is_not_installed(
    installed: Installation, tmp_path: Path
) -> None:
    item = full_release(tmp_path, "0.1.1")
    Path(item.file).write_bytes(Path(item.file).read_bytes() + b"x")
    with pytest.raises(InstallError, match="has changed since it was verified"):
        install(installed, item)
    assert not Path(item.file).exists()
    assert installed.version == "0.1.0"


def test_an_older_version_is_never_installed(installed: Installation, tmp_path: Path) -> None:
    with pytest.raises(InstallError, match="0.0.9 is not newer than the installed 0.1.0"):
        install(installed, full_release(tmp_path, "0.0.9"))


def test_nothing_is_installed_while_the_program_runs_from_the_folder(
    installed: Installation, tmp_path: Path
) -> None:
    shutil.copy2(shutil.which("sleep") or "/bin/sleep", installed.folder / "pser-desk-window")
    window = subprocess.Popen([str(installed.folder / "pser-desk-window"), "30"])
    release = full_release(tmp_path, "0.1.1")
    try:
        with pytest.raises(InstallError, match="still running from this installation"):
            install(installed, release)
    finally:
        window.kill()
        window.wait()
    assert installed.version == "0.1.0"
    assert [p.name for p in installed.folder.parent.iterdir()] == ["pser-desk"]
    install(installed, release)  # closed: now it installs
    assert installed.version == "0.1.1"
