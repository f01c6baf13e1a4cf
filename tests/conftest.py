"""Test set-up shared by the whole suite (qutebrowser's habits, STYLE.md).

- Qt runs offscreen; every application path points at a fresh temporary folder.
- A test that logs an unexpected WARNING or worse fails (mark it ``allow_log_warnings``
  when the warning is the point of the test).
- A test that leaves a Python thread running fails.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Shared fixtures, one module per area (added by the areas that need them).
pytest_plugins = [
    "tests.plugins.cli",
    "tests.plugins.central",
    "tests.plugins.postgres",
    "tests.plugins.store",
    "tests.plugins.scan",
    "tests.plugins.gui",
    "tests.plugins.forms",
    "tests.plugins.disks",
    "tests.plugins.printing",
    "tests.plugins.slips",
    "pytester",  # tests that run a small test file to prove a fixture can fail
]

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_log_warnings: the test expects WARNING log records")
    config.addinivalue_line("markers", "allow_threads: the test may leave daemon threads (say why)")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every file the application writes goes to a temporary data directory."""
    path = tmp_path / "pser-data"
    monkeypatch.setenv("PSER_DESK_DATA_DIR", str(path))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return path


class _FailOnWarning(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _fail_on_log_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    handler = _FailOnWarning()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("allow_log_warnings") is None:
        lines = "; ".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in handler.records[:5])
        pytest.fail(f"unexpected log warnings: {lines}")


@pytest.fixture(autouse=True)
def _no_leaked_threads(request: pytest.FixtureRequest) -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    if request.node.get_closest_marker("allow_threads") is not None:
        return
    deadline = 2.0
    leaked: list[threading.Thread] = []
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=deadline)
        if thread.is_alive():
            leaked.append(thread)
    if leaked:
        pytest.fail(f"test left threads running: {[t.name for t in leaked]}")


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.fail(f"shared/ is expected beside the checkout at {SHARED_DIR}")
    return SHARED_DIR
