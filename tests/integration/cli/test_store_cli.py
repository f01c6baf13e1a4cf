"""The store's commands, end to end in-process: operators, record add/list, queue, audit,
backup and restore, a damaged database at start."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pser_desk.store import DeviceRepository, Store
from tests.plugins.cli import RunCli
from tests.plugins.store import make_identity

MGR_PW = "kitchen-window-42"
OP_PW = "orange-bicycle-77"


def setup_centre(run_cli: RunCli, data_dir: Path) -> None:
    assert run_cli("operator", "add", "mgr1", "--name", "Manager One", "--role", "manager",
                   stdin=f"{MGR_PW}\n{MGR_PW}\n").code == 0  # fmt: skip
    result = run_cli("operator", "add", "op1", "--name", "Operator One", "--role", "operator",
                     "--as", "mgr1", stdin=f"{MGR_PW}\n{OP_PW}\n{OP_PW}\n")  # fmt: skip
    assert result.code == 0, result.err
    store = Store.open(data_dir=data_dir)
    DeviceRepository(store).save(make_identity(X25519PrivateKey.generate()))
    store.close()


def example(run_cli: RunCli, seed: int) -> dict[str, Any]:
    result = run_cli("record", "example", "--seed", str(seed))
    assert result.code == 0, result.err
    record: dict[str, Any] = json.loads(result.out)
    return record


def add_record(run_cli: RunCli, tmp_path: Path, record: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / f"{record['submission_id']}.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = run_cli("record", "add", str(path), "--operator", "op1", stdin=f"{OP_PW}\n")
    assert result.code == 0, result.err
    out: dict[str, Any] = json.loads(result.out)
    return out


def test_first_account_and_policy_messages(run_cli: RunCli) -> None:
    result = run_cli("operator", "add", "op1", "--name", "X", "--role", "operator",
                     stdin=f"{OP_PW}\n{OP_PW}\n")  # fmt: skip
    assert (result.code, result.err.count("\n")) == (1, 1)
    assert "first account" in result.err
    result = run_cli("operator", "add", "mgr1", "--name", "X", "--role", "manager",
                     stdin="35202-1234567-1\n35202-1234567-1\n")  # fmt: skip
    assert result.code == 1
    assert "not a CNIC" in result.err
    result = run_cli("operator", "add", "mgr1", "--name", "X", "--role", "manager",
                     stdin=f"{MGR_PW}\n{MGR_PW}x\n")  # fmt: skip
    assert "differ" in result.err


def test_record_add_list_queue(run_cli: RunCli, data_dir: Path, tmp_path: Path) -> None:
    setup_centre(run_cli, data_dir)
    added = add_record(run_cli, tmp_path, example(run_cli, 1))
    assert set(added) == {"submission_id", "receipt_no", "state"}
    assert added["state"] == "queued"
    assert added["receipt_no"].startswith("LHR-0042-")
    listed = [json.loads(line) for line in run_cli("record", "list", "--json").lines]
    assert [r["submission_id"] for r in listed] == [added["submission_id"]]
    for key in ("submission_id", "receipt_no", "state", "tracking_id", "operator_id",
                "created_at", "queued_at"):  # fmt: skip
        assert key in listed[0]
    assert listed[0]["tracking_id"] is None
    queue = json.loads(run_cli("queue", "--json").out)
    assert queue["counts"]["queued"] == 1
    assert queue["oldest_unsent_age_seconds"] >= 0


def test_record_add_rejects_bad_input(run_cli: RunCli, data_dir: Path, tmp_path: Path) -> None:
    setup_centre(run_cli, data_dir)
    record = example(run_cli, 2)
    record["head"]["cnic"] = "98989"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = run_cli("record", "add", str(path), "--operator", "op1", stdin=f"{OP_PW}\n")
    assert result.code == 1
    assert "head.cnic" in result.err
    assert "98989" not in result.err  # the value itself is never echoed
    wrong = run_cli("record", "add", str(path), "--operator", "op1", stdin="nope-nope-nope\n")
    assert (wrong.code, "wrong operator id or password" in wrong.err) == (1, True)
    missing = run_cli(
        "record", "add", str(tmp_path / "none.json"), "--operator", "op1", stdin=f"{OP_PW}\n"
    )
    assert missing.code == 1
    assert run_cli("record", "list", "--json").lines == []


def test_record_add_from_stdin(run_cli: RunCli, data_dir: Path) -> None:
    setup_centre(run_cli, data_dir)
    record = example(run_cli, 3)
    result = run_cli(
        "record", "add", "-", "--operator", "op1", stdin=f"{OP_PW}\n{json.dumps(record)}"
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["submission_id"] == record["submission_id"]
    again = run_cli(
        "record", "add", "-", "--operator", "op1", stdin=f"{OP_PW}\n{json.dumps(record)}"
    )
    assert again.code == 1
    assert "already queued" in again.err


def test_operator_disable_reset_and_list(run_cli: RunCli, data_dir: Path) -> None:
    setup_centre(run_cli, data_dir)
    assert run_cli("operator", "disable", "op1", "--as", "op1", stdin=f"{OP_PW}\n").code == 1
    assert run_cli("operator", "disable", "op1", "--as", "mgr1", stdin=f"{MGR_PW}\n").code == 0
    listed = {o["id"]: o for o in map(json.loads, run_cli("operator", "list", "--json").lines)}
    assert listed["op1"]["disabled"] is True
    new = "violet-lantern-19"
    assert (
        run_cli("operator", "reset", "op1", "--as", "mgr1", stdin=f"{MGR_PW}\n{new}\n{new}\n").code
        == 0
    )
    listed = {o["id"]: o for o in map(json.loads, run_cli("operator", "list", "--json").lines)}
    assert listed["op1"]["disabled"] is False


def test_audit_verify_catches_a_tampered_row(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    setup_centre(run_cli, data_dir)
    add_record(run_cli, tmp_path, example(run_cli, 4))
    ok = run_cli("audit", "verify", "--json")
    assert (ok.code, json.loads(ok.out)["ok"]) == (0, True)
    conn = sqlite3.connect(data_dir / "pser.db")
    conn.execute("UPDATE audit_log SET actor = 'someone' WHERE seq = 3")
    conn.commit()
    conn.close()
    broken = run_cli("audit", "verify")
    assert broken.code != 0
    assert "entry 3" in broken.err


def test_audit_verify_catches_a_deleted_row(run_cli: RunCli, data_dir: Path) -> None:
    setup_centre(run_cli, data_dir)
    conn = sqlite3.connect(data_dir / "pser.db")
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.commit()
    conn.close()
    broken = run_cli("audit", "verify")
    assert broken.code != 0
    assert "entry 2" in broken.err


def test_backup_and_restore(run_cli: RunCli, data_dir: Path, tmp_path: Path) -> None:
    setup_centre(run_cli, data_dir)
    first = add_record(run_cli, tmp_path, example(run_cli, 5))
    out = tmp_path / "b" / "backup.db"
    made = run_cli("backup", "--out", str(out))
    assert made.code == 0, made.err
    add_record(run_cli, tmp_path, example(run_cli, 6))
    assert len(run_cli("record", "list", "--json").lines) == 2
    restored = run_cli("restore", str(out), "--as", "mgr1", stdin=f"{MGR_PW}\n")
    assert restored.code == 0, restored.err
    listed = [
        json.loads(line)["submission_id"] for line in run_cli("record", "list", "--json").lines
    ]
    assert listed == [first["submission_id"]]
    assert json.loads(restored.out)["previous_kept_as"]
    assert run_cli("audit", "verify").code == 0


def test_restore_refuses_a_file_that_is_not_a_backup(run_cli: RunCli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"nonsense" * 100)
    result = run_cli("restore", str(junk), "--as", "mgr1", stdin=f"{MGR_PW}\n")
    assert result.code == 1
    assert "not a sound database backup" in result.err


@pytest.mark.allow_log_warnings
def test_corrupt_database_at_start_says_how_to_restore(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    setup_centre(run_cli, data_dir)
    assert run_cli("backup", "--out", str(data_dir / "backups" / "pser-20261124.db")).code == 0
    db = data_dir / "pser.db"
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(b"\x00garbage" * 4096)
    result = run_cli("queue", "--json")
    assert result.code == 1
    assert "pser-desk restore" in result.err
    assert db.read_bytes() == b"\x00garbage" * 4096
    fixed = run_cli("restore", str(data_dir / "backups" / "pser-20261124.db"), "--as", "mgr1",
                    stdin=f"{MGR_PW}\n")  # fmt: skip
    assert fixed.code == 0, fixed.err
    assert run_cli("queue", "--json").code == 0


@pytest.mark.parametrize(
    "name",
    ["Ali\nmgr9\tmanager\tactive", "Ali\r", "Ali\u202eilA", "Ali\u2066x", "A\x1b[31mli",
     "Ali\u2028Khan", "Ali\u200fKhan"],
)  # fmt: skip
def test_operator_names_refuse_control_and_bidi_characters(run_cli: RunCli, name: str) -> None:
    result = run_cli("operator", "add", "mgr1", "--name", name, "--role", "manager",
                     stdin=f"{MGR_PW}\n{MGR_PW}\n")  # fmt: skip
    assert result.code == 1
    assert "name" in result.err
    assert result.err.count("\n") == 1


def test_urdu_names_with_zero_width_non_joiner_are_kept(run_cli: RunCli) -> None:
    name = "محمد\u200cعلی"
    result = run_cli("operator", "add", "mgr1", "--name", name, "--role", "manager",
                     stdin=f"{MGR_PW}\n{MGR_PW}\n")  # fmt: skip
    assert result.code == 0, result.err
    listed = run_cli("operator", "list")
    assert listed.lines == [f"mgr1\tmanager\tactive\t{name}"]


def test_operator_list_prints_one_line_per_operator_even_for_an_old_bad_name(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    setup_centre(run_cli, data_dir)
    conn = sqlite3.connect(data_dir / "pser.db")
    conn.execute("UPDATE operators SET name = ? WHERE id = 'op1'", ("Op\nmgr2\tmanager",))
    conn.commit()
    conn.close()
    listed = run_cli("operator", "list")
    assert len(listed.lines) == 2
    assert listed.lines[1].startswith("op1\toperator\tactive\t")
    assert "\\n" in listed.lines[1]


def test_backup_out_never_follows_a_symlink_onto_another_file(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    setup_centre(run_cli, data_dir)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / "backup.db"
    link.symlink_to(victim)
    result = run_cli("backup", "--out", str(link))
    assert result.code == 1
    assert "symbolic link" in result.err
    assert victim.read_text() == "precious\n"
    assert link.is_symlink()


def test_backup_out_never_writes_over_a_device_or_a_fifo(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    import os
    import stat

    setup_centre(run_cli, data_dir)
    device = tmp_path / "null-device"
    os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    fifo = tmp_path / "a-fifo"
    os.mkfifo(fifo)
    for target in (device, fifo):
        result = run_cli("backup", "--out", str(target))
        assert result.code == 1
        assert "not a regular file" in result.err
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_audit_verify_catches_an_installation_key_changed_outside_the_desk(
    run_cli: RunCli, data_dir: Path
) -> None:
    setup_centre(run_cli, data_dir)
    assert run_cli("audit", "verify").code == 0
    conn = sqlite3.connect(data_dir / "pser.db")
    conn.execute("UPDATE installation_key SET public_key = ? WHERE id = 1", (b"\x07" * 32,))
    conn.commit()
    conn.close()
    broken = run_cli("audit", "verify")
    assert broken.code == 3
    assert "installation key" in broken.err
    refused = run_cli("record", "list", "--json")
    assert refused.code == 0  # listing needs no key
    login = run_cli("operator", "disable", "op1", "--as", "mgr1", stdin=f"{MGR_PW}\n")
    assert login.code == 1
    assert "altered" in login.err
