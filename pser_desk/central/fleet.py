"""The fleet as central sees it: every enrolled PC and its latest heartbeat (section 10).

A heartbeat holds no personal data (its schema is closed: ``heartbeats.py``), so the
fleet view may be printed, mailed and kept. A PC is ``late`` when central has not heard
from it for three heartbeat periods of the configuration in force (or never).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from pser_desk.central.db import CentralDB, Row, SqlValue, text, text_or_none
from pser_desk.domain.central_config import DEFAULT_CONFIG
from pser_desk.security.request_signing import format_ts, parse_ts

LATE_PERIODS = 3


def fleet(
    db: CentralDB, now: datetime, config: Mapping[str, object], centre: str | None = None
) -> dict[str, object]:
    """``{"server_time", "heartbeat_s", "devices": [...]}``, devices by centre, then id."""
    rows = db.query(
        "SELECT d.device_id, d.centre_code, d.name, d.app_version, d.enrolled_at, d.revoked_at, "
        "h.received_at, h.body FROM devices d LEFT JOIN heartbeats h USING (device_id) "
        "WHERE ? IS NULL OR d.centre_code = ? ORDER BY d.centre_code, d.device_id",
        (centre, centre),
    )
    minimum = DEFAULT_CONFIG.apply(config).config
    heartbeat_s = minimum.heartbeat_s
    devices = []
    for row in rows:
        device = _device(row, now, LATE_PERIODS * heartbeat_s)
        device["update_required"] = minimum.update_required(str(device["app_version"]))
        devices.append(device)
    return {"server_time": format_ts(now), "heartbeat_s": heartbeat_s, "devices": devices}


def _beat(body: SqlValue) -> dict[str, object]:
    try:
        beat = json.loads(text(body)) if body else {}
    except (ValueError, TypeError):
        return {}
    return beat if isinstance(beat, dict) else {}


def _device(row: Row, now: datetime, late_after_s: float) -> dict[str, object]:
    device_id, centre, name, enrolled_version, enrolled_at, revoked_at, seen, body = row
    seen_at = text_or_none(seen)
    beat = _beat(body)
    age = None if seen_at is None else int((now - parse_ts(seen_at)).total_seconds())
    queue = beat.get("queue")
    return {
        "device_id": device_id,
        "centre_code": centre,
        "device_name": name,
        "enrolled_at": enrolled_at,
        "revoked": revoked_at is not None,
        "last_heartbeat_at": seen_at,
        "seconds_since_heartbeat": age,
        "late": revoked_at is None and (age is None or age > late_after_s),
        "app_version": beat.get("app_version", enrolled_version),
        "form_versions": beat.get("form_versions"),
        "queue": queue,
        "oldest_unsent_at": queue.get("oldest_unsent_at") if isinstance(queue, dict) else None,
        "last_success_at": beat.get("last_success_at"),
        "clock_offset_s": beat.get("clock_offset_s"),
        "disk_free_mb": beat.get("disk_free_mb"),
        "peripherals": beat.get("peripherals"),
        "sent_at": beat.get("sent_at"),
    }


COLUMNS = (
    ("DEVICE", 28), ("CENTRE", 9), ("VERSION", 8), ("LAST HEARTBEAT", 21), ("UNSENT", 6),
    ("FAILED", 6), ("OLDEST UNSENT", 21), ("OFFSET S", 8), ("", 0),
)  # fmt: skip


def _count(queue: Mapping[str, object], key: str) -> int:
    value = queue.get(key, 0)
    return value if isinstance(value, int) else 0


def _device_line(device: Mapping[str, object]) -> str:
    queue = device["queue"] if isinstance(device["queue"], dict) else {}
    unsent = _count(queue, "queued") + _count(queue, "sending") if queue else "-"
    offset = device["clock_offset_s"]
    flags = [
        flag
        for flag, on in (
            ("LATE", device["late"]),
            ("REVOKED", device["revoked"]),
            ("UPDATE REQUIRED", device["update_required"]),
        )
        if on
    ]
    return _line(
        [
            str(device["device_id"]),
            str(device["centre_code"]),
            str(device["app_version"]),
            str(device["last_heartbeat_at"] or "never"),
            str(unsent),
            str(queue.get("failed", "-")),
            str(device["oldest_unsent_at"] or "-"),
            f"{offset:+.1f}" if isinstance(offset, int | float) else "-",
            " ".join(flags),
        ]
    )


def table(view: Mapping[str, object]) -> str:
    """The fleet as a plain-text table, one PC a line."""
    lines = [_line([name for name, _ in COLUMNS])]
    devices = view["devices"]
    rows = [d for d in devices if isinstance(d, dict)] if isinstance(devices, list) else []
    lines.extend(_device_line(device) for device in rows)
    if not rows:
        lines.append("(no PC is enrolled)")
    return "\n".join(lines) + "\n"


def _line(cells: list[str]) -> str:
    return "  ".join(cell.ljust(width) for cell, (_, width) in zip(cells, COLUMNS)).rstrip()
