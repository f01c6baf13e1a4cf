"""Slips printed before a re-enrolment still verify: the history of this PC's signing keys
(public halves) is kept, and a slip is checked with the key current when it was printed
(issue 13 item 5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pser_desk.documents.slip_token import issue_token
from pser_desk.security.device import DeviceKey
from tests.plugins.central import CentralHandle
from tests.plugins.cli import RunCli

MANAGER = "kitchen-window-42"


def _enrol(run_cli: RunCli, central: CentralHandle, *extra: str) -> str:
    done = run_cli("enroll", "--central", central.url, "--centre", "LHR-0042",
                   "--token", central.new_token("LHR-0042"), *extra)  # fmt: skip
    assert done.code == 0, done.err
    return str(json.loads(done.out)["device_id"])


def _slip(run_cli: RunCli, tmp_path: Path, seed: int) -> Path:
    example = run_cli("record", "example", "--seed", str(seed)).out
    added = run_cli("record", "add", "-", "--operator", "mgr1", stdin=f"{MANAGER}\n{example}")
    assert added.code == 0, added.err
    receipt = json.loads(added.out)["receipt_no"]
    out = tmp_path / f"slip-{seed}.pdf"
    made = run_cli("slip", receipt, "--out", str(out), "--operator", "mgr1",
                   stdin=f"{MANAGER}\n")  # fmt: skip
    assert made.code == 0, made.err
    return out


def test_a_slip_printed_before_a_re_enrolment_still_verifies(
    run_cli: RunCli, central_server: CentralHandle, data_dir: Path, tmp_path: Path
) -> None:
    assert run_cli("operator", "add", "mgr1", "--name", "M", "--role", "manager",
                   stdin=f"{MANAGER}\n{MANAGER}\n").code == 0  # fmt: skip
    first_id = _enrol(run_cli, central_server)
    old_slip = _slip(run_cli, tmp_path, 3)
    old_key = DeviceKey.load(data_dir)
    second_id = _enrol(run_cli, central_server, "--force")
    assert second_id != first_id
    new_slip = _slip(run_cli, tmp_path, 4)

    old = run_cli("verify-slip", str(old_slip), "--json")
    assert old.code == 0, old.out + old.err
    info = json.loads(old.out)
    assert info["result"] == "genuine"
    assert info["slip"]["device_id"] == first_id
    assert info["key"].startswith(f"this PC's earlier device key ({first_id}")
    new = run_cli("verify-slip", str(new_slip), "--json")
    assert new.code == 0, new.out
    assert json.loads(new.out)["key"] == "this PC's device key"

    # the retired key cannot sign new slips: one dated after it was retired is forged
    late = issue_token(old_key, receipt_no="LHR-0042-20991231-0001",
                       submission_id="0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10",
                       cnic_digits="3520212345671", device_id=first_id,
                       issued_at=datetime.now(UTC) + timedelta(days=2))  # fmt: skip
    forged = run_cli("verify-slip", late, "--json")
    assert forged.code == 1
    assert json.loads(forged.out)["reason"] == "issued_after_key_retired"
