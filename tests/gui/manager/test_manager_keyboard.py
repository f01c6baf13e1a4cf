"""Issue 15 on the manager's screens: the keyboard reaches everything, no destructive default
button, one mnemonic per letter on every screen, words instead of codes, ids and JSON."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QPushButton, QWidget

from pser_desk.desk.settings import DeskSettings
from pser_desk.gui import printing
from pser_desk.gui.manager.audit import AuditDialog
from pser_desk.gui.manager.enrolment import EnrolmentDialog
from pser_desk.gui.manager.operators import OperatorsDialog
from pser_desk.gui.manager.report import ReportDialog
from pser_desk.gui.manager.settings_page import ManagerSettingsDialog
from tests.plugins.store import sample_record

pytestmark = pytest.mark.gui

PASSWORD = "counter-nine-2026"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _active(qtbot, widget) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=3000)


def _press(key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifier)


@pytest.fixture
def operators(qtbot, desk, runner, manager_login, wait_idle):
    widget = OperatorsDialog(desk, runner, manager_login)
    qtbot.addWidget(widget)
    _active(qtbot, widget)
    wait_idle()
    return widget


def test_tab_leaves_the_operators_table_for_the_add_fields(operators, qtbot) -> None:
    """Defect 3: Tab never left the table; the "add" fields needed the mouse."""
    operators.table.setFocus()
    qtbot.waitUntil(operators.table.hasFocus, timeout=2000)
    seen = []
    for _ in range(10):
        _press(Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert operators.id_edit in seen


def test_enter_in_repeat_the_password_adds_and_never_offers_to_disable(
    operators, qtbot, wait_idle, monkeypatch, desk
) -> None:
    """Defect 3: "Disable the selected operator" was the default button: Enter in "Repeat
    the password" asked to disable whoever was selected."""
    asked: list[str] = []
    monkeypatch.setattr(operators, "confirm_disable", lambda op: asked.append(op) or False)
    operators.select("mgr1")
    for edit, text in ((operators.id_edit, "op9"), (operators.name_edit, "Operator Nine"),
                       (operators.password_edit, PASSWORD), (operators.repeat_edit, PASSWORD)):  # fmt: skip
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus, timeout=2000)
        QTest.keyClicks(edit, text)
    _press(Qt.Key.Key_Return)
    wait_idle()
    assert asked == []
    assert [op.id for op in operators.operators] == ["mgr1", "op9"]
    assert desk.store.operators.login("op9", PASSWORD).operator_id == "op9"


def _buttons(widget: QWidget) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton) if b.isVisibleTo(widget)]


def test_no_destructive_action_is_a_default_button(operators) -> None:
    destructive = operators.disable_button
    assert not destructive.isDefault()
    assert not destructive.autoDefault()


def _mnemonics(window: QWidget) -> list[str]:
    """The Alt+letter of every visible button and labelled field of one screen."""
    texts = [b.text() for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    texts += [
        label.text()
        for label in window.findChildren(QLabel)
        if label.buddy() is not None and label.isVisibleTo(window)
    ]
    found = []
    for text in texts:
        match = re.search(r"&([^&\s])", text.replace("&&", ""))
        if match:
            found.append(match.group(1).lower())
    return found


@pytest.fixture
def manager_screens(qtbot, desk, runner, manager_login, wait_idle):
    made = [
        OperatorsDialog(desk, runner, manager_login),
        EnrolmentDialog(desk, runner, manager_login),
        AuditDialog(desk, runner, manager_login),
        ReportDialog(desk, runner, manager_login),
        ManagerSettingsDialog(DeskSettings(), lambda _cb: None),
    ]
    for widget in made:
        qtbot.addWidget(widget)
        widget.show()
    wait_idle()
    return made


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_manager_screen_has_one_mnemonic_per_letter(
    manager_screens, languages, language, qtbot
) -> None:
    """Defect 14: Alt+D meant both Date and Save PDF, Alt+P both Period and Print."""
    languages.set_language(language)
    qtbot.wait(50)  # the language change reaches every widget
    for screen in manager_screens:
        keys = _mnemonics(screen)
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        assert doubled == [], (type(screen).__name__, doubled)


def test_the_reports_no_printer_message_does_not_speak_of_slips(
    qtbot, desk, runner, manager_login, monkeypatch
) -> None:
    """Defect 14: with no printer the report said "reprint the slip"."""
    monkeypatch.setattr(printing, "default_printer_name", lambda: None)
    from pser_desk.documents.report import render_report_pdf

    result = printing.print_pdf(render_report_pdf(desk.reports.daily(*_today())), None, "a4")
    assert not result.ok
    dialog = ReportDialog(desk, runner, manager_login)
    qtbot.addWidget(dialog)
    dialog._on_printed(result)
    text = dialog.message.text()
    assert "slip" not in text.lower()
    assert "printer" in text.lower()


def _today():
    today = datetime.now(UTC).date()
    return today, today


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_audit_log_reads_in_words_without_ids_or_json(
    qtbot, kit, desk, runner, manager_login, wait_idle, languages, language
) -> None:
    """Defects 15 and 17: audit event names in English on the Urdu screen, UUIDs and raw
    JSON (its braces reversed in Urdu)."""
    kit.enrol()
    sid = kit.records.queue(sample_record(7), operator_id="mgr1").submission_id
    languages.set_language(language)
    dialog = AuditDialog(desk, runner, manager_login)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()
    table = dialog.table
    assert table.rowCount() >= 3
    cells = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(6)]
    assert not any(UUID_RE.search(text) for text in cells)
    assert not any("{" in text or "}" in text for text in cells)
    events = [table.item(r, 2).text() for r in range(table.rowCount())]
    assert not any(re.fullmatch(r"[a-z_]+", e) for e in events), events
    receipt = kit.records.get(sid).receipt_no
    assert any(receipt in text for text in cells)
    if language == "ur":
        assert all(any("\u0600" <= ch <= "\u06ff" for ch in e) for e in events), events


def test_the_daily_report_on_the_urdu_screen_is_in_urdu(
    qtbot, kit, desk, runner, manager_login, wait_idle, languages, tmp_path
) -> None:
    """Defect 15: the daily report was English on the Urdu screens."""
    import subprocess

    kit.enrol()
    kit.records.queue(sample_record(8), operator_id="mgr1")
    languages.set_language("ur")
    dialog = ReportDialog(desk, runner, manager_login)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.build()
    qtbot.waitUntil(lambda: dialog.built is not None, timeout=60_000)
    wait_idle()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(dialog.built.pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "NotoNastaliqUrdu" in fonts
    assert "Registrations by operator" not in text
    assert "Daily report" not in text
    assert "LHR-0042" in text  # codes and numbers stay as they are


@pytest.mark.usefixtures("qapp")
def test_every_audit_event_has_words_of_its_own() -> None:
    """A new event added to the store's audit log gets a name a manager can read."""
    from pser_desk.gui.manager.audit_words import event_text
    from pser_desk.store.audit_log import Event

    fallbacks = [
        event.value for event in Event if event_text(event.value) == event.value.replace("_", " ")
    ]
    assert fallbacks == []
