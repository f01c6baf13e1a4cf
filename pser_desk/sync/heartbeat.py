"""The heartbeat a PC sends and central's signed configuration (central-api.md section 10).

:class:`Heartbeat` is section 10's body, typed (nothing in it identifies a person);
:func:`read_reply` checks central's answer: ``config`` is applied only when
``config_signature`` verifies with the central signing key from enrolment
(:func:`pser_desk.security.form_signing.verify_canonical`, the verifier of signed form
definitions), and then only its valid values (:meth:`CentralConfig.apply`: an
out-of-range value keeps the previous one, unknown keys are ignored).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime

from pser_desk.domain.central_config import CentralConfig
from pser_desk.security.form_signing import verify_canonical
from pser_desk.security.request_signing import format_ts
from pser_desk.sync.verdicts import parse_utc

log = logging.getLogger(__name__)


class Peripheral(enum.StrEnum):
    OK = "ok"
    NONE = "none"  # not configured or not found
    ERROR = "error"


@dataclass(frozen=True)
class QueueFigures:
    draft: int = 0
    queued: int = 0
    sending: int = 0
    failed: int = 0
    needs_correction: int = 0
    duplicate: int = 0
    rejected: int = 0
    acknowledged_today: int = 0
    oldest_unsent_at: datetime | None = None

    def to_json(self) -> dict[str, object]:
        figures: dict[str, object] = asdict(self)
        figures["oldest_unsent_at"] = _ts(self.oldest_unsent_at)
        return figures


@dataclass(frozen=True)
class Heartbeat:
    """Section 10's body; ``sent_at`` None means "now" by the client's corrected clock."""

    app_version: str
    form_versions: tuple[str, ...] = ()
    queue: QueueFigures = field(default_factory=QueueFigures)
    last_success_at: datetime | None = None
    clock_offset_s: float = 0.0
    disk_free_mb: int = 0
    printer: Peripheral = Peripheral.NONE
    camera: Peripheral = Peripheral.NONE
    sent_at: datetime | None = None

    def to_json(self, now: datetime) -> dict[str, object]:
        return {
            "app_version": self.app_version,
            "form_versions": list(self.form_versions),
            "sent_at": format_ts(self.sent_at or now),
            "queue": self.queue.to_json(),
            "last_success_at": _ts(self.last_success_at),
            "clock_offset_s": round(float(self.clock_offset_s), 3),
            "disk_free_mb": int(self.disk_free_mb),
            "peripherals": {"printer": self.printer.value, "camera": self.camera.value},
        }


class ConfigVerdict(enum.StrEnum):
    APPLIED = "applied"  # the signature verified; valid values taken
    BAD_SIGNATURE = "bad_signature"  # nothing taken: the previous configuration stays


@dataclass(frozen=True)
class HeartbeatReply:
    server_time: datetime
    config: CentralConfig  # the configuration in force after this reply
    outcome: ConfigVerdict
    ignored: tuple[str, ...] = ()  # known keys whose value was refused (previous kept)
    # Central's signed configuration as sent (when it verified), to keep on the PC: keys
    # this version does not read (``channel``) stay readable, signed, by later code.
    signed: tuple[dict[str, object], str] | None = None

    @property
    def verified(self) -> bool:
        return self.outcome is ConfigVerdict.APPLIED


class NotTheContract(ValueError):
    """A 200 heartbeat answer without a valid server_time, config object or signature."""


def read_reply(body: object, signing_key: bytes, current: CentralConfig) -> HeartbeatReply:
    """Central's ``200`` answer read against *current*, the configuration in force."""
    if not isinstance(body, dict):
        raise NotTheContract("the heartbeat answer is not a JSON object")
    server_time = parse_utc(body.get("server_time"))
    config, signature = body.get("config"), body.get("config_signature")
    if server_time is None or not isinstance(config, dict) or not isinstance(signature, str):
        raise NotTheContract("the heartbeat answer lacks server_time, config or its signature")
    if not verify_canonical(signing_key, config, signature):
        log.warning("central's configuration was ignored: its signature does not verify")
        return HeartbeatReply(server_time, current, ConfigVerdict.BAD_SIGNATURE)
    update = current.apply(config)
    if update.ignored:
        log.warning(
            "central's configuration: kept the previous %s (out of range or mistyped)",
            ", ".join(update.ignored),
        )
    return HeartbeatReply(
        server_time, update.config, ConfigVerdict.APPLIED, update.ignored, (config, signature)
    )


def _ts(moment: datetime | None) -> str | None:
    return None if moment is None else format_ts(moment)
