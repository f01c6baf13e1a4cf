"""Request signing, central-api.md section 3.

``Authorization: PSER-Ed25519 device_id="dev_...",ts="2026-11-24T09:15:02Z",sig="<b64u>"``
where ``sig`` signs ``METHOD \\n PATH \\n ts \\n hex(sha256(body))`` (PATH with the base
path and the query string, body the exact bytes sent, empty for GET).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from pser_desk.security.device import DeviceKey, verify_ed25519
from pser_desk.security.envelope import b64u_decode, b64u_encode

SCHEME = "PSER-Ed25519"
MAX_SKEW_SECONDS = 300
TS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_HEADER_RE = re.compile(
    r'^PSER-Ed25519 device_id="(?P<device_id>[A-Za-z0-9_\-]{1,64})",'
    r'ts="(?P<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)",'
    r'sig="(?P<sig>[A-Za-z0-9_\-]{1,128})"$'
)


class AuthHeaderError(ValueError):
    """An Authorization header that is not of the contract's form."""


@dataclass(frozen=True, slots=True)
class SignedAuth:
    device_id: str
    ts: str
    sig: bytes


def format_ts(moment: datetime) -> str:
    """RFC 3339 UTC to the second, as the contract writes times."""
    return moment.astimezone(UTC).strftime(TS_FORMAT)


def parse_ts(text: str) -> datetime:
    """Inverse of :func:`format_ts`; raises ``ValueError`` on anything else."""
    return datetime.strptime(text, TS_FORMAT).replace(tzinfo=UTC)


def canonical_string(method: str, path_with_query: str, ts: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path_with_query}\n{ts}\n{digest}".encode()


def authorization_header(device_id: str, ts: str, sig: bytes) -> str:
    return f'{SCHEME} device_id="{device_id}",ts="{ts}",sig="{b64u_encode(sig)}"'


def parse_authorization(header: str | None) -> SignedAuth:
    """Split an Authorization header; raises :class:`AuthHeaderError` if malformed."""
    match = _HEADER_RE.match(header or "")
    if match is None:
        raise AuthHeaderError("not a PSER-Ed25519 authorization header")
    try:
        sig = b64u_decode(match["sig"])
        parse_ts(match["ts"])
    except ValueError as exc:
        raise AuthHeaderError("malformed signature or timestamp") from exc
    return SignedAuth(device_id=match["device_id"], ts=match["ts"], sig=sig)


def sign_request(
    key: DeviceKey, device_id: str, method: str, path_with_query: str, body: bytes, ts: str
) -> str:
    """The Authorization header value for one request."""
    sig = key.sign(canonical_string(method, path_with_query, ts, body))
    return authorization_header(device_id, ts, sig)


def verify_request(
    public_raw: bytes, auth: SignedAuth, method: str, path_with_query: str, body: bytes
) -> bool:
    return verify_ed25519(
        public_raw, canonical_string(method, path_with_query, auth.ts, body), auth.sig
    )


def skew_seconds(ts: str, now: datetime) -> float:
    """How far *ts* is from *now*, in seconds (absolute)."""
    return abs((parse_ts(ts) - now).total_seconds())


def within_skew(ts: str, now: datetime, limit: float = MAX_SKEW_SECONDS) -> bool:
    return skew_seconds(ts, now) <= limit
