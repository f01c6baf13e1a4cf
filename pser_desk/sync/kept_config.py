"""Central's configuration as this PC last received it, kept signed in the data folder.

``<data dir>/central-config.json`` holds central's ``config`` object exactly as sent, its
signature and when it came. Reading it verifies the signature again with central's
signing key from enrolment, so a file edited by hand (say, to move a PC to the ``pilot``
channel) is ignored like a bad heartbeat answer: the defaults of section 10 apply.
Keys this version does not name (``channel``, read by the updater) stay available.

:func:`refresh` sends one heartbeat (section 10, true queue figures) when the kept copy
is missing or older than ``heartbeat_s``: the updater needs the channel and
``min_app_version`` before it checks.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pser_desk.domain.central_config import DEFAULT_CONFIG, CentralConfig
from pser_desk.security.form_signing import verify_canonical
from pser_desk.sync.heartbeat import Heartbeat, HeartbeatReply, QueueFigures

log = logging.getLogger(__name__)
FILE_NAME = "central-config.json"


@dataclass(frozen=True)
class KeptConfig:
    config: CentralConfig
    raw: Mapping[str, object]  # as central signed it (unknown keys included)
    received_at: datetime | None  # None: nothing kept, the defaults

    def fresh(self, now: datetime) -> bool:
        if self.received_at is None:
            return False
        return now - self.received_at < timedelta(seconds=self.config.heartbeat_s)


DEFAULTS = KeptConfig(DEFAULT_CONFIG, DEFAULT_CONFIG.to_json(), None)


def keep(data_dir: Path, reply: HeartbeatReply, received_at: datetime) -> None:
    if reply.signed is None:
        return
    config, signature = reply.signed
    body = {"config": config, "config_signature": signature, "received_at": received_at.isoformat()}
    path = data_dir / FILE_NAME
    tmp = path.with_name(f".{FILE_NAME}.tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def load(data_dir: Path, signing_key: bytes | None) -> KeptConfig:
    """The kept configuration if its signature verifies; the defaults otherwise."""
    try:
        body = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DEFAULTS
    except (OSError, ValueError):
        log.warning("the kept central configuration is unreadable; using the defaults")
        return DEFAULTS
    if not isinstance(body, dict) or signing_key is None:
        return DEFAULTS
    config, signature = body.get("config"), body.get("config_signature")
    if not isinstance(config, dict) or not verify_canonical(signing_key, config, signature):
        log.warning("the kept central configuration does not verify; using the defaults")
        return DEFAULTS
    try:
        received = datetime.fromisoformat(str(body.get("received_at")))
    except ValueError:
        received = None
    return KeptConfig(DEFAULT_CONFIG.apply(config).config, config, received)


def queue_figures(by_state: Mapping[str, int], oldest_unsent_at: datetime | None) -> QueueFigures:
    def n(state: str) -> int:
        return int(by_state.get(state, 0))

    return QueueFigures(
        draft=n("draft"), queued=n("queued"), sending=n("sending"), failed=n("failed"),
        needs_correction=n("needs_correction"), duplicate=n("duplicate"), rejected=n("rejected"),
        oldest_unsent_at=oldest_unsent_at,
    )  # fmt: skip


def heartbeat(
    app_version: str, figures: QueueFigures, data_dir: Path, offset_s: float
) -> Heartbeat:
    free = shutil.disk_usage(data_dir).free // (1024 * 1024)
    return Heartbeat(app_version=app_version, queue=figures, clock_offset_s=offset_s,
                     disk_free_mb=int(free))  # fmt: skip


def now() -> datetime:
    return datetime.now(UTC)
