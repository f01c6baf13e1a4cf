"""The publisher's signing keys: Ed25519, one PEM file each, found by their key id.

A key's role is whatever ``root.json`` says its key id signs for; the file name
(``targets-1a2b3c4d.pem``) is for people. ``release init`` writes every key into one
folder; the release team then moves ``root-*`` and ``targets-*`` to offline media (each
root key to a different holder) and leaves ``snapshot-*`` and ``timestamp-*`` with the
server that renews the timestamp. Commands take ``--keys DIR`` once per folder they may
sign with. A retired key moves to ``retired/`` inside its folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey

from pser_desk.security.device import write_private_file

RETIRED = "retired"


class KeyFileError(ValueError):
    """A key file that cannot be read."""


@dataclass(frozen=True)
class KeyFile:
    path: Path
    signer: CryptoSigner

    @property
    def public(self) -> SSlibKey:
        key = self.signer.public_key
        assert isinstance(key, SSlibKey)
        return key

    @property
    def keyid(self) -> str:
        return self.public.keyid


def generate(role: str, folder: Path) -> KeyFile:
    """A new Ed25519 key for *role*, written to *folder* (owner-only)."""
    private = Ed25519PrivateKey.generate()
    public = SSlibKey.from_crypto(private.public_key())
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path = folder / f"{role}-{public.keyid[:8]}.pem"
    write_private_file(path, pem)
    return KeyFile(path, CryptoSigner(private, public))


def load(path: Path) -> KeyFile:
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyFileError(
            f"{path.name} is not a readable private key ({exc.__class__.__name__})"
        ) from None
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyFileError(f"{path.name} is not an Ed25519 key")
    return KeyFile(path, CryptoSigner(private, SSlibKey.from_crypto(private.public_key())))


def load_folders(folders: list[Path]) -> dict[str, KeyFile]:
    """Every key in *folders* (not in their ``retired/``), by key id."""
    found: dict[str, KeyFile] = {}
    for folder in folders:
        if not folder.is_dir():
            raise KeyFileError(f"the keys folder {folder} does not exist")
        for path in sorted(folder.glob("*.pem")):
            key = load(path)
            found.setdefault(key.keyid, key)
    return found


def retire(key: KeyFile) -> Path:
    """Move a replaced key out of use (kept: it signed metadata PCs may still hold)."""
    folder = key.path.parent / RETIRED
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / key.path.name
    key.path.replace(target)
    return target
