"""This PC's settings, declared once, typed, with defaults and a schema version.

Stored as JSON in ``<data_dir>/settings.json``. Unknown keys are dropped, a bad value
falls back to its default, and older schema versions are upgraded step by step. The GUI
edits them (manager screens); the command line reads them (central's TLS options).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
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
    # Central's TLS: a CA bundle file to trust, and SHA-256 pins of its public key
    # (base64 or hex, separated by spaces or commas). Empty: the system's CAs, no pin.
    ca_bundle: str = ""
    pins: str = ""

    def tls_options(self) -> tuple[str | None, list[str] | None]:
        """``(ca_bundle, pins)`` as :class:`pser_desk.sync.client.CentralClient` takes them."""
        pins = [p for p in self.pins.replace(",", " ").split() if p]
        return (self.ca_bundle or None), (pins or None)

    def cleaned(self) -> DeskSettings:
        default = DeskSettings()
        if self.language not in LANGUAGES:
            self.language = default.language
        if self.paper not in PAPERS:
            self.paper = default.paper
        if not isinstance(self.idle_lock_minutes, int | float) or self.idle_lock_minutes <= 0:
            self.idle_lock_minutes = default.idle_lock_minutes
        for name in ("printer", "camera", "central_url", "ca_bundle", "pins"):
            if not isinstance(getattr(self, name), str):
                setattr(self, name, "")
        return self


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds central's TLS options (empty: the system's CAs, no pinning)."""
    return {**raw, "ca_bundle": raw.get("ca_bundle", ""), "pins": raw.get("pins", "")}


UPGRADES = {1: _v1_to_v2}


def _upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    """Apply the upgrade steps from the file's schema version to the current one."""
    version = raw.get("schema", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        log.warning("settings file from a newer or unknown schema (%r); using defaults", version)
        return {}
    while version < SCHEMA_VERSION:
        raw = UPGRADES[version](raw)
        version += 1
    raw["schema"] = version
    return raw


@dataclass(frozen=True)
class CentralTls:
    """How this PC checks central's certificate: what every central client uses."""

    ca_bundle: str | None = None  # a CA bundle file; None: the system's CAs
    pins: tuple[str, ...] = ()  # SHA-256 of central's public key (hex or base64)


def central_tls(data_dir: Path) -> CentralTls:
    """The one reader of central's TLS options (CLI, window, background sender).

    They live in this PC's settings, where the manager's centre-settings screen edits them
    and where ``pser-desk enroll --ca-bundle/--pin`` keeps what was given at enrolment.
    """
    ca_bundle, pins = load_settings(data_dir).tls_options()
    return CentralTls(ca_bundle, tuple(pins or ()))


def remember_central_tls(data_dir: Path, ca_bundle: str | None, pins: list[str] | None) -> None:
    """Keep the TLS options an enrolment succeeded with (the CA bundle as an absolute path)."""
    settings = load_settings(data_dir)
    settings.ca_bundle = str(Path(ca_bundle).resolve()) if ca_bundle else ""
    settings.pins = " ".join(pins or [])
    save_settings(data_dir, settings)


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
