"""The PC's enrolment: who it is to central, and central's public keys."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from pser_desk.store import audit_log
from pser_desk.store.database import Store
from pser_desk.store.errors import StoreError
from pser_desk.store.models import DeviceRow


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


class NotEnrolled(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "this PC is not enrolled with central yet; a manager must run "
            "'pser-desk enroll --central URL --centre CODE --token TOKEN' first"
        )


class DeviceRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def save(self, identity: DeviceIdentity, *, actor: str | None = None) -> None:
        """Store (or replace, on re-enrolment) this PC's identity; audited."""
        with self._store.write() as session:
            row = session.get(DeviceRow, 1)
            if row is None:
                row = DeviceRow(id=1)
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

    def current(self) -> DeviceIdentity | None:
        with self._store.read() as session:
            row = session.get(DeviceRow, 1)
            return None if row is None else to_identity(row)

    def require(self) -> DeviceIdentity:
        identity = self.current()
        if identity is None:
            raise NotEnrolled()
        return identity


def to_identity(row: DeviceRow) -> DeviceIdentity:
    return DeviceIdentity(**{f.name: getattr(row, f.name) for f in fields(DeviceIdentity)})
