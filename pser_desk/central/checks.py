"""Contract-level checks of what central receives (central-api.md sections 2, 4 and 5).

Each check returns a list of ``{"field": path, "message": text}`` problems, field paths
written as the contract writes them (``members[2].cnic_or_bform``). Messages never
repeat the value they complain about: they may be logged or shown.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.receipt import CENTRE_CODE_RE, RECEIPT_RE

Problem = dict[str, str]

SUBMISSION_KEYS = {
    "submission_id", "receipt_no", "form_id", "form_version", "centre_code",
    "operator_id", "captured_at", "envelope",
}  # fmt: skip
_DIGITS13 = re.compile(r"^\d{13}$")
_OPERATOR_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_FORM_ID_RE = re.compile(r"^[a-z][a-z0-9\-]{0,63}$")
_VERSION_RE = re.compile(r"^[0-9A-Za-z.\-]{1,32}$")


def problem(field: str, message: str) -> Problem:
    return {"field": field, "message": message}


def is_rfc3339_utc(value: object) -> bool:
    if not isinstance(value, str) or not value.endswith("Z"):
        return False
    try:
        datetime.fromisoformat(value[:-1] + "+00:00")
    except ValueError:
        return False
    return True


def is_uuid(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def is_canonical_uuid(value: object) -> bool:
    """A submission id as it is stored and answered: 8-4-4-4-12 lower-case hex digits.
    The same UUID spelt otherwise (upper case, hyphens elsewhere) is refused, never
    stored as a second identity (docs/central-api-notes.md)."""
    return isinstance(value, str) and is_uuid(value) and str(uuid.UUID(value)) == value


CANONICAL_UUID = "must be a UUID in canonical form (lower case, 8-4-4-4-12)"


def _text(value: object, limit: int = 200) -> bool:
    return isinstance(value, str) and len(value.strip()) > 0 and len(value) <= limit


def check_enrolment(body: object) -> list[Problem]:
    if not isinstance(body, dict):
        return [problem("", "the body must be a JSON object")]
    found: list[Problem] = []
    if not (isinstance(body.get("centre_code"), str) and CENTRE_CODE_RE.match(body["centre_code"])):
        found.append(problem("centre_code", "a centre code looks like LHR-0042"))
    if not _text(body.get("enrollment_token"), 64):
        found.append(problem("enrollment_token", "the enrolment token is required"))
    if not isinstance(body.get("device_public_key"), str):
        found.append(problem("device_public_key", "the device public key is required (b64u)"))
    if not _text(body.get("device_name"), 100):
        found.append(problem("device_name", "a device name of 1 to 100 characters is required"))
    if not _text(body.get("app_version"), 32):
        found.append(problem("app_version", "the application version is required"))
    return found


def check_submission(body: object) -> list[Problem]:
    """The outer submission body: ids and metadata, nothing that identifies a person."""
    if not isinstance(body, dict):
        return [problem("", "the body must be a JSON object")]
    found = [
        problem(key, "unknown field (personal data travels only inside the envelope)")
        for key in sorted(set(body) - SUBMISSION_KEYS)
    ]
    found += [problem(key, "required") for key in sorted(SUBMISSION_KEYS - set(body))]
    checks = {
        "submission_id": (is_canonical_uuid, CANONICAL_UUID),
        "receipt_no": (
            lambda v: isinstance(v, str) and RECEIPT_RE.match(v),
            "must be CENTRE-YYYYMMDD-NNNN",
        ),
        "form_id": (lambda v: isinstance(v, str) and _FORM_ID_RE.match(v), "must be a form id"),
        "form_version": (
            lambda v: isinstance(v, str) and _VERSION_RE.match(v),
            "must be a version",
        ),
        "centre_code": (
            lambda v: isinstance(v, str) and CENTRE_CODE_RE.match(v),
            "must be a centre code",
        ),
        "operator_id": (
            lambda v: isinstance(v, str) and _OPERATOR_RE.match(v),
            "must be an operator id",
        ),
        "captured_at": (is_rfc3339_utc, "must be an RFC 3339 UTC time"),
        "envelope": (lambda v: isinstance(v, dict), "must be an object"),
    }
    for key, (ok, message) in checks.items():
        if key in body and not ok(body[key]):
            found.append(problem(key, message))
    return found


def _check_person_number(value: object, field: str) -> list[Problem]:
    if not isinstance(value, str) or not _DIGITS13.match(value):
        return [problem(field, "must be 13 digits without dashes")]
    result = parse_cnic(value)
    if result.cnic is None:
        code = result.error.value if result.error is not None else "invalid"
        return [problem(field, f"not a valid CNIC/B-Form number ({code})")]
    return []


def _check_member(member: object, index: int) -> list[Problem]:
    base = f"members[{index}]"
    if not isinstance(member, dict):
        return [problem(base, "must be an object")]
    found = _check_person_number(member.get("cnic_or_bform"), f"{base}.cnic_or_bform")
    for key in ("name", "relation"):
        if not _text(member.get(key)):
            found.append(problem(f"{base}.{key}", "required"))
    return found


def check_record(record: object, outer: Mapping[str, object]) -> list[Problem]:
    """The decrypted household record: the fields the contract itself names."""
    if not isinstance(record, dict):
        return [problem("", "the record must be a JSON object")]
    found = [
        problem(key, "does not match the submission")
        for key in ("submission_id", "form_id", "form_version")
        if record.get(key) != outer.get(key)
    ]
    head = record.get("head")
    if not isinstance(head, dict):
        found.append(problem("head", "required object"))
    else:
        found += _check_person_number(head.get("cnic"), "head.cnic")
        if not _text(head.get("name")):
            found.append(problem("head.name", "required"))
    members = record.get("members")
    if not isinstance(members, list):
        found.append(problem("members", "must be a list"))
    else:
        for index, member in enumerate(members):
            found += _check_member(member, index)
        found += _check_unique_numbers(members)
    for key in ("address", "answers"):
        if key in record and not isinstance(record[key], dict):
            found.append(problem(key, "must be an object"))
    return found


def _check_unique_numbers(members: list[object]) -> list[Problem]:
    """No two members share a number (the head may or may not be listed among them)."""
    seen: set[str] = set()
    found: list[Problem] = []
    for index, member in enumerate(members):
        number = member.get("cnic_or_bform") if isinstance(member, dict) else None
        if not isinstance(number, str):
            continue
        if number in seen:
            found.append(
                problem(
                    f"members[{index}].cnic_or_bform",
                    "the same number appears twice in this household",
                )
            )
        seen.add(number)
    return found
