"""The installation's X25519 key pair: what the PC keeps is sealed to it.

The public half sits in clear in the database, so saving a draft needs no secret. The
private half is wrapped once per operator: AES-256-GCM under a key derived from that
operator's password by scrypt (its own salt and parameters stored with the wrap). It is
unwrapped only in memory, for a logged-in operator; a stolen PC without a password
reveals nothing. Sealing uses the envelope of central-api.md section 5 with its own
``info`` and the record's submission id as associated data, so an envelope moved to
another record does not open.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pser_desk.security.envelope import (
    Envelope,
    EnvelopeError,
    open_envelope,
    raw_private,
    raw_public,
    seal,
)
from pser_desk.security.passwords import DEFAULT_PARAMS, ScryptParams

AT_REST_INFO = b"pser-desk/at-rest/v1"
WRAP_AAD = b"pser-desk/key-wrap/v1"
SALT_BYTES = 16
NONCE_BYTES = 12


class VaultError(Exception):
    """A wrapped key or sealed value that does not open (wrong password, altered data)."""


@dataclass(frozen=True, slots=True)
class KeyWrap:
    """The installation private key, wrapped for one operator's password."""

    salt: bytes
    nonce: bytes
    wrapped: bytes
    params: ScryptParams

    def params_text(self) -> str:
        return f"{self.params.n},{self.params.r},{self.params.p}"

    @staticmethod
    def parse_params(text: str) -> ScryptParams:
        n, r, p = (int(part) for part in text.split(","))
        return ScryptParams(n, r, p)


def generate_installation_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def public_bytes(key: X25519PrivateKey) -> bytes:
    return raw_public(key.public_key())


def wrap_key(
    key: X25519PrivateKey, password: str, params: ScryptParams = DEFAULT_PARAMS
) -> KeyWrap:
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    kek = params.derive(password, salt)
    wrapped = AESGCM(kek).encrypt(nonce, raw_private(key), WRAP_AAD)
    return KeyWrap(salt=salt, nonce=nonce, wrapped=wrapped, params=params)


def unwrap_key(wrap: KeyWrap, password: str) -> X25519PrivateKey:
    kek = wrap.params.derive(password, wrap.salt)
    try:
        raw = AESGCM(kek).decrypt(wrap.nonce, wrap.wrapped, WRAP_AAD)
    except InvalidTag:
        raise VaultError("the key does not open with this password") from None
    return X25519PrivateKey.from_private_bytes(raw)


def seal_at_rest(plaintext: bytes, public_key: bytes, submission_id: str) -> bytes:
    """Seal *plaintext* to the installation key; the bytes of the envelope's JSON."""
    envelope = seal(plaintext, public_key, submission_id.encode("ascii"), info=AT_REST_INFO)
    return envelope.to_bytes()


def open_at_rest(sealed: bytes, key: X25519PrivateKey, submission_id: str) -> bytes:
    try:
        envelope = Envelope.from_bytes(sealed)
        return open_envelope(envelope, key, submission_id.encode("ascii"), info=AT_REST_INFO)
    except EnvelopeError as exc:
        raise VaultError("a sealed record does not open with the installation key") from exc
