"""The domain's own rules applied by central, on top of the contract-level checks.

Central runs the same validator as the PC (``pser_desk.domain.validate.validate_record``)
against the form definition the submission names, so a record is judged by the same
rules on both sides. A definition the domain cannot parse (a test form, say), or a
missing geography file, leaves only the contract-level checks of
:mod:`pser_desk.central.checks`. Parsed forms are cached by the hash of their JSON.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import threading
from datetime import datetime, timedelta, timezone
from types import ModuleType
from typing import Any

from pser_desk.security.form_signing import canonical_json

log = logging.getLogger(__name__)

Problem = dict[str, str]
PAKISTAN = timezone(timedelta(hours=5), "PKT")  # records are judged on the date in Pakistan

_lock = threading.Lock()
_forms: dict[str, Any] = {}
_geography: list[Any] = []


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _parsed_form(definition: dict[str, Any]) -> Any:
    digest = hashlib.sha256(canonical_json(definition)).hexdigest()
    with _lock:
        if digest not in _forms:
            form_module = _module("pser_desk.domain.form")
            try:
                _forms[digest] = form_module.parse_form(definition) if form_module else None
            except ValueError:
                log.info("form definition %s is not one the domain validator reads", digest[:12])
                _forms[digest] = None
        return _forms[digest]


def _loaded_geography() -> Any:
    with _lock:
        if not _geography:
            geo_module = _module("pser_desk.domain.geography")
            try:
                _geography.append(geo_module.load_geography() if geo_module else None)
            except ValueError:
                log.info("no geography file; central checks records without it")
                _geography.append(None)
        return _geography[0]


def domain_problems(
    record: dict[str, Any], definition: dict[str, Any], now: datetime
) -> list[Problem]:
    validate = _module("pser_desk.domain.validate")
    if validate is None:
        return []
    form = _parsed_form(definition)
    geography = _loaded_geography() if form is not None else None
    if form is None or geography is None:
        return []
    today = now.astimezone(PAKISTAN).date()
    issues = validate.validate_record(record, form, geography=geography, today=today)
    return [{"field": issue.path, "message": issue.code} for issue in issues]
