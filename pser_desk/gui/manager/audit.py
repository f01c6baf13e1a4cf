"""The audit log, read-only, newest first, with a check of its hash chain."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QWidget

from pser_desk.desk.model import LoginResult
from pser_desk.desk.protocol import DeskApi
from pser_desk.documents.report import local_time
from pser_desk.gui.forms.ui_manager_audit import Ui_AuditDialog
from pser_desk.gui.manager.audit_words import detail_text, event_text, subject_text
from pser_desk.gui.manager.base import ManagerDialog
from pser_desk.gui.tasks import Runner
from pser_desk.security.audit import AuditEntry, ChainReport


def _when(at: str) -> str:
    """The entry's time in Pakistan time, kept left-to-right inside Urdu text."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    return f"\u2066{local_time(moment)}\u2069"


class AuditDialog(ManagerDialog):
    def __init__(
        self, desk: DeskApi, runner: Runner, login: LoginResult | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(desk, runner, login, parent)
        self.entries: list[AuditEntry] = []
        self.receipts: dict[str, str | None] = {}
        self.report: ChainReport | None = None
        self.ui = Ui_AuditDialog()
        self.ui.setupUi(self)
        self.ui.auditTable.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.ui.verifyButton.clicked.connect(self.verify)
        self.ui.closeButton.clicked.connect(self.accept)
        # The screen's public surface (tests drive it).
        self.message, self.table = self.ui.managerMessage, self.ui.auditTable
        self.verify_button = self.ui.verifyButton
        self.retranslate()
        self.run(self.desk.reports.audit_rows, self._on_loaded)

    def _on_loaded(self, loaded: tuple[list[AuditEntry], dict[str, str | None]]) -> None:
        self.entries, self.receipts = loaded
        self._fill()

    def _fill(self) -> None:
        entries = self.entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (str(entry.seq), _when(entry.at), event_text(entry.event), entry.actor or "",
                     subject_text(entry.subject, self.receipts), detail_text(entry.detail))  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.say(self.tr("Checking the chain..."))
        self.run(
            self.desk.reports.verify_audit,
            self._on_verified,
            on_error=lambda _e: self.verify_button.setEnabled(True),
        )

    def _on_verified(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        self.report = report
        self._say_report()

    def _say_report(self) -> None:
        report = self.report
        if report is None:
            return
        if report.ok:
            self.say(self.tr("The audit log is intact: %1 entries, none changed or removed.")
                     .replace("%1", str(report.entries)))  # fmt: skip
            return
        self.say_error(
            self.tr("The audit log has been tampered with at entry %1: entries were changed "
                    "or removed. Do not use this PC; call the district office.")
            .replace("%1", str(report.broken_seq))
        )  # fmt: skip

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        self._fill()
        self._say_report()
