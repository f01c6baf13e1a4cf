"""The scrypt cost of operator passwords: production's is at least OWASP's N=2^17, wired in
by the application (tests wire a lower one in, openly, through the same parameter)."""

from __future__ import annotations

import inspect
from pathlib import Path

from pser_desk import cli
from pser_desk.commands.base import Context
from pser_desk.security import passwords
from pser_desk.security.passwords import PRODUCTION_PARAMS, ScryptParams, hash_params
from pser_desk.store import StoreService


def test_production_cost_is_at_least_owasps_minimum() -> None:
    assert PRODUCTION_PARAMS.n >= 2**17
    assert (PRODUCTION_PARAMS.r, PRODUCTION_PARAMS.p) == (8, 1)
    assert ScryptParams() == PRODUCTION_PARAMS


def test_the_wiring_defaults_to_the_production_cost(tmp_path: Path) -> None:
    from pser_desk.commands.desk_access import open_desk_for

    assert Context(data_dir=tmp_path).password_cost is None  # None: production's
    assert inspect.signature(cli.main).parameters["password_cost"].default is None
    with open_desk_for(Context(data_dir=tmp_path / "cli")) as opened:
        assert opened.store.operators._params == PRODUCTION_PARAMS
    service = StoreService.open(None, tmp_path / "pc")
    try:
        service.operators.add("mgr1", "M", "manager", "kitchen-window-42", by=None)
        stored = service.operators._store  # the hash as the PC keeps it
        from pser_desk.store.models import KeyWrapRow, OperatorRow

        with stored.read() as session:
            row = session.get(OperatorRow, "mgr1")
            wrap = session.get(KeyWrapRow, "mgr1")
            assert row is not None
            assert wrap is not None
            assert hash_params(row.password_hash) == PRODUCTION_PARAMS
            assert wrap.params == "131072,8,1"
    finally:
        service.close()


def test_weaker_than() -> None:
    assert ScryptParams(2**15).weaker_than(PRODUCTION_PARAMS)
    assert not PRODUCTION_PARAMS.weaker_than(ScryptParams(2**15))
    assert not PRODUCTION_PARAMS.weaker_than(PRODUCTION_PARAMS)
    assert passwords.hash_params("not-a-hash") is None
