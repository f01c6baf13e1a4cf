"""The scan dialog on the simulated camera: a stable read fills the wizard; closing frees all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtTest import QTest

from pser_desk.gui.scanning import install_scanning
from pser_desk.gui.scanning.dialog import ScanDialog
from pser_desk.gui.scanning.session import open_camera
from pser_desk.scan.samples import simulated_camera
from pser_desk.scan.sources import SourceError
from tests.gui.scanning.conftest import scan_threads

pytestmark = pytest.mark.gui

SAMPLE_CNIC = "3389168869148"  # resources/samples/samples.json, the camera's card


def _closed_cleanly(qtbot, dialog: ScanDialog) -> None:
    session = dialog.session
    qtbot.waitUntil(session.stopped_event.is_set, timeout=10_000)
    assert session.source_released
    assert not session.running
    qtbot.waitUntil(lambda: scan_threads() == [], timeout=5000)


def _closed_cleanly_without_camera(qtbot, dialog: ScanDialog) -> None:
    qtbot.waitUntil(dialog.session.stopped_event.is_set, timeout=10_000)
    assert dialog.session.worker is None
    qtbot.waitUntil(lambda: scan_threads() == [], timeout=5000)


def _has_colour(dialog: ScanDialog, colour: str) -> bool:
    pixmap = dialog.preview.pixmap()
    if pixmap is None or pixmap.isNull():
        return False
    image = pixmap.toImage()
    wanted = QColor(colour).rgb()
    step = 3
    return any(
        image.pixel(x, y) == wanted
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    )


def test_f3_scans_the_simulated_camera_and_enter_fills_the_heads_cnic(desk, qtbot) -> None:
    scanning = install_scanning(desk)
    assert [s.toString() for s in scanning.action.shortcuts()] == ["F3", "Ctrl+K"]
    desk.show_registration()
    QTest.keyClick(desk.registration.wizard.forms["cnic"].editor("name").edit, Qt.Key.Key_F3)
    dialog = scanning.dialog
    assert isinstance(dialog, ScanDialog)
    qtbot.waitUntil(dialog.use_button.isEnabled, timeout=15_000)
    assert dialog.number.text() == "33891-6886914-8"
    assert dialog.use_button.isDefault()
    qtbot.waitUntil(lambda: _has_colour(dialog, "#34a853"), timeout=5000)  # frame on the code
    QTest.keyClick(dialog.use_button, Qt.Key.Key_Return)
    assert dialog.result() == ScanDialog.DialogCode.Accepted
    form = desk.registration.wizard.forms["cnic"]
    assert form.editor("cnic").value() == SAMPLE_CNIC
    _closed_cleanly(qtbot, dialog)
    qtbot.waitUntil(lambda: scanning.dialog is None)


def test_closing_the_dialog_stops_the_worker_and_releases_the_camera(desk, qtbot) -> None:
    dialog = ScanDialog(lambda: simulated_camera(realtime=True), desk.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.session.tap is not None and dialog.session.tap.frames_shown > 2)
    assert dialog.session.running
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == ScanDialog.DialogCode.Rejected
    _closed_cleanly(qtbot, dialog)
    assert dialog.cnic is None
    assert desk.registration.wizard.forms["cnic"].editor("cnic").value() is None


def test_the_picture_drops_frames_instead_of_queueing_them(desk, qtbot) -> None:
    """A source faster than the screen: the GUI shows the latest frame, the rest are dropped."""
    dialog = ScanDialog(lambda: simulated_camera(realtime=False), desk.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(1500)
    tap, worker = dialog.session.tap, dialog.session.worker
    assert tap is not None
    assert worker is not None
    assert tap.frames_shown <= 1.5 * 15 + 2  # at most the preview rate
    assert tap.frames_skipped > tap.frames_shown  # many more frames came than were painted
    stats = worker.stats
    assert stats.frames_dropped > 0  # the decoder takes the latest frame too
    assert stats.frames_read > stats.frames_decoded
    dialog.reject()
    _closed_cleanly(qtbot, dialog)


def test_no_camera_says_so_and_nothing_keeps_running(desk, qtbot) -> None:
    def no_camera():
        raise SourceError("cannot open camera 7")

    dialog = ScanDialog(no_camera, desk.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "No camera found" in dialog.status.text(), timeout=5000)
    assert not dialog.use_button.isEnabled()
    dialog.reject()
    _closed_cleanly_without_camera(qtbot, dialog)


def test_the_camera_setting_chooses_the_source() -> None:
    simulated = open_camera("simulated")
    try:
        assert simulated.name.startswith("folder")
    finally:
        simulated.close()
    with pytest.raises(SourceError):
        open_camera("front door")
    with pytest.raises(SourceError):
        open_camera("97")  # no such camera index


def test_the_scan_action_is_inert_when_signed_out(desk, qtbot) -> None:
    scanning = install_scanning(desk)
    desk.lock()
    assert scanning.open_dialog() is None
    assert QKeySequence("F3") in scanning.action.shortcuts()
