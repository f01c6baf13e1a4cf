"""Settings: one JSON value per key (changes are audited)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pser_desk.store import audit_log
from pser_desk.store.database import Store
from pser_desk.store.models import SettingRow


class SettingsRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, key: str, default: Any = None) -> Any:
        with self._store.read() as session:
            row = session.get(SettingRow, key)
            return default if row is None else json.loads(row.value)

    def set(self, key: str, value: Any, *, actor: str | None = None) -> None:
        text = json.dumps(value, sort_keys=True)
        with self._store.write() as session:
            row = session.get(SettingRow, key)
            if row is None:
                session.add(SettingRow(key=key, value=text))
            else:
                row.value = text
            audit_log.append(
                session,
                audit_log.Event.SETTING_CHANGED,
                at=datetime.now(UTC),
                actor=actor,
                detail={"key": key},
            )
