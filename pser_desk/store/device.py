"""The PC's enrolment: who it is to central, and central's public keys."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pser_desk.store import audit_log
from pser_desk.store.database import Store
from pser_desk.store.errors import StoreError
from pser_desk.store.models import DeviceKeyRow, DeviceRow

MARKER = "identity/device-id"


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    device_id: str
    centre_code: str
    centre_name: str
    district: str
    tehsil: str
    central_url: str
    central_encryption_key: str  # b64u raw X25519 public key
    central_signing_key: str  # b64u raw Ed25519 public key
    enrolled_at: datetime
    device_name: str = ""


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A device's slip-signing key (public half) and when it was in use."""

    device_id: str
    public_key: str  # b64u raw Ed25519 public key
    enrolled_at: datetime
    retired_at: datetime | None


class NotEnrolled(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "this PC is not enrolled with central yet; a manager must run "
            "'pser-desk enroll --central URL --centre CODE --token TOKEN' first"
        )


class DeviceRepository:
    """Each PC's enrolment, one row per device.

    Several PCs of a centre may share one PostgreSQL database, so the database holds one
    row per device, and each PC knows which row is its own from a marker in its data folder
    (``identity/device-id``), written when it enrols. A database opened without a data
    folder, or a single-PC database enrolled before the marker existed, has one row: that
    row is this PC's.
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    def _marker(self) -> Path | None:
        folder = self._store.data_dir
        return None if folder is None else Path(folder) / MARKER

    def _local_device_id(self) -> str | None:
        marker = self._marker()
        if marker is None or not marker.is_file():
            return None
        return marker.read_text(encoding="ascii").strip() or None

    def save(
        self, identity: DeviceIdentity, *, actor: str | None = None,
        device_public_key: str | None = None, previous_public_key: str | None = None,
    ) -> None:  # fmt: skip
        """Store this PC's identity (a new row, or its own row on re-enrolment); audited.

        *device_public_key* (b64u) joins the history of this PC's signing keys, and the
        key it replaces (*previous_public_key*, for a PC enrolled before the history was
        kept) is marked retired, so slips printed before a re-enrolment still verify.
        """
        previous = self._local_device_id()
        with self._store.write() as session:
            old = previous or (
                current.device_id if (current := self._single_row(session)) else None
            )
            if old is not None and old != identity.device_id:
                self._retire(session, old, previous_public_key, identity.enrolled_at)
            if device_public_key:
                self._remember_key(session, identity.device_id, device_public_key,
                                   identity.enrolled_at)  # fmt: skip
            row = session.scalar(
                select(DeviceRow).where(DeviceRow.device_id == (previous or identity.device_id))
            )
            if row is None and previous is None and self._store.dialect == "sqlite":
                row = self._single_row(session)  # a PC's own file, enrolled before the marker
            if row is None:
                next_id = (session.scalar(select(func.max(DeviceRow.id))) or 0) + 1
                row = DeviceRow(id=next_id)
                session.add(row)
            for key, value in asdict(identity).items():
                setattr(row, key, value)
            audit_log.append(
                session,
                audit_log.Event.ENROLLED,
                at=identity.enrolled_at,
                actor=actor,
                subject=identity.device_id,
                detail={"centre": identity.centre_code},
            )
            self._write_marker(identity.device_id)

    def _write_marker(self, device_id: str) -> None:
        marker = self._marker()
        if marker is None:
            return
        marker.parent.mkdir(parents=True, exist_ok=True)
        tmp = marker.with_suffix(".tmp")
        tmp.write_text(device_id + "\n", encoding="ascii")
        os.replace(tmp, marker)

    @staticmethod
    def _retire(session: Session, device_id: str, public_key: str | None, at: datetime) -> None:
        row = session.get(DeviceKeyRow, device_id)
        if row is None and public_key:
            old = session.scalar(select(DeviceRow).where(DeviceRow.device_id == device_id))
            since = old.enrolled_at if old is not None else at
            row = DeviceKeyRow(device_id=device_id, public_key=public_key, enrolled_at=since)
            session.add(row)
        if row is not None and row.retired_at is None:
            row.retired_at = at

    @staticmethod
    def _remember_key(session: Session, device_id: str, public_key: str, at: datetime) -> None:
        row = session.get(DeviceKeyRow, device_id)
        if row is None:
            session.add(DeviceKeyRow(device_id=device_id, public_key=public_key, enrolled_at=at))
        else:
            row.public_key, row.retired_at = public_key, None

    def signing_keys(self) -> list[SigningKey]:
        """Every device signing key this database knows (public halves), oldest first."""
        with self._store.read() as session:
            rows = session.scalars(select(DeviceKeyRow).order_by(DeviceKeyRow.enrolled_at))
            return [SigningKey(r.device_id, r.public_key, r.enrolled_at, r.retired_at)
                    for r in rows]  # fmt: skip

    @staticmethod
    def _single_row(session: Session) -> DeviceRow | None:
        rows = session.scalars(select(DeviceRow).limit(2)).all()
        return rows[0] if len(rows) == 1 else None

    def current(self) -> DeviceIdentity | None:
        local = self._local_device_id()
        with self._store.read() as session:
            if local is not None:
                row = session.scalar(select(DeviceRow).where(DeviceRow.device_id == local))
            elif self._store.data_dir is None or self._store.dialect == "sqlite":
                row = self._single_row(session)
            else:  # a shared database, and this PC has not enrolled
                row = None
            return None if row is None else to_identity(row)

    def require(self) -> DeviceIdentity:
        identity = self.current()
        if identity is None:
            raise NotEnrolled()
        return identity


def to_identity(row: DeviceRow) -> DeviceIdentity:
    return DeviceIdentity(**{f.name: getattr(row, f.name) for f in fields(DeviceIdentity)})
