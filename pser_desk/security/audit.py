"""The audit log's hash chain: each entry's hash covers the previous hash and the entry.

``hash = sha256(prev_hash_hex + canonical_json(entry))``; the first entry's previous hash is
:data:`GENESIS`. :func:`verify_chain` walks entries in sequence order and reports the
first broken link: an edited row (its hash no longer matches), a deleted row (a gap in the
sequence or a previous hash that points elsewhere), a reordered row. Entries hold ids,
receipt numbers and event types only: never a name, CNIC or phone number.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str  # RFC 3339 UTC
    event: str
    actor: str | None = None
    subject: str | None = None
    detail: Mapping[str, object] = field(default_factory=dict)

    def canonical(self) -> str:
        body = {
            "seq": self.seq,
            "at": self.at,
            "event": self.event,
            "actor": self.actor,
            "subject": self.subject,
            "detail": self.detail,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def chain_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + entry.canonical()).encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredEntry:
    entry: AuditEntry
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    entries: int
    broken_seq: int | None = None
    reason: str | None = None


def _check(expected_seq: int, prev: str, stored: StoredEntry) -> str | None:
    if stored.entry.seq != expected_seq:
        return f"entry {expected_seq} is missing (next is {stored.entry.seq})"
    if stored.prev_hash != prev:
        return "its previous-hash does not match the entry before it"
    if chain_hash(prev, stored.entry) != stored.hash:
        return "its content does not match its hash (edited)"
    return None


def verify_chain(
    entries: Iterable[StoredEntry], head: tuple[int, str] | None = None
) -> ChainReport:
    """Check *entries* (sequence order); *head* is the recorded (last seq, last hash)."""
    prev, expected, count = GENESIS, 1, 0
    for stored in entries:
        reason = _check(expected, prev, stored)
        if reason is not None:
            return ChainReport(False, count, expected, reason)
        prev, expected, count = stored.hash, expected + 1, count + 1
    if head is not None and head != (count, prev) and not (head[0] == 0 and count == 0):
        return ChainReport(False, count, count + 1, "entries at the end were deleted")
    return ChainReport(True, count)
