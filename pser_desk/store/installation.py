"""This installation's identity in its data folder, outside the database.

``identity/installation-key`` holds the installation's X25519 **public** key (b64u). It is
written when the first manager account creates the key pair, or at the first login that
proves the stored key (an older PC), and it is what ``restore`` compares a backup with
when the live database cannot be read: a backup of another installation is refused.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pser_desk.security.envelope import b64u_decode, b64u_encode

log = logging.getLogger(__name__)

KEY_FILE = "identity/installation-key"


def key_file(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def recorded_key(data_dir: Path | None) -> bytes | None:
    """The installation public key this data folder belongs to, when it is known."""
    if data_dir is None:
        return None
    try:
        return b64u_decode(key_file(data_dir).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def remember_key(data_dir: Path | None, public_key: bytes) -> None:
    """Write the marker (atomically) unless it already says so; a failure is only logged."""
    if data_dir is None or recorded_key(data_dir) == public_key:
        return
    path = key_file(data_dir)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(b64u_encode(public_key) + "\n", encoding="ascii")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("the installation key marker was not written (%s)", exc.__class__.__name__)
