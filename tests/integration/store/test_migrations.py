"""Migrations: an empty database goes to head; a database filled at the previous head too."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from pser_desk.domain.records import FieldProblem
from pser_desk.store import Store, migrate
from pser_desk.store.engine import make_engine
from tests.plugins.store import make_kit

PREVIOUS_HEAD = "0001_initial"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_empty_database_to_head(empty_url: str) -> None:
    store = Store.open(empty_url)
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        tables = set(inspect(store.engine).get_table_names())
        assert {"operators", "records", "audit_log", "receipt_sequences", "device_keys"} <= tables
        assert "settings" not in tables  # this PC's settings are one file (issue 14)
        columns = {c["name"] for c in inspect(store.engine).get_columns("records")}
        assert "corrections" in columns
    finally:
        store.close()


def test_filled_previous_head_upgrades_with_data_intact(empty_url: str) -> None:
    engine = make_engine(empty_url)
    migrate.upgrade(engine, PREVIOUS_HEAD)
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO operators VALUES ('mgr0','Old','manager','x',false,0,NULL,:t)"),
                     {"t": now})  # fmt: skip
        conn.execute(
            text("INSERT INTO records (submission_id, form_id, form_version, state, operator_id,"
                 " created_at, updated_at, sealed_local, attempts, receipt_no) VALUES"
                 " ('0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10','pser-household','2024.1','acknowledged',"
                 " 'mgr0', :t, :t, :b, 1, 'LHR-0042-20261120-0001')"),
            {"t": now, "b": b"sealed"},
        )  # fmt: skip
        conn.execute(text("INSERT INTO receipt_sequences VALUES ('LHR-0042','20261120',1)"))
    engine.dispose()
    store = Store.open(empty_url)
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        kit = make_kit(store)
        [old] = kit.records.list()
        assert (old.receipt_no, old.member_count, old.created_at) == (
            "LHR-0042-20261120-0001",
            None,
            now,
        )
        assert kit.operators.get("mgr0").name == "Old"
    finally:
        store.close()


def test_a_record_returned_before_0006_keeps_what_central_found(empty_url: str) -> None:
    """0006 keeps central's 422 details whole and structured: a record returned before
    (its details as JSON text in ``last_error``) has them as corrections afterwards."""
    engine = make_engine(empty_url)
    migrate.upgrade(engine, "0005_cnic_index")
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    details = '[{"field": "head.cnic", "message": "does not match NADRA"}]'
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO operators VALUES ('mgr0','Old','manager','x',false,0,NULL,:t)"),
                     {"t": now})  # fmt: skip
        conn.execute(
            text("INSERT INTO records (submission_id, form_id, form_version, state, operator_id,"
                 " created_at, updated_at, sealed_local, attempts, receipt_no, last_error_code,"
                 " last_error) VALUES ('0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10','pser-household',"
                 " '2024.1','needs_correction','mgr0', :t, :t, :b, 1, 'LHR-0042-20261120-0001',"
                 " 'validation', :e)"),
            {"t": now, "b": b"sealed", "e": details},
        )  # fmt: skip
    engine.dispose()
    store = Store.open(empty_url)
    try:
        [returned] = make_kit(store).records.list()
        assert returned.corrections == (FieldProblem("head.cnic", "does not match NADRA"),)
    finally:
        store.close()


def test_the_shipped_head_read_as_text_is_alembics_head() -> None:
    assert migrate.shipped_head() == migrate.head_revision()


def test_opening_a_current_store_does_not_import_alembic(tmp_path: Path) -> None:
    """Start-up pays for Alembic only when the schema is behind (it costs ~0.2 s)."""
    import subprocess
    import sys

    Store.open(f"sqlite:///{tmp_path / 'c.db'}").close()
    current_url = f"sqlite:///{tmp_path / 'c.db'}"
    probe = (
        "import sys; from pser_desk.store import Store; "
        f"Store.open({current_url!r}).close(); "
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
    behind = tmp_path / "b.db"
    migrate.upgrade(make_engine(f"sqlite:///{behind}"), PREVIOUS_HEAD)
    probe = probe.replace("c.db", "b.db")
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "True"  # behind: Alembic upgrades it
    engine = make_engine(f"sqlite:///{behind}")
    try:
        assert migrate.is_current(engine)
    finally:
        engine.dispose()
