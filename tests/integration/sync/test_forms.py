"""Form definition updates against the real reference central service on 127.0.0.1.

Central serves the shipped 2024.1 file and a 2024.2 published into its database. The PC
fetches through the real client, verifies central's signature, parses with the domain
loader and keeps every version in a real SQLite store; records started under 2024.1 are
still judged, queued and accepted under 2024.1.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from pser_desk import paths
from pser_desk.central.keys import SIGNING_FILE
from pser_desk.central.protocol import Request, Response
from pser_desk.central.server import CentralServer
from pser_desk.central.service import CentralService
from pser_desk.domain.example import example_record
from pser_desk.domain.geography import load_geography
from pser_desk.domain.lifecycle import RecordState
from pser_desk.security.device import DeviceKey
from pser_desk.security.envelope import b64u_encode
from pser_desk.security.form_signing import sign_canonical, verify_canonical
from pser_desk.store import Store
from pser_desk.store.errors import Conflict
from pser_desk.store.forms import FormRegistry, FormRepository, StoredForm
from pser_desk.store.models import FormDefinitionRow
from pser_desk.store.records import RecordInvalid, RecordService
from pser_desk.store.validation import FormValidator
from pser_desk.sync.client import CentralClient
from pser_desk.sync.forms import FormRefused, update_form
from pser_desk.sync.worker import SyncWorker
from tests.plugins.store import StoreKit, make_identity, make_kit

FORM_ID = "pser-household"
NEW_FIELD = "has_solar_panels"


def shipped_definition() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (paths.forms_dir() / "pser-household-2024.1.json").read_text(encoding="utf-8")
    )
    return loaded


def definition_2024_2() -> dict[str, Any]:
    """2024.1 plus one required question: a 2024.1 record is not a valid 2024.2 record."""
    definition = copy.deepcopy(shipped_definition())
    definition["version"] = "2024.2"
    housing = next(s for s in definition["sections"] if s["id"] == "housing")
    housing["fields"].append(
        {"id": NEW_FIELD, "type": "yes_no", "required": True,
         "label": {"en": "Does the house have solar panels?", "ur": "کیا گھر میں سولر پینل ہیں؟"}}
    )  # fmt: skip
    return definition


@dataclass
class Central:
    service: CentralService
    server: CentralServer
    state_dir: Path
    stopped: bool = False

    def stop(self) -> None:
        if not self.stopped:
            self.server.stop()
            self.stopped = True

    @property
    def url(self) -> str:
        return self.server.url

    def restart(self, service_class: type[CentralService] = CentralService) -> Central:
        """Stop and start again on the same port (same state: devices, published forms)."""
        port = urlsplit(self.url).port
        assert port is not None
        self.stop()
        return start_central(self.state_dir, service_class, port)


def start_central(
    state_dir: Path, service_class: type[CentralService] = CentralService, port: int = 0
) -> Central:
    service = service_class(state_dir, forms_dir=paths.forms_dir())
    server = CentralServer(service, "127.0.0.1", port).start()
    return Central(service, server, state_dir)


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    handle = start_central(tmp_path / "central")
    try:
        yield handle
    finally:
        handle.stop()


@dataclass
class Pc:
    kit: StoreKit
    client: CentralClient
    signing_key: bytes
    operator: str

    def repository(self) -> FormRepository:
        return FormRepository(self.kit.store)

    def records(self) -> RecordService:
        """A record service with the store's per-version validator, as the app builds it."""
        validator = FormValidator.for_store(self.kit.store)
        return RecordService(self.kit.store, validator=validator, clock=self.kit.clock)

    def update(self) -> Any:
        return update_form(
            self.client, self.repository(), FORM_ID, self.signing_key, clock=self.kit.clock
        )


@pytest.fixture
def pc(tmp_path: Path, central: Central) -> Iterator[Pc]:
    store = Store.open(f"sqlite:///{tmp_path / 'pc' / 'pser.db'}")
    kit = make_kit(store)
    key = DeviceKey.generate()
    with CentralClient(central.url) as bootstrap:
        answer = bootstrap.enroll(
            "LHR-0042", central.service.new_token("LHR-0042"), key.public_raw(), "Counter 3", "t"
        )
    kit.device.save(
        replace(
            make_identity(kit.central_key),
            device_id=answer.device_id,
            central_url=central.url,
            central_encryption_key=b64u_encode(answer.central_encryption_key),
            central_signing_key=b64u_encode(answer.central_signing_key),
        )
    )
    operator = kit.add_operator(kit.add_manager())
    client = CentralClient(central.url, device_id=answer.device_id, device_key=key)
    try:
        yield Pc(kit, client, answer.central_signing_key, operator)
    finally:
        client.close()
        store.close()


def _stored_rows(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(FormDefinitionRow)) or 0)


def _example(seed: int) -> dict[str, Any]:
    return example_record(seed, FormRegistry(None).get(FORM_ID, "2024.1"), load_geography(),
                          date.today())  # fmt: skip


def test_a_published_version_is_fetched_verified_kept_and_becomes_current(
    central: Central, pc: Pc
) -> None:
    first = pc.update()
    assert (first.version, first.new) == ("2024.1", True)

    central.service.publish_form(FORM_ID, "2024.2", definition_2024_2())
    update = pc.update()

    assert (update.form_id, update.version, update.new) == (FORM_ID, "2024.2", True)
    kept = pc.repository().get(FORM_ID, "2024.2")
    assert kept is not None
    assert kept.definition == definition_2024_2()
    assert verify_canonical(pc.signing_key, kept.definition, kept.signature)
    assert kept.fetched_at == pc.kit.clock.now
    registry = FormRegistry(pc.kit.store)
    assert registry.versions(FORM_ID) == ["2024.1", "2024.2"]
    assert registry.current(FORM_ID).version == "2024.2"
    assert NEW_FIELD in {f.id for f in registry.current(FORM_ID).all_fields()}
    again = pc.update()
    assert (again.version, again.new) == ("2024.2", False)
    assert _stored_rows(pc.kit.store) == 2


