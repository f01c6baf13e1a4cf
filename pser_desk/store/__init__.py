"""The local store: SQLAlchemy models, repositories, migrations, backups (docs/store.md).

``StoreService`` is what the application layer (:mod:`pser_desk.desk`) builds once: the
store and its repositories. It runs on whatever thread calls it; the window calls the
application layer only from its database lane (``gui/tasks.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pser_desk.domain.accounts import Role
from pser_desk.domain.enrolment import DeviceIdentity
from pser_desk.domain.records import QueueCounts, QueuedRecord, RecordSummary
from pser_desk.security.passwords import PRODUCTION_PARAMS, ScryptParams
from pser_desk.store.central_state import CentralState, CentralStateRepository
from pser_desk.store.cnic_index import CnicIndex
from pser_desk.store.database import Store
from pser_desk.store.device import DeviceRepository, NotEnrolled
from pser_desk.store.errors import StoreError
from pser_desk.store.operators import LoginSession, OperatorService, utc_now
from pser_desk.store.outbox import Outbox, OutboxItem
from pser_desk.store.records import RecordInvalid, RecordService
from pser_desk.store.verdicts import PurgeResult, Verdicts


class StoreService:
    """The store and its repositories, on one clock."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] = utc_now,
        password_cost: ScryptParams = PRODUCTION_PARAMS,
    ) -> None:
        self.store = store
        self.operators = OperatorService(store, clock=clock, params=password_cost)
        self.records = RecordService(store, clock=clock)
        self.outbox = Outbox(store, clock=clock)
        self.device = DeviceRepository(store)
        self.verdicts = Verdicts(store, clock=clock)
        self.central_state = CentralStateRepository(store)
        self.cnic_index = CnicIndex(store)

    @classmethod
    def open(
        cls,
        url: str | None,
        data_dir: Path,
        *,
        password_cost: ScryptParams = PRODUCTION_PARAMS,
        clock: Callable[[], datetime] = utc_now,
    ) -> StoreService:
        """The store of this PC; *password_cost* is the scrypt cost new hashes get."""
        return cls(Store.open(url, data_dir=data_dir), password_cost=password_cost, clock=clock)

    def close(self) -> None:
        self.store.close()


__all__ = [
    "CentralState", "CentralStateRepository", "PurgeResult", "Verdicts", "DeviceIdentity", "DeviceRepository", "LoginSession", "NotEnrolled", "OperatorService",
    "Outbox", "OutboxItem", "QueueCounts", "QueuedRecord", "RecordInvalid", "RecordService",
    "RecordSummary", "Role", "Store", "StoreError", "StoreService",
]  # fmt: skip
