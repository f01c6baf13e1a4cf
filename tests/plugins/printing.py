"""A real CUPS print queue that writes PDFs (cups-pdf), for the printing tests.

The session fixture uses a running CUPS scheduler or starts ``cupsd -f`` itself (as root),
adds the ``PSER_PDF`` queue when missing, and tells where cups-pdf writes jobs: the ``Out``
folder of /etc/cups/cups-pdf.conf with ``${HOME}`` the job owner's home from the password
database (not $HOME, which the test set-up points at a temporary folder).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

QUEUE = "PSER_PDF"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


@dataclass(frozen=True)
class PdfQueue:
    name: str
    out_dir: Path

    def wait_for_new_pdf(self, before: set[Path], timeout: float = 60) -> Path:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = set(self.out_dir.glob("*.pdf")) - before if self.out_dir.is_dir() else set()
            done = [p for p in new if p.stat().st_size > 0 and _settled(p)]
            if done:
                return done[0]
            time.sleep(0.3)
        raise AssertionError(f"no job appeared in {self.out_dir} within {timeout} s")

    def existing(self) -> set[Path]:
        return set(self.out_dir.glob("*.pdf")) if self.out_dir.is_dir() else set()


def _settled(path: Path) -> bool:
    size = path.stat().st_size
    time.sleep(0.2)
    return path.stat().st_size == size


def _scheduler_running() -> bool:
    done = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, timeout=10, check=False)
    return "is running" in done.stdout and "not" not in done.stdout


def _out_dir() -> Path:
    home = pwd.getpwuid(os.getuid()).pw_dir
    out = "${HOME}/PDF"
    for line in CUPS_PDF_CONF.read_text().splitlines():
        if line.strip().startswith("Out "):
            out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", home))


def _start_cupsd() -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        ["/usr/sbin/cupsd", "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 15
    while not _scheduler_running():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("cupsd did not start")
        time.sleep(0.2)
    return proc


@pytest.fixture(scope="session")
def pdf_queue() -> Iterator[PdfQueue]:
    if shutil.which("lpstat") is None or not CUPS_PDF_CONF.exists() or not PPD.exists():
        pytest.fail("CUPS and cups-pdf are not installed: run scripts/setup.sh (it installs them)")
    started = None
    if not _scheduler_running():
        if os.getuid() != 0:
            pytest.fail("no CUPS scheduler is running and only root can start one: start cupsd")
        started = _start_cupsd()
    try:
        has_queue = subprocess.run(
            ["lpstat", "-p", QUEUE], capture_output=True, timeout=10, check=False
        )
        if has_queue.returncode != 0:
            subprocess.run(["lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(PPD)],
                           capture_output=True, timeout=30, check=True)  # fmt: skip
        yield PdfQueue(QUEUE, _out_dir())
    finally:
        if started is not None:
            started.terminate()
            started.wait(timeout=15)
