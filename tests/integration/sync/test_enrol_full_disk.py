"""Enrolment onto a data folder that cannot keep what enrolment writes (issue 13 item 13):
refused before central is asked, so the one-time token is still good once there is room.
Real small filesystems (tmpfs), the real CLI as a process, the real reference central."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pser_desk.security.device import IDENTITY_DIR, key_path
from pser_desk.store import Store
from tests.plugins.central import CENTRE, CentralHandle
from tests.plugins.disks import SmallDisk, fill, remount
from tests.plugins.store import make_kit


def _enroll(data: Path, central: CentralHandle, token: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pser_desk", "--data-dir", str(data), "enroll", "--central",
         central.url, "--centre", CENTRE, "--token", token, "--name", "Counter 3"],
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ},
    )  # fmt: skip


def _a_pc_before_enrolment(data: Path) -> None:
    store = Store.open(data_dir=data)
    make_kit(store).add_manager()
    store.close()


def _enrolled(data: Path) -> bool:
    """Whether the PC's one enrolment record (its row in the database) is there."""
    store = Store.open(data_dir=data)
    try:
        return make_kit(store).device.current() is not None
    finally:
        store.close()


def _refused_in_one_line(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert says in lines[0]
    assert "the enrolment token was not used" in lines[0]


def test_a_nearly_full_disk_refuses_enrolment_and_keeps_the_token(
    central_server: CentralHandle, small_disk: SmallDisk
) -> None:
    data = small_disk("data", 3072)
    _a_pc_before_enrolment(data)
    token = central_server.new_token()
    # Room for the key but not for the store's update: without the check, central took
    # the token, the key was written, the store was not, and the token was spent.
    filler = fill(data, leave_bytes=128 * 1024)
    _refused_in_one_line(_enroll(data, central_server, token), "the disk is full")
    assert not key_path(data).exists()
    filler.unlink()
    assert not _enrolled(data)
    again = _enroll(data, central_server, token)
    assert again.returncode == 0, again.stderr
    assert _enrolled(data)


def test_a_read_only_identity_folder_refuses_enrolment_and_keeps_the_token(
    central_server: CentralHandle, small_disk: SmallDisk, tmp_path: Path
) -> None:
    data = tmp_path / "pc"
    data.mkdir()
    _a_pc_before_enrolment(data)
    kept = {p.name: p.read_bytes() for p in (data / IDENTITY_DIR).iterdir()}
    identity = small_disk(f"pc/{IDENTITY_DIR}", 2048)  # over the folder, holding its files
    for name, content in kept.items():
        (identity / name).write_bytes(content)
    remount(identity, read_only=True)
    token = central_server.new_token()
    _refused_in_one_line(_enroll(data, central_server, token), "cannot write")
    remount(identity, read_only=False)
    again = _enroll(data, central_server, token)
    assert again.returncode == 0, again.stderr
    assert key_path(data).is_file()  # the device key, in the folder now writable
    assert _enrolled(data)  # the enrolment: its one record, in the database
