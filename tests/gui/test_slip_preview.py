"""The slip preview (no printer set at save): Print goes out on the print lane, never
freezing the window; the job is a real PDF written by Qt's printer."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from pser_desk.desk.settings import DeskSettings
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.printing import PrinterChoice
from tests.gui.test_desk_store import keyboard_sign_in
from tests.plugins.gui import OPERATOR

pytestmark = pytest.mark.gui


def _preview_of_a_saved_household(qtbot, make_controller, store_desk, wait_idle, seed: int):
    """An operator signed in on a desk with no printer set: a saved household's slip
    opens in the preview. The preview and the receipt number."""
    desk = make_controller(store_desk, DeskSettings(printer=""))
    desk.start()
    wait_idle()
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    login = desk.login
    record = example_record(seed, load_form(), load_geography(), date.today())
    queued = store_desk.queue(login, record)
    desk.slips.output_file = None  # no printer configured: the preview opens
    with qtbot.waitSignal(desk.slips.previewed, timeout=30_000) as shown:
        desk.slips.print_slip(login, queued.receipt_no)
    return shown.args[0], queued.receipt_no


def _pdfinfo(pdf: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pairs = (line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_print_from_the_preview_runs_on_the_print_lane_and_writes_the_job(
    qtbot, make_controller, store_desk, wait_idle, tmp_path: Path
) -> None:
    preview, receipt_no = _preview_of_a_saved_household(qtbot, make_controller, store_desk,
                                                        wait_idle, seed=3)  # fmt: skip
    assert preview.slip.receipt_no == receipt_no

    job = tmp_path / "chosen-in-the-dialog.pdf"  # "Print to file", as the dialog allows
    preview.print_to(PrinterChoice("", str(job), 1))
    assert preview.message.text() == "Printing..."  # answered at once, pages go out later
    assert not preview.print_button.isEnabled()
    qtbot.waitUntil(preview.print_button.isEnabled, timeout=30_000)
    assert preview.message.text() == "The slip was printed."
    original = tmp_path / "slip.pdf"
    original.write_bytes(preview.slip.pdf)
    printed, made = _pdfinfo(job), _pdfinfo(original)
    assert printed["Title"] == f"slip {receipt_no}"
    assert printed["Pages"] == made["Pages"]
    assert int(printed["Pages"]) >= 1
    preview.reject()
    wait_idle()


def test_a_print_that_fails_on_the_lane_says_so_in_the_preview(
    qtbot, make_controller, store_desk, wait_idle, tmp_path: Path
) -> None:
    preview, _receipt = _preview_of_a_saved_household(qtbot, make_controller, store_desk,
                                                      wait_idle, seed=4)  # fmt: skip
    preview.print_to(PrinterChoice("No Such Printer 9", None, 1))
    qtbot.waitUntil(preview.print_button.isEnabled, timeout=30_000)
    assert preview.message.text().startswith("The slip did not print.")
    preview.reject()
    wait_idle()
