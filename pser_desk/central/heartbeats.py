"""``POST /devices/heartbeat`` (central-api.md section 10): check, store, answer.

The body is checked against section 10's shape as a closed schema: every key present,
no other key at any level, strict types. Nothing in a heartbeat may identify a person,
and a closed schema is the way to be sure nothing does: an extra field is a ``422``.
Central keeps the latest heartbeat of each device (``central fleet`` reads them) and
answers with its configuration, signed (:mod:`pser_desk.central.config`).
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING

from pser_desk.central.checks import Problem, is_rfc3339_utc, problem
from pser_desk.central.protocol import Response, json_response, validation_error

if TYPE_CHECKING:
    from pser_desk.central.db import DeviceRow
    from pser_desk.central.protocol import Request
    from pser_desk.central.service import CentralService

QUEUE_COUNTS = (
    "draft", "queued", "sending", "failed", "needs_correction", "duplicate", "rejected",
    "acknowledged_today",
)  # fmt: skip
QUEUE_KEYS = (*QUEUE_COUNTS, "oldest_unsent_at")
PERIPHERALS = ("printer", "camera")
PERIPHERAL_STATES = ("ok", "none", "error")
TOP_KEYS = (
    "app_version", "form_versions", "sent_at", "queue", "last_success_at", "clock_offset_s",
    "disk_free_mb", "peripherals",
)  # fmt: skip
MAX_FORM_VERSIONS = 50
MAX_COUNT = 10**9
MAX_OFFSET_S = 10 * 365 * 86400
_VERSION_RE = re.compile(r"^[0-9A-Za-z.+\-]{1,32}$")


def _closed(obj: dict[str, object], keys: tuple[str, ...], prefix: str) -> list[Problem]:
    found = [problem(prefix + key, "unknown field") for key in sorted(set(obj) - set(keys))]
    found += [problem(prefix + key, "required") for key in keys if key not in obj]
    return found


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _time_or_null(value: object) -> bool:
    return value is None or is_rfc3339_utc(value)


def _version(value: object) -> bool:
    return isinstance(value, str) and _VERSION_RE.match(value) is not None


def _form_versions(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_FORM_VERSIONS
        and all(_version(item) for item in value)
    )


def _offset(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= MAX_OFFSET_S
    )


_TOP_CHECKS = {
    "app_version": (_version, "must be a version (1 to 32 of 0-9 A-Z a-z . + -)"),
    "form_versions": (_form_versions, f"must be a list of at most {MAX_FORM_VERSIONS} versions"),
    "sent_at": (is_rfc3339_utc, "must be an RFC 3339 UTC time"),
    "last_success_at": (_time_or_null, "must be null or an RFC 3339 UTC time"),
    "clock_offset_s": (_offset, "must be a number of seconds"),
    "disk_free_mb": (_count, "must be a whole number of megabytes, 0 or more"),
}


def check_heartbeat(body: object) -> list[Problem]:
    if not isinstance(body, dict):
        return [problem("", "the body must be a JSON object")]
    found = _closed(body, TOP_KEYS, "")
    for key, (ok, message) in _TOP_CHECKS.items():
        if key in body and not ok(body[key]):
            found.append(problem(key, message))
    if "queue" in body:
        found += _check_queue(body["queue"])
    if "peripherals" in body:
        found += _check_peripherals(body["peripherals"])
    return found


def _check_queue(queue: object) -> list[Problem]:
    if not isinstance(queue, dict):
        return [problem("queue", "must be an object")]
    found = _closed(queue, QUEUE_KEYS, "queue.")
    found += [
        problem(f"queue.{key}", "must be a whole number, 0 or more")
        for key in QUEUE_COUNTS
        if key in queue and not _count(queue[key])
    ]
    if "oldest_unsent_at" in queue and not _time_or_null(queue["oldest_unsent_at"]):
        found.append(problem("queue.oldest_unsent_at", "must be null or an RFC 3339 UTC time"))
    return found


def _check_peripherals(peripherals: object) -> list[Problem]:
    if not isinstance(peripherals, dict):
        return [problem("peripherals", "must be an object")]
    found = _closed(peripherals, PERIPHERALS, "peripherals.")
    found += [
        problem(f"peripherals.{key}", "must be ok, none or error")
        for key in PERIPHERALS
        if key in peripherals and peripherals[key] not in PERIPHERAL_STATES
    ]
    return found


def receive(service: CentralService, request: Request, device: DeviceRow) -> Response:
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        body = None
    problems = check_heartbeat(body)
    if problems:
        return validation_error(problems)
    now = service.now_ts()
    stored = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    service.db.save_heartbeat(device.device_id, now, stored)
    config, signature = service.config.signed(device.centre_code)
    return json_response(200, {"server_time": now, "config": config, "config_signature": signature})
