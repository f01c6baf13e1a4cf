"""Urdu through pipes and files as Windows gives them: in the ANSI code page (cp1252 on an
English Windows), not UTF-8. ``PYTHONIOENCODING=cp1252`` puts a Linux process in the same
state; the frozen Windows build is checked for real in tests/packaging/windows/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

URDU_NAME = "عائشہ بی بی"
URDU_PASSWORD = "میرا-پاس-ورڈ-2024"  # typed on an Urdu keyboard


def pser_desk(
    data_dir: Path, *args: str, stdin: str = "", windows_pipe: bool = True
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PSER_DESK_DATA_DIR": str(data_dir)}
    if windows_pipe:
        env["PYTHONIOENCODING"] = "cp1252"
    return subprocess.run(
        [sys.executable, "-m", "pser_desk", *args],
        input=stdin.encode("utf-8"),  # what a UTF-8 file or a modern shell sends
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_urdu_goes_out_and_comes_in_as_utf8_through_a_windows_pipe(data_dir: Path) -> None:
    added = pser_desk(
        data_dir, "operator", "add", "mgr1", "--name", URDU_NAME, "--role", "manager",
        stdin=f"{URDU_PASSWORD}\n{URDU_PASSWORD}\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr.decode("utf-8", "replace")

    listed = pser_desk(data_dir, "operator", "list", "--json")
    assert listed.returncode == 0, listed.stderr.decode("utf-8", "replace")
    assert json.loads(listed.stdout.decode("utf-8"))["name"] == URDU_NAME

    # The password came in as the letters typed: the manager signs in with it from a UTF-8
    # terminal to add an operator.
    second = pser_desk(
        data_dir, "operator", "add", "op1", "--name", "Operator One", "--role", "operator",
        "--as", "mgr1", stdin=f"{URDU_PASSWORD}\nop-pass-2024\nop-pass-2024\n",
        windows_pipe=False,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr.decode("utf-8", "replace")
