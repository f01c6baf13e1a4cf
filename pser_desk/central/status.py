"""``GET /submissions/{id}`` and ``POST /submissions/status`` (central-api.md section 6).

Both are signed (section 3). A device learns only about its own centre's households
(any of the centre's PCs): another centre's submission answers ``404`` on ``GET`` and is
listed under ``unknown`` in a batch, exactly as one central never accepted, so a device
cannot even learn that another centre's id exists. A batch is 1 to 100 distinct UUIDs
(canonical: lower case, 8-4-4-4-12; anything else is ``422``; on ``GET``, ``404`` as
for any id central never accepted) in
``{"submission_ids": [...]}`` and nothing else; anything else is ``422``. Statuses come
back in the order asked.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pser_desk.central.checks import CANONICAL_UUID, Problem, is_canonical_uuid, problem
from pser_desk.central.protocol import Response, error, json_response, validation_error

if TYPE_CHECKING:
    from pser_desk.central.db import DeviceRow, SubmissionRow
    from pser_desk.central.service import CentralService

MAX_BATCH = 100


def verdict_json(row: SubmissionRow) -> dict[str, object]:
    return {
        "submission_id": row.submission_id,
        "tracking_id": row.tracking_id,
        "status": row.status,
        "reason": row.reason,
        "reason_code": row.reason_code,
        "decided_at": row.decided_at,
    }


def one(service: CentralService, device: DeviceRow, submission_id: str) -> Response:
    # An id spelt otherwise than canonically was never accepted (submit refuses it): 404.
    row = service.db.submission(submission_id) if is_canonical_uuid(submission_id) else None
    if row is None or row.centre_code != device.centre_code:
        return error(404, "not_found")
    return json_response(200, verdict_json(row))


def check_batch(body: object) -> list[Problem]:
    if not isinstance(body, dict):
        return [problem("", "the body must be a JSON object")]
    found = [problem(key, "unknown field") for key in sorted(set(body) - {"submission_ids"})]
    ids = body.get("submission_ids")
    if not isinstance(ids, list) or not 0 < len(ids) <= MAX_BATCH:
        return found + [problem("submission_ids", f"must be a list of 1 to {MAX_BATCH} ids")]
    seen: set[str] = set()
    for index, sid in enumerate(ids):
        if not is_canonical_uuid(sid):
            found.append(problem(f"submission_ids[{index}]", CANONICAL_UUID))
        elif sid in seen:
            found.append(problem(f"submission_ids[{index}]", "is listed twice"))
        else:
            seen.add(sid)
    return found


def many(service: CentralService, body_bytes: bytes, device: DeviceRow) -> Response:
    try:
        body = json.loads(body_bytes)
    except (ValueError, UnicodeDecodeError):
        body = None
    problems = check_batch(body)
    if problems:
        return validation_error(problems)
    ids: list[str] = body["submission_ids"]
    rows = {
        row.submission_id: row for row in service.db.submissions_of_centre(device.centre_code, ids)
    }
    return json_response(
        200,
        {
            "statuses": [verdict_json(rows[sid]) for sid in ids if sid in rows],
            "unknown": [sid for sid in ids if sid not in rows],
        },
    )
