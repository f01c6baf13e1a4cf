"""The manager's reports: the centre's daily (or weekly, monthly) report and the audit log."""

from __future__ import annotations

import re
from datetime import date

from pser_desk.desk.failures import desk_errors
from pser_desk.documents.report_model import ReportData
from pser_desk.documents.report_query import load_report
from pser_desk.security.audit import AuditEntry, ChainReport
from pser_desk.store import StoreService, audit_log
from pser_desk.store import errors as store_errors
from pser_desk.store.operators import key_audit_problem

AUDIT_LIMIT = 500
RECORD_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Reports:
    def __init__(self, store: StoreService) -> None:
        self._store = store

    def daily(self, start: date, end: date) -> ReportData:
        """The report of the days *start* to *end* (Pakistan time), both included."""
        with desk_errors():
            return load_report(self._store, start, end)

    def audit_entries(self, limit: int = AUDIT_LIMIT) -> list[AuditEntry]:
        """The newest entries of the audit log (ids and codes; never personal data)."""
        with desk_errors(), self._store.store.read() as session:
            return audit_log.entries(session, limit)

    def audit_rows(
        self, limit: int = AUDIT_LIMIT
    ) -> tuple[list[AuditEntry], dict[str, str | None]]:
        """The newest entries, and the receipt number of each record they are about (None
        for a record no longer here, or one not numbered yet)."""
        entries = self.audit_entries(limit)
        receipts: dict[str, str | None] = {}
        with desk_errors():
            for subject in {e.subject for e in entries if e.subject and RECORD_ID.match(e.subject)}:
                try:
                    receipts[subject] = self._store.records.get(subject).receipt_no
                except store_errors.NotFound:
                    receipts[subject] = None
        return entries, receipts

    def verify_audit(self) -> ChainReport:
        """The audit log's hash chain, and whether the installation key it records is the
        one this database uses (a key changed outside the desk breaks it)."""
        with desk_errors(), self._store.store.read() as session:
            report = audit_log.verify(session)
            problem = key_audit_problem(session) if report.ok else None
        if problem is not None:
            return ChainReport(False, report.entries, None, problem)
        return report
