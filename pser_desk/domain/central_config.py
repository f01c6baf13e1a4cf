"""Central's configuration of the PCs (central-api.md section 10), and its range rules.

The PC starts with :data:`DEFAULT_CONFIG` and takes central's ``config`` only once its
signature verifies (``pser_desk.sync.heartbeat``). Then :meth:`CentralConfig.apply`
keeps every value that is out of range or of the wrong type at its previous value and
ignores unknown keys. The reference central checks its own configuration file with the
same rules (:func:`config_problems`), so the two can never disagree on a range.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

INT_RANGES: dict[str, tuple[int, int]] = {
    "heartbeat_s": (60, 86400),
    "status_poll_s": (60, 86400),
    "retention_days": (1, 365),
}
KNOWN_KEYS = (*INT_RANGES, "min_app_version", "message")
MESSAGE_LIMIT = 500  # characters per language
_VERSION_RE = re.compile(r"^\d{1,6}(?:\.\d{1,6}){0,3}$")
_LEADING_NUMBERS_RE = re.compile(r"^\d+(?:\.\d+)*")


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice from the district office shown on the dashboard, in English and Urdu."""

    en: str
    ur: str


@dataclass(frozen=True, slots=True)
class CentralConfig:
    heartbeat_s: int = 900
    status_poll_s: int = 900
    retention_days: int = 30
    min_app_version: str = "0.1.0"
    message: Notice | None = None

    def apply(self, raw: Mapping[str, object]) -> ConfigUpdate:
        """This configuration with *raw*'s valid values taken; the rest keep theirs."""
        ignored = tuple(k for k in KNOWN_KEYS if k in raw and not _read(k, raw[k]))
        taken = {k: raw[k] for k in KNOWN_KEYS if k in raw and k not in ignored}

        def number(key: str, current: int) -> int:
            value = taken.get(key, current)
            return value if isinstance(value, int) else current

        version = taken.get("min_app_version", self.min_app_version)
        message = _notice(taken["message"]) if "message" in taken else self.message
        config = CentralConfig(
            number("heartbeat_s", self.heartbeat_s),
            number("status_poll_s", self.status_poll_s),
            number("retention_days", self.retention_days),
            version if isinstance(version, str) else self.min_app_version,
            message,
        )
        return ConfigUpdate(config, ignored)

    def to_json(self) -> dict[str, object]:
        message = None if self.message is None else {"en": self.message.en, "ur": self.message.ur}
        return {
            "heartbeat_s": self.heartbeat_s,
            "status_poll_s": self.status_poll_s,
            "retention_days": self.retention_days,
            "min_app_version": self.min_app_version,
            "message": message,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> CentralConfig:
        """A configuration stored by :meth:`to_json` (bad values fall back to the defaults)."""
        return DEFAULT_CONFIG.apply(raw).config

    def update_required(self, app_version: str) -> bool:
        """True when *app_version* is older than ``min_app_version`` (numeric parts compared)."""
        return version_numbers(app_version) < version_numbers(self.min_app_version)


@dataclass(frozen=True, slots=True)
class ConfigUpdate:
    config: CentralConfig
    ignored: tuple[str, ...]  # known keys whose value was refused (the previous one kept)


DEFAULT_CONFIG = CentralConfig()


def version_numbers(version: str) -> tuple[int, ...]:
    """``"0.2.10rc1"`` -> ``(0, 2, 10, 0)``: the leading dotted numbers, padded to 4."""
    match = _LEADING_NUMBERS_RE.match(version.strip())
    numbers = [int(part) for part in match.group(0).split(".")] if match else []
    return tuple(numbers + [0] * max(0, 4 - len(numbers)))


def config_problems(raw: Mapping[str, object]) -> list[str]:
    """What is wrong with the known keys of *raw* (central refuses such a configuration)."""
    problems = []
    for key in KNOWN_KEYS:
        if key in raw and not _read(key, raw[key]):
            problems.append(f"{key}: {_EXPECTED[key]}")
    return problems


_EXPECTED = {
    "heartbeat_s": "a whole number of seconds from 60 to 86400",
    "status_poll_s": "a whole number of seconds from 60 to 86400",
    "retention_days": "a whole number of days from 1 to 365",
    "min_app_version": "a version of dotted numbers such as 0.2.0",
    "message": f'null or {{"en": "...", "ur": "..."}}, each 1 to {MESSAGE_LIMIT} characters',
}


def _read(key: str, value: object) -> bool:
    """Whether *value* is one *key* may take."""
    if key in INT_RANGES:
        low, high = INT_RANGES[key]
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if key == "min_app_version":
        return isinstance(value, str) and _VERSION_RE.match(value) is not None
    return value is None or _notice(value) is not None


def _notice(value: object) -> Notice | None:
    if not isinstance(value, Mapping):
        return None
    en, ur = value.get("en"), value.get("ur")
    if not (_notice_text(en) and _notice_text(ur)):
        return None
    return Notice(str(en), str(ur))


def _notice_text(text: object) -> bool:
    return isinstance(text, str) and len(text.strip()) > 0 and len(text) <= MESSAGE_LIMIT
