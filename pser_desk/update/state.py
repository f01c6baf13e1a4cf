"""``<data dir>/updates/state.json``: the update downloaded and waiting to be installed.

Written atomically after a download is verified; read by ``update apply`` and the window
at close. The file is a note, not a trust anchor: installing checks the downloaded file's
SHA-256 again and every file of the rebuilt version against its signed manifest.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path


@dataclass(frozen=True)
class Downloaded:
    version: str
    kind: str  # "full" or "patch"
    file: str
    length: int
    sha256: str
    format: str
    tree_sha256: str
    from_version: str | None
    from_tree_sha256: str | None
    target: str
    platform: str


class UpdateState:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, object]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return raw if isinstance(raw, dict) else {}

    def _save(self, raw: dict[str, object]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(raw, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)

    def downloaded(self) -> Downloaded | None:
        raw = self._load().get("downloaded")
        if not isinstance(raw, dict):
            return None
        try:
            return Downloaded(**{f.name: raw[f.name] for f in fields(Downloaded)})
        except (KeyError, TypeError):
            return None

    def set_downloaded(self, item: Downloaded | None) -> None:
        raw = self._load()
        raw["downloaded"] = None if item is None else asdict(item)
        self._save(raw)

    def patch_failed(self, target: str) -> bool:
        failed = self._load().get("failed_patches")
        return isinstance(failed, list) and target in failed

    def mark_patch_failed(self, target: str) -> None:
        raw = self._load()
        failed = raw.get("failed_patches")
        items = [str(x) for x in failed] if isinstance(failed, list) else []
        raw["failed_patches"] = sorted({*items, target})
        self._save(raw)
