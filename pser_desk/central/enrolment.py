"""``POST /devices/enroll`` and enrolment tokens (central-api.md section 2).

A token is single-use; a token issued for a centre (``central token new --centre``)
enrols only that centre; tokens given with ``--tokens`` enrol any centre and never
expire. Unknown, used, expired or other-centre tokens all get ``401 invalid_token``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from pser_desk.central.centres import Centre, default_centre
from pser_desk.central.checks import check_enrolment, problem
from pser_desk.security.envelope import b64u_decode, b64u_encode
from pser_desk.security.request_signing import format_ts

if TYPE_CHECKING:
    from pser_desk.central.service import CentralService

TOKEN_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, object]


def new_token(service: CentralService, centre_code: str | None, ttl_hours: float | None) -> str:
    chars = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(12))
    token = f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"
    now = service.clock()
    expires = None if ttl_hours is None else format_ts(now + timedelta(hours=ttl_hours))
    service.db.add_token(token, centre_code, format_ts(now), expires)
    return token


def find_centre(service: CentralService, code: str) -> Centre | None:
    row = service.db.centre(code)
    return Centre(*row) if row is not None else default_centre(code)


def _validation(details: list[dict[str, str]]) -> Outcome:
    return Outcome(422, {"error": "validation", "details": details})


@dataclass(frozen=True)
class EnrolRequest:
    """The body of ``POST /devices/enroll`` once :func:`check_enrolment` passed it."""

    centre_code: str
    token: str
    public_key: str  # b64u
    device_name: str
    app_version: str


def _request(body: object) -> EnrolRequest | None:
    if check_enrolment(body) or not isinstance(body, dict):
        return None
    return EnrolRequest(
        str(body["centre_code"]), str(body["enrollment_token"]), str(body["device_public_key"]),
        str(body["device_name"]), str(body["app_version"]),
    )  # fmt: skip


def enrol(service: CentralService, body: object) -> Outcome:
    request = _request(body)
    if request is None:
        return _validation(check_enrolment(body))
    try:
        public_key = b64u_decode(request.public_key)
    except ValueError:
        public_key = b""
    if len(public_key) != 32:
        return _validation(
            [problem("device_public_key", "must be the b64u of a raw 32-byte Ed25519 key")]
        )
    centre = find_centre(service, request.centre_code)
    if centre is None:
        return _validation([problem("centre_code", "no such centre")])
    device_id = _consume_token(service, request, public_key)
    if device_id is None:
        return Outcome(401, {"error": "invalid_token"})
    return Outcome(
        201,
        {
            "device_id": device_id,
            "centre": centre.as_json(),
            "central_encryption_key": b64u_encode(service.keys.encryption_public_raw),
            "central_signing_key": b64u_encode(service.keys.signing_public_raw),
            "server_time": service.now_ts(),
        },
    )


def _consume_token(service: CentralService, request: EnrolRequest, public_key: bytes) -> str | None:
    """Use the token and create the device in one transaction; None if the token is not good."""
    now = service.now_ts()
    with service.db.transaction() as conn:
        row = conn.execute(
            "SELECT centre_code, expires_at, used_at FROM tokens WHERE token=?",
            (request.token,),
        ).fetchone()
        if row is None or row[2] is not None or (row[1] is not None and row[1] <= now):
            return None
        if row[0] is not None and row[0] != request.centre_code:
            return None
        device_id = "dev_" + secrets.token_hex(12)
        conn.execute(
            "UPDATE tokens SET used_at=?, device_id=? WHERE token=?",
            (now, device_id, request.token),
        )
        conn.execute(
            "INSERT INTO devices (device_id, public_key, centre_code, name, app_version, enrolled_at) "
            "VALUES (?,?,?,?,?,?)",
            (
                device_id, public_key, request.centre_code, request.device_name,
                request.app_version, now,
            ),
        )  # fmt: skip
    return device_id
