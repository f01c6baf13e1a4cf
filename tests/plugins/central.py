"""The reference central service for tests: in a thread (fast) or as a real process (faults).

``central_server`` starts the real service on 127.0.0.1, port 0, with a test form
published; ``enrolled`` adds a device enrolled through the real client; ``central_process``
starts ``python -m pser_desk central serve`` with ``--faults`` (and any other options)
and stops it with SIGTERM. ``build_submission`` seals a household record exactly as the
PC will; ``submit_households`` sends some; ``sample_heartbeat`` is a plausible heartbeat.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pser_desk.central.server import CentralServer
from pser_desk.central.service import CentralService
from pser_desk.security.device import DeviceKey
from pser_desk.security.envelope import seal
from pser_desk.sync.client import CentralClient
from pser_desk.sync.heartbeat import Heartbeat, Peripheral, QueueFigures

FORM_ID = "pser-household"
FORM_VERSION = "2024.1"
CENTRE = "LHR-0042"
TEST_FORM: dict[str, Any] = {
    "form_id": FORM_ID,
    "version": FORM_VERSION,
    "title": {"en": "Household registration (test)", "ur": "گھرانے کا اندراج"},
    "sections": [{"id": "head", "fields": [{"id": "head.name", "type": "text", "required": True}]}],
}


@dataclass
class CentralHandle:
    url: str
    state_dir: Path
    encryption_key: bytes  # raw X25519 public key
    signing_key: bytes  # raw Ed25519 public key
    service: CentralService | None = None  # in-thread servers only
    server: CentralServer | None = None
    process: subprocess.Popen[str] | None = None

    def new_token(self, centre: str | None = CENTRE) -> str:
        if self.service is not None:
            return self.service.new_token(centre)
        return _admin_service(self.state_dir, lambda svc: svc.new_token(centre))

    def households(self) -> int:
        if self.service is not None:
            return self.service.db.count_submissions()
        return _admin_service(self.state_dir, lambda svc: svc.db.count_submissions())


def _admin_service(state_dir: Path, action: Callable[[CentralService], Any]) -> Any:
    service = CentralService(state_dir, forms_dir=state_dir / "no-forms")
    try:
        return action(service)
    finally:
        service.close()


@dataclass
class Enrolled:
    central: CentralHandle
    client: CentralClient
    key: DeviceKey
    device_id: str
    centre_code: str = CENTRE
    extra_clients: list[CentralClient] = field(default_factory=list)

    def new_client(self, **kwargs: Any) -> CentralClient:
        client = CentralClient(
            self.central.url, device_id=self.device_id, device_key=self.key, **kwargs
        )
        self.extra_clients.append(client)
        return client


def random_cnic(rng: random.Random) -> str:
    return "3" + "".join(str(rng.randrange(10)) for _ in range(11)) + str(rng.randrange(1, 10))


def household_record(
    submission_id: str, head_cnic: str, rng: random.Random | None = None
) -> dict[str, Any]:
    rng = rng or random.Random(head_cnic)
    return {
        "submission_id": submission_id,
        "form_id": FORM_ID,
        "form_version": FORM_VERSION,
        "head": {"cnic": head_cnic, "name": "Test Head"},
        "members": [
            {"cnic_or_bform": random_cnic(rng), "name": "Test Spouse", "relation": "spouse"}
        ],
        "address": {"district": "Lahore"},
        "answers": {},
    }


def build_submission(
    encryption_key: bytes,
    *,
    submission_id: str | None = None,
    head_cnic: str | None = None,
    record: dict[str, Any] | None = None,
    centre_code: str = CENTRE,
    receipt_no: str | None = None,
    outer: dict[str, Any] | None = None,
) -> tuple[bytes, str]:
    """The sealed ``POST /submissions`` body (exact bytes) and its submission id."""
    sid = submission_id or str(uuid.uuid4())
    rng = random.Random(sid)
    if record is None:
        record = household_record(sid, head_cnic or random_cnic(rng), rng)
    plaintext = json.dumps(record, ensure_ascii=False).encode("utf-8")
    envelope = seal(plaintext, encryption_key, aad=sid.encode("ascii"))
    body = {
        "submission_id": sid,
        "receipt_no": receipt_no or f"{centre_code}-20261124-{rng.randrange(1, 9999):04d}",
        "form_id": FORM_ID,
        "form_version": FORM_VERSION,
        "centre_code": centre_code,
        "operator_id": "op_17",
        "captured_at": "2026-11-24T09:14:55Z",
        "envelope": envelope.as_json(),
        **(outer or {}),
    }
    return json.dumps(body, separators=(",", ":")).encode("utf-8"), sid


def submit_households(device: Enrolled, count: int) -> list[str]:
    """Send *count* new households through *device*'s client; their submission ids."""
    sids = []
    for _ in range(count):
        body, sid = build_submission(device.central.encryption_key, centre_code=device.centre_code)
        outcome = device.client.submit(body, sid)
        assert outcome.status == 201, outcome
        sids.append(sid)
    return sids


