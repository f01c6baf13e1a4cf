"""Per PC: central's configuration in force and the last heartbeat central answered
(central-api.md section 10).

The configuration is stored only after its signature verified (``sync.heartbeat``), as the
configuration in force (canonical JSON) with central's signature of what it sent; a PC
with no row, or a row without a configuration, runs on section 10's defaults.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from pser_desk.domain.central_config import DEFAULT_CONFIG, CentralConfig
from pser_desk.store import audit_log
from pser_desk.store.audit_log import Event
from pser_desk.store.database import Store
from pser_desk.store.models import CentralConfigRow


@dataclass(frozen=True, slots=True)
class CentralState:
    config: CentralConfig
    source: str  # "default" | "central"
    applied_at: datetime | None
    last_heartbeat_at: datetime | None


DEFAULT_STATE = CentralState(DEFAULT_CONFIG, "default", None, None)


class CentralStateRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self, device_id: str) -> CentralState:
        with self._store.read() as session:
            row = session.get(CentralConfigRow, device_id)
            if row is None:
                return DEFAULT_STATE
            config, source = DEFAULT_CONFIG, "default"
            if row.config:
                try:
                    raw = json.loads(row.config)
                except ValueError:
                    raw = None
                if isinstance(raw, dict):
                    config, source = CentralConfig.from_json(raw), "central"
            return CentralState(config, source, row.applied_at, row.last_heartbeat_at)

    def heartbeat_answered(
        self, device_id: str, at: datetime, *, config: CentralConfig | None = None,
        signature: str | None = None, refused: bool = False,
    ) -> None:  # fmt: skip
        """Central answered a heartbeat at *at*; *config* (verified) is now in force, or a
        configuration was *refused* (its signature did not verify)."""
        with self._store.write() as session:
            row = session.get(CentralConfigRow, device_id, with_for_update=True)
            if row is None:
                row = CentralConfigRow(device_id=device_id)
                session.add(row)
            row.last_heartbeat_at = at
            if config is not None:
                text = json.dumps(config.to_json(), sort_keys=True, ensure_ascii=False)
                if text != row.config:
                    audit_log.append(session, Event.CONFIG_APPLIED, at=at, subject=device_id,
                                     detail={"heartbeat_s": config.heartbeat_s,
                                             "status_poll_s": config.status_poll_s,
                                             "retention_days": config.retention_days,
                                             "min_app_version": config.min_app_version})  # fmt: skip
                row.config, row.signature, row.applied_at = text, signature, at
            if refused:
                audit_log.append(session, Event.CONFIG_REFUSED, at=at, subject=device_id,
                                 detail={"why": "bad_signature"})  # fmt: skip
