"""One copy per data folder (issue 15, defect 17): a second start brings the first window to
the front and ends, before it opens anything; the socket's name says nothing of the folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QWidget

from pser_desk.app import EXIT_ALREADY_OPEN
from pser_desk.gui.single_window import FrontDoor, bring_to_front, server_name

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def test_the_name_is_a_hash_of_the_folder(tmp_path: Path) -> None:
    one, two = tmp_path / "desk-data", tmp_path / "other"
    assert server_name(one) == server_name(one / ".." / "desk-data")
    assert server_name(one) != server_name(two)
    assert "desk-data" not in server_name(one)
    assert str(tmp_path.name) not in server_name(one)


def _second_start(data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "pser_desk", "--data-dir", str(data_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_second_start_brings_the_first_window_forward_and_ends(qtbot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.setWindowState(Qt.WindowState.WindowMinimized)
    door = FrontDoor(data_dir)
    knocked: list[bool] = []
    door.knocked.connect(lambda: (knocked.append(True), bring_to_front(window)))
    assert door.listen()
    started = time.monotonic()
    second = _second_start(data_dir)
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
    out, err = second.communicate()
    assert second.returncode == EXIT_ALREADY_OPEN, (out, err)
    assert knocked == [True]
    assert not window.windowState() & Qt.WindowState.WindowMinimized
    assert time.monotonic() - started < 20
    assert not (data_dir / "pser.db").exists()  # it opened nothing
    door.close()


def test_a_socket_left_by_a_crash_does_not_keep_the_desk_out(tmp_path: Path, qapp) -> None:
    data_dir = tmp_path / "data"
    crashed = QLocalServer()
    assert crashed.listen(server_name(data_dir))
    if sys.platform != "win32":  # a crash leaves the socket file; nothing answers it
        crashed.close()
        Path(crashed.fullServerName()).touch()
    door = FrontDoor(data_dir)
    assert door.listen()
    door.close()


def test_knocking_needs_no_qtnetwork(tmp_path: Path) -> None:
    """Every start knocks: the knock is the standard library's (QtNetwork costs 15-20 ms to
    import; the first window loads it once it is on screen)."""
    code = (
        "import sys; from pathlib import Path\n"
        "from pser_desk.gui.single_window import knock\n"
        f"assert knock(Path({str(tmp_path)!r})) is False\n"
        "print('PySide6.QtNetwork' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
