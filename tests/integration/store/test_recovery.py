"""A manager's recovery actions: restore checks everything before touching the live
database (issue 13 item 1), and an empty or missing database on a PC that was in use is
never taken for a first run (item 2)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pser_desk.store import Store, migrate
from pser_desk.store.backup import backup
from pser_desk.store.engine import make_engine
from pser_desk.store.errors import StoreUnavailable
from tests.plugins.cli import RunCli
from tests.plugins.store import MANAGER_PASSWORD, make_kit, sample_record


def _centre(data_dir: Path, records: int = 3) -> Path:
    """A data folder in use: a manager, an operator, drafts and a daily backup."""
    store = Store.open(data_dir=data_dir)
    kit = make_kit(store)
    kit.add_operator(kit.add_manager())
    for n in range(records):
        kit.records.save_draft(sample_record(n), operator_id="op1")
    backup(store, data_dir / "backups" / "pser-20261124.db")
    store.close()
    return data_dir / "pser.db"


def _drafts(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        conn.close()


def _restore(run_cli: RunCli, file: Path, password: str = MANAGER_PASSWORD) -> object:
    return run_cli("restore", str(file), "--as", "mgr1", stdin=f"{password}\n")


# ------------------------------------------------------------------ item 1: restore


def test_restoring_the_live_file_onto_itself_changes_nothing(
    run_cli: RunCli, data_dir: Path
) -> None:
    db = _centre(data_dir)
    before = _drafts(db)
    result = run_cli("restore", str(db), "--as", "mgr1", stdin=f"{MANAGER_PASSWORD}\n")
    assert result.code == 1
    assert "live database itself" in result.err
    assert _drafts(db) == before
    assert run_cli("queue", "--json").code == 0
    assert not list(data_dir.glob("pser.db.before-restore-*"))


def test_restore_needs_a_managers_password(run_cli: RunCli, data_dir: Path) -> None:
    db = _centre(data_dir)
    copy = data_dir.parent / "copy.db"
    assert run_cli("backup", "--out", str(copy)).code == 0
    wrong = run_cli("restore", str(copy), "--as", "mgr1", stdin="not-the-password-1\n")
    assert wrong.code == 1
    assert "password" in wrong.err
    by_operator = run_cli("restore", str(copy), "--as", "op1", stdin="orange-bicycle-77\n")
    assert by_operator.code == 1
    assert "manager" in by_operator.err
    no_one = run_cli("restore", str(copy))
    assert no_one.code == 2  # --as is required
    assert not list(data_dir.glob("pser.db.before-restore-*"))
    assert _drafts(db) == 3


def test_restore_refuses_a_backup_of_another_installation(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    db = _centre(data_dir, records=2)
    other = _centre(tmp_path / "other-pc", records=5)  # same manager id and password
    result = run_cli("restore", str(other), "--as", "mgr1", stdin=f"{MANAGER_PASSWORD}\n")
    assert result.code == 1
    assert "another installation" in result.err
    assert _drafts(db) == 2


def test_restore_refuses_a_database_of_an_unknown_schema(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    db = _centre(data_dir, records=2)
    future = tmp_path / "future.db"
    assert run_cli("backup", "--out", str(future)).code == 0
    conn = sqlite3.connect(future)
    conn.execute("UPDATE alembic_version SET version_num = 'from_a_newer_desk'")
    conn.commit()
    conn.close()
    result = _restore(run_cli, future)
    assert result.code == 1  # type: ignore[attr-defined]
    assert "schema" in result.err  # type: ignore[attr-defined]
    assert _drafts(db) == 2


def test_a_good_restore_swaps_and_keeps_the_previous_database(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    db = _centre(data_dir, records=2)
    saved = tmp_path / "saved.db"
    assert run_cli("backup", "--out", str(saved)).code == 0
    store = Store.open(data_dir=data_dir)
    make_kit(store).records.save_draft(sample_record(50), operator_id="op1")
    store.close()
    assert _drafts(db) == 3
    result = _restore(run_cli, saved)
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    out = json.loads(result.out)  # type: ignore[attr-defined]
    assert _drafts(db) == 2
    assert _drafts(Path(out["previous_kept_as"])) == 3
    assert run_cli("audit", "verify").code == 0


# ------------------------------------------------------------------ item 2: empty or missing


def test_a_zero_length_database_on_a_pc_in_use_is_refused_with_the_newest_backup(
    data_dir: Path,
) -> None:
    db = _centre(data_dir)
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(b"")
    with pytest.raises(StoreUnavailable, match=r"empty.*pser-desk restore .*pser-20261124\.db"):
        Store.open(data_dir=data_dir)
    assert db.read_bytes() == b""


def test_a_missing_database_with_an_enrolled_identity_is_refused(data_dir: Path) -> None:
    db = _centre(data_dir)
    for old in (data_dir / "backups").iterdir():
        old.unlink()
    (data_dir / "identity").mkdir(exist_ok=True)
    (data_dir / "identity" / "device-id").write_text("dev_1\n")
    for extra in ("", "-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    with pytest.raises(StoreUnavailable, match="was in use"):
        Store.open(data_dir=data_dir)
    assert not db.exists()


def test_an_empty_schema_on_a_pc_in_use_cannot_take_a_new_first_manager(
    run_cli: RunCli, data_dir: Path
) -> None:
    db = _centre(data_dir)
    for extra in ("", "-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")  # an empty database, made by hand
    migrate.upgrade(engine)
    engine.dispose()
    result = run_cli("operator", "add", "intruder", "--name", "X", "--role", "manager",
                     stdin="a-brand-new-pass-1\na-brand-new-pass-1\n")  # fmt: skip
    assert result.code == 1
    assert "pser-desk restore" in result.err
    assert "pser-20261124.db" in result.err


def test_a_first_run_is_still_a_first_run(run_cli: RunCli, data_dir: Path) -> None:
    result = run_cli("operator", "add", "mgr1", "--name", "M", "--role", "manager",
                     stdin=f"{MANAGER_PASSWORD}\n{MANAGER_PASSWORD}\n")  # fmt: skip
    assert result.code == 0, result.err
    again = run_cli("operator", "list")
    assert again.code == 0, again.err


@pytest.mark.parametrize("live_left", [True, False])
def test_a_crafted_backup_with_a_planted_installation_key_is_refused(
    run_cli: RunCli, data_dir: Path, tmp_path: Path, live_left: bool
) -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from pser_desk.security import vault

    db = _centre(data_dir, records=2)
    crafted = tmp_path / "crafted.db"
    assert run_cli("backup", "--out", str(crafted)).code == 0
    conn = sqlite3.connect(crafted)
    conn.execute("UPDATE installation_key SET public_key = ?",
                 (vault.public_bytes(X25519PrivateKey.generate()),))  # fmt: skip
    conn.commit()
    conn.close()
    if not live_left:  # the worst case: no live database and no marker to compare with
        for extra in ("", "-wal", "-shm"):
            Path(f"{db}{extra}").unlink(missing_ok=True)
        (data_dir / "identity" / "installation-key").unlink()
    result = _restore(run_cli, crafted)
    assert result.code == 1  # type: ignore[attr-defined]
    assert ("another installation" if live_left else "altered") in result.err  # type: ignore[attr-defined]
    assert db.exists() is live_left


def test_restore_refuses_while_the_window_is_open(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    """The window keeps pser.db open (Windows cannot replace it; Linux would let the window
    write into the file moved aside): restore waits until the window is closed."""
    db = _centre(data_dir, records=2)
    saved = tmp_path / "saved.db"
    assert run_cli("backup", "--out", str(saved)).code == 0
    store = Store.open(data_dir=data_dir)
    make_kit(store).records.save_draft(sample_record(60), operator_id="op1")
    store.close()
    window = subprocess.Popen(  # another process holds the window's lock, as the desk does
        [sys.executable, "-c", HOLD_THE_DESK_LOCK, str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert window.stdout is not None
        assert window.stdout.readline().strip() == "held"
        refused = _restore(run_cli, saved)
        assert refused.code != 0  # type: ignore[attr-defined]
        assert "close its window" in refused.err  # type: ignore[attr-defined]
        assert _drafts(db) == 3
    finally:
        window.terminate()
        window.communicate(timeout=10)
    result = _restore(run_cli, saved)
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    assert _drafts(db) == 2


HOLD_THE_DESK_LOCK = """
import sys, time
from pathlib import Path
from pser_desk.desk_lock import DeskLock
lock = DeskLock(Path(sys.argv[1]))
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""
