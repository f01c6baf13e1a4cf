"""Central's signatures over JSON values: form definitions (central-api.md section 7) and
the PCs' configuration (section 10).

Central signs the canonical JSON of the value (sorted keys, no spaces, UTF-8, non-ASCII
kept as is) with its Ed25519 signing key; the client verifies before use.
"""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pser_desk.security.device import verify_ed25519
from pser_desk.security.envelope import b64u_decode, b64u_encode


def canonical_json(value: object) -> bytes:
    """Sorted keys, no whitespace, UTF-8 with non-ASCII characters written literally."""
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def sign_canonical(private: Ed25519PrivateKey, value: object) -> str:
    """The b64u signature of *value*'s canonical JSON."""
    return b64u_encode(private.sign(canonical_json(value)))


def verify_canonical(public_raw: bytes, value: object, signature_b64u: object) -> bool:
    """True when *signature_b64u* is central's signature of *value*'s canonical JSON."""
    if not isinstance(signature_b64u, str):
        return False
    try:
        sig = b64u_decode(signature_b64u)
        message = canonical_json(value)
    except (ValueError, TypeError):
        return False
    return verify_ed25519(public_raw, message, sig)
