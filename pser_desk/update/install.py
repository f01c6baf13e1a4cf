"""Installing a downloaded release into the running bundle's folder, or not at all.

1. **Stage**: the downloaded file's SHA-256 is checked again, then the new version is
   rebuilt beside the installed one (``.pser-desk-0.2.0.staged``, same disk): from the
   full archive, or from the patch and the installed files. Every file is checked
   against the release's signed manifest as it is written.
2. **Trial**: the staged program must say it is the new version and pass its own
   ``--self-test`` (database, envelope, scan, slip, Qt offscreen).
3. **Swap**: two renames (installed -> ``.pser-desk-0.1.0.previous``, staged -> installed),
   then the installed program must start again; if a rename or that start fails, the
   previous folder is put back. The data folder is elsewhere and never touched.
4. **Settle**: once the new version runs, the previous folder is removed.

Until the swap, the running program is untouched; a failure at any step leaves the old
version installed and working, and says why in one line (:class:`InstallError`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pser_desk import paths
from pser_desk.domain.releases import newer
from pser_desk.update.archive import ArchiveError, extract_archive
from pser_desk.update.patch import apply_patch
from pser_desk.update.releases import APP, bundle_version
from pser_desk.update.state import Downloaded

log = logging.getLogger(__name__)
TRIAL_TIMEOUT_S = 180
Progress = Callable[[int], None]


class InstallError(Exception):
    """The update was not installed; the old version stays. ``str()`` is one line."""


class PatchDidNotFit(InstallError):
    """The patch could not rebuild the release from this installation: the full archive
    is needed (the installed files are not the ones the old release shipped)."""


@dataclass(frozen=True)
class Installation:
    """A bundle folder (``pser-desk/`` with ``_internal/``)."""

    folder: Path

    @classmethod
    def running(cls) -> Installation | None:
        """The bundle this program runs from (None when it runs from Python sources)."""
        if not paths.is_frozen():
            return None
        return cls(Path(sys.executable).resolve().parent)

    @property
    def version(self) -> str:
        return bundle_version(self.folder)

    @property
    def console_program(self) -> Path:
        """The program for headless commands (Windows has a separate console one)."""
        cli = self.folder / f"{APP}-cli.exe"
        return cli if cli.is_file() else self.program

    @property
    def program(self) -> Path:
        exe = self.folder / f"{APP}.exe"
        return exe if exe.is_file() else self.folder / APP

    def sibling(self, version: str, what: str) -> Path:
        return self.folder.parent / f".{self.folder.name}-{version}.{what}"


@dataclass(frozen=True)
class Installed:
    version: str
    previous_version: str
    previous: Path


def check_download(item: Downloaded) -> Path:
    """The downloaded file, if it is still the verified one."""
    path = Path(item.file)
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        raise InstallError(
            f"the downloaded {path.name} is gone: download the update again"
        ) from None
    if size != item.length or digest.hexdigest() != item.sha256:
        path.unlink(missing_ok=True)
        raise InstallError(
            f"the downloaded {path.name} has changed since it was verified: download it again"
        )
    return path


def stage(installation: Installation, item: Downloaded, progress: Progress | None = None) -> Path:
    """The new version rebuilt and checked beside the installed one."""
    source = check_download(item)
    staged = installation.sibling(item.version, "staged")
    remove_tree(staged)
    try:
        if item.kind == "patch":
            apply_patch(source, installation.folder, staged, from_tree_sha256=item.from_tree_sha256,
                        tree_sha256=item.tree_sha256, progress=progress)  # fmt: skip
        else:
            extract_archive(source, staged, item.tree_sha256, progress)
    except ArchiveError as exc:
        remove_tree(staged)
        if item.kind == "patch":
            raise PatchDidNotFit(f"the patch does not fit this installation ({exc})") from None
        raise InstallError(f"the downloaded archive cannot be installed ({exc})") from None
    except OSError as exc:
        remove_tree(staged)
        raise InstallError(
            f"the new version cannot be written beside the installed one ({_why(exc)})"
        ) from None
    if bundle_version(staged) != item.version:
        remove_tree(staged)
        raise InstallError(f"the archive of {item.version} holds another version")
    return staged


def child_env(**extra: str) -> dict[str, str]:
    """The environment for another bundle's program: without the library path this
    frozen program's loader set for itself (PyInstaller keeps the original aside)."""
    env = dict(os.environ)
    original = env.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        env["LD_LIBRARY_PATH"] = original
    elif paths.is_frozen():
        env.pop("LD_LIBRARY_PATH", None)
    env.update(extra)
    return env


