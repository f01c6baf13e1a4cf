"""central-api.md section 7: canonical JSON and the definition signature."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pser_desk.security.form_signing import canonical_json, sign_canonical, verify_canonical


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_urdu() -> None:
    value = {"b": [1, 2.5, None, True], "a": {"z": "اردو", "y": "x"}}
    assert canonical_json(value) == '{"a":{"y":"x","z":"اردو"},"b":[1,2.5,null,true]}'.encode()


def test_signature_verifies_and_any_change_breaks_it() -> None:
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    definition = {"form_id": "f", "sections": [{"id": "s", "label": {"ur": "سربراہ"}}]}
    signature = sign_canonical(private, definition)
    assert verify_canonical(public, dict(reversed(list(definition.items()))), signature)
    assert not verify_canonical(public, {**definition, "form_id": "g"}, signature)
    # Change one character in the middle (the last one carries padding bits only).
    middle = len(signature) // 2
    changed = "B" if signature[middle] == "A" else "A"
    tampered = signature[:middle] + changed + signature[middle + 1 :]
    assert not verify_canonical(public, definition, tampered)
    assert not verify_canonical(public, definition, "not base64!")
    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert not verify_canonical(other, definition, signature)
