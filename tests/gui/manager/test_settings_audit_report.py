"""Centre settings refuse bad values; the audit view shows the chain and its breaks; the report."""

from __future__ import annotations

import csv
import dataclasses
import io
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select, update

from pser_desk.desk.settings import DeskSettings, settings_problem
from pser_desk.domain.records import FieldProblem
from pser_desk.gui.manager.audit import AuditDialog
from pser_desk.gui.manager.report import ReportDialog, period
from pser_desk.gui.manager.settings_page import ManagerSettingsDialog
from pser_desk.store.models import AuditRow, RecordRow
from tests.gui.manager.conftest import set_text
from tests.plugins.store import StoreKit, sample_record

pytestmark = pytest.mark.gui


# ------------------------------------------------------------------ settings


def test_settings_refuse_a_bad_value_and_keep_the_dialog_open(qtbot) -> None:
    dialog = ManagerSettingsDialog(DeskSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    set_text(dialog.pin_edit, "not a pin")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.message.text()
    set_text(dialog.pin_edit, "")
    set_text(dialog.ca_edit, "/no/such/bundle.pem")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    set_text(dialog.ca_edit, "")
    dialog.camera_combo.setCurrentText("the blue one")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "simulated" in dialog.message.text()
    dialog.camera_combo.setCurrentText("simulated")
    dialog.paper_combo.setCurrentIndex(1)
    dialog.set_devices(["PSER_PDF"], ["0"])
    dialog.printer_combo.setCurrentIndex(dialog.printer_combo.findData("PSER_PDF"))
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    chosen = dialog.chosen()
    assert (chosen.paper, chosen.camera, chosen.printer) == ("80mm", "simulated", "PSER_PDF")


def test_central_s_address_is_not_a_setting() -> None:
    """Issue 14: central's address is the enrolment's (one record, in the database); the
    settings offered one that nothing ever sent to."""
    assert "central_url" not in {f.name for f in dataclasses.fields(DeskSettings)}
    assert settings_problem(DeskSettings(camera="1")) is None
    assert settings_problem(DeskSettings(idle_lock_minutes=0.5)) == "settings.bad_idle"


# ------------------------------------------------------------------ audit


@pytest.fixture
def audit_dialog(qtbot, desk, runner, manager_login, kit: StoreKit, wait_idle):
    kit.add_operator(manager_login.session, "op1")
    kit.enrol()
    widget = AuditDialog(desk, runner, manager_login)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle()
    return widget


def test_the_audit_view_lists_entries_newest_first_and_the_chain_is_intact(
    audit_dialog, wait_idle
) -> None:
    entries = audit_dialog.entries
    assert len(entries) >= 4
    assert [e.seq for e in entries] == sorted((e.seq for e in entries), reverse=True)
    shown = [audit_dialog.table.item(r, 2).text() for r in range(audit_dialog.table.rowCount())]
    assert shown[0] == "PC enrolled with central"  # in words, not the code "enrolled"
    assert "Operator added" in shown
    QTest.mouseClick(audit_dialog.verify_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert audit_dialog.report.ok
    assert f"intact: {len(entries)} entries" in audit_dialog.message.text()


def test_a_tampered_audit_chain_is_reported(audit_dialog, kit: StoreKit, wait_idle) -> None:
    with kit.store.write() as session:
        session.execute(update(AuditRow).where(AuditRow.seq == 2).values(actor="someone-else"))
    QTest.mouseClick(audit_dialog.verify_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert not audit_dialog.report.ok
    assert audit_dialog.report.broken_seq == 2
    assert "tampered with at entry 2" in audit_dialog.message.text()


# ------------------------------------------------------------------ report


def _day_of_records(kit: StoreKit, manager_session) -> None:
    """Six records by two operators on 24 Nov 2026; two acknowledged, one needs correcting."""
    kit.add_operator(manager_session, "op1")
    kit.enrol()
    for seed in range(6):
        kit.records.queue(sample_record(seed), operator_id="op1" if seed % 2 else "mgr1")
        kit.clock.advance(minutes=40)
    claimed = [item.submission_id for item in kit.outbox.claim_due(3)]
    kit.outbox.mark_acknowledged(claimed[0], "PSER-26-000000001")
    kit.outbox.mark_acknowledged(claimed[1], "PSER-26-000000002")
    kit.outbox.mark_needs_correction(claimed[2], [FieldProblem("head.name", "x")])


def test_the_report_saves_a_pdf_and_a_csv_with_the_days_figures(
    qtbot, desk, runner, manager_login, kit: StoreKit, wait_idle, tmp_path: Path
) -> None:
    _day_of_records(kit, manager_login.session)
    dialog = ReportDialog(desk, runner, manager_login)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.date_edit.setDate(QDate(2026, 11, 24))
    assert not dialog.pdf_button.isEnabled()
    QTest.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    wait_idle(30_000)
    assert dialog.built is not None
    assert dialog.pdf_button.isEnabled()
    assert dialog.pages_layout.count() >= 1  # the preview shows the pages
    assert "6 registrations queued, 2 acknowledged" in dialog.message.text()
    pdf, table = tmp_path / "day.pdf", tmp_path / "day.csv"
    dialog.save_pdf(str(pdf))
    dialog.save_csv(str(table))
    wait_idle()
    with kit.store.read() as session:
        rows = session.execute(select(RecordRow.operator_id, RecordRow.state)).all()
    queued = Counter(op for op, _ in rows)
    acked = Counter(op for op, state in rows if state == "acknowledged")
    sections: dict[str, list[list[str]]] = {}
    for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"))):
        if row and row[0] != "section":
            sections.setdefault(row[0], []).append(row[1:])
    operators = {r[0]: [int(v) for v in r[1:]] for r in sections["operators"]}
    for op in ("mgr1", "op1"):
        assert operators[op][1:3] == [queued[op], acked[op]]
    assert operators["TOTAL"] == [6, 6, 2, 1, 0]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    lines = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.split()}
    for op in ("mgr1", "op1", "TOTAL"):
        assert [int(v) for v in lines[op][:5]] == operators[op], op
    assert "24 November 2026" in text


def test_a_report_that_cannot_be_written_says_what_to_do(
    qtbot, desk, runner, manager_login, wait_idle, tmp_path: Path
) -> None:
    dialog = ReportDialog(desk, runner, manager_login)
    qtbot.addWidget(dialog)
    dialog.build()
    wait_idle(30_000)
    dialog.save_pdf(str(tmp_path / "no-such-folder" / "day.pdf"))
    wait_idle()
    assert "Choose another folder" in dialog.message.text()


def test_periods() -> None:
    from datetime import date

    day = date(2026, 11, 26)  # a Thursday
    assert period("day", day) == (day, day)
    assert period("week", day) == (date(2026, 11, 23), date(2026, 11, 29))
    assert period("month", day) == (date(2026, 11, 1), date(2026, 11, 30))
    assert period("month", date(2028, 2, 10)) == (date(2028, 2, 1), date(2028, 2, 29))
