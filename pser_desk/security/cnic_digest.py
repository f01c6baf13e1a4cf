"""Keyed digests of CNIC and B-Form numbers: find a number again without keeping it.

The duplicate check at the desk asks "is this CNIC already in another household on this
PC (or the centre's database)?" without storing any CNIC in clear: the store keeps
``HMAC-SHA256(key, 13 digits)``. The key is derived (HKDF-SHA256) from the installation's
X25519 private key, which exists on disk only wrapped by each operator's password
(``security/vault.py``): a signed-in operator can compute digests, a stolen database
cannot (13 digits are few enough to try them all; an unkeyed hash would not protect
them). PCs sharing a PostgreSQL database share the installation key, hence the digests.
No new secret needs wrapping.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pser_desk.security.envelope import raw_private

INFO = b"pser-desk/cnic-index/v1"
KEY_BYTES = 32


class CnicDigester:
    """Turns a normalised 13-digit number into its keyed digest (64 hex characters)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("the index key has 32 bytes")
        self._key = key

    @classmethod
    def for_installation(cls, installation_key: X25519PrivateKey) -> CnicDigester:
        derived = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=INFO)
        return cls(derived.derive(raw_private(installation_key)))

    def digest(self, cnic_digits: str) -> str:
        if len(cnic_digits) != 13 or not cnic_digits.isdigit():
            raise ValueError("a CNIC digest is made of exactly 13 digits")
        return hmac.new(self._key, cnic_digits.encode("ascii"), hashlib.sha256).hexdigest()
