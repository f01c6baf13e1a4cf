"""The CNIC index of the duplicate check (issue 15): one contract on SQLite and PostgreSQL.

Keyed digests only: the key comes from the installation key a sign-in unwraps, the same
for every operator of the store; another installation's digests differ; no number is
ever stored in clear.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import inspect

from pser_desk.security.cnic_digest import CnicDigester
from pser_desk.store.cnic_index import CnicIndex
from tests.plugins.store import StoreKit, sample_record

HEAD, SPOUSE = "3520212345671", "3520212345672"


@pytest.fixture
def ready(kit: StoreKit):
    manager = kit.add_manager()
    kit.add_operator(manager)
    kit.enrol()
    return kit, manager


def _queued(kit: StoreKit) -> str:
    return kit.records.queue(sample_record(1), operator_id="op1").submission_id


def test_every_operator_of_the_store_derives_the_same_digests(ready) -> None:
    kit, manager = ready
    operator = kit.operators.login("op1", "orange-bicycle-77")
    by_manager = CnicDigester.for_installation(manager.installation_key).digest(HEAD)
    by_operator = CnicDigester.for_installation(operator.installation_key).digest(HEAD)
    assert by_manager == by_operator
    assert len(by_manager) == 64
    assert HEAD not in by_manager
    other = CnicDigester.for_installation(X25519PrivateKey.generate()).digest(HEAD)
    assert other != by_manager  # another installation cannot look our numbers up
    with pytest.raises(ValueError, match="13 digits"):
        CnicDigester.for_installation(manager.installation_key).digest("35202")


def test_a_number_is_found_in_other_saved_households_only(ready) -> None:
    kit, manager = ready
    index = CnicIndex(kit.store)
    digester = CnicDigester.for_installation(manager.installation_key)
    first, second = _queued(kit), _queued(kit)
    draft = kit.records.save_draft(sample_record(2), operator_id="op1")
    index.replace(first, [(digester.digest(HEAD), "head"), (digester.digest(SPOUSE), "member")])
    index.replace(draft, [(digester.digest(SPOUSE), "member")])
    [hit] = index.find([digester.digest(SPOUSE)])
    assert (hit.submission_id, hit.role) == (first, "member")
    assert hit.receipt_no == kit.records.get(first).receipt_no
    assert index.find([digester.digest(HEAD)], excluding=first) == []  # its own household
    assert index.unindexed(10) == [second]  # the draft is never listed
    index.replace(first, [(digester.digest(SPOUSE), "member")])  # a correction: HEAD gone
    assert index.find([digester.digest(HEAD)]) == []
    assert index.unindexed(10) == [second]


def test_the_migration_made_the_table(ready) -> None:
    kit, _ = ready
    columns = {c["name"] for c in inspect(kit.store.engine).get_columns("cnic_index")}
    assert columns == {"digest", "submission_id", "role"}


def test_no_number_is_stored_in_clear(tmp_path: Path, sqlite_store) -> None:
    from tests.plugins.store import make_kit

    kit = make_kit(sqlite_store)
    manager = kit.add_manager()
    kit.add_operator(manager)
    kit.enrol()
    sid = _queued(kit)
    digester = CnicDigester.for_installation(manager.installation_key)
    CnicIndex(kit.store).replace(sid, [(digester.digest(HEAD), "head")])
    sqlite_store.close()
    raw = b"".join(p.read_bytes() for p in (tmp_path / "store").glob("pser.db*"))
    assert HEAD.encode() not in raw
    assert digester.digest(HEAD).encode() in raw
