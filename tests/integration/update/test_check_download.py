"""``pser-desk update check|download`` against the reference central: what is offered to
which PC (channel and ``min_app_version`` from central's signed configuration), patches,
and a download that resumes after the repository stops answering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pser_desk.central.faults import parse_fault_specs
from pser_desk.domain.releases import Channel
from pser_desk.update.fetch import DownloadCancelled
from pser_desk.update.refusals import UpdateUnavailable
from tests.plugins.cli import RunCli
from tests.plugins.updates import MakeUpdater, Releases, UpdatesCentral


@pytest.fixture
def shipped_root(releases: Releases, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """This program as built for *releases*: its root.json is the repository's first."""
    from pser_desk.update import service

    monkeypatch.setattr(service, "shipped_root", lambda: releases.root)
    return releases.root


def _enrol(run_cli: RunCli, central: UpdatesCentral) -> None:
    token = central.service.new_token("LHR-0042")
    result = run_cli("enroll", "--central", central.url, "--centre", "LHR-0042", "--token", token,
                     "--name", "Counter 3")  # fmt: skip
    assert result.code == 0, result.err


def _configure(central: UpdatesCentral, **config: object) -> None:
    (central.service.state_dir / "central-config.json").write_text(json.dumps(config), "utf-8")


def test_check_json_has_exactly_the_four_keys(
    run_cli: RunCli, releases: Releases, updates_central: UpdatesCentral, shipped_root: bytes
) -> None:
    releases.add("0.1.0")
    result = run_cli("update", "check", "--json", "--central", updates_central.url)
    assert result.code == 0, result.err
    assert json.loads(result.out) == {
        "current": "0.1.0", "available": None, "channel": "stable", "required": False
    }  # fmt: skip
    releases.add("0.1.1", change="x = 1")
    result = run_cli("update", "check", "--json", "--central", updates_central.url)
    assert json.loads(result.out) == {
        "current": "0.1.0", "available": "0.1.1", "channel": "stable", "required": False
    }  # fmt: skip
    human = run_cli("update", "check", "--central", updates_central.url)
    assert human.out.startswith(
        "pser-desk 0.1.0 (stable channel): 0.1.1 is available (a patch, 0.0 MB)"
    )


@pytest.mark.allow_log_warnings  # the hand-edited configuration is logged as not verifying
def test_central_chooses_the_channel_and_requires_a_version(
    run_cli: RunCli, releases: Releases, updates_central: UpdatesCentral, shipped_root: bytes,
    data_dir: Path,
) -> None:  # fmt: skip
    releases.add("0.1.0")
    releases.add("0.2.0", Channel.PILOT)
    _enrol(run_cli, updates_central)
    _configure(updates_central, channel="pilot", min_app_version="0.2.0")
    result = run_cli("update", "check", "--json")  # central's URL from enrolment
    assert result.code == 0, result.err
    assert json.loads(result.out) == {
        "current": "0.1.0", "available": "0.2.0", "channel": "pilot", "required": True
    }  # fmt: skip
    # The kept configuration is central's signed one: edited by hand, it is ignored.
    kept = data_dir / "central-config.json"
    body = json.loads(kept.read_text("utf-8"))
    body["config"]["channel"] = "stable"
    body["config"]["min_app_version"] = "0.1.0"
    kept.write_text(json.dumps(body), "utf-8")
    _configure(updates_central, channel="stable")
    result = run_cli("update", "check", "--json")
    # The signature fails, so the defaults apply and a fresh heartbeat brings stable.
    assert json.loads(result.out) == {
        "current": "0.1.0", "available": None, "channel": "stable", "required": False
    }  # fmt: skip


