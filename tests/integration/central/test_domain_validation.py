"""Central judges a record with the domain validator and the shipped form definition."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pser_desk import paths
from pser_desk.central.server import CentralServer
from pser_desk.central.service import CentralService
from pser_desk.sync.outcomes import OutcomeKind
from tests.plugins.central import CentralHandle, Enrolled, build_submission, enrol_device


@pytest.fixture
def real_form_central(tmp_path: Path) -> Iterator[Enrolled]:
    service = CentralService(tmp_path / "state", forms_dir=paths.forms_dir())
    server = CentralServer(service).start()
    handle = CentralHandle(
        server.url, service.state_dir, service.keys.encryption_public_raw, service.keys.signing_public_raw,
        service=service, server=server,
    )  # fmt: skip
    device = enrol_device(handle)
    try:
        yield device
    finally:
        device.client.close()
        server.stop()


def _example(sid: str, seed: int) -> dict[str, Any]:
    from pser_desk.domain.example import example_record
    from pser_desk.domain.form import load_form
    from pser_desk.domain.geography import load_geography

    today = datetime.now(UTC).date()
    record = example_record(seed, load_form(), load_geography(), today)
    return {**record, "submission_id": sid, "form_id": "pser-household", "form_version": "2024.1"}


def test_a_valid_example_record_is_accepted(real_form_central: Enrolled) -> None:
    key = real_form_central.central.encryption_key
    sid = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
    body, _ = build_submission(key, submission_id=sid, record=_example(sid, 3))
    outcome = real_form_central.client.submit(body, sid)
    assert outcome.kind is OutcomeKind.ACCEPTED, outcome.details


def test_a_domain_rule_broken_is_422_with_the_domain_path(real_form_central: Enrolled) -> None:
    key = real_form_central.central.encryption_key
    sid = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e11"
    record = _example(sid, 4)
    record["answers"] = {**record.get("answers", {}), "no_such_question": "x"}
    body, _ = build_submission(key, submission_id=sid, record=record)
    outcome = real_form_central.client.submit(body, sid)
    assert outcome.kind is OutcomeKind.VALIDATION
    assert [d.field for d in outcome.details] == ["answers.no_such_question"]
    assert outcome.details[0].message
