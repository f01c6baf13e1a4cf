"""Every attack a compromised download server can try is refused with one line naming it,
the exit code 2, and an entry in the audit log; nothing is downloaded or installed.

The attacker here controls the repository's files (as a server would) but holds no
signing key the PC trusts: it can replay old signed files, change bytes, sign with a key
of its own, or stop renewing the timestamp.
"""

from __future__ import annotations

import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import Metadata, Root
from tuf.api.serialization.json import JSONSerializer

from pser_desk.store.audit_log import entries
from pser_desk.store.database import Store
from pser_desk.update.keys import load_folders
from pser_desk.update.refusals import Attack, UpdateRefused
from tests.plugins.cli import RunCli
from tests.plugins.updates import MakeUpdater, Releases, UpdatesCentral


def _metadata(releases: Releases, name: str) -> Path:
    return releases.repo_dir / "metadata" / name


def _write(path: Path, md: Metadata) -> None:  # type: ignore[type-arg]
    path.write_bytes(md.to_bytes(JSONSerializer(compact=False)))


def _refused(updater_call: object) -> UpdateRefused:
    assert callable(updater_call)
    with pytest.raises(UpdateRefused) as caught:
        updater_call()
    return caught.value


def test_a_target_with_other_bytes_or_longer_is_refused_and_not_kept(
    releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")
    releases.add("0.1.1", change="b = 1")
    updater = update_service("0.1.0")
    offer = updater.check()
    assert offer.patch is not None
    served = releases.repo_dir / "targets" / offer.patch.path
    original = served.read_bytes()
    served.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))  # same length, one bit
    refusal = _refused(lambda: updater.download(offer))
    assert refusal.attack is Attack.HASH
    assert str(refusal) == (
        "refused: pser-desk-0.1.0-to-0.1.1-linux-x86_64.patch differs from its signed SHA-256"
    )
    downloads = updater.updates_dir / "downloads"
    assert not [p for p in downloads.iterdir() if p.name.startswith("pser-desk-0.1.0-to")]
    served.write_bytes(original + b"endless data")
    again = update_service("0.1.0")
    refusal = _refused(lambda: again.download(again.check()))
    assert refusal.attack is Attack.HASH
    assert "is longer than its signed length" in str(refusal)
    assert updater.pending() is None  # nothing to install


def test_metadata_signed_by_an_unknown_key_is_refused(
    releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")
    stamp = Metadata.from_bytes(_metadata(releases, "timestamp.json").read_bytes())
    stamp.signed.version += 1
    private = Ed25519PrivateKey.generate()
    attacker = CryptoSigner(private, SSlibKey.from_crypto(private.public_key()))
    stamp.signatures.clear()
    stamp.sign(attacker)
    _write(_metadata(releases, "timestamp.json"), stamp)
    refusal = _refused(update_service("0.1.0").check)
    assert (refusal.attack, str(refusal)) == (
        Attack.SIGNATURE, "refused: timestamp metadata is signed by a key this desk does not trust"
    )  # fmt: skip


def test_metadata_changed_after_signing_is_refused(
    releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")
    path = _metadata(releases, "timestamp.json")
    path.write_bytes(path.read_bytes().replace(b'"version": 2', b'"version": 9'))
    refusal = _refused(update_service("0.1.0").check)
    assert str(refusal) == (
        "refused: timestamp metadata's signature does not verify (it was changed after signing)"
    )


def test_a_new_root_signed_by_too_few_root_keys_is_refused(
    releases: Releases, update_service: MakeUpdater
) -> None:
    root = Metadata.from_bytes(_metadata(releases, "root.json").read_bytes())
    assert isinstance(root.signed, Root)
    keys = load_folders([releases.keys_dir])
    one_root_key = next(keys[k] for k in root.signed.roles["root"].keyids if k in keys)
    root.signed.version = 2
    root.signed.roles["timestamp"].keyids = [one_root_key.keyid]  # the attacker's wish
    root.signed.keys[one_root_key.keyid] = one_root_key.public
    root.signatures.clear()
    root.sign(one_root_key.signer)  # one stolen root key: the threshold is 2
    _write(_metadata(releases, "2.root.json"), root)
    refusal = _refused(update_service("0.1.0").check)
    assert (refusal.attack, str(refusal)) == (
        Attack.SIGNATURE, "refused: root metadata has 1 of the 2 signatures it needs"
    )  # fmt: skip


def test_expired_metadata_is_a_freeze(releases: Releases, update_service: MakeUpdater) -> None:
    releases.add("0.1.0")
    releases.repo.refresh(timedelta(seconds=1))
    assert update_service("0.1.0").check().available is None  # fresh for one second
    time.sleep(1.5)  # the server keeps serving that timestamp: it never renews it
    refusal = _refused(update_service("0.1.0").check)
    assert refusal.attack is Attack.FREEZE
    assert str(refusal).startswith("refused: freeze: timestamp metadata expired at ")
    assert str(refusal).endswith(" UTC (the repository has stopped renewing it)")


def test_older_metadata_than_seen_before_is_a_rollback(
    releases: Releases, update_service: MakeUpdater, tmp_path: Path
) -> None:
    releases.add("0.1.0")
    shutil.copytree(releases.repo_dir / "metadata", tmp_path / "old-metadata")
    releases.add("0.1.1", change="c = 1")
    assert update_service("0.1.0").check().available is not None  # the PC saw version 3
    for old in (tmp_path / "old-metadata").iterdir():  # the server replays the older state
        shutil.copy2(old, releases.repo_dir / "metadata" / old.name)
    refusal = _refused(update_service("0.1.0").check)
    assert (refusal.attack, str(refusal)) == (
        Attack.ROLLBACK, "refused: rollback of timestamp metadata to version 2 from 3"
    )  # fmt: skip


def test_a_version_older_than_the_running_one_is_a_rollback(
    releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")  # validly signed, but the PC already runs 0.2.0
    refusal = _refused(update_service("0.2.0").check)
    assert (refusal.attack, str(refusal)) == (
        Attack.ROLLBACK,
        "refused: rollback to 0.1.0 from 0.2.0",
    )
    releases.add("0.2.0")
    assert update_service("0.2.0").check().available is None  # listed: nothing newer, fine


def test_the_command_line_names_the_attack_and_the_audit_log_keeps_it(
    run_cli: RunCli, releases: Releases, updates_central: UpdatesCentral,
    monkeypatch: pytest.MonkeyPatch, data_dir: Path,
) -> None:  # fmt: skip
    from pser_desk.update import service

    monkeypatch.setattr(service, "shipped_root", lambda: releases.root)
    pw = "kitchen-window-42"
    assert (
        run_cli(
            "operator", "add", "mgr1", "--name", "M", "--role", "manager", stdin=f"{pw}\n{pw}\n"
        ).code
        == 0
    )
    releases.add("0.1.0")
    releases.repo.refresh(timedelta(seconds=1))
    time.sleep(1.5)
    result = run_cli("update", "check", "--json", "--central", updates_central.url)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("pser-desk: refused: freeze: timestamp metadata expired at")
    download = run_cli("update", "download", "--central", updates_central.url)
    assert download.code == 2
    assert "refused: freeze" in download.err
    store = Store.open(None, data_dir=data_dir)
    try:
        with store.read() as session:
            refused = [e for e in entries(session) if e.event == "update_refused"]
    finally:
        store.close()
    assert len(refused) == 2
    assert refused[0].detail["attack"] == "freeze"
    assert refused[0].actor == "updater"
    assert str(refused[0].detail["message"]).startswith(
        "refused: freeze: timestamp metadata expired"
    )
