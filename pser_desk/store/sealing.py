"""What the store seals: the local copy (installation key) and the POST body for central."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pser_desk.security.envelope import b64u_decode, seal
from pser_desk.security.vault import seal_at_rest

_last_id = (0, 0)  # (milliseconds, counter) of the last id this process made
_id_lock = threading.Lock()


def new_submission_id() -> str:
    """A UUIDv7 (time-ordered, so new records sit together in the primary-key index).

    Ids made one after the other by this process sort in the order they were made, within
    one millisecond too (RFC 9562, method 1: a 12-bit counter in ``rand_a``, the rest
    random), and so do the households queued under them: the outbox sends records queued
    at one instant in id order, and a household queued first must go first."""
    global _last_id
    with _id_lock:
        millis = time.time_ns() // 1_000_000
        last_millis, counter = _last_id
        if millis <= last_millis:  # the same millisecond, or the clock stepped back
            millis, counter = last_millis, counter + 1
            if counter > 0xFFF:  # 4,096 ids in one millisecond: borrow the next one
                millis, counter = last_millis + 1, 0
        else:
            counter = 0
        _last_id = (millis, counter)
    raw = bytearray(millis.to_bytes(6, "big") + counter.to_bytes(2, "big") + os.urandom(8))
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(raw)))


def canonical_submission_id(text: object) -> str | None:
    """*text* as the one spelling a submission id is stored and sent under (lower-case,
    hyphenated), or None when it is not a UUID written the usual way."""
    if not isinstance(text, str) or len(text) != 36:
        return None
    try:
        parsed = str(uuid.UUID(text))
    except ValueError:
        return None
    return parsed if parsed == text.lower() else None


def is_submission_id(text: object) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


def record_plaintext(record: Mapping[str, Any]) -> bytes:
    """The record's UTF-8 JSON (section 5), as sealed for central and for the PC."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class BodyHeader:
    """The non-personal fields of POST /submissions (central-api.md section 4)."""

    submission_id: str
    receipt_no: str
    form_id: str
    form_version: str
    centre_code: str
    operator_id: str
    captured_at: datetime


def central_body(header: BodyHeader, plaintext: bytes, central_key_b64u: str) -> bytes:
    """The exact bytes to POST (stored, so that every retry resends the same body)."""
    aad = header.submission_id.encode("ascii")
    envelope = seal(plaintext, b64u_decode(central_key_b64u), aad)
    body = {
        "submission_id": header.submission_id,
        "receipt_no": header.receipt_no,
        "form_id": header.form_id,
        "form_version": header.form_version,
        "centre_code": header.centre_code,
        "operator_id": header.operator_id,
        "captured_at": rfc3339(header.captured_at),
        "envelope": envelope.as_json(),
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode("utf-8")


def seal_local(record: Mapping[str, Any], public_key: bytes, submission_id: str) -> bytes:
    return seal_at_rest(record_plaintext(record), public_key, submission_id)
