"""SIGKILL a process saving drafts, again and again: the database stays whole and the
last draft it reported as saved is there and opens."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pser_desk.store import Store
from tests.plugins.store import OPERATOR_PASSWORD, make_kit

REPO = Path(__file__).resolve().parents[3]
ROUNDS = 8


def _run_and_kill(data_dir: Path, start: int, rng: random.Random) -> tuple[int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.store.kill_writer", str(data_dir), "op1", str(start)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    wanted = rng.randint(3, 40)
    last = ""
    for _ in range(wanted):
        last = proc.stdout.readline()
        if not last:
            break
    os.kill(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()  # lines written before the kill
    proc.wait(timeout=30)
    proc.stdout.close()
    if proc.stderr is not None:
        proc.stderr.close()
    lines = [line for line in (last + rest).splitlines() if line.strip()]
    assert lines, "the writer saved nothing before it was killed"
    counter, sid = lines[-1].split()
    return int(counter), sid


@pytest.mark.reliability
@pytest.mark.slow
def test_sigkill_while_saving_drafts(data_dir: Path) -> None:
    store = Store.open(data_dir=data_dir)
    kit = make_kit(store)
    kit.add_operator(kit.add_manager())
    store.close()
    rng = random.Random(20261124)
    start = 0
    for _ in range(ROUNDS):
        counter, sid = _run_and_kill(data_dir, start, rng)
        conn = sqlite3.connect(data_dir / "pser.db")
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
        store = Store.open(data_dir=data_dir)
        kit = make_kit(store)
        session = kit.operators.login("op1", OPERATOR_PASSWORD)
        assert kit.records.load(sid, session)["answers"]["counter"] == counter
        store.close()
        start = counter + 2
