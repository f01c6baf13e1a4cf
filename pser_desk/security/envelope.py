"""Sealed envelopes: central-api.md section 5, used for central and for what the PC keeps.

``X25519-HKDF-SHA256-A256GCM``: a fresh ephemeral X25519 key per seal, HKDF-SHA256 over
the shared secret with ``salt = epk || recipient_public`` and a fixed ``info``, then
AES-256-GCM with the caller's associated data (the submission id for central). Sealing
needs only the recipient's public key, so the PC can seal without any secret.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ALG = "X25519-HKDF-SHA256-A256GCM"
SUBMISSION_INFO = b"pser-desk/submission/v1"
NONCE_BYTES = 12
KEY_BYTES = 32


class EnvelopeError(Exception):
    """An envelope that is malformed, for another key, or altered."""


def b64u_encode(data: bytes) -> str:
    """Base64url without padding (central-api.md: "b64u")."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    """Inverse of :func:`b64u_encode`; raises ``ValueError`` on anything else."""
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url text")
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii"))
    except (ValueError, TypeError) as exc:
        raise ValueError("not base64url text") from exc


def raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


@dataclass(frozen=True, slots=True)
class Envelope:
    epk: bytes
    nonce: bytes
    ct: bytes  # ciphertext || 16-byte GCM tag
    alg: str = ALG

    def as_json(self) -> dict[str, str]:
        return {
            "alg": self.alg,
            "epk": b64u_encode(self.epk),
            "nonce": b64u_encode(self.nonce),
            "ct": b64u_encode(self.ct),
        }

    @classmethod
    def from_json(cls, data: object) -> Envelope:
        """Build from the JSON object; raises :class:`EnvelopeError` on any malformation."""
        if not isinstance(data, dict):
            raise EnvelopeError("envelope is not an object")
        if data.get("alg") != ALG:
            raise EnvelopeError("unknown envelope algorithm")
        try:
            epk = b64u_decode(data["epk"])
            nonce = b64u_decode(data["nonce"])
            ct = b64u_decode(data["ct"])
        except (KeyError, ValueError) as exc:
            raise EnvelopeError("envelope field missing or not base64url") from exc
        if len(epk) != KEY_BYTES or len(nonce) != NONCE_BYTES or len(ct) < 16:
            raise EnvelopeError("envelope field has the wrong length")
        return cls(epk=epk, nonce=nonce, ct=ct)

    def to_bytes(self) -> bytes:
        """Compact JSON bytes, for storing an envelope as one value."""
        return json.dumps(self.as_json(), separators=(",", ":")).encode("ascii")

    @classmethod
    def from_bytes(cls, data: bytes) -> Envelope:
        try:
            return cls.from_json(json.loads(data))
        except (ValueError, UnicodeDecodeError) as exc:
            raise EnvelopeError("envelope is not JSON") from exc


def _derive_key(shared: bytes, epk_raw: bytes, recipient_raw: bytes, info: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=epk_raw + recipient_raw, info=info
    )
    return hkdf.derive(shared)


def seal(
    plaintext: bytes,
    recipient: X25519PublicKey | bytes,
    aad: bytes,
    info: bytes = SUBMISSION_INFO,
) -> Envelope:
    """Seal *plaintext* to *recipient* (a key or its raw 32 bytes) with associated data *aad*."""
    if isinstance(recipient, bytes):
        recipient = X25519PublicKey.from_public_bytes(recipient)
    esk = X25519PrivateKey.generate()
    epk_raw = raw_public(esk.public_key())
    key = _derive_key(esk.exchange(recipient), epk_raw, raw_public(recipient), info)
    nonce = os.urandom(NONCE_BYTES)
    return Envelope(epk=epk_raw, nonce=nonce, ct=AESGCM(key).encrypt(nonce, plaintext, aad))


def open_envelope(
    envelope: Envelope,
    recipient: X25519PrivateKey,
    aad: bytes,
    info: bytes = SUBMISSION_INFO,
) -> bytes:
    """Open an envelope sealed to *recipient*; raises :class:`EnvelopeError` if it cannot."""
    try:
        epk = X25519PublicKey.from_public_bytes(envelope.epk)
        shared = recipient.exchange(epk)
    except ValueError as exc:
        raise EnvelopeError("bad ephemeral key") from exc
    key = _derive_key(shared, envelope.epk, raw_public(recipient.public_key()), info)
    try:
        return AESGCM(key).decrypt(envelope.nonce, envelope.ct, aad)
    except InvalidTag as exc:
        raise EnvelopeError("envelope does not open with this key and data") from exc
