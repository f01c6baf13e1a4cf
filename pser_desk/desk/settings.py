"""This PC's settings: declared once, typed, with defaults, a schema and its upgrades.

One store, ``<data_dir>/settings.json``: unknown keys are dropped, a bad value falls back
to its default, older schema versions are upgraded step by step. Read by the sign-in
window (the language, before the database opens: this module imports nothing heavy),
edited through :class:`SettingsStore` (both settings screens, with the same checks), and
read by everything that talks to central (:meth:`SettingsStore.central_tls`: the window's
sender, ``sync``, ``enroll``, ``forms update``). Central's address is not a setting: it
is part of this PC's enrolment, in the database.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.security.private_files import replace

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
FILE_NAME = "settings.json"
LANGUAGES = ("en", "ur")
PAPERS = ("a4", "80mm")
SIMULATED_CAMERA = "simulated"  # the demo's camera: sample cards, no device
IDLE_RANGE = (1, 120)  # minutes before the screen locks

Raw = dict[str, object]


@dataclass(frozen=True)
class DeskSettings:
    language: str = "en"
    idle_lock_minutes: float = 10.0
    paper: str = "a4"
    printer: str = ""
    camera: str = ""
    # Central's TLS: a CA bundle file to trust, and SHA-256 pins of its public key
    # (base64 or hex, separated by spaces or commas). Empty: the system's CAs, no pin.
    ca_bundle: str = ""
    pins: str = ""
    # The main window was maximised when the desk last closed (it opens so again).
    window_maximized: bool = False

    @property
    def pin_list(self) -> tuple[str, ...]:
        return tuple(p for p in self.pins.replace(",", " ").split() if p)

    @classmethod
    def from_raw(cls, raw: Mapping[str, object]) -> DeskSettings:
        """The settings *raw* holds; a missing or bad value is its default."""
        default = cls()
        chosen: dict[str, object] = {}
        for name in ("printer", "camera", "ca_bundle", "pins"):
            value = raw.get(name)
            if isinstance(value, str):
                chosen[name] = value
        language, paper, idle = raw.get("language"), raw.get("paper"), raw.get("idle_lock_minutes")
        maximized = raw.get("window_maximized")
        return cls(
            language=language if isinstance(language, str) and language in LANGUAGES else default.language,
            paper=paper if isinstance(paper, str) and paper in PAPERS else default.paper,
            idle_lock_minutes=float(idle)
            if isinstance(idle, int | float) and not isinstance(idle, bool) and idle > 0
            else default.idle_lock_minutes,
            printer=str(chosen.get("printer", "")),
            camera=str(chosen.get("camera", "")),
            ca_bundle=str(chosen.get("ca_bundle", "")),
            pins=str(chosen.get("pins", "")),
            window_maximized=maximized if isinstance(maximized, bool) else default.window_maximized,
        )  # fmt: skip


@dataclass(frozen=True)
class CentralTls:
    """How this PC checks central's certificate: what every central client uses."""

    ca_bundle: str | None = None  # a CA bundle file; None: the system's CAs
    pins: tuple[str, ...] = ()  # SHA-256 of central's public key (hex or base64)


# ------------------------------------------------------------ the file and its schema


def _v1_to_v2(raw: Raw) -> Raw:
    """Version 2 adds central's TLS options (empty: the system's CAs, no pinning)."""
    return {**raw, "ca_bundle": raw.get("ca_bundle", ""), "pins": raw.get("pins", "")}


def _v2_to_v3(raw: Raw) -> Raw:
    """Version 3 drops ``central_url``: central's address is the enrolment's (in the
    database), and nothing ever sent to the address this setting held."""
    return {key: value for key, value in raw.items() if key != "central_url"}


UPGRADES: dict[int, Callable[[Raw], Raw]] = {1: _v1_to_v2, 2: _v2_to_v3}


