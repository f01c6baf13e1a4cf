"""Issue 15 on the desk's own screens: the dashboard tells the truth, the window fits
1366x768 and remembers being maximised, Escape never quits, Urdu sentences read right."""

from __future__ import annotations

import copy
import re
import unicodedata
import uuid
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from pser_desk.desk.model import Slip
from pser_desk.desk.records import stamp
from pser_desk.desk.settings import load_settings
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.slips import SlipPreviewDialog
from tests.gui.test_desk_store import keyboard_sign_in
from tests.plugins.gui import OPERATOR

pytestmark = pytest.mark.gui

WORK_AREA = (1366, 698)  # 1366x768 less a 40 px task bar and a 30 px title bar
TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "pser_desk_ur.ts"


def _desk(qtbot, backend, make_controller, wait_idle, data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    desk = make_controller(backend, load_settings(data_dir), registration=True)  # as app.py
    desk.start()
    wait_idle()
    keyboard_sign_in(qtbot, desk, wait_idle, OPERATOR[0], OPERATOR[2])
    return desk


# ---------------------------------------------------------------- 12: the dashboard


def test_the_connection_is_checked_with_an_empty_queue_and_central_dying_shows(
    qtbot, store_desk, make_controller, wait_idle, data_dir
) -> None:
    """Defect 12: "not checked yet" all day until something was sent; "Online" 45 s after
    central died when the queue was empty (and after F9)."""
    desk = _desk(qtbot, store_desk, make_controller, wait_idle, data_dir)
    qtbot.waitUntil(lambda: desk.dashboard.connection_state() == "online", timeout=15_000)
    assert "Online" in desk.dashboard.ui.connectionLabel.text()
    store_desk.central.server.stop()  # central dies
    desk.window.activateWindow()
    QTest.keyClick(desk.window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: desk.dashboard.connection_state() == "offline", timeout=20_000)
    assert "Offline" in desk.dashboard.ui.connectionLabel.text()
    wait_idle()


def test_every_record_needing_attention_is_listed_in_words(
    qtbot, store_desk, make_controller, wait_idle, data_dir
) -> None:
    """Defect 12: "Need attention 3" while the list below was empty (duplicates appeared
    nowhere); the records list showed raw codes (``duplicate_household``)."""
    desk = _desk(qtbot, store_desk, make_controller, wait_idle, data_dir)
    first = example_record(41, load_form(), load_geography(), date.today())
    again = copy.deepcopy(example_record(42, load_form(), load_geography(), date.today()))
    again["head"]["cnic"] = first["head"]["cnic"]  # the same head, registered twice
    again["head"]["gender"] = first["head"]["gender"]
    store_desk.queue(desk.login, first)
    store_desk.desk.sending.send_now()
    # The same head registered elsewhere first (the desk itself refuses a second one):
    stamped = stamp(str(uuid.uuid4()), store_desk.desk.forms.current_ref(), again)
    store_desk.desk.store.records.queue(stamped, operator_id=OPERATOR[0])
    store_desk.desk.sending.send_now()
    desk.dashboard.refresh()
    qtbot.waitUntil(lambda: desk.dashboard.ui.problemValue.text() == "1", timeout=15_000)
    table = desk.dashboard.ui.correctionsTable
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5000)
    row = " ".join(table.item(0, c).text() for c in range(table.columnCount()))
    [item] = [i for i in store_desk.desk.records.recent(desk.login) if i.state == "duplicate"]
    assert item.receipt_no in row
    assert "duplicate_household" not in row
    assert "already registered" in row.lower()
    desk.show_records()
    records = desk.records
    qtbot.waitUntil(lambda: records.table.rowCount() == 2, timeout=5000)
    cells = [records.table.item(r, c).text() for r in range(2) for c in range(6)]
    assert not any("duplicate_household" in text for text in cells)
    wait_idle()


# ---------------------------------------------------------------- 13: 1366x768


def test_the_window_opens_inside_the_screen(
    qtbot, store_desk, make_controller, wait_idle, data_dir
) -> None:
    """Defect 13: the window opened 1180x760 (790 with its title bar) on a 768-pixel
    screen less the task bar: its status bar was off-screen."""
    desk = _desk(qtbot, store_desk, make_controller, wait_idle, data_dir)
    area = QApplication.primaryScreen().availableGeometry()
    frame = desk.window.frameGeometry()
    assert area.contains(frame), (area, frame)
    status = desk.window.statusBar()
    assert area.contains(status.mapToGlobal(status.rect().bottomRight()))


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_window_fits_1366x768_with_its_status_bar_on_every_page(
    qtbot, store_desk, make_controller, wait_idle, data_dir, language
) -> None:
    """Defect 13: at 1366x768 the main window's status bar was off-screen."""
    desk = _desk(qtbot, store_desk, make_controller, wait_idle, data_dir)
    desk.set_language(language)
    desk.show_registration()
    window = desk.window
    wizard = desk.registration.wizard
    values = example_record(5, load_form(), load_geography(), date.today())
    wizard.load(*__import__("pser_desk.gui.wizard.model", fromlist=["x"]).split_record(
        wizard.form, values))  # fmt: skip
    for _ in range(len(wizard.pageIds())):
        window.resize(*WORK_AREA)
        qtbot.wait(20)
        assert window.height() <= WORK_AREA[1], wizard.currentPage().objectName()
        status = window.statusBar()
        assert status.isVisible()
        assert status.geometry().bottom() < window.height()
        wizard.next()
    wait_idle()


