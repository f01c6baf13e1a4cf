"""The updater in the window (gui/updates.py): the status bar follows a check and a
download made on the network lane, the Help menu checks at once and answers, the
manager's "install and restart" waits for no household to be open, and a verified update
is installed when the window closes (against the reference central's repository)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from pser_desk.desk.updates import Updates
from pser_desk.domain.releases import Channel
from pser_desk.gui.updates import UpdateControls, UpdateDriver
from pser_desk.update.flow import Phase, UpdateFlow
from pser_desk.update.install import Installation
from pser_desk.update.service import Setup, UpdateService
from tests.plugins.gui import MANAGER
from tests.plugins.updates import MakeUpdater, Releases, UpdatesCentral, script_bundle

pytestmark = pytest.mark.gui


def _controls(
    make_controller: Any, kit: Any, runner: Any, flow: UpdateFlow, registration: bool = False
) -> Any:
    controller = make_controller(kit, registration=registration)
    driver = UpdateDriver(Updates(flow), runner, controller, start_ms=0, more_ms=0)
    return controller, UpdateControls(controller, driver)


def test_the_status_bar_follows_the_download_and_the_help_menu_answers(
    qtbot: Any, make_controller: Any, make_desk: Any, runner: Any,
    releases: Releases, update_service: MakeUpdater, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    releases.add("0.1.0")
    flow = UpdateFlow(lambda: update_service("0.1.0"), current="0.1.0")
    controller, controls = _controls(make_controller, make_desk(), runner, flow)
    answers: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: answers.append(text))

    controls.action_check.trigger()
    qtbot.waitUntil(lambda: bool(answers), timeout=20_000)
    assert answers == ["PSER Desk 0.1.0 is the newest version."]
    assert controls.label.text() == ""

    releases.add("0.1.1", change="h = 1")
    seen: list[str] = []
    controls.driver.changed.connect(lambda _s: seen.append(controls.label.text()))
    controls.action_check.trigger()  # the check finds it; the slices download it
    qtbot.waitUntil(lambda: flow.status.phase is Phase.READY and not controls.driver.busy,
                    timeout=20_000)  # fmt: skip
    assert answers[1].startswith(("Downloading update 0.1.1: ", "Update 0.1.1 is ready"))
    assert controls.label.text() == "Update 0.1.1 is ready: it installs when PSER Desk closes."
    assert any(text.startswith("Downloading update 0.1.1: ") for text in seen) or seen
    assert not controls.action_install.isVisible()  # nobody signed in: no manager's word
    assert not controls.action_install.isEnabled()


def test_the_managers_word_waits_until_no_household_is_open(
    qtbot: Any, make_controller: Any, make_desk: Any, runner: Any,
    releases: Releases, update_service: MakeUpdater, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    releases.add("0.1.0")
    releases.add("0.1.1", change="i = 1")
    flow = UpdateFlow(lambda: update_service("0.1.0"), current="0.1.0")
    assert flow.poll().phase is Phase.READY
    kit = make_desk()
    controller, controls = _controls(make_controller, kit, runner, flow, registration=True)
    controller.login = kit.login(MANAGER[0], MANAGER[2])
    controls.update_access()
    assert controls.action_install.isVisible()
    assert controls.action_install.isEnabled()
    controller.window.show_page(controller.registration)  # a household is open
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: said.append(text))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _w, _t, text: asked.append(text)
                        or QMessageBox.StandardButton.Yes)  # fmt: skip
    controls.action_install.trigger()
    assert said == [
        "A household is open. Save it or go back to the dashboard, then install the update."
    ]
    assert not asked
    assert not controls.driver.restart_requested
    controller.show_dashboard()
    controls.action_install.trigger()
    assert asked == ["Install PSER Desk 0.1.1 now? The desk closes, installs it and opens again."]
    assert controls.driver.restart_requested


def test_a_verified_update_is_installed_when_the_window_closes(
    qtbot: Any, make_controller: Any, make_desk: Any, runner: Any, releases: Releases,
    updates_central: UpdatesCentral, tmp_path: Path, data_dir: Path,
) -> None:  # fmt: skip
    for version in ("0.1.0", "0.1.1"):
        bundle = script_bundle(releases.folder / f"script-{version}", version)
        releases.repo.add(bundle, version, Channel.STABLE, "gz", platform="linux-x86_64")
    data_dir.mkdir(exist_ok=True)
    kit = make_desk()
    for restart in (False, True):  # closed for the day; closed at the manager's word
        installation = Installation(script_bundle(tmp_path / f"pser-desk-{restart}", "0.1.0"))
        started: list[list[str]] = []
        setup = Setup(data_dir, central_url=updates_central.url, current="0.1.0",
                      root=releases.root, installation=installation)  # fmt: skip
        flow = UpdateFlow(lambda s=setup: UpdateService(s), current="0.1.0", spawn=started.append)
        assert flow.poll().phase is Phase.READY
        controller, controls = _controls(make_controller, kit, runner, flow)
        controls.driver.restart_requested = restart
        controller.window.close()
        controls.driver.at_close()
        assert installation.version == "0.1.1"
        window = [[str(installation.program), "--data-dir", str(data_dir)]]
        assert started == (window if restart else [])