def test_a_centre_named_in_centrals_pilot_list_is_offered_the_pilot_version(
    run_cli: RunCli, releases: Releases, updates_central: UpdatesCentral, shipped_root: bytes,
    data_dir: Path,
) -> None:  # fmt: skip
    releases.add("0.1.0")
    releases.add("0.2.0", Channel.PILOT)
    _enrol(run_cli, updates_central)  # LHR-0042
    _configure(updates_central, pilot_centres=["MUL-0001"])
    result = run_cli("update", "check", "--json")
    assert json.loads(result.out)["available"] is None  # a stable centre: 0.2.0 is pilot only
    _configure(updates_central, pilot_centres=["MUL-0001", "LHR-0042"], heartbeat_s=60)
    (data_dir / "central-config.json").unlink()  # as if heartbeat_s had passed
    result = run_cli("update", "check", "--json")
    assert json.loads(result.out) == {
        "current": "0.1.0", "available": "0.2.0", "channel": "pilot", "required": False
    }  # fmt: skip


def test_download_prefers_the_patch_and_resumes_after_the_repository_stops_answering(
    releases: Releases, updates_central: UpdatesCentral, update_service: MakeUpdater, data_dir: Path
) -> None:
    releases.add("0.1.0", change="a = 1")
    releases.add("0.1.1", change="a = 2")
    updater = update_service("0.1.0")
    offer = updater.check()
    assert offer.patch is not None
    assert offer.download_bytes == offer.patch.length
    full = updater.download(offer, full=True)  # the full archive: large enough to cut
    assert full.kind == "full"
    assert Path(full.file).stat().st_size == full.length

    updater = update_service("0.1.0")
    offer = updater.check()
    assert offer.available is not None
    Path(full.file).unlink()
    updates_central.server.set_faults(parse_fault_specs(["truncate=1.0,on=updates"]))
    seen: list[int] = []
    with pytest.raises(UpdateUnavailable, match="stopped answering after .* resumes from there"):
        updater.download(offer, lambda done, total: seen.append(done), full=True)
    part = Path(full.file + ".part")
    kept, remaining = part.stat().st_size, full.length
    for _ in range(3):  # three tries, each cut half-way: every byte that came is kept
        remaining -= remaining // 2
    assert kept == full.length - remaining
    updates_central.server.set_faults(None)
    updater = update_service("0.1.0")
    resumed = updater.download(updater.check(), lambda done, total: seen.append(done), full=True)
    assert resumed.sha256 == full.sha256
    assert not part.exists()
    assert min(seen[seen.index(kept) :]) == kept  # the second run started where the first stopped


def test_a_part_cut_right_after_its_last_byte_is_checked_not_read_again(
    releases: Releases, updates_central: UpdatesCentral, update_service: MakeUpdater
) -> None:
    """The repository answers 416 to a range past a whole part (with its error's body):
    the part is verified as it is; that body is never taken for more of the file."""
    releases.add("0.1.0", change="a = 1")
    releases.add("0.1.1", change="a = 2")
    updater = update_service("0.1.0")
    offer = updater.check()
    with pytest.raises(DownloadCancelled):  # stopped after the first piece, the part kept
        updater.download(offer, cancelled=lambda: True, full=True)
    assert offer.available is not None
    part = next(updater.updates_dir.rglob("*.tar.gz.part"))
    whole = (releases.repo_dir / "targets" / offer.available.path).read_bytes()
    part.write_bytes(whole)  # as if the line had dropped just after the last byte came
    done = updater.download(offer, full=True)
    assert Path(done.file).read_bytes() == whole
    assert not part.exists()


def test_an_unreachable_repository_is_try_later_not_an_attack(
    run_cli: RunCli, releases: Releases, shipped_root: bytes
) -> None:
    result = run_cli("update", "check", "--json", "--central", "http://127.0.0.1:9/api/v1")
    assert result.code == 1
    assert result.err.strip() == (
        "pser-desk: the update repository cannot be reached; updates are checked again later"
    )


def test_a_program_without_a_root_says_it_cannot_update(run_cli: RunCli) -> None:
    result = run_cli("update", "check", "--central", "http://127.0.0.1:9/api/v1")
    assert result.code == 1
    assert "carries no update root" in result.err
    applied = run_cli("update", "apply")
    assert applied.code == 3
    assert "runs from Python sources" in applied.err
