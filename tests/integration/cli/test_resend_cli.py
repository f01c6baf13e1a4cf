"""``pser-desk record resend``: a manager sends a failed record again (same bytes)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pser_desk.security.envelope import b64u_encode, raw_public
from pser_desk.store import StoreService
from tests.plugins.central import CentralHandle
from tests.plugins.cli import RunCli

MANAGER = "kitchen-window-42"
OPERATOR = "orange-bicycle-77"


def test_a_manager_resends_a_failed_record_and_an_operator_cannot(
    run_cli: RunCli, central_server: CentralHandle, data_dir: Path
) -> None:
    assert run_cli("operator", "add", "mgr1", "--name", "M", "--role", "manager",
                   stdin=f"{MANAGER}\n{MANAGER}\n").code == 0  # fmt: skip
    assert run_cli("operator", "add", "op1", "--name", "O", "--role", "operator", "--as", "mgr1",
                   stdin=f"{MANAGER}\n{OPERATOR}\n{OPERATOR}\n").code == 0  # fmt: skip
    token = central_server.new_token("LHR-0042")
    enrolled = run_cli("enroll", "--central", central_server.url, "--centre", "LHR-0042",
                       "--token", token)  # fmt: skip
    assert enrolled.code == 0, enrolled.err
    # Seal one record to a key central does not hold: central answers 400 bad_envelope.
    service = StoreService.open(None, data_dir)
    try:
        right = service.device.require()
        wrong = b64u_encode(raw_public(X25519PrivateKey.generate().public_key()))
        service.device.save(replace(right, central_encryption_key=wrong))
    finally:
        service.close()
    example = run_cli("record", "example", "--seed", "9").out
    added = run_cli("record", "add", "-", "--operator", "op1", stdin=f"{OPERATOR}\n{example}")
    assert added.code == 0, added.err
    sid = json.loads(added.out)["submission_id"]
    synced = run_cli("sync", "--once")
    assert json.loads(synced.out)["failed"] == 1

    by_operator = run_cli("record", "resend", sid, "--as", "op1", stdin=f"{OPERATOR}\n")
    assert by_operator.code != 0
    assert len(by_operator.err.strip().splitlines()) == 1
    resent = run_cli("record", "resend", sid, "--as", "mgr1", stdin=f"{MANAGER}\n")
    assert resent.code == 0, resent.err
    assert json.loads(resent.out)["state"] == "queued"
    again = run_cli("record", "resend", sid, "--as", "mgr1", stdin=f"{MANAGER}\n")
    assert again.code == 1
    assert "only a failed record" in again.err
    unknown = run_cli("record", "resend", "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10", "--as", "mgr1",
                      stdin=f"{MANAGER}\n")  # fmt: skip
    assert unknown.code == 1
    assert "no record" in unknown.err
