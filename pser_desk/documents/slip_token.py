"""The slip token: a compact, signed proof printed as the slip's QR code.

``PSER1.<payload>.<signature>``, both parts base32 (upper case, no padding) so that the
whole token fits QR's dense alphanumeric mode and can be typed from the slip by hand.

Payload (fixed binary layout, version 1, big-endian)::

    16 bytes  submission_id (UUID)
     4 bytes  issued_at, Unix seconds
     2 bytes  CNIC tag (see below)
     1+n      receipt_no, ASCII, length-prefixed
     1+n      device_id, ASCII, length-prefixed (empty before enrolment)

Signature: Ed25519 by the PC's device key over ``b"pser-desk/slip/v1\\0" + payload``.

Version 2 (``PSER2.``, signed over ``b"pser-desk/slip/v2\\0" + payload``) also signs what
the slip prints for the citizen, so a doctored slip around a genuine QR is found::

    16 bytes  submission_id, 4 bytes issued_at, 2 bytes CNIC tag (as version 1)
     4 bytes  printed_at: the date and time the slip prints (the record's queuing), Unix s
     2 bytes  member count
     1+n      the masked CNIC as printed (``35202-XXXXXXX-1``), ASCII, length-prefixed
     1+n      receipt_no, 1+n device_id (as version 1)

The CNIC tag binds a slip to the card the citizen shows without printing the number:
``HMAC-SHA256(key=b"pser-desk/slip-cnic/v1" + submission_id, msg=13 digits)``, first
2 bytes. A 13-digit CNIC is a small space (and the slip already shows 6 of its digits),
so any hash long enough to be unique would give the number back to whoever holds
the slip. Sixteen bits leave about 150 numbers that fit a slip's masked CNIC (the number
cannot be recovered), while a different card passes the check only once in 65,536
tries; the signature stops a forger from choosing the tag. docs/slips.md has the detail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pser_desk.domain.cnic import parse_cnic

PREFIX = "PSER1"
PREFIX_V2 = "PSER2"
PREFIXES = (PREFIX, PREFIX_V2)
SIGN_CONTEXT = b"pser-desk/slip/v1\x00"
SIGN_CONTEXT_V2 = b"pser-desk/slip/v2\x00"
CNIC_TAG_CONTEXT = b"pser-desk/slip-cnic/v1"
CNIC_TAG_BYTES = 2
SIGNATURE_BYTES = 64
PUBLIC_KEY_BYTES = 32
_HEAD = struct.Struct(">16sI2s")
_PRINTED = struct.Struct(">IH")
MAX_TOKEN_CHARS = 400


class Signer(Protocol):
    """An Ed25519 private key, or anything that signs like one (``DeviceKey``)."""

    def sign(self, data: bytes) -> bytes: ...


KeyLookup = Callable[[str], bytes | None]  # device_id -> raw public key


@dataclass(frozen=True, slots=True)
class SlipClaims:
    receipt_no: str
    submission_id: str
    issued_at: datetime  # aware, UTC, whole seconds
    device_id: str
    cnic_tag: bytes
    # Version 2: what the slip prints (None in a version 1 token).
    printed_at: datetime | None = None
    member_count: int | None = None
    cnic_masked: str | None = None

    @property
    def version(self) -> int:
        return 1 if self.printed_at is None else 2

    def matches_cnic(self, cnic_text: str) -> bool:
        """True when the card the citizen shows fits this slip (1 in 65,536 false matches)."""
        parsed = parse_cnic(cnic_text)
        if parsed.cnic is None:
            return False
        expected = cnic_tag(self.submission_id, parsed.cnic.digits)
        return hmac.compare_digest(expected, self.cnic_tag)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "receipt_no": self.receipt_no,
            "submission_id": self.submission_id,
            "issued_at": self.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "device_id": self.device_id,
        }
        if self.printed_at is not None:
            out["printed_at"] = self.printed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            out["member_count"] = self.member_count
            out["cnic_masked"] = self.cnic_masked
        return out


@dataclass(frozen=True, slots=True)
class Verified:
    claims: SlipClaims
    genuine: bool = True


@dataclass(frozen=True, slots=True)
class Forged:
    reason: str  # a code: malformed, unknown_device, bad_signature
    claims: SlipClaims | None = None  # what the token says, when it could be read
    genuine: bool = False


Verdict = Verified | Forged


class TokenFormatError(ValueError):
    """Text that is not a slip token."""


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    padded = text.upper() + "=" * (-len(text) % 8)
    try:
        data = base64.b32decode(padded)
    except (ValueError, TypeError):
        raise TokenFormatError("not base32") from None
    if _b32(data) != text.upper():  # unused trailing bits set: not the encoding we write
        raise TokenFormatError("not canonical base32")
    return data


def cnic_tag(submission_id: str, cnic_digits: str) -> bytes:
    key = CNIC_TAG_CONTEXT + uuid.UUID(submission_id).bytes
    return hmac.new(key, cnic_digits.encode("ascii"), hashlib.sha256).digest()[:CNIC_TAG_BYTES]


def _short_ascii(value: str, what: str) -> bytes:
    data = value.encode("ascii")
    if len(data) > 255:
        raise ValueError(f"{what} is too long for a slip token")
    return bytes([len(data)]) + data


def encode_payload(claims: SlipClaims) -> bytes:
    seconds = int(claims.issued_at.timestamp())
    head = _HEAD.pack(uuid.UUID(claims.submission_id).bytes, seconds, claims.cnic_tag)
    if claims.printed_at is not None:
        head += _PRINTED.pack(int(claims.printed_at.timestamp()), claims.member_count or 0)
        head += _short_ascii(claims.cnic_masked or "", "cnic_masked")
    return (
        head
        + _short_ascii(claims.receipt_no, "receipt_no")
        + _short_ascii(claims.device_id, "device_id")
    )


def _read_short(data: bytes, pos: int) -> tuple[str, int]:
    if pos >= len(data):
        raise TokenFormatError("payload truncated")
    end = pos + 1 + data[pos]
    if end > len(data):
        raise TokenFormatError("payload truncated")
    try:
        return data[pos + 1 : end].decode("ascii"), end
    except UnicodeDecodeError:
        raise TokenFormatError("payload text is not ASCII") from None


def decode_payload(data: bytes, version: int = 1) -> SlipClaims:
    if len(data) < _HEAD.size + (_PRINTED.size if version == 2 else 0):
        raise TokenFormatError("payload truncated")
    sid, seconds, tag = _HEAD.unpack_from(data)
    pos = _HEAD.size
    printed_at = members = masked = None
    if version == 2:
        printed, members = _PRINTED.unpack_from(data, pos)
        printed_at = datetime.fromtimestamp(printed, UTC)
        masked, pos = _read_short(data, pos + _PRINTED.size)
    receipt_no, pos = _read_short(data, pos)
    device_id, pos = _read_short(data, pos)
    if pos != len(data):
        raise TokenFormatError("payload has trailing bytes")
    issued = datetime.fromtimestamp(seconds, UTC)
    return SlipClaims(receipt_no, str(uuid.UUID(bytes=sid)), issued, device_id, tag,
                      printed_at, members, masked)  # fmt: skip


def issue_token(
    signer: Signer,
    *,
    receipt_no: str,
    submission_id: str,
    cnic_digits: str,
    issued_at: datetime,
    device_id: str = "",
    printed_at: datetime | None = None,
    member_count: int | None = None,
    cnic_masked: str | None = None,
) -> str:
    """Sign a slip token for a record (``cnic_digits``: the head's 13 digits).

    Given what the slip prints (*printed_at*, *member_count*, *cnic_masked*), the token is
    version 2 and signs those too.
    """
    v2 = printed_at is not None
    claims = SlipClaims(
        receipt_no=receipt_no,
        submission_id=str(uuid.UUID(submission_id)),
        issued_at=issued_at.astimezone(UTC).replace(microsecond=0),
        device_id=device_id,
        cnic_tag=cnic_tag(submission_id, cnic_digits),
        printed_at=printed_at.astimezone(UTC).replace(microsecond=0) if printed_at else None,
        member_count=member_count if v2 else None,
        cnic_masked=cnic_masked if v2 else None,
    )
    payload = encode_payload(claims)
    context, prefix = (SIGN_CONTEXT_V2, PREFIX_V2) if v2 else (SIGN_CONTEXT, PREFIX)
    signature = signer.sign(context + payload)
    return f"{prefix}.{_b32(payload)}.{_b32(signature)}"


def split_token(token: str) -> tuple[bytes, bytes]:
    """(payload, signature) of a token; raises :class:`TokenFormatError`."""
    payload, signature, _version = split_versioned(token)
    return payload, signature


def split_versioned(token: str) -> tuple[bytes, bytes, int]:
    """(payload, signature, version) of a token; raises :class:`TokenFormatError`."""
    text = "".join(token.split())
    if len(text) > MAX_TOKEN_CHARS:
        raise TokenFormatError("too long for a slip token")
    parts = text.split(".")
    if len(parts) != 3 or parts[0].upper() not in PREFIXES:
        raise TokenFormatError(
            f"a slip token starts with {PREFIX}. or {PREFIX_V2}. and has three parts"
        )
    payload, signature = _unb32(parts[1]), _unb32(parts[2])
    if len(signature) != SIGNATURE_BYTES:
        raise TokenFormatError("the signature has the wrong length")
    return payload, signature, 2 if parts[0].upper() == PREFIX_V2 else 1


def looks_like_token(text: str) -> bool:
    head = text.strip().upper()
    return any(head.startswith(prefix + ".") for prefix in PREFIXES)


def _public_key(
    key: bytes | Ed25519PublicKey | KeyLookup, device_id: str
) -> Ed25519PublicKey | None:
    if isinstance(key, Ed25519PublicKey):
        return key
    raw = key(device_id) if callable(key) else key
    if raw is None or len(raw) != PUBLIC_KEY_BYTES:
        return None
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_token(token: str, key: bytes | Ed25519PublicKey | KeyLookup) -> Verdict:
    """Check a token against a device's public key (raw bytes, key object or lookup)."""
    try:
        payload, signature, version = split_versioned(token)
        claims = decode_payload(payload, version)
    except TokenFormatError:
        return Forged("malformed")
    public = _public_key(key, claims.device_id)
    if public is None:
        return Forged("unknown_device", claims)
    try:
        public.verify(signature, (SIGN_CONTEXT_V2 if version == 2 else SIGN_CONTEXT) + payload)
    except InvalidSignature:
        return Forged("bad_signature", claims)
    return Verified(claims)
