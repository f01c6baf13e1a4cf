"""The window's updater without Qt (update/flow.py): when checks are due, what the status
says after each step, against the reference central's repository."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pser_desk.update.flow import CHECK_EVERY, RETRY_AFTER, Phase, UpdateFlow
from pser_desk.update.service import Setup, UpdateService
from tests.plugins.updates import MakeUpdater, Releases


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
