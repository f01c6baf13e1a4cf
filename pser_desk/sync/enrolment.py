"""Enrolling this PC with central (central-api.md section 2).

The device key is loaded, or made in memory when absent; it and the identity central
gives are written only after a ``201``: the key to its file (mode 0600, atomically), the
identity to the database, its one record. Before central is asked (which uses up the
one-time token), the data folder must show it can keep them: room on its disk and a test
file written (:func:`check_room`). A PC already enrolled (the database has its row) is
refused unless ``force=True``; a forced re-enrolment also makes a fresh device key, so a
key that may have leaked is retired with the old device id.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from pser_desk import __version__
from pser_desk.domain.text import one_line
from pser_desk.security.device import IDENTITY_DIR, DeviceKey, DeviceKeyError, key_path
from pser_desk.security.envelope import b64u_encode
from pser_desk.security.request_signing import format_ts
from pser_desk.store import DeviceIdentity, StoreService
from pser_desk.sync.client import CentralClient, CentralRejected, EnrolAnswer

ROOM_BYTES = 1 << 20  # free space enrolment asks for: the files are small, the store's journal not
PROBE_BYTES = 64 * 1024


class EnrolmentError(Exception):
    """Enrolment refused; the message is fit for a manager."""


class AlreadyEnrolled(EnrolmentError):
    pass


class TokenRejected(EnrolmentError):
    pass


class NoRoom(EnrolmentError):
    """The data folder cannot hold what enrolment writes (found before central is asked)."""


class EnrolmentInvalid(EnrolmentError):
    def __init__(self, message: str, details: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.details = details


@dataclass(frozen=True)
class EnrolmentResult:
    """Field names as :class:`pser_desk.store.device.DeviceIdentity` has them."""

    device_id: str
    centre_code: str
    centre_name: str
    district: str
    tehsil: str
    central_url: str
    central_encryption_key: str  # b64u raw X25519 public key
    central_signing_key: str  # b64u raw Ed25519 public key
    enrolled_at: str  # RFC 3339 UTC, central's server_time
    device_name: str = ""
    device_public_key: str = ""  # b64u raw Ed25519: the key this enrolment signs with

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def device_identity(result: EnrolmentResult) -> DeviceIdentity:
    """What the store keeps of an enrolment (central's keys, the centre code) for queuing."""
    return DeviceIdentity(
        device_id=result.device_id,
        centre_code=result.centre_code,
        centre_name=result.centre_name,
        district=result.district,
        tehsil=result.tehsil,
        central_url=result.central_url,
        central_encryption_key=result.central_encryption_key,
        central_signing_key=result.central_signing_key,
        enrolled_at=datetime.fromisoformat(result.enrolled_at.replace("Z", "+00:00")),
        device_name=result.device_name,
    )


def enroll_and_save(
    store: StoreService,
    data_dir: Path,
    central_url: str,
    centre_code: str,
    token: str,
    device_name: str,
    force: bool = False,
    *,
    client: CentralClient | None = None,
    actor: str | None = None,
) -> EnrolmentResult:
    """Enrol this PC and keep the answer in the database (its one record).

    Raises :class:`EnrolmentError` or ``CentralUnavailable``. *actor* is the manager who
    asked, for the audit log (None: the first run or the command line).
    """
    previous = store.device.current()
    if previous is not None and not force:
        raise AlreadyEnrolled("this PC is already enrolled; re-enrol only with --force")
    previous_public = _current_public_key(data_dir)
    key = (
        DeviceKey.generate()
        if force or not key_path(data_dir).exists()
        else DeviceKey.load(data_dir)
    )
    check_room(data_dir)  # a one-time token must not be used up on a PC that cannot keep it
    own_client = client is None
    client = client or CentralClient(central_url)
    try:
        answer = client.enroll(centre_code, token, key.public_raw(), device_name, __version__)
    except CentralRejected as exc:
        raise _rejection(exc) from None
    finally:
        if own_client:
            client.close()
    result = replace(_result(answer, client.base_url, device_name),
                     device_public_key=b64u_encode(key.public_raw()))  # fmt: skip
    key.save(data_dir)
    store.device.save(
        device_identity(result), actor=actor, device_public_key=result.device_public_key,
        replacing=previous.device_id if previous else None, previous_public_key=previous_public,
    )  # fmt: skip
    return result


def check_room(data_dir: Path) -> None:
    """Raise :class:`NoRoom` unless the data folder can take what enrolment writes (the
    key, the store's rows and journal): ROOM_BYTES free on its disk, and a file of
    PROBE_BYTES written, flushed to disk and removed in ``identity/``."""
    folder = Path(data_dir) / IDENTITY_DIR
    unused = "the enrolment token was not used"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(folder).free
        if free < ROOM_BYTES:
            raise NoRoom(f"the disk is full where the data folder is ({free // 1024} KiB free, "
                         f"enrolment needs {ROOM_BYTES // 1024} KiB): free some space and "
                         f"enrol again; {unused}")  # fmt: skip
        fd, name = tempfile.mkstemp(prefix=".room.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(bytes(PROBE_BYTES))
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            Path(name).unlink(missing_ok=True)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise NoRoom(f"the disk is full where the data folder is: free some space and "
                         f"enrol again; {unused}") from None  # fmt: skip
        reason = exc.strerror or exc.__class__.__name__
        raise NoRoom(f"cannot write in the data folder's identity folder ({reason}): check "
                     f"that the disk is not read-only; {unused}") from None  # fmt: skip


def _current_public_key(data_dir: Path) -> str | None:
    """The public half of the key this PC signs with now (kept when a re-enrolment
    replaces it, so the slips it signed still verify)."""
    try:
        return b64u_encode(DeviceKey.load(data_dir).public_raw())
    except DeviceKeyError:
        return None


def _rejection(exc: CentralRejected) -> EnrolmentError:
    if exc.code == "invalid_token":
        return TokenRejected(
            "central refused the enrolment token (unknown, expired or already used)"
        )
    fields = ", ".join(sorted({d.get("field", "?") for d in exc.details if isinstance(d, dict)}))
    return EnrolmentInvalid(
        f"central refused the enrolment request ({fields or exc.code})", exc.details
    )


def _result(answer: EnrolAnswer, central_url: str, device_name: str) -> EnrolmentResult:
    centre = answer.centre
    return EnrolmentResult(
        device_id=answer.device_id,
        centre_code=one_line(centre["code"]),
        centre_name=one_line(centre["name"]),
        district=one_line(centre["district"]),
        tehsil=one_line(centre["tehsil"]),
        central_url=central_url,
        central_encryption_key=b64u_encode(answer.central_encryption_key),
        central_signing_key=b64u_encode(answer.central_signing_key),
        enrolled_at=answer.server_time or format_ts(datetime.now(UTC)),
        device_name=device_name,
    )