def test_a_record_started_under_2024_1_is_judged_queued_and_accepted_under_2024_1(
    central: Central, pc: Pc
) -> None:
    record = _example(5)
    draft_id = pc.records().save_draft(record, operator_id=pc.operator)
    central.service.publish_form(FORM_ID, "2024.2", definition_2024_2())
    assert pc.update().version == "2024.2"
    records = pc.records()

    # The same answers labelled 2024.2 miss the new required question ...
    relabelled = {**record, "submission_id": draft_id, "form_version": "2024.2"}
    with pytest.raises(RecordInvalid) as refused:
        records.queue(relabelled, operator_id=pc.operator)
    assert {(i.path, i.code) for i in refused.value.issues} == {
        (f"answers.{NEW_FIELD}", "required")
    }
    # ... but the draft finishes under the version it started with.
    queued = records.queue({**record, "submission_id": draft_id}, operator_id=pc.operator)
    assert records.get(draft_id).form_version == "2024.1"

    summary = SyncWorker(pc.kit.outbox, pc.client, clock=pc.kit.clock).send_once()

    assert summary.acknowledged == 1
    assert records.get(queued.submission_id).state is RecordState.ACKNOWLEDGED
    assert [(f.version, f.records) for f in FormRegistry(pc.kit.store).describe()] == [
        ("2024.1", 1), ("2024.2", 0),
    ]  # fmt: skip


def test_a_record_naming_a_version_this_pc_lacks_is_refused_not_judged_by_another(
    pc: Pc,
) -> None:
    record = {**_example(6), "form_version": "2031.9"}
    with pytest.raises(RecordInvalid) as refused:
        pc.records().queue(record, operator_id=pc.operator)
    assert [(i.path, i.code) for i in refused.value.issues] == [
        ("form_version", "unknown_form_version")
    ]


def test_a_definition_signed_with_another_key_is_refused_and_nothing_is_stored(
    central: Central, pc: Pc
) -> None:
    central.service.publish_form(FORM_ID, "2024.2", definition_2024_2())
    (central.state_dir / SIGNING_FILE).unlink()  # central restarts with a new signing key
    impostor = central.restart()
    try:
        with pytest.raises(FormRefused, match="signature does not verify"):
            pc.update()
    finally:
        impostor.stop()
    assert _stored_rows(pc.kit.store) == 0
    assert FormRegistry(pc.kit.store).current(FORM_ID).version == "2024.1"


class _RelabellingService(CentralService):
    """Serves the genuinely signed 2024.1 definition labelled as version 2024.9."""

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if "/forms/" in request.path and response.status == 200:
            body = json.loads(response.body)
            body["version"] = "2024.9"
            response = replace(response, body=json.dumps(body).encode("utf-8"))
        return response


class _TamperingService(CentralService):
    """Signs the definition, then changes one label in it before sending."""

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if "/forms/" in request.path and response.status == 200:
            body = json.loads(response.body)
            assert verify_canonical(self.keys.signing_public_raw, body["definition"],
                                     body["signature"])  # fmt: skip
            body["definition"]["title"]["en"] = "Tampered"
            response = replace(response, body=json.dumps(body).encode("utf-8"))
        return response


@pytest.mark.parametrize(
    ("service_class", "reason"),
    [(_RelabellingService, "labelled"), (_TamperingService, "signature does not verify")],
)
def test_a_relabelled_or_altered_definition_is_refused(
    central: Central, pc: Pc, service_class: type[CentralService], reason: str
) -> None:
    altered = central.restart(service_class)
    try:
        with pytest.raises(FormRefused, match=reason):
            pc.update()
    finally:
        altered.stop()
    assert _stored_rows(pc.kit.store) == 0


def test_a_signed_definition_the_domain_cannot_read_is_refused(central: Central, pc: Pc) -> None:
    broken = definition_2024_2()
    broken["version"] = "2025.1"
    broken["sections"][0]["fields"][0]["type"] = "hologram"
    central.service.publish_form(FORM_ID, "2025.1", broken)

    with pytest.raises(FormRefused, match="cannot read it"):
        pc.update()

    assert _stored_rows(pc.kit.store) == 0


def test_the_repository_keeps_versions_add_only(store: Store) -> None:
    """Run on SQLite and PostgreSQL (the ``store`` fixture): the repository contract."""
    repository = FormRepository(store)
    definition = definition_2024_2()
    fetched = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    form = StoredForm(FORM_ID, "2024.2", "2026-11-24T09:00:00Z", definition,
                      sign_canonical(Ed25519PrivateKey.generate(), definition), fetched)  # fmt: skip
    assert repository.save(form) is True
    assert repository.save(form) is False
    changed = copy.deepcopy(definition)
    changed["title"]["en"] = "Changed"
    with pytest.raises(Conflict, match="already holds"):
        repository.save(replace(form, definition=changed))
    assert repository.get(FORM_ID, "2024.2") == form
    assert repository.get(FORM_ID, "2024.3") is None
    later = replace(form, version="2024.10", definition={**definition, "version": "2024.10"})
    repository.save(later)
    assert repository.versions(FORM_ID) == ["2024.2", "2024.10"]
    assert [f.version for f in repository.rows()] == ["2024.2", "2024.10"]
    assert repository.records_per_version() == {}
    registry = FormRegistry(store)
    assert registry.versions(FORM_ID) == ["2024.1", "2024.2", "2024.10"]
    assert registry.current(FORM_ID).version == "2024.10"
