"""One window per data folder: the lock is exclusive between processes and ends with its
holder, however it ends (no stale lock after a crash or a power cut)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pser_desk.desk_lock import DeskLock, desk_is_open

HOLD = (
    "import sys, time; from pathlib import Path; from pser_desk.desk_lock import DeskLock; "
    "lock = DeskLock(Path(sys.argv[1])); print(lock.acquire(), flush=True); time.sleep(60)"
)


def _holder(data_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "True"
    return proc


def _end(holder: subprocess.Popen[str]) -> None:
    os.kill(holder.pid, signal.SIGKILL)  # as a crash or a power cut ends it
    holder.wait(timeout=10)
    assert holder.stdout is not None
    holder.stdout.close()


def test_a_second_holder_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    first, second = DeskLock(tmp_path), DeskLock(tmp_path)
    assert not desk_is_open(tmp_path)
    assert first.acquire()
    assert desk_is_open(tmp_path)
    assert not second.acquire()
    first.release()
    assert not desk_is_open(tmp_path)
    with second:
        assert second.acquire()  # held already: still True
        assert second.held
    assert not second.held


def test_another_process_holds_it_and_a_killed_holder_leaves_no_stale_lock(
    tmp_path: Path,
) -> None:
    holder = _holder(tmp_path)
    try:
        assert desk_is_open(tmp_path)
        assert not DeskLock(tmp_path).acquire()
    finally:
        _end(holder)
    assert not desk_is_open(tmp_path)
    with DeskLock(tmp_path) as lock:
        assert lock.acquire()


@pytest.mark.slow
def test_the_start_up_probe_of_a_second_copy_says_the_desk_is_already_open(
    data_dir: Path,
) -> None:
    holder = _holder(data_dir)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pser_desk", "--data-dir", str(data_dir), "--startup-probe"],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
    finally:
        _end(holder)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "PSER Desk is already open on this PC."
