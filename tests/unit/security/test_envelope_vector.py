"""central-api.md section 5 rebuilt step by step with a fixed ephemeral key and nonce.

The helper below follows the page, not ``pser_desk.security.envelope``; central's
``open_envelope`` must open what it makes, and what ``seal`` makes, and refuse any change.
"""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pser_desk.security.envelope import (
    Envelope,
    EnvelopeError,
    b64u_encode,
    open_envelope,
    raw_public,
    seal,
)

ESK = bytes(range(1, 33))
CENTRAL = bytes(range(101, 133))
NONCE = bytes(range(200, 212))
SID = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
PLAINTEXT = json.dumps({"submission_id": SID, "head": {"cnic": "3520212345671"}}).encode()


def seal_per_the_page(
    plaintext: bytes, central_pub: bytes, aad: bytes, esk_raw: bytes, nonce: bytes
) -> dict[str, str]:
    esk = X25519PrivateKey.from_private_bytes(esk_raw)
    epk = raw_public(esk.public_key())
    shared = esk.exchange(X25519PrivateKey.from_private_bytes(CENTRAL).public_key())
    key = HKDF(hashes.SHA256(), 32, salt=epk + central_pub, info=b"pser-desk/submission/v1").derive(
        shared
    )
    ct = AESGCM(key).encrypt(nonce, plaintext, aad)
    return {
        "alg": "X25519-HKDF-SHA256-A256GCM",
        "epk": b64u_encode(epk),
        "nonce": b64u_encode(nonce),
        "ct": b64u_encode(ct),
    }


@pytest.fixture
def central_private() -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(CENTRAL)


def test_central_opens_the_page_built_vector(central_private: X25519PrivateKey) -> None:
    central_pub = raw_public(central_private.public_key())
    vector = seal_per_the_page(PLAINTEXT, central_pub, SID.encode(), ESK, NONCE)
    assert open_envelope(Envelope.from_json(vector), central_private, SID.encode()) == PLAINTEXT
    # the same inputs give the same bytes: the construction is fully pinned by the page
    assert vector == seal_per_the_page(PLAINTEXT, central_pub, SID.encode(), ESK, NONCE)


def test_central_opens_what_seal_makes_and_each_seal_is_fresh(
    central_private: X25519PrivateKey,
) -> None:
    central_pub = raw_public(central_private.public_key())
    first, second = (
        seal(PLAINTEXT, central_pub, SID.encode()),
        seal(PLAINTEXT, central_pub, SID.encode()),
    )
    assert first.epk != second.epk
    assert first.nonce != second.nonce
    for env in (first, second):
        assert (
            open_envelope(Envelope.from_json(env.as_json()), central_private, SID.encode())
            == PLAINTEXT
        )


@pytest.mark.parametrize("part", ["ct", "nonce", "epk", "aad"])
def test_any_change_is_refused(central_private: X25519PrivateKey, part: str) -> None:
    vector = seal_per_the_page(
        PLAINTEXT, raw_public(central_private.public_key()), SID.encode(), ESK, NONCE
    )
    aad = SID.encode()
    if part == "aad":
        aad = SID.replace("0", "1", 1).encode()
    else:
        text = vector[part]
        vector[part] = ("B" if text[0] == "A" else "A") + text[1:]
    with pytest.raises(EnvelopeError):
        open_envelope(Envelope.from_json(vector), central_private, aad)
