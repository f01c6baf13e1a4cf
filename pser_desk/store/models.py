"""The schema, as SQLAlchemy 2.x declarative models (migrations in ``migrations/``).

Personal data is only ever in ``records.sealed_local`` (sealed to the installation key)
and ``records.central_body`` (sealed for central inside the POST body). Every other
column is non-personal metadata kept in clear for reports and the queue.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both SQLite (stored naive UTC) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError("expected a datetime from the database")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OperatorRow(Base):
    __tablename__ = "operators"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InstallationKeyRow(Base):
    __tablename__ = "installation_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # one row per device (PC)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KeyWrapRow(Base):
    __tablename__ = "key_wraps"

    operator_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True
    )
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    params: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DeviceRow(Base):
    __tablename__ = "device_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # one row per device (PC)
    device_id: Mapped[str] = mapped_column(String(100))
    device_name: Mapped[str] = mapped_column(String(200), default="")
    centre_code: Mapped[str] = mapped_column(String(16))
    centre_name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(100))
    tehsil: Mapped[str] = mapped_column(String(100))
    central_url: Mapped[str] = mapped_column(String(500))
    central_encryption_key: Mapped[str] = mapped_column(String(100))
    central_signing_key: Mapped[str] = mapped_column(String(100))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RecordRow(Base):
    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_state_next", "state", "next_attempt_at"),
        Index("ix_records_created_at", "created_at"),
        Index("ix_records_operator_created", "operator_id", "created_at"),
    )

    submission_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(20))
    operator_id: Mapped[str] = mapped_column(String(64), ForeignKey("operators.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    receipt_no: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)
    sealed_local: Mapped[bytes] = mapped_column(LargeBinary)
    central_body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    tracking_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    member_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The sender lease a ``sending`` record was claimed under (store/lease.py).
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Returned by central (422): its problems, whole, as a JSON array of {field, message}.
    corrections: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Central's verdict (central-api.md 6): received | verified | rejected, and why.
    verdict: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    status_checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Retention (central-api.md 10): when the personal data of a verified household went.
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # A manager dealt with this rejected household (and who).
    dismissed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    dismissed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The rejected household this registration was started from, if any.
    redo_of: Mapped[str | None] = mapped_column(String(36), nullable=True)


class CentralConfigRow(Base):
    """Per PC: central's configuration in force (canonical JSON, taken only from a reply
    whose signature verified, with that signature) and the last heartbeat central answered."""

    __tablename__ = "central_config"

    device_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    config: Mapped[str | None] = mapped_column(Text, nullable=True)
    signature: Mapped[str | None] = mapped_column(String(200), nullable=True)
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SenderLeaseRow(Base):
    """Who sends this queue now: one row per queue; times are the database's own clock
    (epoch seconds), so PCs whose clocks differ never compare their own."""

    __tablename__ = "sender_lease"

    queue: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    host: Mapped[str | None] = mapped_column(String(200), nullable=True)
    since: Mapped[float | None] = mapped_column(Float, nullable=True)
    expires: Mapped[float | None] = mapped_column(Float, nullable=True)


class DeviceKeyRow(Base):
    """A device signing key this PC (or another of the centre) used: the public half only."""

    __tablename__ = "device_keys"

    device_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(100))  # b64u raw Ed25519 public key
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ReceiptSequenceRow(Base):
    __tablename__ = "receipt_sequences"

    centre_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)  # YYYYMMDD
    last: Mapped[int] = mapped_column(Integer)


class AuditRow(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    subject: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """One row: the chain's last (seq, hash); locked to append, catches a cut tail."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # one row per device (PC)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class FormDefinitionRow(Base):
    """A form definition fetched from central: kept as verified, never changed or deleted.

    ``definition`` is the canonical JSON central signed (``signature``), so the PC can
    check it again at any time. Records name the version they started under.
    """

    __tablename__ = "form_definitions"

    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    published_at: Mapped[str] = mapped_column(String(40))  # central's RFC 3339 text
    definition: Mapped[str] = mapped_column(Text)  # canonical JSON (the signed bytes)
    signature: Mapped[str] = mapped_column(String(200))  # b64u Ed25519 by central
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime)


# The outbox claims due records oldest first (``ORDER BY queued_at, submission_id``): this
# index lets the claim walk the queue in order instead of sorting every queued row (with
# 100,000 queued, 106 ms -> 0.1 ms per claim on SQLite; bench/sync_bench.py).
Index("ix_records_state_queued", RecordRow.state, RecordRow.queued_at, RecordRow.submission_id)
# Verdict questions walk acknowledged records not yet final, least recently asked first.
Index(
    "ix_records_state_verdict_checked",
    RecordRow.state, RecordRow.verdict, RecordRow.status_checked_at, RecordRow.acknowledged_at,
)  # fmt: skip


class CnicIndexRow(Base):
    """A keyed digest of a CNIC or B-Form number of a saved household (the duplicate check
    at the desk); never the number itself (``security/cnic_digest.py``)."""

    __tablename__ = "cnic_index"
    __table_args__ = (Index("ix_cnic_index_submission", "submission_id"),)

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    submission_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("records.submission_id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(8))  # "head" or "member"
