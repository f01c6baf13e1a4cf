"""The manager's daily report: Print sends it to the centre's printer, a real CUPS queue.

The desk runs on the real store with two households sent to the reference central service;
the manager opens the report from the keyboard (Ctrl+Shift+R), shows it, presses Print.
The job that cups-pdf writes must be the report: as many A4 pages, and each page looking
like the report's own page (compared as small grey pictures), and the screen says so.
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pser_desk.desk.settings import DeskSettings
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.manager import install_manager_screens
from pser_desk.gui.manager.report import ReportDialog
from tests.gui.test_desk_store import keyboard_sign_in
from tests.gui.test_end_to_end import wait_for_our_job
from tests.plugins.gui import MANAGER, OPERATOR
from tests.plugins.printing import PdfQueue

pytestmark = pytest.mark.gui

PAGE_PX = (248, 351)  # an A4 page at 30 dpi: enough to tell one page from another


def _pages(pdf: Path) -> list[np.ndarray]:
    """Each page as a small, slightly blurred grey picture (printing re-rasterises text)."""
    pages = []
    with tempfile.TemporaryDirectory(prefix="pages-") as folder:
        subprocess.run(["pdftoppm", "-r", "60", "-gray", "-png", str(pdf), f"{folder}/p"],
                       check=True, timeout=60)  # fmt: skip
        for picture in sorted(Path(folder).glob("p-*.png")):
            with Image.open(picture) as image:
                small = image.convert("L").resize(PAGE_PX).filter(ImageFilter.GaussianBlur(1.5))
            pages.append(np.asarray(small, dtype=float))
    return pages


def _likeness(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def _page_size_pt(pdf: Path) -> tuple[int, int]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=30).stdout  # fmt: skip
    width, _x, height = info.split("Page size:")[1].split()[:3]
    return round(float(width)), round(float(height))


def _queue_two_households(store_desk) -> None:
    login = store_desk.login(OPERATOR[0], OPERATOR[2])
    for seed in (3, 4):
        record = example_record(seed, load_form(), load_geography(), date.today())
        store_desk.queue(login, record)


def test_print_sends_the_report_to_the_centres_printer(
    qtbot,
    make_controller,
    store_desk,
    wait_idle,
    pdf_queue: PdfQueue,
    tmp_path: Path,
) -> None:
    desk = make_controller(store_desk, DeskSettings(printer=pdf_queue.name))
    screens = install_manager_screens(desk)
    _queue_two_households(store_desk)  # sent to central once the desk starts
    desk.start()
    wait_idle()
    keyboard_sign_in(qtbot, desk, wait_idle, MANAGER[0], MANAGER[2])
    qtbot.waitUntil(lambda: store_desk.central.households() == 2, timeout=20_000)
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(desk.window, Qt.Key.Key_R, modifiers)
    dialog = screens.dialog
    assert isinstance(dialog, ReportDialog)
    assert dialog.printer == pdf_queue.name  # the centre's printer, from the settings
    assert not dialog.print_button.isEnabled()  # nothing to print before the report is shown
    QTest.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.built is not None, timeout=30_000)
    wait_idle()
    assert "2 registrations queued, 2 acknowledged" in dialog.message.text()
    built = dialog.built
    assert built is not None

    before = pdf_queue.existing()
    QTest.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Printing..."  # the pages go out on the print lane
    assert not dialog.print_button.isEnabled()  # no second job while this one is spooled
    qtbot.waitUntil(lambda: dialog.last_print is not None, timeout=30_000)
    assert dialog.last_print is not None
    assert dialog.print_button.isEnabled()
    assert dialog.last_print.ok, dialog.last_print.message
    assert dialog.last_print.pages == len(built.pages)
    assert dialog.message.text() == f"Sent to the printer {pdf_queue.name}."

    original = tmp_path / "report.pdf"
    original.write_bytes(built.pdf)
    report_pages = _pages(original)
    assert len(report_pages) >= 1
    for want in report_pages:  # the comparison can tell a page from the page moved a little
        assert _likeness(want, np.roll(want, 12, axis=0)) < 0.8

    def this_report(job: Path, name: str) -> bool:
        if not name.startswith("pser-desk-report") or _page_size_pt(job) != (595, 842):  # A4
            return False
        printed = _pages(job)
        return len(printed) == len(report_pages) and all(
            _likeness(got, want) > 0.95  # the same page (0.99 measured)
            for got, want in zip(printed, report_pages, strict=True)
        )

    wait_for_our_job(pdf_queue, before, this_report, tmp_path / "report-job.pdf")
    dialog.reject()
    wait_idle()