def sample_heartbeat(app_version: str = "0.2.0", queued: int = 3) -> Heartbeat:
    return Heartbeat(
        app_version=app_version,
        form_versions=("2024.1",),
        queue=QueueFigures(
            draft=2, queued=queued, needs_correction=1, acknowledged_today=41,
            oldest_unsent_at=datetime(2026, 11, 24, 8, 1, 11, tzinfo=UTC),
        ),
        last_success_at=datetime(2026, 11, 24, 9, 10, 40, tzinfo=UTC),
        clock_offset_s=-2.4,
        disk_free_mb=10240,
        printer=Peripheral.OK,
    )  # fmt: skip


def _start_thread_server(state_dir: Path) -> CentralHandle:
    service = CentralService(state_dir, forms_dir=state_dir / "no-forms")
    service.publish_form(FORM_ID, FORM_VERSION, TEST_FORM)
    server = CentralServer(service, "127.0.0.1", 0).start()
    return CentralHandle(
        url=server.url,
        state_dir=state_dir,
        encryption_key=service.keys.encryption_public_raw,
        signing_key=service.keys.signing_public_raw,
        service=service,
        server=server,
    )


@pytest.fixture
def central_server(tmp_path: Path) -> Iterator[CentralHandle]:
    """The real reference service on 127.0.0.1 in a background thread, stopped cleanly."""
    handle = _start_thread_server(tmp_path / "central-state")
    try:
        yield handle
    finally:
        assert handle.server is not None
        handle.server.stop()


def enrol_device(central: CentralHandle, centre: str = CENTRE) -> Enrolled:
    key = DeviceKey.generate()
    with CentralClient(central.url) as bootstrap:
        answer = bootstrap.enroll(
            centre, central.new_token(centre), key.public_raw(), "Counter 3", "test"
        )
    client = CentralClient(
        central.url,
        device_id=answer.device_id,
        device_key=key,
        central_signing_key=answer.central_signing_key,
    )
    return Enrolled(central, client, key, answer.device_id, centre)


@pytest.fixture
def enrolled(central_server: CentralHandle) -> Iterator[Enrolled]:
    """A device enrolled with ``central_server`` through the real client."""
    device = enrol_device(central_server)
    try:
        yield device
    finally:
        device.client.close()
        for client in device.extra_clients:
            client.close()


def _stop_process(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


StartCentral = Callable[..., CentralHandle]


@pytest.fixture
def central_process(tmp_path: Path) -> Iterator[StartCentral]:
    """Start ``pser-desk central serve`` as a real process: ``central_process(faults=SPEC)``."""
    started: list[subprocess.Popen[str]] = []

    def start(
        faults: str | Sequence[str] | None = None,
        tokens: str | None = None,
        name: str = "central-proc",
        extra: Sequence[str] = (),
    ) -> CentralHandle:
        state_dir = tmp_path / name
        _admin_service(state_dir, lambda svc: svc.publish_form(FORM_ID, FORM_VERSION, TEST_FORM))
        args = [
            sys.executable,
            "-m",
            "pser_desk",
            "--data-dir",
            str(tmp_path / "central-data"),
            "central",
            "serve",
        ]
        args += [
            "--port",
            "0",
            "--state",
            str(state_dir),
            "--forms-dir",
            str(state_dir / "no-forms"),
        ]
        for spec in [faults] if isinstance(faults, str) else faults or ():
            args += ["--faults", spec]
        args += ["--tokens", tokens] if tokens else []
        args += list(extra)
        # stderr goes to a file: an unread pipe fills up and blocks the server.
        with (tmp_path / f"{name}.stderr").open("w", encoding="utf-8") as errors:
            proc = subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=errors, text=True, env=dict(os.environ)
            )
        started.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(
                f"central serve did not start: {(tmp_path / f'{name}.stderr').read_text()}"
            )
        url = json.loads(line)["url"]
        keys = _admin_service(
            state_dir, lambda s: (s.keys.encryption_public_raw, s.keys.signing_public_raw)
        )
        return CentralHandle(
            url=url, state_dir=state_dir, encryption_key=keys[0], signing_key=keys[1], process=proc
        )

    try:
        yield start
    finally:
        for proc in started:
            _stop_process(proc)
