"""The local store: SQLAlchemy models, repositories, migrations, backups (docs/store.md).

``StoreService`` is what the application builds once: the store, its services, and the
single writer lane the GUI submits database work to.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from pser_desk.security.passwords import PRODUCTION_PARAMS, ScryptParams
from pser_desk.store.database import Store, WriterLane
from pser_desk.store.device import DeviceIdentity, DeviceRepository, NotEnrolled
from pser_desk.store.errors import StoreError
from pser_desk.store.operators import LoginSession, OperatorService, Role, utc_now
from pser_desk.store.outbox import Outbox, OutboxItem, QueueCounts
from pser_desk.store.records import QueuedRecord, RecordInvalid, RecordService, RecordSummary
from pser_desk.store.settings import SettingsRepository

P = ParamSpec("P")
T = TypeVar("T")


class StoreService:
    """The store and its services, with one writer lane for work off the GUI thread."""

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
        self.settings = SettingsRepository(store)
        self._lane = WriterLane()

    @classmethod
    def open(
        cls, url: str | None, data_dir: Path, *, password_cost: ScryptParams = PRODUCTION_PARAMS
    ) -> StoreService:
        """The store of this PC; *password_cost* is the scrypt cost new hashes get."""
        return cls(Store.open(url, data_dir=data_dir), password_cost=password_cost)

    def submit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run *fn* on the writer lane; the GUI connects the future to a signal."""
        return self._lane.submit(fn, *args, **kwargs)

    def close(self) -> None:
        self._lane.close()
        self.store.close()


__all__ = [
    "DeviceIdentity", "DeviceRepository", "LoginSession", "NotEnrolled", "OperatorService",
    "Outbox", "OutboxItem", "QueueCounts", "QueuedRecord", "RecordInvalid", "RecordService",
    "RecordSummary", "Role", "SettingsRepository", "Store", "StoreError", "StoreService",
]  # fmt: skip
