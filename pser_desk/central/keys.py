"""Central's own keys, kept in its state directory (raw 32 bytes, mode 0600)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pser_desk.security.device import write_private_file
from pser_desk.security.envelope import raw_private, raw_public

ENCRYPTION_FILE = "central_x25519.key"
SIGNING_FILE = "central_ed25519.key"


@dataclass(frozen=True)
class CentralKeys:
    encryption: X25519PrivateKey
    signing: Ed25519PrivateKey

    @property
    def encryption_public_raw(self) -> bytes:
        return raw_public(self.encryption.public_key())

    @property
    def signing_public_raw(self) -> bytes:
        return self.signing.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )


def load_or_create_keys(state_dir: Path) -> CentralKeys:
    enc_path = state_dir / ENCRYPTION_FILE
    sig_path = state_dir / SIGNING_FILE
    if not enc_path.exists():
        write_private_file(enc_path, raw_private(X25519PrivateKey.generate()))
    if not sig_path.exists():
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        write_private_file(sig_path, raw)
    return CentralKeys(
        encryption=X25519PrivateKey.from_private_bytes(enc_path.read_bytes()),
        signing=Ed25519PrivateKey.from_private_bytes(sig_path.read_bytes()),
    )
