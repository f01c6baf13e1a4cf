"""The domain's own rules applied by central, on top of the contract-level checks.

Central runs the same validator as the PC (``pser_desk.domain.validate.validate_record``)
against the form definition the submission names, so a record is judged by the same
rules on both sides. A definition the domain cannot parse (a test form, say), or a
missing geography file, leaves only the contract-level checks of
:mod:`pser_desk.central.checks`. Parsed forms are cached by the hash of their JSON.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Mapping
from datetime import datetime

from pser_desk.domain.dates import pakistan_date
from pser_desk.domain.form import FormDefinition, FormDefinitionError, parse_form
from pser_desk.domain.geography import Geography, GeographyError, load_geography
from pser_desk.domain.validate import validate_record
from pser_desk.security.form_signing import canonical_json

log = logging.getLogger(__name__)

Problem = dict[str, str]

_lock = threading.Lock()
_forms: dict[str, FormDefinition | None] = {}
_geography: list[Geography | None] = []


def _parsed_form(definition: Mapping[str, object]) -> FormDefinition | None:
    digest = hashlib.sha256(canonical_json(definition)).hexdigest()
    with _lock:
        if digest not in _forms:
            try:
                _forms[digest] = parse_form(definition)
            except FormDefinitionError:
                log.info("form definition %s is not one the domain validator reads", digest[:12])
                _forms[digest] = None
        return _forms[digest]


def _loaded_geography() -> Geography | None:
    with _lock:
        if not _geography:
            try:
                _geography.append(load_geography())
            except (GeographyError, OSError):
                log.info("no geography file; central checks records without it")
                _geography.append(None)
        return _geography[0]


def domain_problems(
    record: Mapping[str, object], definition: Mapping[str, object], now: datetime
) -> list[Problem]:
    form = _parsed_form(definition)
    geography = _loaded_geography() if form is not None else None
    if form is None or geography is None:
        return []
    today = pakistan_date(now)  # records are judged on the date in Pakistan
    issues = validate_record(record, form, geography=geography, today=today)
    return [{"field": issue.path, "message": issue.code} for issue in issues]