def test_the_slip_preview_fits_and_saves_into_the_users_documents(
    qtbot, runner, monkeypatch, tmp_path
) -> None:
    """Defects 13 and 17: the slip dialog's Print and Save buttons were cut at 1366x768;
    "Save as PDF" opened in the program's folder."""
    from PySide6.QtGui import QImage

    image = QImage(620, 1400, QImage.Format.Format_RGB888)
    image.fill(Qt.GlobalColor.white)
    slip = Slip(b"%PDF-1.4 test", "LHR-0042-20261124-0001", str(uuid.uuid4()), False, "80mm")
    dialog = SlipPreviewDialog(slip, runner, image)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= WORK_AREA[1]
    for button in (dialog.print_button, dialog.save_button, dialog.close_button):
        assert dialog.rect().contains(button.geometry())
    asked: list[str] = []

    def fake_save(_parent, _title, directory, _filter):
        asked.append(directory)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    dialog.save_button.click()
    folder = Path(asked[0]).parent
    assert folder.is_absolute()
    assert folder != Path.cwd()
    assert Path.home() in (folder, *folder.parents)


def test_the_maximised_window_is_remembered(
    qtbot, store_desk, make_controller, wait_idle, data_dir
) -> None:
    """Defect 13: maximised state was not remembered."""
    desk = _desk(qtbot, store_desk, make_controller, wait_idle, data_dir)
    desk.window.showMaximized()
    qtbot.waitUntil(desk.window.isMaximized, timeout=2000)
    desk.window.close()
    wait_idle()
    assert load_settings(data_dir).window_maximized is True
    again = _desk(qtbot, store_desk, make_controller, wait_idle, data_dir)
    qtbot.waitUntil(again.window.isMaximized, timeout=2000)
    wait_idle()


# ---------------------------------------------------------------- 17: Escape, labels


def test_escape_on_the_sign_in_window_does_not_quit(
    qtbot, store_desk, make_controller, wait_idle
) -> None:
    """Defect 17: Escape on the sign-in window quit the desk."""
    desk = make_controller(store_desk, registration=True)
    desk.start()
    wait_idle()
    dialog = desk.login_dialog
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.wait(100)
    assert desk.login_dialog is dialog
    assert dialog.isVisible()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_wrapped_labels_keep_every_line(
    qtbot, store_desk, make_controller, wait_idle, data_dir, language
) -> None:
    """Defect 17: wrapped English labels lost their second line."""
    desk = _desk(qtbot, store_desk, make_controller, wait_idle, data_dir)
    desk.set_language(language)
    desk.show_registration()
    desk.window.resize(*WORK_AREA)
    wizard = desk.registration.wizard
    for _ in range(len(wizard.section_pages)):
        qtbot.wait(20)
        for label in wizard.currentPage().findChildren(QLabel):
            if not (label.isVisible() and label.wordWrap() and label.text()):
                continue
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, (label.text(), label.height(), needed)
        wizard.next()
    wait_idle()


# ---------------------------------------------------------------- 15: Urdu sentences


def _first_strong(text: str) -> str | None:
    for ch in re.sub(r"%[0-9n]|&", "", text):
        kind = unicodedata.bidirectional(ch)
        if kind in ("L", "R", "AL"):
            return kind
        if ch == "\u200f":
            return "R"
    return None


def test_urdu_sentences_never_start_left_to_right() -> None:
    """Defect 15: Urdu sentences starting with a Latin name or code read backwards
    ("Ayesha Khan کے طور پر داخل", "CA بنڈل فائل")."""
    text = TS.read_text(encoding="utf-8")
    wrong = []
    for translation in re.findall(r"<(?:translation|numerusform)>([^<]*)</", text):
        urdu = any("\u0600" <= ch <= "\u06ff" for ch in translation)
        starts_with_value = re.match(r"^\s*%[0-9n]", translation) is not None
        left_to_right = _first_strong(translation) == "L" or starts_with_value
        if urdu and left_to_right and not translation.startswith("\u200f"):
            wrong.append(translation)
    assert wrong == []


def test_the_dashboard_greets_a_latin_name_right_to_left(
    qtbot, store_desk, make_controller, wait_idle, data_dir, languages
) -> None:
    desk = _desk(qtbot, store_desk, make_controller, wait_idle, data_dir)
    languages.set_language("ur")
    qtbot.wait(50)
    greeting = desk.dashboard.ui.greetingLabel.text()
    assert OPERATOR[1] in greeting
    assert _first_strong(greeting) == "R"
