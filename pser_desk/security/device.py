"""The device's Ed25519 signing key (central-api.md section 1).

Generated on first enrolment, kept in ``<data_dir>/identity/device_ed25519.key`` as the
raw 32-byte private key, readable by the desk's user only (POSIX mode 0600, on Windows a
user-only ACL) and written atomically (:mod:`pser_desk.security.private_files`).
The private half never leaves the PC: only :meth:`DeviceKey.public_raw` is sent.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# Re-exported: enrolment and the reference central write their key files with it too.
from pser_desk.security.private_files import write_private_file as write_private_file

IDENTITY_DIR = "identity"
KEY_FILE = "device_ed25519.key"
RAW_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class DeviceKeyError(Exception):
    """The key file is missing, unreadable or not an Ed25519 key."""


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / IDENTITY_DIR / KEY_FILE


class DeviceKey:
    """An Ed25519 private key with the few operations the client needs."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_raw(cls, raw: bytes) -> DeviceKey:
        if len(raw) != RAW_KEY_BYTES:
            raise DeviceKeyError("a device key is 32 raw bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def private_raw(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    def public_raw(self) -> bytes:
        return self._private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    def save(self, data_dir: Path) -> Path:
        """Write the key atomically, readable by this user only; returns the file's path."""
        path = key_path(data_dir)
        write_private_file(path, self.private_raw())
        return path

    @classmethod
    def load(cls, data_dir: Path) -> DeviceKey:
        path = key_path(data_dir)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DeviceKeyError("this PC has no device key yet (enrol it first)") from None
        except OSError as exc:
            raise DeviceKeyError(f"cannot read the device key: {exc.__class__.__name__}") from None
        return cls.from_raw(raw)

    @classmethod
    def load_or_create(cls, data_dir: Path) -> DeviceKey:
        if key_path(data_dir).exists():
            return cls.load(data_dir)
        key = cls.generate()
        key.save(data_dir)
        return key


def verify_ed25519(public_raw: bytes, message: bytes, sig: bytes) -> bool:
    """True when *sig* is a valid Ed25519 signature of *message* by *public_raw*."""
    if len(public_raw) != RAW_KEY_BYTES or len(sig) != SIGNATURE_BYTES:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(sig, message)
    except (InvalidSignature, ValueError):
        return False
    return True
