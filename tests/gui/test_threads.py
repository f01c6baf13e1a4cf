"""The thread fixtures can fail: a test that leaves a thread running is reported.

Each case runs a small test file in its own pytest process (``pytester``) with the
suite's fixtures, leaks a thread on purpose, and expects the leak to be reported as an
error of that test. A session fixture lets the thread go once the check has run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CONFTEST = """
import threading

import pytest

pytest_plugins = ["tests.plugins.gui"]
RELEASE = threading.Event()


@pytest.fixture(scope="session")
def release():
    yield RELEASE
    RELEASE.set()
"""

LEAKS_A_QTHREAD = """
from PySide6.QtCore import QThread


class Stuck(QThread):
    def __init__(self, release):
        super().__init__()
        self.release = release
        self.setObjectName("stuck-on-purpose")

    def run(self):
        self.release.wait(30)


KEEP = []


def test_leaks_a_qthread(qapp, release):
    thread = Stuck(release)
    KEEP.append(thread)
    thread.start()


def test_a_finished_qthread_is_fine(qapp):
    thread = QThread()
    thread.start()
    thread.quit()
    thread.wait()
"""


def _run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, test_file: str
) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_file)
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the suite's fixtures: tests.plugins.gui
    return pytester.runpytest_subprocess("-q", timeout=120)


@pytest.mark.gui
def test_a_test_that_leaves_a_qthread_running_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(pytester, monkeypatch, LEAKS_A_QTHREAD)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*test left QThreads running:*stuck-on-purpose*"])
