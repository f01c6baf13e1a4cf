"""The PC's enrolment: who it is to central, and central's public keys."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pser_desk.domain.enrolment import DeviceIdentity, SigningKey
from pser_desk.store import audit_log
from pser_desk.store.database import Store
from pser_desk.store.errors import StoreError
from pser_desk.store.models import DeviceKeyRow, DeviceRow

# What PCs enrolled before the key history kept in their data folder (adopt_legacy).
LEGACY_MARKER = "identity/device-id"
LEGACY_IDENTITY = "identity/device.json"


class NotEnrolled(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "this PC is not enrolled with central yet; a manager must run "
            "'pser-desk enroll --central URL --centre CODE --token TOKEN' first"
        )


class DeviceRepository:
    """Each PC's enrolment, one row per device, with the history of its signing keys.

    The database is the one record of an enrolment. Several PCs of a centre may share one
    PostgreSQL database: a PC's row is the one whose current (not retired) signing key is
    the public half of the device key in the PC's data folder. A database opened without
    a data folder (tools, tests), or a PC's own SQLite file, with one row: that row.

    A PC enrolled before the key history was kept has an ``identity/device-id`` marker
    instead: :meth:`adopt_legacy` records its key once and removes the marker (and the
    ``identity/device.json`` copy of the enrolment older versions wrote).
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    # ------------------------------------------------------------ which row is mine

    def _local_public_key(self) -> str | None:
        """b64u of this PC's device key (None without a data folder or a key yet)."""
        from pser_desk.security.device import DeviceKey, DeviceKeyError, key_path
        from pser_desk.security.envelope import b64u_encode

        folder = self._store.data_dir
        if folder is None or not key_path(folder).exists():
            return None
        try:
            return b64u_encode(DeviceKey.load(folder).public_raw())
        except DeviceKeyError:
            return None

    def _legacy_file(self, name: str) -> Path | None:
        folder = self._store.data_dir
        return None if folder is None else Path(folder) / name

    def _legacy_device_id(self) -> str | None:
        marker = self._legacy_file(LEGACY_MARKER)
        if marker is None or not marker.is_file():
            return None
        try:
            return marker.read_text(encoding="ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def _own_row(self, session: Session) -> DeviceRow | None:
        public = self._local_public_key()
        if public is not None:
            row = session.scalar(
                select(DeviceRow)
                .join(DeviceKeyRow, DeviceKeyRow.device_id == DeviceRow.device_id)
                .where(DeviceKeyRow.public_key == public, DeviceKeyRow.retired_at.is_(None))
            )
            if row is not None:
                return row
        legacy = self._legacy_device_id()
        if legacy is not None:
            return session.scalar(select(DeviceRow).where(DeviceRow.device_id == legacy))
        if self._store.data_dir is None or self._store.dialect == "sqlite":
            return self._single_row(session)
        return None  # a shared database, and this PC has not enrolled

    def current(self) -> DeviceIdentity | None:
        with self._store.read() as session:
            row = self._own_row(session)
            return None if row is None else to_identity(row)

    def require(self) -> DeviceIdentity:
        identity = self.current()
        if identity is None:
            raise NotEnrolled()
        return identity

    # ------------------------------------------------------------ writing

    def save(
        self, identity: DeviceIdentity, *, actor: str | None = None,
        device_public_key: str | None = None, replacing: str | None = None,
        previous_public_key: str | None = None,
    ) -> None:  # fmt: skip
        """Store this PC's identity (a new row, or its own row on re-enrolment); audited.

        *device_public_key* (b64u; default: this PC's device key) is how this PC finds its
        row from now on, and joins the history of signing keys. *replacing* is the device
        id of this PC's row before a re-enrolment (found before the new key was written);
        its key (*previous_public_key* for a PC enrolled before the history was kept) is
        retired, so slips printed before still verify.
        """
        public = device_public_key or self._local_public_key()
        with self._store.write() as session:
            old = replacing or (row.device_id if (row := self._own_row(session)) else None)
            if old is not None and old != identity.device_id:
                self._retire(session, old, previous_public_key, identity.enrolled_at)
            if public:
                self._remember_key(session, identity.device_id, public, identity.enrolled_at)
            target = session.scalar(
                select(DeviceRow).where(DeviceRow.device_id == (old or identity.device_id))
            )
            if target is None:
                next_id = (session.scalar(select(func.max(DeviceRow.id))) or 0) + 1
                target = DeviceRow(id=next_id)
                session.add(target)
            for key, value in asdict(identity).items():
                setattr(target, key, value)
            audit_log.append(
                session,
                audit_log.Event.ENROLLED,
                at=identity.enrolled_at,
                actor=actor,
                subject=identity.device_id,
                detail={"centre": identity.centre_code},
            )
        self._forget_legacy_files()

    def relocate(self, device_id: str, central_url: str, *, at: datetime) -> None:
        """Central answers at another address (the demo's embedded central, started on
        another port): the enrolment's one record says so; audited."""
        with self._store.write() as session:
            row = session.scalar(select(DeviceRow).where(DeviceRow.device_id == device_id))
            if row is None:
                raise NotEnrolled()
            row.central_url = central_url
            audit_log.append(session, audit_log.Event.CENTRAL_MOVED, at=at, subject=device_id)

    def adopt_legacy(self) -> bool:
        """A PC enrolled before the key history: its row (named by the old marker, or its
        own SQLite file's one row) gets this PC's key, and the old files go. True if so."""
        legacy = [self._legacy_file(n) for n in (LEGACY_MARKER, LEGACY_IDENTITY)]
        if not any(path is not None and path.exists() for path in legacy):
            return False
        public = self._local_public_key()
        if public is None:
            return False
        with self._store.write() as session:
            if session.scalar(select(DeviceKeyRow).where(DeviceKeyRow.public_key == public)):
                adopted = False
            else:
                row = self._own_row(session)
                if row is None:
                    return False
                self._remember_key(session, row.device_id, public, row.enrolled_at)
                adopted = True
        self._forget_legacy_files()
        return adopted

    def _forget_legacy_files(self) -> None:
        for name in (LEGACY_MARKER, LEGACY_IDENTITY):
            path = self._legacy_file(name)
            if path is not None:
                path.unlink(missing_ok=True)

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


def to_identity(row: DeviceRow) -> DeviceIdentity:
    return DeviceIdentity(**{f.name: getattr(row, f.name) for f in fields(DeviceIdentity)})
