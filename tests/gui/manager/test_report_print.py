"""The manager's daily report: Print sends it to the centre's printer, a real CUPS queue.

The desk runs on the real store with two households sent to the reference central service;
the manager opens the report from the keyboard (Ctrl+Shift+R), shows it, presses Print.
The job that cups-pdf writes must be the report: as many A4 pages, and each page looking
like the report's own page (compared as small grey pictures), and the screen says so.
"""

from __future__ import annotations

import subprocess
import uuid
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.manager import install_manager_screens
from pser_desk.gui.manager.report import ReportDialog
from pser_desk.settings import DeskSettings
from tests.gui.test_desk_store import keyboard_sign_in
from tests.integration.documents.conftest import pdf_queue  # noqa: F401  (the CUPS queue)
from tests.plugins.gui import MANAGER, OPERATOR

pytestmark = pytest.mark.gui

PAGE_PX = (248, 351)  # an A4 page at 30 dpi: enough to tell one page from another


def _pages(pdf: Path) -> list[np.ndarray]:
    """Each page as a small, slightly blurred grey picture (printing re-rasterises text)."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "60", "-gray", "-png", str(pdf), str(prefix)],
                   check=True, timeout=60)  # fmt: skip
    pages = []
    for picture in sorted(pdf.parent.glob(f"{prefix.name}-*.png")):
        with Image.open(picture) as image:
            small = image.convert("L").resize(PAGE_PX).filter(ImageFilter.GaussianBlur(1.5))
        pages.append(np.asarray(small, dtype=float))
    return pages


def _likeness(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def _page_size_pt(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=30).stdout  # fmt: skip
    width, _x, height = info.split("Page size:")[1].split()[:3]
    return float(width), float(height)


def _queue_two_households(store_desk) -> None:
    login = store_desk.login(OPERATOR[0], OPERATOR[2])
    for seed in (3, 4):
        record = example_record(seed, load_form(), load_geography(), date.today())
        store_desk.queue_record(login, str(uuid.uuid4()), record)


def test_print_sends_the_report_to_the_centres_printer(
    qtbot,
    make_controller,
    store_desk,
    wait_idle,
    pdf_queue,  # noqa: F811  (the fixture imported above)
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
    assert dialog.last_print is not None
    assert dialog.last_print.ok, dialog.last_print.message
    assert dialog.last_print.pages == len(built.pages)
    assert dialog.message.text() == f"Sent to the printer {pdf_queue.name}."

    job = pdf_queue.wait_for_new_pdf(before)
    printed = tmp_path / "job.pdf"
    printed.write_bytes(job.read_bytes())
    job.unlink()
    original = tmp_path / "report.pdf"
    original.write_bytes(built.pdf)
    width, height = _page_size_pt(printed)
    assert (round(width), round(height)) == (595, 842)  # A4
    printed_pages, report_pages = _pages(printed), _pages(original)
    assert len(printed_pages) == len(report_pages) >= 1
    for got, want in zip(printed_pages, report_pages, strict=True):
        assert _likeness(got, want) > 0.95  # the same page (0.99 measured)
        assert _likeness(got, np.roll(want, 12, axis=0)) < 0.8  # and the test can tell
    dialog.reject()
    wait_idle()
