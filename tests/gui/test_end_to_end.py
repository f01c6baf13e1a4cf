"""The operator's whole flow in one go, on the real store and the reference central service.

Keyboard only: sign in, Ctrl+N, F3 opens the scan dialog on the simulated camera, Enter
takes the stable read (the head's CNIC), every section typed, Next/Finish pressed with the
keyboard. Then: the slip printed on the centre's printer (a real CUPS queue writing PDFs),
the record stored by central with the tracking id this PC keeps, the dashboard counting it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pser_desk.desk.settings import DeskSettings
from pser_desk.documents.slip_reader import UnreadableError, read_token
from pser_desk.documents.slip_token import Verified, verify_token
from pser_desk.domain.example import example_record
from pser_desk.domain.form import SectionKind, load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.scanning import install_scanning
from pser_desk.gui.scanning.dialog import ScanDialog
from pser_desk.security.device import DeviceKey
from tests.gui.keyboard import _add_members_from_keyboard, _fill_page_from_keyboard
from tests.gui.test_desk_store import keyboard_sign_in
from tests.plugins.gui import OPERATOR
from tests.plugins.printing import PdfQueue

pytestmark = pytest.mark.gui

SAMPLE_CNIC = "3389168869148"  # resources/samples/samples.json: the camera's card (a woman's)


def wait_for_our_job(
    queue: PdfQueue, before: set[Path], ours: Callable[[Path, str], bool], copy_to: Path,
    timeout: float = 60,
) -> Path:  # fmt: skip
    """The new job this test printed, copied to *copy_to* (the spool file is removed).

    cups-pdf writes every job of the machine into one folder, and other test runs may
    print at the same time: a new file counts only when ``ours(copy, job file name)`` says so."""
    judged: dict[Path, int] = {}  # a file is looked at again if it grows
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for job in sorted(queue.existing() - before):
            size = _written_size(job)
            if size is None or judged.get(job) == size:
                continue
            judged[job] = size
            try:
                copy_to.write_bytes(job.read_bytes())
            except OSError:
                continue  # taken by the test that printed it
            if ours(copy_to, job.name):
                job.unlink(missing_ok=True)
                return copy_to
        time.sleep(0.3)
    raise AssertionError(f"no job of this test in {queue.out_dir}; others: {len(judged)}")


def _written_size(job: Path) -> int | None:
    """The file's size once it has stopped growing for a moment; None while it grows."""
    try:
        size = job.stat().st_size
        time.sleep(0.2)
        return size if size > 0 and job.stat().st_size == size else None
    except OSError:
        return None


def _scan_the_heads_cnic(qtbot, desk) -> set[str]:
    """F3, wait for a stable read, Enter; the CNIC lands in the head's field. The ids of the
    head's fields that now hold a value (the card may pre-fill more than the CNIC)."""
    wizard = desk.registration.wizard
    focused = QApplication.focusWidget() or wizard
    QTest.keyClick(focused, Qt.Key.Key_F3)
    dialog = desk.scanning.dialog
    assert isinstance(dialog, ScanDialog)
    qtbot.waitUntil(dialog.use_button.isEnabled, timeout=20_000)
    assert dialog.number.text() == "33891-6886914-8"
    QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
    assert dialog.result() == ScanDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: desk.scanning.dialog is None, timeout=5000)
    qtbot.waitUntil(dialog.session.stopped_event.is_set, timeout=10_000)  # camera released
    form = wizard.forms["cnic"]
    assert form.editor("cnic").value() == SAMPLE_CNIC
    return {fid for fid, value in form.values().items() if value is not None}


def _type_every_section(qtbot, wizard, record: dict, scanned: set[str]) -> None:
    """Each page from the keyboard (what the scan filled is left as read), Next by Space."""
    for section_page in wizard.section_pages:
        section = section_page.section
        if section.kind is SectionKind.MEMBERS:
            _add_members_from_keyboard(qtbot, wizard, record["members"])
        else:
            part = record[section.kind.value]
            if section.kind is SectionKind.HEAD:
                part = {k: v for k, v in part.items() if k not in scanned}
            _fill_page_from_keyboard(qtbot, wizard, section, part)
        if wizard.currentPage() is section_page:  # a key may have moved on by itself
            QTest.keyClick(wizard.button(wizard.WizardButton.NextButton), Qt.Key.Key_Space)


