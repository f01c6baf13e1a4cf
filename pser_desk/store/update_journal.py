"""The updater's entries in the audit log: refusals, downloads, installs and failures.

Details are versions, the attack's name and its one-line message (never a hash or a
path that could look like a number the audit log refuses as personal data).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pser_desk.store import audit_log
from pser_desk.store.database import Store

DetailValue = audit_log.DetailValue


class UpdateJournal:
    def __init__(self, store: Store) -> None:
        self._store = store

    def record(self, event: audit_log.Event, **detail: DetailValue) -> None:
        try:
            clean = audit_log.check_detail(detail)
        except ValueError:
            clean = {k: v for k, v in detail.items() if k != "message"}
        with self._store.write() as session:
            audit_log.append(session, event, at=datetime.now(UTC), actor="updater", detail=clean)
