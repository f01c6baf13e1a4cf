"""The desktop's own settings, declared once, typed, with defaults and a schema version.

Stored as JSON in ``<data_dir>/settings.json``. Unknown keys are dropped, a bad value
falls back to its default, and older schema versions are upgraded step by step.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "settings.json"
LANGUAGES = ("en", "ur")
PAPERS = ("a4", "80mm")


@dataclass
class DeskSettings:
    language: str = "en"
    idle_lock_minutes: float = 10.0
    paper: str = "a4"
    printer: str = ""
    camera: str = ""
    central_url: str = ""

    def cleaned(self) -> DeskSettings:
        default = DeskSettings()
        if self.language not in LANGUAGES:
            self.language = default.language
        if self.paper not in PAPERS:
            self.paper = default.paper
        if not isinstance(self.idle_lock_minutes, int | float) or self.idle_lock_minutes <= 0:
            self.idle_lock_minutes = default.idle_lock_minutes
        return self


def _upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    """Upgrade steps from older schema versions (none yet beyond version 1)."""
    raw.setdefault("schema", SCHEMA_VERSION)
    return raw


def load_settings(data_dir: Path) -> DeskSettings:
    path = data_dir / FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DeskSettings()
    except (OSError, ValueError):
        log.warning("settings file unreadable; using defaults")
        return DeskSettings()
    if not isinstance(raw, dict):
        return DeskSettings()
    raw = _upgrade(raw)
    known = {f.name: f.type for f in fields(DeskSettings)}
    values = {k: v for k, v in raw.items() if k in known}
    return DeskSettings(**values).cleaned()


def save_settings(data_dir: Path, settings: DeskSettings) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FILE_NAME
    tmp = path.with_suffix(".tmp")
    body = {"schema": SCHEMA_VERSION, **asdict(settings)}
    tmp.write_text(json.dumps(body, indent=1), encoding="utf-8")
    os.replace(tmp, path)
