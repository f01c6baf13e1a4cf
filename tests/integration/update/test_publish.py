"""``pser-desk release ...``: a TUF repository of signed desk versions, as the release team
makes it (roles, offline keys, threshold, full archives and patches, refresh, rotation)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tuf.api.metadata import Metadata, Root, Targets, Timestamp

from tests.plugins.cli import RunCli
from tests.plugins.updates import MakeUpdater, Releases


def _md(releases: Releases, name: str) -> Metadata:  # type: ignore[type-arg]
    return Metadata.from_bytes((releases.repo_dir / "metadata" / name).read_bytes())


def test_init_makes_four_roles_three_root_keys_threshold_two(
    run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli(
        "release", "init", "--repo", str(tmp_path / "repo"), "--keys", str(tmp_path / "keys")
    )
    assert result.code == 0, result.err
    facts = json.loads(result.out)
    assert facts["root_threshold"] == 2
    assert len(facts["keyids"]["root"]) == 3
    assert sorted(facts["offline"]) == sorted(p.name for p in (tmp_path / "keys").glob("*.pem")
                                              if p.name.startswith(("root-", "targets-")))  # fmt: skip
    assert len(facts["offline"]) == 4
    root = Metadata.from_bytes((tmp_path / "repo" / "metadata" / "root.json").read_bytes())
    assert isinstance(root.signed, Root)
    assert root.signed.roles["root"].threshold == 2
    assert not root.signed.consistent_snapshot  # the plain file names of central-api.md 11
    root.signed.verify_delegate("root", root.signed_bytes, root.signatures)
    for role in ("targets", "snapshot", "timestamp"):
        md = Metadata.from_bytes((tmp_path / "repo" / "metadata" / f"{role}.json").read_bytes())
        root.signed.verify_delegate(role, md.signed_bytes, md.signatures)
    assert {p.stat().st_mode & 0o777 for p in (tmp_path / "keys").glob("*.pem")} == {0o600}
    again = run_cli(
        "release", "init", "--repo", str(tmp_path / "repo"), "--keys", str(tmp_path / "k2")
    )
    assert again.code == 1
    assert "already a release repository" in again.err


def test_add_publishes_a_full_archive_and_a_patch_that_saves_bandwidth(
    run_cli: RunCli, releases: Releases
) -> None:
    common = ["--repo", str(releases.repo_dir), "--keys", str(releases.keys_dir)]
    first = run_cli("release", "add", *common, "--bundle", str(releases.bundle("0.1.0")),
                    "--version", "0.1.0", "--compression", "gz")  # fmt: skip
    assert first.code == 0, first.err
    assert json.loads(first.out)["patches"] == []
    bundle = releases.bundle("0.1.1", change="TITLE = 'PSER Desk 0.1.1'")
    second = run_cli("release", "add", *common, "--bundle", str(bundle), "--version", "0.1.1",
                     "--compression", "gz")  # fmt: skip
    assert second.code == 0, second.err
    facts = json.loads(second.out)
    (patch,) = facts["patches"]
    assert patch["from"] == "0.1.0"
    assert patch["bytes"] * 20 < facts["full"]["bytes"]
    targets = _md(releases, "targets.json").signed
    assert isinstance(targets, Targets)
    assert set(targets.targets) == {
        "pser-desk/linux-x86_64/0.1.0/pser-desk-0.1.0-linux-x86_64.tar.gz",
        "pser-desk/linux-x86_64/0.1.1/pser-desk-0.1.1-linux-x86_64.tar.gz",
        "pser-desk/linux-x86_64/0.1.1/pser-desk-0.1.0-to-0.1.1-linux-x86_64.patch",
    }
    for path, info in targets.targets.items():
        with (releases.repo_dir / "targets" / path).open("rb") as handle:
            info.verify_length_and_hashes(handle)


def test_add_refuses_a_mislabelled_an_older_or_a_repeated_version(
    run_cli: RunCli, releases: Releases
) -> None:
    common = [
        "--repo",
        str(releases.repo_dir),
        "--keys",
        str(releases.keys_dir),
        "--compression",
        "gz",
    ]
    bundle = releases.bundle("0.2.0")
    wrong = run_cli("release", "add", *common, "--bundle", str(bundle), "--version", "0.2.1")
    assert (wrong.code, wrong.err.strip()) == (
        1, "pser-desk: release: the bundle says it is 0.2.0, not 0.2.1: build it as 0.2.1"
    )  # fmt: skip
    assert (
        run_cli("release", "add", *common, "--bundle", str(bundle), "--version", "0.2.0").code == 0
    )
    again = run_cli("release", "add", *common, "--bundle", str(bundle), "--version", "0.2.0")
    assert "0.2.0 for linux-x86_64 is already in the repository" in again.err
    older = run_cli("release", "add", *common, "--bundle", str(releases.bundle("0.1.9")),
                    "--version", "0.1.9")  # fmt: skip
    assert "0.1.9 is not newer than 0.2.0, the newest in stable" in older.err
    bad = run_cli("release", "add", *common, "--bundle", str(bundle), "--version", "v2")
    assert bad.code == 1
    assert "dotted numbers" in bad.err


def test_offline_keys_are_needed_only_where_they_sign(
    run_cli: RunCli, releases: Releases, tmp_path: Path
) -> None:
    online = tmp_path / "online-keys"
    online.mkdir()
    for key in releases.keys_dir.glob("*.pem"):
        if key.name.startswith(("snapshot-", "timestamp-")):
            shutil.copy2(key, online / key.name)
    common = ["--repo", str(releases.repo_dir), "--keys", str(online)]
    refreshed = run_cli("release", "refresh", *common)
    assert refreshed.code == 0, refreshed.err
    assert json.loads(refreshed.out)["timestamp"] == 2
    added = run_cli("release", "add", *common, "--bundle", str(releases.bundle("0.1.0")),
                    "--version", "0.1.0", "--compression", "gz")  # fmt: skip
    assert added.code == 1
    assert "signing targets needs 1 of its keys; --keys holds 0 (kept offline" in added.err
    assert not list((releases.repo_dir / "targets").rglob("*.tar.gz"))  # nothing half-published
    both = run_cli("release", "add", *common, "--keys", str(releases.keys_dir), "--bundle",
                   str(releases.bundle("0.1.0")), "--version", "0.1.0", "--compression", "gz")  # fmt: skip
    assert both.code == 0, both.err


def test_refresh_renews_the_timestamp_with_the_lifetime_given(
    run_cli: RunCli, releases: Releases
) -> None:
    common = ["--repo", str(releases.repo_dir), "--keys", str(releases.keys_dir)]
    before = _md(releases, "timestamp.json").signed
    result = run_cli("release", "refresh", *common, "--expires", "90m")
    assert result.code == 0, result.err
    after = _md(releases, "timestamp.json").signed
    assert isinstance(before, Timestamp)
    assert isinstance(after, Timestamp)
    assert after.version == before.version + 1
    left = after.expires - datetime.now(UTC)
    assert timedelta(minutes=88) < left <= timedelta(minutes=90)
    assert _md(releases, "snapshot.json").signed.version == 1  # not due: untouched
    bad = run_cli("release", "refresh", *common, "--expires", "soon")
    assert bad.code == 1
    assert "is not a duration" in bad.err


def test_rotating_keys_keeps_every_pc_able_to_follow(
    run_cli: RunCli, releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")
    common = ["--repo", str(releases.repo_dir), "--keys", str(releases.keys_dir)]
    assert update_service("0.1.0").check().available is None  # the PC has seen root 1
    releases.add("0.1.1")
    for role in ("targets", "snapshot", "timestamp"):
        result = run_cli("release", "rotate", *common, "--role", role)
        assert result.code == 0, result.err
        facts = json.loads(result.out)
        assert Path(facts["retired_key"]).parent.name == "retired"
    root_ids = _md(releases, "root.json").signed.roles["root"].keyids
    one_of_three = run_cli("release", "rotate", *common, "--role", "root")
    assert "the root role has 3 keys: name one with --key-id" in one_of_three.err
    rotated = run_cli("release", "rotate", *common, "--role", "root", "--key-id", root_ids[0][:8])
    assert rotated.code == 0, rotated.err
    assert json.loads(rotated.out)["root"] == 5
    assert {p.name for p in (releases.repo_dir / "metadata").glob("*.root.json")} == {
        f"{n}.root.json" for n in range(1, 6)
    }
    # A PC shipped with root 1 follows the chain to root 5 and trusts the new keys.
    offer = update_service("0.1.0").check()
    assert offer.available is not None
    assert offer.available.version == "0.1.1"


def test_promote_offers_a_pilot_version_on_stable(
    run_cli: RunCli, releases: Releases, update_service: MakeUpdater
) -> None:
    from pser_desk.domain.releases import Channel

    releases.add("0.1.0")
    releases.add("0.2.0", Channel.PILOT)
    assert update_service("0.1.0").check().available is None  # stable PCs wait
    common = ["--repo", str(releases.repo_dir), "--keys", str(releases.keys_dir)]
    result = run_cli("release", "promote", *common, "--version", "0.2.0", "--channel", "stable")
    assert result.code == 0, result.err
    offer = update_service("0.1.0").check()
    assert offer.available is not None
    assert offer.available.version == "0.2.0"
    again = run_cli("release", "promote", *common, "--version", "0.2.0", "--channel", "stable")
    assert "already offered on stable" in again.err
