"""The audit log in the database: append (under a lock on the chain head) and verify.

Events are ids, receipt numbers and event types only. A detail value that looks like a
CNIC or phone number (a long run of digits) is refused, as a last guard against
personal data slipping into the log.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pser_desk.security.audit import AuditEntry, ChainReport, StoredEntry, chain_hash, verify_chain
from pser_desk.store.models import AuditHeadRow, AuditRow

DetailValue = str | int | bool | None
_PERSONAL_LOOKING = re.compile(r"\d{10,}|(?<!\d)(\d{5}[- ]\d{7}[- ]\d|\d{4}[- ]\d{7})(?!\d)")


class Event(enum.StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    OPERATOR_ADDED = "operator_added"
    OPERATOR_DISABLED = "operator_disabled"
    OPERATOR_RESET = "operator_reset"
    RECORD_CREATED = "record_created"
    RECORD_QUEUED = "record_queued"
    RECORD_CORRECTED = "record_corrected"
    RECORD_SENT = "record_sent"
    RECORD_ACKNOWLEDGED = "record_acknowledged"
    RECORD_NEEDS_CORRECTION = "record_needs_correction"
    RECORD_DUPLICATE = "record_duplicate"
    RECORD_FAILED = "record_failed"
    RECORD_REQUEUED = "record_requeued"
    SLIP_PRINTED = "slip_printed"
    SLIP_REPRINTED = "slip_reprinted"
    ENROLLED = "enrolled"
    CENTRAL_MOVED = "central_moved"
    SETTING_CHANGED = "setting_changed"
    BACKUP_RESTORED = "backup_restored"
    INSTALLATION_KEY = "installation_key"
    UPDATE_REFUSED = "update_refused"
    UPDATE_DOWNLOADED = "update_downloaded"
    UPDATE_INSTALLED = "update_installed"
    UPDATE_FAILED = "update_failed"
    RECORD_VERIFIED = "record_verified"
    RECORD_REJECTED = "record_rejected"
    RECORD_DISMISSED = "record_dismissed"
    RECORD_PURGED = "record_purged"
    CONFIG_APPLIED = "config_applied"
    CONFIG_REFUSED = "config_refused"


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_detail(detail: Mapping[str, DetailValue]) -> dict[str, DetailValue]:
    clean: dict[str, DetailValue] = {}
    for key, value in detail.items():
        if isinstance(value, str) and _PERSONAL_LOOKING.search(value):
            raise ValueError(f"audit detail {key!r} looks like personal data")
        clean[key] = value
    return clean


def append(
    session: Session,
    event: Event | str,
    *,
    at: datetime,
    actor: str | None = None,
    subject: str | None = None,
    detail: Mapping[str, DetailValue] | None = None,
) -> int:
    """Append one entry in *session*'s transaction; returns its sequence number."""
    head = session.get(AuditHeadRow, 1, with_for_update=True)
    if head is None:
        raise RuntimeError("audit_head row missing: the schema was not migrated")
    entry = AuditEntry(
        seq=head.last_seq + 1,
        at=format_time(at),
        event=str(event),
        actor=actor,
        subject=subject,
        detail=check_detail(detail or {}),
    )
    digest = chain_hash(head.last_hash, entry)
    session.add(
        AuditRow(
            seq=entry.seq,
            at=entry.at,
            event=entry.event,
            actor=actor,
            subject=subject,
            detail=json.dumps(entry.detail, sort_keys=True, separators=(",", ":")),
            prev_hash=head.last_hash,
            hash=digest,
        )
    )
    head.last_seq, head.last_hash = entry.seq, digest
    return entry.seq


def _stored(row: AuditRow) -> StoredEntry:
    try:
        detail = json.loads(row.detail)
    except ValueError:
        detail = {"unparseable": row.detail}
    entry = AuditEntry(row.seq, row.at, row.event, row.actor, row.subject, detail)
    return StoredEntry(entry, row.prev_hash, row.hash)


def _rows(session: Session) -> Iterator[StoredEntry]:
    result = session.execute(
        select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=2000)
    )
    for row in result.scalars():
        yield _stored(row)


def verify(session: Session) -> ChainReport:
    head = session.get(AuditHeadRow, 1)
    recorded = (head.last_seq, head.last_hash) if head is not None else None
    return verify_chain(_rows(session), recorded)


def entries(session: Session, limit: int = 100) -> list[AuditEntry]:
    rows = session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit))
    return [_stored(row).entry for row in rows]


def latest_detail(session: Session, event: Event | str, key: str) -> DetailValue:
    """The *key* of the newest entry of *event* (None when there is none)."""
    row = session.scalar(
        select(AuditRow).where(AuditRow.event == str(event)).order_by(AuditRow.seq.desc()).limit(1)
    )
    if row is None:
        return None
    try:
        value = json.loads(row.detail).get(key)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str | int | bool) else None
