"""Store fixtures: a migrated store on SQLite and on PostgreSQL, services, sample records.

``store_url`` is parametrised over both back-ends, so a test using ``kit`` (or ``store``)
is the repository contract, run once per back-end. Sample records are synthetic
(made-up names, CNICs and phones), distinct per seed so the privacy test can look for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pser_desk.security.envelope import b64u_encode, raw_public
from pser_desk.security.passwords import ScryptParams
from pser_desk.store import (
    DeviceIdentity,
    DeviceRepository,
    LoginSession,
    OperatorService,
    Outbox,
    RecordService,
    Store,
)
from pser_desk.store.sealing import new_submission_id
from tests.plugins.postgres import PostgresServer

FAST_SCRYPT = ScryptParams(n=2**10, r=8, p=1)
MANAGER_PASSWORD = "kitchen-window-42"
OPERATOR_PASSWORD = "orange-bicycle-77"
TEMPLATE_DB = "pser_template"


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 24, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class _Issue:
    path: str
    code: str
    message_key: str = ""


class AcceptAllValidator:
    """Stands in for the form validator where a test is about storage, not the form."""

    form_id = "pser-household"
    form_version = "2024.1"

    def __init__(self, reject: Sequence[tuple[str, str]] = ()) -> None:
        self.reject = [_Issue(path, code) for path, code in reject]

    def validate(self, record: Mapping[str, Any], today: date | None = None) -> Sequence[_Issue]:
        return self.reject


def stamped(
    record: Mapping[str, Any], sid: str | None = None, form_version: str = "2024.1"
) -> dict[str, Any]:
    """*record* as the application layer hands it to the store: with its submission id
    (a new one unless *sid*) and the form it names (``pser_desk.desk.records.stamp``)."""
    return {**record, "submission_id": sid or record.get("submission_id") or new_submission_id(),
            "form_id": record.get("form_id") or "pser-household",
            "form_version": record.get("form_version") or form_version}  # fmt: skip


def sample_record(seed: int) -> dict[str, Any]:
    """A synthetic household: unique name words, CNIC digits and phone per *seed*; a new
    submission id each time, stamped as the application layer stamps records."""
    tag = f"{seed:05d}"
    return stamped({
        "head": {"cnic": f"35202{tag}{seed % 7 + 1:02d}1", "name": f"Zarqoon Head{tag}",
                 "mobile": f"0300{seed:07d}"},
        "members": [
            {"cnic_or_bform": f"35202{tag}{seed % 7 + 1:02d}2", "name": f"Pelvani Spouse{tag}",
             "relation": "spouse"},
        ],
        "address": {"line": f"House {tag} Qorvani Street"},
        "answers": {"rooms": 2},
    })  # fmt: skip


@dataclass
class StoreKit:
    store: Store
    clock: FakeClock
    operators: OperatorService
    records: RecordService
    outbox: Outbox
    device: DeviceRepository
    central_key: X25519PrivateKey

    def add_manager(self, operator_id: str = "mgr1") -> LoginSession:
        self.operators.add(operator_id, "Manager", "manager", MANAGER_PASSWORD, by=None)
        return self.operators.login(operator_id, MANAGER_PASSWORD)

    def add_operator(self, by: LoginSession, operator_id: str = "op1") -> str:
        self.operators.add(operator_id, "Operator", "operator", OPERATOR_PASSWORD, by=by)
        return operator_id

    def enrol(self, centre_code: str = "LHR-0042") -> DeviceIdentity:
        identity = make_identity(self.central_key, centre_code)
        self.device.save(identity)
        return identity


def make_identity(central_key: X25519PrivateKey, centre_code: str = "LHR-0042") -> DeviceIdentity:
    return DeviceIdentity(
        device_id="dev_test1", centre_code=centre_code, centre_name="Test Centre",
        district="Lahore", tehsil="Lahore City", central_url="http://127.0.0.1:9/api/v1",
        central_encryption_key=b64u_encode(raw_public(central_key.public_key())),
        central_signing_key=b64u_encode(b"\x01" * 32),
        enrolled_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC), device_name="Counter 1",
    )  # fmt: skip


def make_kit(store: Store, validator: Any = None) -> StoreKit:
    clock = FakeClock()
    return StoreKit(
        store=store, clock=clock,
        operators=OperatorService(store, clock=clock, params=FAST_SCRYPT),
        records=RecordService(store, validator=validator or AcceptAllValidator(), clock=clock),
        outbox=Outbox(store, clock=clock), device=DeviceRepository(store),
        central_key=X25519PrivateKey.generate(),
    )  # fmt: skip


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    postgres_server.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    store = Store.open(postgres_server.url(TEMPLATE_DB))
    store.close()
    return TEMPLATE_DB


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'pser.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("postgres_template")
    return server.create_database(template=template)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def kit(store: Store) -> StoreKit:
    return make_kit(store)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'store' / 'pser.db'}")
    try:
        yield opened
    finally:
        opened.close()
