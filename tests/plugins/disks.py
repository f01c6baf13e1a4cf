"""Real small filesystems for full-disk tests: a tmpfs of a given size, mounted for the test.

The tests run as root here and in CI (ENVIRONMENT.md): mounting must work, and a test that
needs a full disk fails, rather than skips, when it cannot have one.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SmallDisk = Callable[..., Path]  # (name, size_kib, read_only=False) -> the mount point


def fill(folder: Path, leave_bytes: int = 0) -> Path:
    """Fill the disk holding *folder* until at most *leave_bytes* are free."""
    import shutil

    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while shutil.disk_usage(folder).free > leave_bytes:
                    os.write(fd, b"\0" * min(size, max(1, shutil.disk_usage(folder).free)))
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def remount(where: Path, read_only: bool) -> None:
    """Make a mounted small disk read-only or writable again."""
    mode = "ro" if read_only else "rw"
    subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], check=True, capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """``small_disk(name, size_kib, read_only=False)``: a fresh tmpfs mounted at
    ``tmp_path/name`` (``remount(path, read_only)`` changes its mode later)."""
    mounted: list[Path] = []

    def make(name: str, size_kib: int, read_only: bool = False) -> Path:
        where = tmp_path / name
        where.mkdir(exist_ok=True)  # mounted over a folder, it hides what is in it
        options = f"size={size_kib}k,mode=0700" + (",ro" if read_only else "")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"cannot mount a small tmpfs (run the tests as root): {done.stderr}")
        mounted.append(where)
        return where

    yield make
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)
