"""The device's Ed25519 key: file handling and signatures."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pser_desk.security.device import DeviceKey, DeviceKeyError, key_path, verify_ed25519


def test_saved_key_loads_back_and_is_owner_only(tmp_path: Path) -> None:
    key = DeviceKey.generate()
    path = key.save(tmp_path)
    assert path == tmp_path / "identity" / "device_ed25519.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == key.private_raw()
    assert DeviceKey.load(tmp_path).public_raw() == key.public_raw()
    assert [p.name for p in path.parent.iterdir()] == ["device_ed25519.key"]  # no temp file left


def test_load_or_create_keeps_the_first_key(tmp_path: Path) -> None:
    first = DeviceKey.load_or_create(tmp_path)
    assert DeviceKey.load_or_create(tmp_path).public_raw() == first.public_raw()


def test_missing_or_damaged_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeviceKeyError, match="enrol"):
        DeviceKey.load(tmp_path)
    key_path(tmp_path).parent.mkdir(parents=True)
    key_path(tmp_path).write_bytes(b"short")
    with pytest.raises(DeviceKeyError):
        DeviceKey.load(tmp_path)


def test_signature_verifies_and_any_change_breaks_it() -> None:
    key = DeviceKey.generate()
    sig = key.sign(b"message")
    assert verify_ed25519(key.public_raw(), b"message", sig)
    assert not verify_ed25519(key.public_raw(), b"messagE", sig)
    assert not verify_ed25519(DeviceKey.generate().public_raw(), b"message", sig)
    assert not verify_ed25519(key.public_raw(), b"message", sig[:-1] + bytes([sig[-1] ^ 1]))
    assert not verify_ed25519(key.public_raw(), b"message", sig[:10])
    assert not verify_ed25519(b"\x00" * 5, b"message", sig)
