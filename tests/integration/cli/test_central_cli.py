"""``pser-desk central ...`` and ``pser-desk enroll`` end to end."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from pser_desk.domain.enrolment import DeviceIdentity
from pser_desk.security.device import DeviceKey, key_path
from pser_desk.store import StoreService
from tests.plugins.central import CENTRE, CentralHandle, StartCentral
from tests.plugins.cli import RunCli


def _enrolment(data_dir: Path) -> DeviceIdentity | None:
    store = StoreService.open(None, data_dir)
    try:
        return store.device.current()
    finally:
        store.close()


def test_enroll_saves_key_and_identity_and_refuses_a_second_time(
    central_server: CentralHandle, run_cli: RunCli, data_dir: Path
) -> None:
    token = central_server.new_token()
    result = run_cli(
        "enroll",
        "--central",
        central_server.url,
        "--centre",
        CENTRE,
        "--token",
        token,
        "--name",
        "Counter 3",
    )
    assert result.code == 0, result.err
    printed = json.loads(result.out)
    assert printed["device_id"].startswith("dev_")
    assert printed["centre"]["code"] == CENTRE
    assert printed["centre"]["district"] == "Lahore"
    identity = _enrolment(data_dir)  # the database is the enrolment's one record
    assert identity is not None
    assert (identity.device_id, identity.device_name, identity.central_url) == (
        printed["device_id"], "Counter 3", central_server.url,
    )  # fmt: skip
    assert stat.S_IMODE(key_path(data_dir).stat().st_mode) == 0o600
    assert [p.name for p in (data_dir / "identity").iterdir()] == ["device_ed25519.key"]
    # no copy of the enrolment beside the database (issue 14): the key file only
    again = run_cli(
        "enroll",
        "--central",
        central_server.url,
        "--centre",
        CENTRE,
        "--token",
        central_server.new_token(),
    )
    assert again.code == 1
    assert len(again.err.strip().splitlines()) == 1
    assert "--force" in again.err


def test_forced_re_enrolment_gets_a_new_device_and_key(
    central_server: CentralHandle, run_cli: RunCli, data_dir: Path
) -> None:
    args = ("enroll", "--central", central_server.url, "--centre", CENTRE, "--token")
    first = json.loads(run_cli(*args, central_server.new_token()).out)
    old_key = DeviceKey.load(data_dir).public_raw()
    second = run_cli(*args, central_server.new_token(), "--force")
    assert second.code == 0, second.err
    assert json.loads(second.out)["device_id"] != first["device_id"]
    assert DeviceKey.load(data_dir).public_raw() != old_key


def test_a_refused_token_is_one_line_and_leaves_nothing_behind(
    central_server: CentralHandle, run_cli: RunCli, data_dir: Path
) -> None:
    result = run_cli(
        "enroll", "--central", central_server.url, "--centre", CENTRE, "--token", "AAAA-BBBB-CCCC"
    )
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "token" in result.err
    assert not key_path(data_dir).exists()
    assert _enrolment(data_dir) is None


def test_enroll_refuses_plain_http_off_loopback_and_bad_centre(run_cli: RunCli) -> None:
    off = run_cli(
        "enroll", "--central", "http://10.1.2.3/api/v1", "--centre", CENTRE, "--token", "T"
    )
    assert (off.code, off.err.count("\n")) == (1, 1)
    assert "loopback" in off.err
    bad = run_cli(
        "enroll", "--central", "http://127.0.0.1:1/api/v1", "--centre", "lahore", "--token", "T"
    )
    assert (bad.code, bad.err.count("\n")) == (1, 1)
    down = run_cli(
        "enroll", "--central", "http://127.0.0.1:1/api/v1", "--centre", CENTRE, "--token", "T"
    )
    assert (down.code, down.err.count("\n")) == (1, 1)


def test_token_new_revoke_stats_and_publish(run_cli: RunCli, tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    token = run_cli(
        "central",
        "token",
        "new",
        "--centre",
        "FSD-0007",
        "--name",
        "Jaranwala Road",
        "--state",
        state,
    )
    assert token.code == 0, token.err
    assert len(token.out.strip()) == 14
    assert (
        json.loads(run_cli("central", "token", "new", "--json", "--state", state).out)[
            "centre_code"
        ]
        is None
    )
    form = tmp_path / "form.json"
    form.write_text(json.dumps({"form_id": "pser-household", "version": "2025.1", "sections": []}))
    published = run_cli("central", "form", "publish", str(form), "--state", state)
    assert json.loads(published.out) == {"form_id": "pser-household", "version": "2025.1"}
    stats = json.loads(run_cli("central", "stats", "--json", "--state", state).out)
    assert (stats["households"], stats["devices"]) == (0, 0)
    missing = run_cli("central", "device", "revoke", "dev_nobody", "--state", state)
    assert (missing.code, missing.err.count("\n")) == (1, 1)
    assert run_cli("central", "token", "new", "--centre", "bad", "--state", state).code == 1
    assert run_cli("central", "serve", "--faults", "p503=2", "--state", state).code == 1
    assert run_cli("central", "stats", "--db", "postgresql://x/y").code == 1


def test_serve_prints_its_url_enrols_with_preloaded_tokens_and_revokes(
    central_process: StartCentral, run_cli: RunCli, tmp_path: Path
) -> None:
    central = central_process(tokens="TOK1-AAAA-BBBB,TOK2-AAAA-BBBB")
    assert central.url.startswith("http://127.0.0.1:")
    assert central.url.endswith("/api/v1")
    enrolled = run_cli(
        "enroll", "--central", central.url, "--centre", "RWP-0100", "--token", "TOK2-AAAA-BBBB"
    )
    assert enrolled.code == 0, enrolled.err
    device_id = json.loads(enrolled.out)["device_id"]
    revoked = run_cli("central", "device", "revoke", device_id, "--state", str(central.state_dir))
    assert revoked.code == 0, revoked.err
    assert "revoked" in revoked.out
    assert central.process is not None
    central.process.terminate()
    assert central.process.wait(timeout=15) == 0
