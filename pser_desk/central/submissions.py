"""``POST /submissions`` (central-api.md sections 4 and 5).

Order of checks: outer body (422), ``Idempotency-Key`` = ``submission_id`` (422), the
device's own centre (422); then a submission id already accepted answers 200 with the
first answer (same bytes) or 409 ``idempotency_mismatch`` (other bytes); then the form
version (422), the envelope (400), the record (422), the head's CNIC (409
``duplicate_household``); then the insert and 201. The replay check and the insert run
again inside one transaction, so two concurrent copies of one submission store it once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pser_desk.central import validation
from pser_desk.central.checks import check_record, check_submission, problem
from pser_desk.central.db import SUBMISSION_COLUMNS, SubmissionRow, next_sequence
from pser_desk.central.protocol import Response, error, validation_error
from pser_desk.security.envelope import Envelope, EnvelopeError, open_envelope

if TYPE_CHECKING:
    from pser_desk.central.db import DeviceRow
    from pser_desk.central.protocol import Request
    from pser_desk.central.service import CentralService

HEAD_KEY_CONTEXT = b"pser-central/head-cnic/v1:"


def head_key(cnic: str) -> str:
    return hashlib.sha256(HEAD_KEY_CONTEXT + cnic.encode("ascii")).hexdigest()


def _replay(row: SubmissionRow, body_sha256: str) -> Response:
    if row.body_sha256 != body_sha256:
        return error(409, "idempotency_mismatch")
    return Response(200, row.answer.encode("utf-8"), {})


def _parse(body: bytes) -> object:
    try:
        parsed: object = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return parsed


@dataclass(frozen=True)
class Submission:
    """The outer body of ``POST /submissions`` once :func:`check_submission` passed it."""

    submission_id: str
    receipt_no: str
    centre_code: str
    form_id: str
    form_version: str
    envelope: object

    @classmethod
    def checked(cls, body: object) -> Submission | None:
        if check_submission(body) or not isinstance(body, dict):
            return None
        return cls(
            str(body["submission_id"]), str(body["receipt_no"]), str(body["centre_code"]),
            str(body["form_id"]), str(body["form_version"]), body["envelope"],
        )  # fmt: skip

    def ids(self) -> dict[str, object]:
        """What the record inside must repeat (``check_record``)."""
        return {"submission_id": self.submission_id, "form_id": self.form_id,
                "form_version": self.form_version}  # fmt: skip


def submit(service: CentralService, request: Request, device: DeviceRow) -> Response:
    body = _parse(request.body)
    submission = Submission.checked(body)
    if submission is None:
        return validation_error(check_submission(body))
    sid = submission.submission_id
    if request.headers.get("idempotency-key") != sid:
        return validation_error(
            [problem("Idempotency-Key", "must be present and equal submission_id")]
        )
    if submission.centre_code != device.centre_code:
        return validation_error(
            [problem("centre_code", "is not the centre this device is enrolled for")]
        )
    body_sha256 = hashlib.sha256(request.body).hexdigest()
    existing = service.db.submission(sid)
    if existing is not None:
        return _replay(existing, body_sha256)
    return _accept_new(service, submission, body_sha256, device)


def _accept_new(
    service: CentralService, submission: Submission, body_sha256: str, device: DeviceRow
) -> Response:
    form = service.forms.get(submission.form_id, submission.form_version)
    if form is None:
        return validation_error(
            [problem("form_version", "central does not know this form version")]
        )
    try:
        envelope = Envelope.from_json(submission.envelope)
        plaintext = open_envelope(
            envelope, service.keys.encryption, aad=submission.submission_id.encode("ascii")
        )
        record: object = json.loads(plaintext)
    except (EnvelopeError, ValueError, UnicodeDecodeError):
        return error(400, "bad_envelope")
    problems = check_record(record, submission.ids())
    if not problems and isinstance(record, dict):
        problems = validation.domain_problems(record, form.definition, service.clock())
    if problems or not isinstance(record, dict):
        return validation_error(problems)
    return _store(service, submission, body_sha256, record, device)


def _head_cnic(record: dict[str, object]) -> str:
    head = record["head"]
    return str(head["cnic"]) if isinstance(head, dict) else ""  # checked by check_record


def _store(
    service: CentralService,
    submission: Submission,
    body_sha256: str,
    record: dict[str, object],
    device: DeviceRow,
) -> Response:
    sid = submission.submission_id
    key = head_key(_head_cnic(record))
    received_at = service.now_ts()
    yy = received_at[2:4]
    with service.db.transaction() as conn:
        again = conn.execute(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE submission_id=?", (sid,)
        ).fetchone()
        if again is not None:
            return _replay(SubmissionRow.of(again), body_sha256)
        duplicate = _duplicate(conn, key)
        if duplicate is not None:
            return duplicate
        tracking_id = f"PSER-{yy}-{next_sequence(conn, 'tracking-' + yy):09d}"
        answer = json.dumps(
            {"submission_id": sid, "tracking_id": tracking_id, "received_at": received_at},
            separators=(",", ":"),
        )
        conn.execute(
            "INSERT INTO submissions (submission_id, body_sha256, tracking_id, receipt_no, head_key, device_id, "
            "centre_code, form_id, form_version, received_at, answer, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                sid, body_sha256, tracking_id, submission.receipt_no, key, device.device_id,
                submission.centre_code, submission.form_id, submission.form_version, received_at,
                answer, json.dumps(record, ensure_ascii=False).encode("utf-8"),
            ),
        )  # fmt: skip
    return Response(201, answer.encode("utf-8"), {}, committed=True)


def _duplicate(conn: sqlite3.Connection, key: str) -> Response | None:
    row = conn.execute(
        "SELECT tracking_id, receipt_no FROM submissions WHERE head_key=?", (key,)
    ).fetchone()
    if row is None:
        return None
    return error(
        409, "duplicate_household", existing_tracking_id=row[0], existing_receipt_no=row[1]
    )
