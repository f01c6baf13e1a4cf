"""Check a household record against the form definition: every problem, never an exception.

``validate_record(record, form, geography=..., today=...)`` returns a list of
:class:`ValidationIssue` ``(path, code, message_key)``: paths such as ``head.cnic``,
``members[2].cnic_or_bform``, ``address.current_tehsil`` or ``answers.rooms``; codes are
stable strings (``required``, ``not_allowed``, ``type``, ``option``, ``cnic.wrong_length``,
``mobile.unallocated``, ``duplicate_cnic``...); the message key ``validation.<code>`` is
what the views translate. The record is the plaintext of central-api.md section 5;
``submission_id``, ``form_id`` and ``form_version`` may be absent until it is saved.
Field checks live here, cross-field rules in ``validate_rules``.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.dates import age_on, parse_iso_date
from pser_desk.domain.form import (
    Field,
    FieldType,
    FormDefinition,
    SectionKind,
    evaluate_relevance,
    is_answered,
    row_values,
)
from pser_desk.domain.geography import Geography
from pser_desk.domain.mobile import parse_mobile
from pser_desk.domain.validate_rules import check_rules

TOP_LEVEL_KEYS = (
    "submission_id",
    "form_id",
    "form_version",
    "head",
    "members",
    "address",
    "answers",
)
GEOGRAPHY_LEVELS = {
    "geography.divisions": "division",
    "geography.districts": "district",
    "geography.tehsils": "tehsil",
}
IBAN_RE = re.compile(r"^PK[0-9]{2}[A-Z]{4}[0-9]{16}$")
ACCOUNT_RE = re.compile(r"^[0-9]{6,20}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
NAME_PUNCTUATION = frozenset(" .'-\u200c\u200d")


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    path: str
    code: str
    message_key: str

    @classmethod
    def of(cls, path: str, code: str) -> ValidationIssue:
        return cls(path, code, f"validation.{code}")

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message_key": self.message_key}


def validate_record(
    record: object,
    form: FormDefinition,
    *,
    geography: Geography,
    today: date,
    draft: bool = False,
) -> list[ValidationIssue]:
    """Every problem of *record*; with ``draft`` missing answers are not problems yet."""
    checker = RecordChecker(form, geography, today, draft)
    if not isinstance(record, Mapping):
        return [ValidationIssue.of("", "type")]
    checker.check(record)
    for path, code in check_rules(record, form, geography, today):
        checker.add(path, code)
    return checker.issues


def validate_field(
    record: object,
    form: FormDefinition,
    path: str,
    *,
    geography: Geography,
    today: date,
) -> list[ValidationIssue]:
    """The problems at one top-level field (``head.cnic``, ``answers.rooms``) of *record*:
    its own checks, then the rules that read it. What the wizard asks when the operator
    leaves a field they changed; the whole record is checked once, before queueing."""
    kind_text, _, field_id = path.partition(".")
    try:
        kind = SectionKind(kind_text)
        field_ = form.field(field_id)
    except (ValueError, KeyError):
        return []
    if not isinstance(record, Mapping) or kind is SectionKind.MEMBERS:
        return []
    checker = RecordChecker(form, geography, today, draft=False)
    part = record.get(kind.value)
    value = part.get(field_id) if isinstance(part, Mapping) else None
    checker.check_field(field_, value, path, form.flat_values(record))
    for found_path, code in check_rules(record, form, geography, today, reading=path):
        if found_path == path:
            checker.add(found_path, code)
    return checker.issues


def validate_draft(
    record: object, form: FormDefinition, *, geography: Geography, today: date
) -> list[ValidationIssue]:
    return validate_record(record, form, geography=geography, today=today, draft=True)


class RecordChecker:
    """Walks the record section by section; collects issues."""

    def __init__(
        self, form: FormDefinition, geography: Geography, today: date, draft: bool
    ) -> None:
        self.form = form
        self.geography = geography
        self.today = today
        self.draft = draft
        self.issues: list[ValidationIssue] = []

    def add(self, path: str, code: str) -> None:
        self.issues.append(ValidationIssue.of(path, code))

    def check(self, record: Mapping[str, object]) -> None:
        self._check_envelope_fields(record)
        flat = self.form.flat_values(record)
        for kind in (SectionKind.HEAD, SectionKind.ADDRESS, SectionKind.ANSWERS):
            self._check_part(record, kind, flat)
        self._check_members(record.get("members"), flat)

    def _check_envelope_fields(self, record: Mapping[str, object]) -> None:
        for key in record:
            if key not in TOP_LEVEL_KEYS:
                self.add(str(key), "unknown_field")
        if "submission_id" in record and not _is_uuid(record["submission_id"]):
            self.add("submission_id", "type")
        for key, expected in (("form_id", self.form.form_id), ("form_version", self.form.version)):
            if key in record and record[key] != expected:
                self.add(key, "form_mismatch")

    def _check_part(
        self, record: Mapping[str, object], kind: SectionKind, flat: Mapping[str, object]
    ) -> None:
        part = record.get(kind.value)
        if part is None:
            part = {}
        if not isinstance(part, Mapping):
            self.add(kind.value, "type")
            return
        fields = [f for s in self.form.sections_of_kind(kind) for f in s.fields]
        self._check_fields(part, fields, kind.value, flat)

    def _check_fields(
        self,
        part: Mapping[str, object],
        fields: list[Field],
        prefix: str,
        values: Mapping[str, object],
    ) -> None:
        known = {f.id for f in fields}
        for key in part:
            if key not in known:
                self.add(f"{prefix}.{key}", "unknown_field")
        for field_ in fields:
            self.check_field(field_, part.get(field_.id), f"{prefix}.{field_.id}", values)

    def _check_members(self, rows: object, flat: Mapping[str, object]) -> None:
        roster = self.form.roster
        rows = [] if rows is None else rows
        if not isinstance(rows, list):
            self.add("members", "type")
            return
        if len(rows) < roster.min_rows and not self.draft:
            self.add("members", "min_rows")
        if roster.max_rows is not None and len(rows) > roster.max_rows:
            self.add("members", "max_rows")
        for i, row in enumerate(rows):
            if not isinstance(row, Mapping):
                self.add(f"members[{i}]", "type")
                continue
            values = row_values(roster, flat, row)
            self._check_fields(row, list(roster.fields), f"members[{i}]", values)

    def check_field(
        self, field_: Field, value: object, path: str, values: Mapping[str, object]
    ) -> None:
        if not evaluate_relevance(field_, values, today=self.today):
            if is_answered(value):
                self.add(path, "not_allowed")
            return
        if not is_answered(value):
            if field_.required and not self.draft:
                self.add(path, "required")
            return
        code = TYPE_CHECKS[field_.type](self, field_, value)
        if (
            code is None
            and field_.must_be is not None
            and value != field_.must_be
            and not self.draft
        ):
            code = "must_be"
        if code is not None:
            self.add(path, code)


# ----------------------------------------------------------------- one check per field type

Check = Callable[[RecordChecker, Field, object], str | None]


def _check_text(_: RecordChecker, field_: Field, value: object) -> str | None:
    if not isinstance(value, str):
        return "type"
    if field_.max_length is not None and len(value) > field_.max_length:
        return "max_length"
    if field_.pattern is not None and not re.fullmatch(field_.pattern, value):
        return "pattern"
    return FORMAT_CHECKS[field_.format](value) if field_.format else None


def _check_integer(_: RecordChecker, field_: Field, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "type"
    return _range_code(field_, value)


def _check_decimal(_: RecordChecker, field_: Field, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "type"
    return _range_code(field_, value)


def _range_code(field_: Field, value: float) -> str | None:
    if field_.min is not None and value < field_.min:
        return "negative" if value < 0 else "min"
    if field_.max is not None and value > field_.max:
        return "too_large" if field_.unit == "PKR" else "max"
    return None


def _check_date(checker: RecordChecker, field_: Field, value: object) -> str | None:
    born = parse_iso_date(value)
    if born is None:
        return "date_format"
    if born > checker.today:
        return "date_in_future"
    if field_.max_years_ago is not None and age_on(born, checker.today) > field_.max_years_ago:
        return "date_too_old"
    return None


def _check_choice(checker: RecordChecker, field_: Field, value: object) -> str | None:
    if not isinstance(value, str):
        return "type"
    if field_.options_from is not None:
        level = GEOGRAPHY_LEVELS[field_.options_from]
        return None if checker.geography.find(value, level) else "option"
    return None if value in field_.option_codes else "option"


def _check_multi_choice(_: RecordChecker, field_: Field, value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "type"
    if len(set(value)) != len(value):
        return "duplicate_option"
    if any(v not in field_.option_codes for v in value):
        return "option"
    exclusive = {o.code for o in field_.options if o.exclusive}
    if len(value) > 1 and exclusive.intersection(value):
        return "exclusive_option"
    return None


def _check_cnic(_: RecordChecker, __: Field, value: object) -> str | None:
    if not isinstance(value, str):
        return "type"
    result = parse_cnic(value)
    if result.cnic is None:
        return str(result.error)
    return None if result.cnic.digits == value else "cnic.not_normalised"


def _check_mobile(_: RecordChecker, __: Field, value: object) -> str | None:
    if not isinstance(value, str):
        return "type"
    result = parse_mobile(value)
    if result.mobile is None:
        return str(result.error)
    return None if result.mobile.national == value else "mobile.not_normalised"


def _check_roster(_: RecordChecker, __: Field, ___: object) -> str | None:
    return None  # the members roster is walked by RecordChecker._check_members


TYPE_CHECKS: dict[FieldType, Check] = {
    FieldType.TEXT: _check_text,
    FieldType.INTEGER: _check_integer,
    FieldType.DECIMAL: _check_decimal,
    FieldType.DATE: _check_date,
    FieldType.CHOICE: _check_choice,
    FieldType.YES_NO: _check_choice,
    FieldType.MULTI_CHOICE: _check_multi_choice,
    FieldType.CNIC: _check_cnic,
    FieldType.MOBILE: _check_mobile,
    FieldType.ROSTER: _check_roster,
}


# ----------------------------------------------------------------- text formats


def check_person_name(value: str) -> str | None:
    """Letters of any script (with their marks), spaces, dots, apostrophes, hyphens."""
    text = value.strip()
    if len(text) < 2:
        return "name_too_short"
    ok = all(
        ch.isalpha() or unicodedata.category(ch).startswith("M") or ch in NAME_PUNCTUATION
        for ch in text
    )
    return None if ok else "name_characters"


def check_email(value: str) -> str | None:
    return None if EMAIL_RE.match(value.strip()) else "email_format"


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616 mod-97: move the first four characters to the end, letters to 10..35."""
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def check_iban_or_account(value: str) -> str | None:
    compact = value.replace(" ", "").upper()
    if compact.startswith("PK"):
        if not IBAN_RE.match(compact):
            return "iban_format"
        return None if iban_checksum_ok(compact) else "iban_checksum"
    return None if ACCOUNT_RE.match(compact) else "account_number_format"


FORMAT_CHECKS: dict[str, Callable[[str], str | None]] = {
    "person_name": check_person_name,
    "email": check_email,
    "iban_or_account": check_iban_or_account,
}


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
