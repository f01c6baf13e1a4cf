"""The window's updater without Qt (update/flow.py): when checks are due, what the status
says after each step, against the reference central's repository."""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pser_desk.domain.releases import Channel
from pser_desk.update.flow import CHECK_EVERY, RETRY_AFTER, Phase, UpdateFlow
from pser_desk.update.install import Installation
from pser_desk.update.machine import Request, serve
from pser_desk.update.managed import ServiceUpdater
from pser_desk.update.service import Setup, UpdateService
from tests.plugins.cli import RunCli
from tests.plugins.updates import MakeUpdater, Releases, UpdatesCentral, script_bundle


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_check_finds_downloads_and_waits_for_install(
    releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")
    releases.add("0.1.1", change="d = 1")
    clock = Clock()
    flow = UpdateFlow(lambda: update_service("0.1.0"), current="0.1.0", clock=clock)
    assert flow.due()
    status = flow.check()
    assert (status.phase, status.available, status.required) == (Phase.DOWNLOADING, "0.1.1", False)
    assert not flow.due()  # a download is starting: no second check
    seen: list[int] = []

    def watching() -> bool:  # asked after every piece: never stop
        seen.append(flow.status.percent)
        return False

    status = flow.download(watching)
    assert status.phase is Phase.READY
    assert status.done_bytes == status.total_bytes > 0
    assert seen
    assert seen[-1] == 100
    clock.now += CHECK_EVERY * 2
    assert not flow.due()  # ready: it installs at close or at the manager's word
    again = UpdateFlow(lambda: update_service("0.1.0"), current="0.1.0", clock=clock)
    assert again.check().phase is Phase.READY  # a restart finds the download verified


@pytest.mark.allow_log_warnings  # the unreachable repository is logged
def test_an_unreachable_repository_is_checked_again_sooner(
    releases: Releases, data_dir: Path
) -> None:
    clock = Clock()

    def service() -> UpdateService:
        data_dir.mkdir(exist_ok=True)
        return UpdateService(Setup(data_dir, central_url="http://127.0.0.1:9/api/v1",
                                   current="0.1.0", root=releases.root))  # fmt: skip

    flow = UpdateFlow(service, current="0.1.0", clock=clock)
    status = flow.check()
    assert status.phase is Phase.UNAVAILABLE
    assert "cannot be reached" in status.message
    clock.now += RETRY_AFTER - timedelta(seconds=1)
    assert not flow.due()
    clock.now += timedelta(seconds=2)
    assert flow.due()


@pytest.mark.allow_log_warnings
def test_a_refusal_is_the_status_not_an_exception(
    releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")
    flow = UpdateFlow(lambda: update_service("0.2.0"), current="0.2.0", clock=Clock())
    status = flow.check()
    assert (status.phase, status.message) == (
        Phase.REFUSED,
        "refused: rollback to 0.1.0 from 0.2.0",
    )


def test_install_outside_a_bundle_fails_and_says_why(
    releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")
    releases.add("0.1.1", change="e = 1")
    flow = UpdateFlow(lambda: update_service("0.1.0"), current="0.1.0", clock=Clock())
    flow.check()
    flow.download()
    assert flow.install() is None
    assert flow.status.phase is Phase.FAILED
    assert "runs from Python sources" in flow.status.message


def test_central_requiring_a_newer_version_starts_the_update_at_once(
    run_cli: RunCli, releases: Releases, updates_central: UpdatesCentral, data_dir: Path
) -> None:
    releases.add("0.1.0")
    token = updates_central.service.new_token("LHR-0042")
    enrolled = run_cli("enroll", "--central", updates_central.url, "--centre", "LHR-0042",
                       "--token", token, "--name", "Counter 3")  # fmt: skip
    assert enrolled.code == 0, enrolled.err
    clock = Clock()

    def service() -> UpdateService:
        return UpdateService(Setup(data_dir, current="0.1.0", root=releases.root,
                                   platform="linux-x86_64"))  # fmt: skip

    flow = UpdateFlow(service, current="0.1.0", clock=clock)
    assert flow.poll().phase is Phase.UP_TO_DATE  # the check due at start
    releases.add("0.1.1", change="f = 1")
    clock.now += timedelta(minutes=20)
    assert flow.poll().phase is Phase.UP_TO_DATE  # 0.1.1 waits for the next 4-hourly check
    config = updates_central.service.state_dir / "central-config.json"
    config.write_text(json.dumps({"min_app_version": "0.1.1"}), "utf-8")
    (data_dir / "central-config.json").unlink()  # as if heartbeat_s had passed
    clock.now += timedelta(minutes=1)
    status = flow.poll()  # the heartbeat brings min_app_version: check and download now
    assert (status.phase, status.available, status.required) == (Phase.READY, "0.1.1", True)
    assert status.done_bytes == status.total_bytes > 0


def test_the_help_menus_check_runs_even_when_no_check_is_due(
    releases: Releases, update_service: MakeUpdater
) -> None:
    releases.add("0.1.0")
    clock = Clock()
    flow = UpdateFlow(lambda: update_service("0.1.0"), current="0.1.0", clock=clock)
    assert flow.poll().phase is Phase.UP_TO_DATE
    releases.add("0.1.1", change="g = 1")
    assert not flow.due()
    assert flow.poll().phase is Phase.UP_TO_DATE  # nothing due, nothing asked
    status = flow.poll(now=True)
    assert (status.phase, status.available) == (Phase.READY, "0.1.1")


def _publish(releases: Releases, *versions: str) -> None:
    for version in versions:
        bundle = script_bundle(releases.folder / f"script-{version}", version)
        releases.repo.add(bundle, version, Channel.STABLE, "gz", platform="linux-x86_64")


def test_on_a_per_machine_install_the_window_asks_the_updater_service(
    releases: Releases, updates_central: UpdatesCentral, tmp_path: Path, data_dir: Path
) -> None:
    _publish(releases, "0.1.0", "0.1.1")
    installation = Installation(script_bundle(tmp_path / "Program Files" / "PSER Desk", "0.1.0"))
    machine = tmp_path / "ProgramData" / "PSER"
    data_dir.mkdir()
    threads: list[threading.Thread] = []
    finishers: list[list[str]] = []

    def start_service(args: list[str]) -> None:  # what StartServiceW does on Windows
        work = threading.Thread(target=serve, args=(Request.parse(args), installation, machine),
                                kwargs={"root": releases.root, "spawn": finishers.append})  # fmt: skip
        threads.append(work)
        work.start()

    waiters: list[list[str]] = []
    via_service = ServiceUpdater(folder=machine, start=start_service, spawn=waiters.append)

    def service() -> UpdateService:
        return UpdateService(Setup(data_dir, central_url=updates_central.url, current="0.1.0",
                                   root=releases.root, installation=installation))  # fmt: skip

    flow = UpdateFlow(service, current="0.1.0", clock=Clock(), machine=via_service)
    status = flow.poll()
    for work in threads:
        work.join()
    assert (status.phase, status.available) == (Phase.READY, "0.1.1")
    assert status.done_bytes == status.total_bytes > 0
    assert not (data_dir / "updates" / "downloads").exists()  # the service's, not the user's
    again = UpdateFlow(service, current="0.1.0", clock=Clock(), machine=via_service)
    assert again.poll().phase is Phase.READY  # a restarted window finds it downloaded

    outcome = flow.install()
    for work in threads:
        work.join()
    assert outcome is not None
    assert (outcome.version, outcome.previous) == ("0.1.1", "0.1.0")
    assert flow.status.phase is Phase.INSTALLING  # handed over: it goes in once the desk closes
    assert finishers
    assert finishers[0][1:3] == ["update", "finish"]
    assert not waiters
    outcome.restart()  # the window has closed: the staged copy waits, then starts 0.1.1
    (waiter,) = waiters
    staged = installation.sibling("0.1.1", "staged")
    assert waiter[0] == str(staged / "pser-desk")
    assert waiter[3:6] == ["update", "wait", "--request"]
    assert waiter[-2:] == ["--start", str(installation.program)]


def test_installed_directly_the_new_window_is_started_on_the_same_data(
    releases: Releases, updates_central: UpdatesCentral, tmp_path: Path, data_dir: Path
) -> None:
    _publish(releases, "0.1.0", "0.1.1")
    installation = Installation(script_bundle(tmp_path / "pser-desk", "0.1.0"))
    data_dir.mkdir()
    started: list[list[str]] = []

    def service() -> UpdateService:
        return UpdateService(Setup(data_dir, central_url=updates_central.url, current="0.1.0",
                                   root=releases.root, installation=installation))  # fmt: skip

    flow = UpdateFlow(service, current="0.1.0", clock=Clock(), spawn=started.append)
    assert flow.poll().phase is Phase.READY
    outcome = flow.install()
    assert outcome is not None
    assert flow.status.phase is Phase.INSTALLED
    assert installation.version == "0.1.1"
    assert not started
    outcome.restart()
    assert started == [[str(installation.program), "--data-dir", str(data_dir)]]


def test_a_download_takes_the_network_lane_a_slice_at_a_time_and_resumes(
    releases: Releases, update_service: MakeUpdater
) -> None:
    """Sending shares the lane: each poll downloads for its slice, the next goes on."""
    releases.add("0.1.0")
    releases.add("0.1.1", change="blob = '" + random.Random(3).randbytes(1_500_000).hex() + "'")
    flow = UpdateFlow(lambda: update_service("0.1.0"), current="0.1.0", clock=Clock())
    first = flow.poll(slice_s=0)  # one piece, then its turn is over
    assert (first.phase, first.available) == (Phase.DOWNLOADING, "0.1.1")
    assert 0 < first.done_bytes < first.total_bytes
    assert flow.more
    seen = [first.done_bytes]
    while flow.more:
        seen.append(flow.poll(slice_s=0).done_bytes)
    assert flow.status.phase is Phase.READY
    assert seen == sorted(seen)  # each slice went on from the part: never from the start
    assert seen[-1] == flow.status.total_bytes
    assert not flow.more