def _run(program: Path, *args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [str(program), *args], capture_output=True, text=True, timeout=TRIAL_TIMEOUT_S,
            stdin=subprocess.DEVNULL, cwd=data_dir, check=False,
            env=child_env(QT_QPA_PLATFORM="offscreen", PSER_DESK_DATA_DIR=str(data_dir)),
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return subprocess.CompletedProcess([str(program)], 127, "", f"cannot start: {_why(exc)}")


def trial(folder: Path, version: str, *, self_test: bool = True) -> None:
    """Raise InstallError unless the bundle in *folder* starts as *version* (and passes
    its self-test)."""
    program = Installation(folder).console_program
    with tempfile.TemporaryDirectory(prefix="pser-update-trial-") as tmp:
        said = _run(program, "--version", data_dir=Path(tmp))
        if said.returncode != 0 or said.stdout.strip() != f"{APP} {version}":
            raise InstallError(f"the new version {version} does not start ({_last(said)})")
        if not self_test:
            return
        tested = _run(program, "--self-test", data_dir=Path(tmp))
        if tested.returncode != 0:
            raise InstallError(
                f"the new version {version} failed its self-test ({_failure(tested)})"
            )


def swap(installation: Installation, staged: Path, old_version: str) -> Path:
    """Put *staged* in the installed folder's place; the old folder is returned, renamed."""
    previous = installation.sibling(old_version, "previous")
    remove_tree(previous)
    try:
        os.rename(installation.folder, previous)
    except OSError as exc:
        raise InstallError(f"the installed version cannot be moved aside ({_why(exc)})") from None
    try:
        os.rename(staged, installation.folder)
    except OSError as exc:
        os.rename(previous, installation.folder)
        raise InstallError(f"the new version cannot be moved in ({_why(exc)})") from None
    return previous


def undo(installation: Installation, previous: Path, failed: Path) -> None:
    remove_tree(failed)
    os.rename(installation.folder, failed)
    os.rename(previous, installation.folder)
    remove_tree(failed)


def running_from(folder: Path) -> list[int]:
    """Other processes whose program is in *folder* (Linux: /proc; elsewhere the swap's
    rename fails while a program of the folder runs, which leaves the old version)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    inside, found = str(folder.resolve()) + os.sep, []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            exe = os.readlink(entry / "exe")
        except OSError:
            continue
        if exe.startswith(inside):
            found.append(int(entry.name))
    return found


def install(
    installation: Installation,
    item: Downloaded,
    *,
    progress: Progress | None = None,
    check: Callable[..., None] = trial,
) -> Installed:
    """Stage, try, swap and try again; on any failure the old version stays."""
    old_version = installation.version
    if not newer(item.version, old_version):
        raise InstallError(f"{item.version} is not newer than the installed {old_version}")
    if running_from(installation.folder):
        raise InstallError(
            "pser-desk is still running from this installation (the window or a command): "
            "close it, then install the update"
        )
    mark = time.perf_counter()
    staged = stage(installation, item, progress)
    log.info("update %s: staged from the %s in %.1f s", item.version, item.kind, _since(mark))
    mark = time.perf_counter()
    try:
        check(staged, item.version)
    except InstallError:
        remove_tree(staged)
        raise
    log.info("update %s: self-test passed in %.1f s", item.version, _since(mark))
    mark = time.perf_counter()
    previous = swap(installation, staged, old_version)
    try:
        check(installation.folder, item.version, self_test=False)
    except InstallError:
        undo(installation, previous, installation.sibling(item.version, "failed"))
        raise
    log.info("update %s: swapped in and started in %.1f s", item.version, _since(mark))
    log.info("pser-desk %s installed over %s", item.version, old_version)
    return Installed(item.version, old_version, previous)


def _since(mark: float) -> float:
    return time.perf_counter() - mark


def settle(installation: Installation) -> list[Path]:
    """Remove what earlier updates left beside this installation (run by the new version)."""
    removed = []
    prefix = f".{installation.folder.name}-"
    for path in installation.folder.parent.glob(f"{prefix}*"):
        if path.name.endswith((".previous", ".staged", ".failed")) and path.is_dir():
            remove_tree(path)
            removed.append(path)
    return removed


def remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def restart_command(installation: Installation, args: list[str]) -> list[str]:
    return [str(installation.program), *args]


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or exc.__class__.__name__


def _last(proc: subprocess.CompletedProcess[str]) -> str:
    lines = (proc.stderr or proc.stdout or "").strip().splitlines()
    return lines[-1][:200] if lines else f"exit code {proc.returncode}"


def _failure(proc: subprocess.CompletedProcess[str]) -> str:
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAIL")]
    return failed[0][:200] if failed else _last(proc)
