"""Form definitions central serves at ``GET /forms/{id}/current``.

Two sources: the files ``resources/forms/*.json`` shipped with the application, and
versions published into central's database (``central form publish``, or
:meth:`FormCatalog.publish` in tests). The current version is the highest version number.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pser_desk.central.db import CentralDB, text

log = logging.getLogger(__name__)

_FILE_RE = re.compile(r"^(?P<form_id>[a-z][a-z0-9-]*?)-(?P<version>\d+(?:\.\d+)*)\.json$")


@dataclass(frozen=True)
class FormVersion:
    form_id: str
    version: str
    published_at: str
    definition: dict[str, object]


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order ``2024.10`` after ``2024.2``: numeric parts compare as numbers."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in version.split("."))


def _identify(path: Path, definition: object) -> tuple[str, str] | None:
    if isinstance(definition, dict):
        form_id = definition.get("form_id") or definition.get("id")
        version = definition.get("version") or definition.get("form_version")
        if isinstance(form_id, str) and isinstance(version, str):
            return form_id, version
    match = _FILE_RE.match(path.name)
    return (match["form_id"], match["version"]) if match else None


def _load_file(path: Path) -> FormVersion | None:
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("form definition %s cannot be read; not served", path.name)
        return None
    ident = _identify(path, definition)
    if ident is None or not isinstance(definition, dict):
        return None
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return FormVersion(ident[0], ident[1], mtime, definition)


class FormCatalog:
    def __init__(self, db: CentralDB, forms_dir: Path | None) -> None:
        self._db = db
        self._forms_dir = forms_dir
        self._cache: dict[Path, tuple[tuple[int, int], FormVersion | None]] = {}
        self._lock = threading.Lock()

    def _cached_load(self, path: Path) -> FormVersion | None:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            hit = self._cache.get(path)
            if hit is not None and hit[0] == stamp:
                return hit[1]
        form = _load_file(path)
        with self._lock:
            self._cache[path] = (stamp, form)
        return form

    def _file_versions(self) -> list[FormVersion]:
        if self._forms_dir is None or not self._forms_dir.is_dir():
            return []
        loaded = (self._cached_load(path) for path in sorted(self._forms_dir.glob("*.json")))
        return [form for form in loaded if form is not None]

    def _db_versions(self, form_id: str) -> list[FormVersion]:
        rows = self._db.query(
            "SELECT form_id, version, published_at, definition FROM forms WHERE form_id=?",
            (form_id,),
        )
        return [
            FormVersion(text(r[0]), text(r[1]), text(r[2]), json.loads(text(r[3]))) for r in rows
        ]

    def versions(self, form_id: str) -> list[FormVersion]:
        files = [form for form in self._file_versions() if form.form_id == form_id]
        return sorted(files + self._db_versions(form_id), key=lambda f: version_key(f.version))

    def current(self, form_id: str) -> FormVersion | None:
        versions = self.versions(form_id)
        return versions[-1] if versions else None

    def get(self, form_id: str, version: str) -> FormVersion | None:
        return next((f for f in self.versions(form_id) if f.version == version), None)

    def publish(
        self, form_id: str, version: str, definition: dict[str, object], published_at: str
    ) -> None:
        text = json.dumps(definition, ensure_ascii=False, sort_keys=True)
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO forms VALUES (?,?,?,?) ON CONFLICT(form_id, version) DO UPDATE SET "
                "published_at=excluded.published_at, definition=excluded.definition",
                (form_id, version, published_at, text),
            )
