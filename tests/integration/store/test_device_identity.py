"""Each PC's enrolment: one row per device; each PC finds its own through its data folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select

from pser_desk.store import DeviceRepository, Store
from pser_desk.store.device import MARKER
from pser_desk.store.models import DeviceRow
from tests.plugins.postgres import PostgresServer
from tests.plugins.store import make_identity


@pytest.fixture
def two_pcs(postgres_server: PostgresServer, postgres_template: str, tmp_path: Path
            ) -> Iterator[tuple[Store, Store]]:  # fmt: skip
    """Two PCs of one centre on one PostgreSQL database, each with its own data folder."""
    url = postgres_server.create_database(template=postgres_template)
    first = Store.open(url, data_dir=tmp_path / "pc1")
    second = Store.open(url, data_dir=tmp_path / "pc2")
    try:
        yield first, second
    finally:
        first.close()
        second.close()


@pytest.mark.postgres
def test_two_pcs_sharing_a_database_each_keep_their_own_enrolment(
    two_pcs: tuple[Store, Store],
) -> None:
    first, second = (DeviceRepository(store) for store in two_pcs)
    key = X25519PrivateKey.generate()
    one = replace(make_identity(key), device_id="dev_counter1", device_name="Counter 1")
    two = replace(make_identity(key), device_id="dev_counter2", device_name="Counter 2")
    first.save(one)
    assert first.current() == one
    assert second.current() is None  # PC 2 has not enrolled yet
    second.save(two)
    assert first.current() == one
    assert second.current() == two
    again = replace(one, device_id="dev_counter1b", central_url="http://127.0.0.1:8/api/v1")
    first.save(again)  # re-enrolment replaces PC 1's own row, never PC 2's
    assert first.current() == again
    assert second.current() == two
    assert (Path(two_pcs[0].data_dir or "") / MARKER).read_text().strip() == "dev_counter1b"


def test_a_database_enrolled_before_the_marker_is_still_this_pcs(
    store_url: str, tmp_path: Path
) -> None:
    identity = make_identity(X25519PrivateKey.generate())
    with_url_only = Store.open(store_url)
    try:
        DeviceRepository(with_url_only).save(identity)  # no data folder: no marker written
    finally:
        with_url_only.close()
    reopened = Store.open(store_url, data_dir=tmp_path / "pc")
    try:
        found = DeviceRepository(reopened).current()
        if reopened.dialect == "sqlite":
            assert found == identity
        else:  # shared: only a PC that enrolled (and so has the marker) claims a row
            assert found is None
    finally:
        reopened.close()


def test_re_enrolment_on_a_pcs_own_sqlite_file_replaces_its_row(tmp_path: Path) -> None:
    store = Store.open(None, data_dir=tmp_path / "pc")
    try:
        repo = DeviceRepository(store)
        first = make_identity(X25519PrivateKey.generate())
        repo.save(first)
        second = replace(first, device_id="dev_test2", central_url="http://127.0.0.1:8/api/v1")
        repo.save(second)
        assert repo.current() == second
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(DeviceRow)) == 1
    finally:
        store.close()