def _upgrade(raw: Raw) -> Raw:
    """Apply the upgrade steps from the file's schema version to the current one."""
    version = raw.get("schema", 1)
    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        log.warning("settings file from a newer or unknown schema (%r); using defaults", version)
        return {}
    while version < SCHEMA_VERSION:
        raw = UPGRADES[version](raw)
        version += 1
    return {**raw, "schema": version}


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
    return DeskSettings.from_raw(_upgrade(raw))


def save_settings(data_dir: Path, settings: DeskSettings) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FILE_NAME
    tmp = path.with_suffix(".tmp")
    body = {"schema": SCHEMA_VERSION, **asdict(settings)}
    tmp.write_text(json.dumps(body, indent=1), encoding="utf-8")
    replace(tmp, path)  # retried on Windows while a scanner holds the file


# ------------------------------------------------------------ the store


def settings_problem(chosen: DeskSettings) -> ErrorCode | None:
    """The first value that cannot be saved (as a code the screens word), or None."""
    camera = chosen.camera.strip().lower()
    if camera and camera != SIMULATED_CAMERA and not camera.isdigit():
        return ErrorCode.SETTINGS_BAD_CAMERA
    if not IDLE_RANGE[0] <= chosen.idle_lock_minutes <= IDLE_RANGE[1]:
        return ErrorCode.SETTINGS_BAD_IDLE
    if chosen.ca_bundle and not Path(chosen.ca_bundle).is_file():
        return ErrorCode.SETTINGS_NO_CA_FILE
    if chosen.pins:
        from pser_desk.sync.transport import InsecureTransportError, parse_pins

        try:
            parse_pins(list(chosen.pin_list))
        except InsecureTransportError:
            return ErrorCode.SETTINGS_BAD_PIN
    return None


class SettingsStore:
    """The one way to read and change this PC's settings.

    Listeners (the sender) hear about every save: central's TLS options may have changed.
    """

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._listeners: list[Callable[[], None]] = []

    def add_listener(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def current(self) -> DeskSettings:
        return load_settings(self._data_dir)

    @staticmethod
    def problem(chosen: DeskSettings) -> ErrorCode | None:
        return settings_problem(chosen)

    def save(self, chosen: DeskSettings) -> DeskSettings:
        """Check *chosen* and keep it; :class:`DeskError` names the first bad value or a
        file that could not be written (nothing is kept then)."""
        problem = settings_problem(chosen)
        if problem is not None:
            raise DeskError(problem, f"the setting is not valid ({problem.value})")
        try:
            save_settings(self._data_dir, chosen)
        except OSError as exc:
            raise DeskError(
                ErrorCode.SETTINGS_NOT_SAVED, f"the settings were not saved ({exc.strerror})"
            ) from None
        for listener in self._listeners:
            listener()
        return chosen

    def remember_window(self, maximized: bool) -> DeskSettings:
        """Keep whether the main window was maximised (nothing that sends cares)."""
        chosen = dataclasses.replace(self.current(), window_maximized=maximized)
        try:
            save_settings(self._data_dir, chosen)
        except OSError as exc:
            raise DeskError(
                ErrorCode.SETTINGS_NOT_SAVED, f"the settings were not saved ({exc.strerror})"
            ) from None
        return chosen

    def central_tls(self) -> CentralTls:
        """Central's TLS options: the one reader for every client (window, sync, enroll)."""
        settings = self.current()
        return CentralTls(settings.ca_bundle or None, settings.pin_list)

    def remember_central_tls(self, tls: CentralTls) -> None:
        """Keep the TLS options an enrolment succeeded with (the CA bundle as an absolute
        path), so every later request uses them."""
        ca_bundle = str(Path(tls.ca_bundle).resolve()) if tls.ca_bundle else ""
        chosen = dataclasses.replace(self.current(), ca_bundle=ca_bundle, pins=" ".join(tls.pins))
        save_settings(self._data_dir, chosen)
        for listener in self._listeners:
            listener()


__all__ = [
    "FILE_NAME", "LANGUAGES", "PAPERS", "SCHEMA_VERSION", "SIMULATED_CAMERA", "CentralTls",
    "DeskSettings", "SettingsStore", "load_settings", "save_settings", "settings_problem",
]  # fmt: skip
