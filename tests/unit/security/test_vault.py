from __future__ import annotations

import pytest

from pser_desk.security import vault
from pser_desk.security.passwords import ScryptParams

FAST = ScryptParams(n=2**10)


def test_wrapped_key_opens_only_with_its_password() -> None:
    key = vault.generate_installation_key()
    wrap = vault.wrap_key(key, "kitchen-window-42", FAST)
    opened = vault.unwrap_key(wrap, "kitchen-window-42")
    assert vault.public_bytes(opened) == vault.public_bytes(key)
    with pytest.raises(vault.VaultError):
        vault.unwrap_key(wrap, "kitchen-window-43")


def test_params_round_trip_through_text() -> None:
    wrap = vault.wrap_key(vault.generate_installation_key(), "kitchen-window-42", FAST)
    assert vault.KeyWrap.parse_params(wrap.params_text()) == FAST


def test_sealed_at_rest_needs_the_private_key_and_the_same_record_id() -> None:
    key = vault.generate_installation_key()
    sealed = vault.seal_at_rest(b'{"name":"x"}', vault.public_bytes(key), "rec-1")
    assert b"name" not in sealed
    assert vault.open_at_rest(sealed, key, "rec-1") == b'{"name":"x"}'
    with pytest.raises(vault.VaultError):
        vault.open_at_rest(sealed, key, "rec-2")
    with pytest.raises(vault.VaultError):
        vault.open_at_rest(sealed, vault.generate_installation_key(), "rec-1")
