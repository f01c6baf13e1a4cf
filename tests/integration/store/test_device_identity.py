"""Each PC's enrolment: one row per device in the database, its one record; each PC finds
its own row by the device key in its data folder (issue 14: no identity copy on disk)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select

from pser_desk.security.device import DeviceKey
from pser_desk.security.envelope import b64u_encode
from pser_desk.store import DeviceRepository, Store
from pser_desk.store.device import LEGACY_IDENTITY, LEGACY_MARKER
from pser_desk.store.models import DeviceRow
from tests.plugins.postgres import PostgresServer
from tests.plugins.store import make_identity


def _new_key(data_dir: Path) -> str:
    """This PC's device key (as enrolment writes it); its public half, b64u."""
    key = DeviceKey.generate()
    key.save(data_dir)
    return b64u_encode(key.public_raw())


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
    two_pcs: tuple[Store, Store], tmp_path: Path
) -> None:
    first, second = (DeviceRepository(store) for store in two_pcs)
    key = X25519PrivateKey.generate()
    one = replace(make_identity(key), device_id="dev_counter1", device_name="Counter 1")
    two = replace(make_identity(key), device_id="dev_counter2", device_name="Counter 2")
    _new_key(tmp_path / "pc1")
    first.save(one)
    assert first.current() == one
    assert second.current() is None  # PC 2 has not enrolled yet
    _new_key(tmp_path / "pc2")
    second.save(two)
    assert first.current() == one
    assert second.current() == two
    again = replace(one, device_id="dev_counter1b", central_url="http://127.0.0.1:8/api/v1")
    _new_key(tmp_path / "pc1")  # a re-enrolment makes a new device key first
    first.save(again, replacing="dev_counter1")  # replaces PC 1's own row, never PC 2's
    assert first.current() == again
    assert second.current() == two
    with two_pcs[0].read() as session:
        assert session.scalar(select(func.count()).select_from(DeviceRow)) == 2
    assert not (tmp_path / "pc1" / LEGACY_MARKER).exists()  # nothing but the database


def test_a_database_opened_without_a_data_folder_has_its_one_row(
    store_url: str, tmp_path: Path
) -> None:
    identity = make_identity(X25519PrivateKey.generate())
    with_url_only = Store.open(store_url)
    try:
        DeviceRepository(with_url_only).save(identity)  # a tool: no data folder, no key
        assert DeviceRepository(with_url_only).current() == identity
    finally:
        with_url_only.close()
    reopened = Store.open(store_url, data_dir=tmp_path / "pc")
    try:
        found = DeviceRepository(reopened).current()
        if reopened.dialect == "sqlite":
            assert found == identity
        else:  # shared: only a PC whose device key the database knows claims a row
            assert found is None
    finally:
        reopened.close()


def test_re_enrolment_on_a_pcs_own_sqlite_file_replaces_its_row(tmp_path: Path) -> None:
    store = Store.open(None, data_dir=tmp_path / "pc")
    try:
        repo = DeviceRepository(store)
        first = make_identity(X25519PrivateKey.generate())
        _new_key(tmp_path / "pc")
        repo.save(first)
        second = replace(first, device_id="dev_test2", central_url="http://127.0.0.1:8/api/v1")
        _new_key(tmp_path / "pc")
        repo.save(second, replacing=first.device_id)
        assert repo.current() == second
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(DeviceRow)) == 1
        assert [k.device_id for k in repo.signing_keys() if k.retired_at] == [first.device_id]
    finally:
        store.close()


@pytest.mark.postgres
def test_a_pc_enrolled_by_an_older_version_is_adopted_once(
    two_pcs: tuple[Store, Store], tmp_path: Path
) -> None:
    """Before issue 14 a PC kept a marker (``identity/device-id``) and a copy of its
    enrolment (``identity/device.json``): the row they name gets the PC's device key, and
    the copies go; the database is the one record from then on."""
    first = DeviceRepository(two_pcs[0])
    identity = replace(make_identity(X25519PrivateKey.generate()), device_id="dev_old1")
    older = Store.open(two_pcs[0].engine.url.render_as_string(hide_password=False))
    try:
        DeviceRepository(older).save(identity)  # as an old version saved it: no key
    finally:
        older.close()
    pc1 = tmp_path / "pc1"
    _new_key(pc1)
    (pc1 / LEGACY_MARKER).write_text("dev_old1\n", encoding="ascii")
    (pc1 / LEGACY_IDENTITY).write_text("{}", encoding="utf-8")
    assert first.current() == identity  # found through the old marker
    assert first.adopt_legacy() is True
    assert not (pc1 / LEGACY_MARKER).exists()
    assert not (pc1 / LEGACY_IDENTITY).exists()
    assert first.current() == identity  # now found by the device key
    assert first.adopt_legacy() is False  # once