def _central_row(central, submission_id: str) -> tuple[str, str, dict]:
    [(tracking_id, receipt_no, stored)] = central.service.db.query(
        "SELECT tracking_id, receipt_no, record FROM submissions WHERE submission_id=?",
        (submission_id,),
    )
    return tracking_id, receipt_no, json.loads(bytes(stored).decode("utf-8"))


def test_log_in_scan_type_save_print_and_reach_central_from_the_keyboard(
    qtbot,
    make_controller,
    store_desk,
    wait_idle,
    pdf_queue: PdfQueue,
    tmp_path: Path,
) -> None:
    settings = DeskSettings(camera="simulated", printer=pdf_queue.name, paper="80mm")
    desk = make_controller(store_desk, settings, registration=True)
    desk.scanning = install_scanning(desk)  # the camera comes from the settings, as on a desk
    desk.start()
    wait_idle()
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    qtbot.waitUntil(lambda: desk.dashboard.data is not None, timeout=10_000)
    assert desk.dashboard.data.mine_today == 0
    assert desk.dashboard.ui.mineValue.text() == "0"
    central = store_desk.central
    assert central.households() == 0

    QTest.keyClick(desk.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.window.current_page() is desk.registration, timeout=5000)
    page = desk.registration
    wizard = page.wizard
    scanned = _scan_the_heads_cnic(qtbot, desk)
    assert "cnic" in scanned

    record = example_record(14, load_form(), load_geography(), date.today())  # a woman heads it
    record["head"]["cnic"] = SAMPLE_CNIC
    before = pdf_queue.existing()
    _type_every_section(qtbot, wizard, record, scanned)
    assert wizard.currentId() == wizard.review_id
    assert [(i.path, i.code) for i in wizard.review.issues] == []
    with (
        qtbot.waitSignal(page.record_queued, timeout=15_000) as queued,
        qtbot.waitSignal(desk.slips.printed, timeout=30_000) as printed,
    ):
        QTest.keyClick(wizard.button(wizard.WizardButton.FinishButton), Qt.Key.Key_Space)
    receipt_no = queued.args[0].receipt_no
    assert printed.args[0].printer == pdf_queue.name

    # The slip: a real job on the centre's printer; its QR carries this receipt, signed here.
    device_key = DeviceKey.load(store_desk.data_dir).public_raw()

    def signed_here(pdf: Path, _name: str) -> bool:
        try:
            verdict = verify_token(read_token(str(pdf)).token, device_key)
        except UnreadableError:
            return False
        return isinstance(verdict, Verified) and verdict.claims.receipt_no == receipt_no

    wait_for_our_job(pdf_queue, before, signed_here, tmp_path / "slip-job.pdf")

    # Central: the household stored once, with the scanned CNIC and the tracking id we keep.
    qtbot.waitUntil(lambda: central.households() == 1, timeout=20_000)
    qtbot.waitUntil(
        lambda: (
            desk.dashboard.data.counts.get("acknowledged") == 1
            and desk.dashboard.data.mine_today == 1
        ),
        timeout=20_000,
    )
    [item] = store_desk.desk.records.recent(desk.login)
    assert (item.state, item.receipt_no) == ("acknowledged", receipt_no)
    tracking_id, central_receipt, stored = _central_row(central, item.submission_id)
    assert item.tracking_id == tracking_id
    assert central_receipt == receipt_no
    assert stored["head"]["cnic"] == SAMPLE_CNIC
    assert stored["head"]["name"] == record["head"]["name"]
    assert len(stored["members"]) == len(record["members"])
    assert desk.dashboard.ui.mineValue.text() == "1"
    assert desk.dashboard.connection_state() == "online"
    wait_idle()
