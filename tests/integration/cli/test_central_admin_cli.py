"""``central decide``, ``central fleet`` and the new ``central serve`` options, end to end.

Central runs as its own process (``central serve``); the commands run beside it on the
same state directory, as the district office would run them.
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.sync.client import CentralClient
from tests.plugins.central import (
    CentralHandle,
    StartCentral,
    build_submission,
    enrol_device,
    sample_heartbeat,
    submit_households,
)
from tests.plugins.cli import RunCli


def _decide(run_cli: RunCli, central: CentralHandle, *args: str) -> dict[str, object]:
    result = run_cli("central", "decide", "--state", str(central.state_dir), *args)
    assert result.code == 0, result.err
    decided: dict[str, object] = json.loads(result.out)
    return decided


def _refused(run_cli: RunCli, central: CentralHandle, *args: str) -> str:
    result = run_cli("central", "decide", "--state", str(central.state_dir), *args)
    assert result.code == 1
    assert result.err.count("\n") == 1
    return result.err


def test_decide_verifies_and_rejects_while_central_serves(
    central_process: StartCentral, run_cli: RunCli
) -> None:
    central = central_process()
    device = enrol_device(central)
    with device.client as client:
        sids = submit_households(device, 5)
        verified = _decide(run_cli, central, "--verify", sids[0], sids[1])
        assert (verified["status"], verified["decided"], verified["unchanged"]) == (
            "verified",
            2,
            [],
        )
        rejected = _decide(
            run_cli, central, "--reject", sids[2], "--reason-code", "duplicate_member",
            "--reason", "The spouse is registered at RWP-0100 under PSER-26-000000041.",
        )  # fmt: skip
        assert (rejected["status"], rejected["decided"]) == ("rejected", 1)
        report = client.submission_statuses(sids)
        assert [report.verdicts[s].status for s in sids] == [
            VerdictStatus.VERIFIED, VerdictStatus.VERIFIED, VerdictStatus.REJECTED,
            VerdictStatus.RECEIVED, VerdictStatus.RECEIVED,
        ]  # fmt: skip
        third = report.verdicts[sids[2]]
        assert third.reason_code is ReasonCode.DUPLICATE_MEMBER
        assert third.reason == "The spouse is registered at RWP-0100 under PSER-26-000000041."
        assert third.decided_at is not None
        rest = _decide(run_cli, central, "--verify-all")
        assert rest["decided"] == 2
        assert _decide(run_cli, central, "--verify-all")["decided"] == 0
        again = _decide(run_cli, central, "--verify", sids[0])
        assert (again["decided"], again["unchanged"]) == (0, [sids[0]])
        final = client.submission_statuses(sids)
        assert final.verdicts[sids[2]].status is VerdictStatus.REJECTED
        assert all(v.final for v in final.verdicts.values())
    stats = run_cli("central", "stats", "--json", "--state", str(central.state_dir))
    assert json.loads(stats.out)["verdicts"] == {"received": 0, "verified": 4, "rejected": 1}


def test_decide_refuses_with_one_line_and_changes_nothing(
    central_process: StartCentral, run_cli: RunCli, tmp_path: Path
) -> None:
    central = central_process()
    device = enrol_device(central)
    with device.client as client:
        sids = submit_households(device, 2)
        _decide(run_cli, central, "--verify", sids[0])
        assert "final" in _refused(run_cli, central, "--reject", sids[0], "--reason-code", "other")
        never = str(uuid.uuid4())
        assert never in _refused(run_cli, central, "--verify", sids[1], never)
        assert "--reason-code" in _refused(run_cli, central, "--reject", sids[1])
        assert "personal" in _refused(
            run_cli, central, "--reject", sids[1], "--reason-code", "other",
            "--reason", "Head 35202-1234567-1 is someone else",
        )  # fmt: skip
        assert "--reject" in _refused(
            run_cli, central, "--verify", sids[1], "--reason-code", "other"
        )
        assert "UUID" in _refused(run_cli, central, "--verify", "LHR-0042-20261124-0001")
        verdict = client.submission_status(sids[1])
        assert verdict is not None
        assert verdict.status is VerdictStatus.RECEIVED  # none of the refusals changed it
        # an id pasted in capitals is the canonical one central stores, not an unknown one
        assert _decide(run_cli, central, "--verify", sids[1].upper())["decided"] == 1
    nowhere = run_cli("central", "decide", "--state", str(tmp_path / "nowhere"), "--verify-all")
    assert (nowhere.code, nowhere.err.count("\n")) == (1, 1)
    assert not (tmp_path / "nowhere").exists()
    usage = run_cli("central", "decide", "--state", str(central.state_dir))
    assert usage.code == 2


def test_decide_in_other_processes_while_households_pour_in(
    central_process: StartCentral, run_cli_process: RunCli
) -> None:
    """Central's writes and ``decide``'s never trip over each other (SQLite WAL, one writer)."""
    central = central_process()
    device = enrol_device(central)
    sent: list[str] = []

    def send(_: int) -> None:
        for _ in range(15):
            body, sid = build_submission(central.encryption_key)
            assert device.client.submit(body, sid).status == 201
            sent.append(sid)

    with device.client as client, ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(send, n) for n in range(4)]
        decided, rounds = 0, 0
        while True:
            finished = all(f.done() for f in futures)  # one more round after the last send
            state = str(central.state_dir)
            result = run_cli_process("central", "decide", "--state", state, "--verify-all")
            assert result.code == 0, result.err
            decided += json.loads(result.out)["decided"]
            rounds += 1
            if finished:
                break
        for future in futures:
            future.result()
        report = client.submission_statuses(sent)
    assert rounds > 1
    assert len(sent) == 60
    assert decided == 60
    assert {v.status for v in report.verdicts.values()} == {VerdictStatus.VERIFIED}


def test_auto_decide_verifies_and_rejects_every_kth(central_process: StartCentral) -> None:
    central = central_process(extra=["--auto-decide", "after=0,reject=3,reason_code=incomplete"])
    device = enrol_device(central)
    with device.client as client:
        sids = submit_households(device, 6)
        deadline = time.monotonic() + 30
        while True:
            report = client.submission_statuses(sids)
            if all(v.final for v in report.verdicts.values()) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    statuses = [report.verdicts[sid].status.value for sid in sids]
    assert statuses == ["verified", "verified", "rejected"] * 2  # tracking numbers 3 and 6
    assert {report.verdicts[sids[2]].reason_code, report.verdicts[sids[5]].reason_code} == {
        ReasonCode.INCOMPLETE
    }


def _fleet(run_cli: RunCli, central: CentralHandle, *args: str) -> dict[str, object]:
    result = run_cli("central", "fleet", "--json", "--state", str(central.state_dir), *args)
    assert result.code == 0, result.err
    view: dict[str, object] = json.loads(result.out)
    return view


def test_fleet_shows_each_pcs_last_heartbeat(
    central_process: StartCentral, run_cli: RunCli
) -> None:
    central = central_process()
    (central.state_dir / "central-config.json").write_text(
        json.dumps({"min_app_version": "0.2.1", "heartbeat_s": 600}), encoding="utf-8"
    )
    busy = enrol_device(central)
    silent = enrol_device(central, centre="RWP-0100")
    with busy.client as client:
        client.heartbeat(sample_heartbeat(app_version="0.2.0", queued=7))
    silent.client.close()
    view = _fleet(run_cli, central)
    assert view["heartbeat_s"] == 600
    devices = {d["device_id"]: d for d in view["devices"]}  # type: ignore[attr-defined]
    seen = devices[busy.device_id]
    assert seen["centre_code"] == "LHR-0042"
    assert seen["app_version"] == "0.2.0"
    assert seen["queue"]["queued"] == 7
    assert seen["oldest_unsent_at"] == "2026-11-24T08:01:11Z"
    assert seen["clock_offset_s"] == -2.4
    assert seen["last_heartbeat_at"].endswith("Z")
    assert (seen["late"], seen["update_required"], seen["revoked"]) == (False, True, False)
    unheard = devices[silent.device_id]
    assert (unheard["last_heartbeat_at"], unheard["queue"], unheard["late"]) == (None, None, True)
    assert unheard["app_version"] == "test"  # what it said at enrolment
    only = _fleet(run_cli, central, "--centre", "RWP-0100")
    assert [d["device_id"] for d in only["devices"]] == [silent.device_id]  # type: ignore[attr-defined]
    table = run_cli("central", "fleet", "--state", str(central.state_dir))
    assert table.code == 0, table.err
    header, *rows = table.out.splitlines()
    assert header.split()[:3] == ["DEVICE", "CENTRE", "VERSION"]
    busy_row = next(row for row in rows if row.startswith(busy.device_id))
    assert busy_row.split()[1:5] == ["LHR-0042", "0.2.0", seen["last_heartbeat_at"], "7"]
    assert "UPDATE REQUIRED" in busy_row
    silent_row = next(row for row in rows if row.startswith(silent.device_id))
    assert "never" in silent_row
    assert "LATE" in silent_row


def test_serve_checks_its_new_options(run_cli: RunCli, tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{", encoding="utf-8")
    out_of_range = tmp_path / "range.json"
    out_of_range.write_text(json.dumps({"retention_days": 0}), encoding="utf-8")
    for args, words in [
        (["--config", str(tmp_path / "missing.json")], "does not exist"),
        (["--config", str(bad_json)], "not valid JSON"),
        (["--config", str(out_of_range)], "retention_days"),
        (["--updates", str(tmp_path / "no-repo")], "not a folder"),
        (["--auto-decide", "after=soon"], "after"),
        (["--faults", "p503=0.5,on=nowhere"], "on="),
        (["--faults", "p503=0.5", "--faults", "drop=0.5,on=submit+heartbeat"], "submit"),
    ]:
        result = run_cli("central", "serve", "--port", "0", "--state", state, *args)
        assert (result.code, result.err.count("\n")) == (1, 1), (args, result.err)
        assert words in result.err


def test_serve_with_a_config_file_given_reads_it_again_when_it_changes(
    central_process: StartCentral, tmp_path: Path
) -> None:
    config = tmp_path / "pcs-config.json"
    config.write_text(json.dumps({"status_poll_s": 120}), encoding="utf-8")
    central = central_process(extra=["--config", str(config)])
    device = enrol_device(central)
    with device.client as client:
        assert client.heartbeat(sample_heartbeat()).config.status_poll_s == 120
        config.write_text(json.dumps({"status_poll_s": 3600, "heartbeat_s": 300}), encoding="utf-8")
        reply = client.heartbeat(sample_heartbeat())
    assert (reply.config.status_poll_s, reply.config.heartbeat_s) == (3600, 300)


@pytest.mark.parametrize("command", ["fleet", "decide"])
def test_admin_commands_on_a_database_file(
    central_process: StartCentral, run_cli: RunCli, command: str
) -> None:
    central = central_process()
    db = central.state_dir / "central.sqlite3"
    extra = ["--verify-all"] if command == "decide" else ["--json"]
    result = run_cli("central", command, "--db", f"sqlite:///{db}", *extra)
    assert result.code == 0, result.err
    with CentralClient(central.url) as client:
        assert client.health().status == "ok"
