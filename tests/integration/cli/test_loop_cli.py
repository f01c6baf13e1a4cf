"""The loop with central from the command line (issue 16): ``pser-desk agent`` (a real
process: keeps sending after the window is closed, stops on SIGTERM and SIGINT within
10 s), ``info --json``, ``sync --once`` standing aside for the agent, ``record list
--json`` with central's verdicts, ``record dismiss``. Real central on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.store.engine import DB_FILENAME
from tests.plugins.central import CentralHandle
from tests.plugins.cli import RunCli

MANAGER = "kitchen-window-42"
OPERATOR = "orange-bicycle-77"
INFO_KEYS = {"app_version", "device_id", "centre_code", "config", "config_source",
             "last_heartbeat_at", "sender"}  # fmt: skip


def _centre(run_cli: RunCli, central: CentralHandle) -> None:
    assert run_cli("operator", "add", "mgr1", "--name", "M", "--role", "manager",
                   stdin=f"{MANAGER}\n{MANAGER}\n").code == 0  # fmt: skip
    assert run_cli("operator", "add", "op1", "--name", "O", "--role", "operator", "--as", "mgr1",
                   stdin=f"{MANAGER}\n{OPERATOR}\n{OPERATOR}\n").code == 0  # fmt: skip
    enrolled = run_cli("enroll", "--central", central.url, "--centre", "LHR-0042",
                       "--token", central.new_token("LHR-0042"))  # fmt: skip
    assert enrolled.code == 0, enrolled.err


def _add(run_cli: RunCli, seed: int) -> str:
    example = run_cli("record", "example", "--seed", str(seed)).out
    added = run_cli("record", "add", "-", "--operator", "op1", stdin=f"{OPERATOR}\n{example}")
    assert added.code == 0, added.err
    sid = json.loads(added.out)["submission_id"]
    assert isinstance(sid, str)
    return sid


def _records(run_cli: RunCli) -> dict[str, dict[str, object]]:
    listed = run_cli("record", "list", "--json")
    assert listed.code == 0, listed.err
    return {row["submission_id"]: row for row in map(json.loads, listed.lines)}


def _wait(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError("timed out")


def _ask_again(data_dir: Path) -> None:
    """Time passes: every household may be asked about again (status_poll_s)."""
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    with conn:
        conn.execute("UPDATE records SET status_checked_at = NULL")
    conn.close()


def test_info_json_has_exactly_its_keys_before_and_after_enrolment(
    run_cli: RunCli, central_server: CentralHandle
) -> None:
    before = run_cli("info", "--json")
    assert before.code == 0, before.err
    data = json.loads(before.out)
    assert set(data) == INFO_KEYS
    assert (data["device_id"], data["config_source"], data["sender"]) == (None, "default", None)
    assert data["config"]["retention_days"] == 30
    _centre(run_cli, central_server)
    run_cli("sync", "--once")  # sync heartbeats when one is due: never sent, so now
    after = json.loads(run_cli("info", "--json").out)
    assert set(after) == INFO_KEYS
    assert after["device_id"].startswith("dev_")
    assert after["centre_code"] == "LHR-0042"
    assert after["config_source"] == "central"
    assert after["last_heartbeat_at"].endswith("Z")


def test_verdicts_in_record_list_and_a_manager_dismisses_a_rejection(
    run_cli: RunCli, central_server: CentralHandle, data_dir: Path
) -> None:
    _centre(run_cli, central_server)
    rejected, verified = _add(run_cli, 1), _add(run_cli, 2)
    first = run_cli("sync", "--until-empty", "--timeout", "60")
    assert first.code == 0, first.err
    assert json.loads(first.out)["acknowledged"] == 2
    rows = _records(run_cli)
    assert {rows[s]["verdict"] for s in rows} == {"received"}
    assert {rows[s]["purged"] for s in rows} == {False}
    assert central_server.service is not None
    central_server.service.decide([rejected], VerdictStatus.REJECTED, ReasonCode.DUPLICATE_MEMBER)
    central_server.service.decide([verified], VerdictStatus.VERIFIED)
    _ask_again(data_dir)
    once = run_cli("sync", "--once")
    assert once.code == 0, once.err
    report = json.loads(once.out)
    assert report["verdicts"] == {"asked": 2, "verified": 1, "rejected": 1, "error": None}
    rows = _records(run_cli)
    assert rows[rejected]["verdict"] == "rejected"
    assert rows[rejected]["reason_code"] == "duplicate_member"
    assert "already registered in another household" in str(rows[rejected]["reason"])
    assert str(rows[rejected]["decided_at"]).endswith("Z")
    assert (rows[verified]["verdict"], rows[verified]["reason_code"]) == ("verified", None)

    by_operator = run_cli("record", "dismiss", rejected, "--as", "op1", stdin=f"{OPERATOR}\n")
    assert by_operator.code == 1
    assert len(by_operator.err.strip().splitlines()) == 1
    not_rejected = run_cli("record", "dismiss", verified, "--as", "mgr1", stdin=f"{MANAGER}\n")
    assert not_rejected.code == 1
    assert "only a household central rejected" in not_rejected.err
    dismissed = run_cli("record", "dismiss", rejected, "--as", "mgr1", stdin=f"{MANAGER}\n")
    assert dismissed.code == 0, dismissed.err
    assert json.loads(dismissed.out)["dismissed_at"].endswith("Z")
    again = run_cli("record", "dismiss", rejected, "--as", "mgr1", stdin=f"{MANAGER}\n")
    assert again.code == 1
    assert "already" in again.err
    assert _records(run_cli)[rejected]["dismissed_at"] is not None


def _agent(data_dir: Path, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PSER_DESK_SYNC_BACKOFF": "0.2,1"}
    with (tmp_path / "agent.err").open("w", encoding="utf-8") as log:  # the child keeps its own
        return subprocess.Popen(
            [sys.executable, "-m", "pser_desk", "--data-dir", str(data_dir), "agent",
             "--every", "1"],
            stdout=subprocess.DEVNULL, stderr=log, text=True, env=env,
        )  # fmt: skip


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, "agent --stop"])
def test_the_agent_sends_while_the_window_is_closed_and_stops_on_a_signal(
    run_cli: RunCli, central_server: CentralHandle, data_dir: Path, tmp_path: Path,
    make_desk: Callable[..., object], stop: signal.Signals | str,
) -> None:  # fmt: skip
    from tests.plugins.gui import DeskKit

    _centre(run_cli, central_server)
    window = make_desk(operators=False)
    assert isinstance(window, DeskKit)
    first = _add(run_cli, 1)
    agent = _agent(data_dir, tmp_path)
    try:
        _wait(lambda: _records(run_cli)[first]["state"] == "acknowledged")
        # the agent holds the queue: the window's pass and 'sync' stand aside, no error
        _wait(lambda: json.loads(run_cli("info", "--json").out)["sender"] is not None)
        sender = json.loads(run_cli("info", "--json").out)["sender"]
        assert (sender["kind"], sender["pid"]) == ("agent", agent.pid)
        assert window.desk.sending.pass_once() is not None
        holder = window.desk.sending.holder()
        assert holder is not None
        assert holder.kind == "agent"
        synced = run_cli("sync", "--once")
        assert synced.code == 0, synced.err
        assert json.loads(synced.out)["held_by"]["kind"] == "agent"
        figures = window.desk.dashboard.figures(window.login("mgr1", MANAGER))
        assert figures.sender is not None
        assert figures.sender.kind == "agent"
        window.desk.close()  # the operator closes the window at the end of the day
        later = [_add(run_cli, seed) for seed in (2, 3)]
        _wait(lambda: all(_records(run_cli)[s]["state"] == "acknowledged" for s in later))
        assert central_server.households() == 3
        started = time.monotonic()
        if isinstance(stop, str):  # Windows' way: no console to send Ctrl+C to
            asked = run_cli("agent", "--stop")
            assert asked.code == 0, asked.err
            assert json.loads(asked.out) == {"stopped": True}
        else:
            agent.send_signal(stop)
        assert agent.wait(timeout=10) == 0
        assert time.monotonic() - started < 10
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait(5)
    assert json.loads(run_cli("info", "--json").out)["sender"] is None  # the lease given back
    assert "Traceback" not in (tmp_path / "agent.err").read_text(encoding="utf-8")


def test_after_retention_the_slip_says_why_and_the_report_still_counts_it(
    run_cli: RunCli, central_server: CentralHandle, data_dir: Path, tmp_path: Path
) -> None:
    _centre(run_cli, central_server)
    sid = _add(run_cli, 5)
    assert run_cli("sync", "--until-empty", "--timeout", "60").code == 0
    assert central_server.service is not None
    central_server.service.decide([sid], VerdictStatus.VERIFIED)
    _ask_again(data_dir)
    assert json.loads(run_cli("sync", "--once").out)["verdicts"]["verified"] == 1
    receipt = str(_records(run_cli)[sid]["receipt_no"])
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    with conn:  # 31 days pass (the default retention is 30)
        conn.execute("UPDATE records SET decided_at = datetime(decided_at, '-31 days')")
    conn.close()
    purged = run_cli("sync", "--once")
    assert json.loads(purged.out)["purged"] == 1
    assert _records(run_cli)[sid]["purged"] is True
    slip = run_cli("slip", receipt, "--out", str(tmp_path / "slip.pdf"), "--operator", "op1",
                   stdin=f"{OPERATOR}\n")  # fmt: skip
    assert slip.code == 1
    assert len(slip.err.strip().splitlines()) == 1
    assert "verified by central" in slip.err
    assert "safe at central" in slip.err
    assert not (tmp_path / "slip.pdf").exists()
    report = run_cli("report", "daily", "--out", str(tmp_path / "day.csv"), "--json")
    assert report.code == 0, report.err
    assert json.loads(report.out)["verified"] == 1
    assert json.loads(report.out)["acknowledged"] == 1


def test_the_agent_stops_within_10_s_while_a_request_hangs_on_the_wire(
    run_cli: RunCli, central_process: Callable[..., CentralHandle], data_dir: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    central = central_process(faults="slow=1,slow_s=60,on=submit")
    _centre(run_cli, central)
    sid = _add(run_cli, 4)
    agent = _agent(data_dir, tmp_path)
    try:
        _wait(lambda: _records(run_cli)[sid]["state"] == "sending")  # on the wire, hanging
        started = time.monotonic()
        agent.send_signal(signal.SIGTERM)
        assert agent.wait(timeout=10) == 0
        assert time.monotonic() - started < 10
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait(5)
    assert json.loads(run_cli("info", "--json").out)["sender"] is None
    # the next sender takes the record back into the queue (same bytes, same id)
    recovered = json.loads(run_cli("queue", "--json").out)
    assert recovered["unsent"] == 1


def test_sync_until_empty_waits_for_the_verdicts_due_and_says_when_it_gives_up(
    run_cli: RunCli, central_process: Callable[..., CentralHandle], data_dir: Path
) -> None:
    central = central_process(faults="p503=1,on=status_batch")
    _centre(run_cli, central)
    _add(run_cli, 6)
    started = time.monotonic()
    result = run_cli("sync", "--until-empty", "--timeout", "5")
    assert time.monotonic() - started >= 5  # it waited for the question due now
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1
    assert "1 household(s) still to ask central about" in result.err
    report = json.loads(result.out)
    assert (report["acknowledged"], report["unsent"], report["verdicts_due"]) == (1, 0, 1)
    assert report["verdicts"]["asked"] == 0
    assert report["verdicts"]["error"] == "CentralUnavailable"


def test_agent_stop_with_no_agent_running_and_an_old_request_stops_nobody_later(
    run_cli: RunCli, central_server: CentralHandle, data_dir: Path, tmp_path: Path
) -> None:
    _centre(run_cli, central_server)
    started = time.monotonic()
    asked = run_cli("agent", "--stop")
    assert asked.code == 0, asked.err
    assert json.loads(asked.out) == {"stopped": True}
    assert time.monotonic() - started < 6
    agent = _agent(data_dir, tmp_path)  # the request left behind is not for this one
    try:
        _wait(lambda: json.loads(run_cli("info", "--json").out)["sender"] is not None)
        time.sleep(1.5)
        assert agent.poll() is None
    finally:
        agent.send_signal(signal.SIGTERM)
        assert agent.wait(timeout=10) == 0


def test_update_wait_stops_the_agent_and_starts_it_again_from_the_new_version(
    run_cli: RunCli, central_server: CentralHandle, data_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Issue 17 with 16: the per-machine updater replaces the installation's folder, which
    Windows refuses while the background sender runs from it. ``update wait`` (the desk's
    user, from the staged copy) asks the agent to stop first and starts it again from the
    installed program once the updater has finished."""
    from pser_desk.update import machine
    from pser_desk.update.machine import MachineStatus, StatusFile, machine_dir

    _centre(run_cli, central_server)
    agent = _agent(data_dir, tmp_path)
    started = tmp_path / "started.txt"
    program = tmp_path / "pser-desk"  # stands for the installed program: notes its arguments
    program.write_text(f'#!/bin/sh\necho "$@" > "{started}"\n', encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PROGRAMDATA", str(tmp_path / "ProgramData"))
    StatusFile(machine_dir()).write(
        MachineStatus(phase="installed", version="0.2.0", previous="0.1.0", request="r1")
    )
    try:
        _wait(lambda: json.loads(run_cli("info", "--json").out)["sender"] is not None)
        waited = run_cli("update", "wait", "--request", "r1", "--agent", str(program))
        assert waited.code == 0, waited.err
        assert agent.wait(timeout=10) == 0  # stopped before the folder is replaced
        _wait(started.exists, timeout=10)
        _wait(lambda: started.read_text(encoding="utf-8").strip() != "", timeout=10)
        assert started.read_text(encoding="utf-8").split() == [
            "--data-dir", str(data_dir), "agent"]  # fmt: skip
        assert machine._detached[-1].wait(timeout=10) == 0
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait(5)
