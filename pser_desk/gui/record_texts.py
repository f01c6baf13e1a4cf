"""A saved record's state and central's answers, in words (lists, dashboard, the form).

Central answers with codes: a 422 lists its problems as (field, message) pairs, kept whole
from central's answer to here (the reference service puts the domain's issue codes in
``message``); a 409 or 400 has an error code. These are shown as the question's label and
the problem's sentence in the current language; anything unknown stays as central wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from PySide6.QtCore import QCoreApplication

from pser_desk.desk.model import RecordItem
from pser_desk.domain.form import FormDefinition
from pser_desk.domain.records import FieldProblem
from pser_desk.gui.messages import validation_text

_MEMBER = re.compile(r"^members\[(\d+)\](?:\.(\w+))?$")
LRI, PDI = "\u2066", "\u2069"


def state_text(state: str) -> str:
    texts = {
        "queued": QCoreApplication.translate("RecordTexts", "Waiting to send"),
        "sending": QCoreApplication.translate("RecordTexts", "Sending"),
        "acknowledged": QCoreApplication.translate("RecordTexts", "Received by central"),
        "needs_correction": QCoreApplication.translate("RecordTexts", "Returned: correct it"),
        "duplicate": QCoreApplication.translate("RecordTexts", "Already registered"),
        "failed": QCoreApplication.translate("RecordTexts", "Failed: call the manager"),
        "draft": QCoreApplication.translate("RecordTexts", "Draft"),
    }
    return texts.get(state, state)


def problem_text(item: RecordItem, form: FormDefinition | None, language: str) -> str:
    """What is wrong with a record central answered, and what to do, in words."""
    if item.state == "needs_correction":
        return central_problems_text(item.corrections, form, language) or "-"
    if item.state == "duplicate":
        if item.other_receipt:
            return QCoreApplication.translate(
                "RecordTexts",
                "Central already has this head of household (receipt %1): tell the citizen.",
            ).replace("%1", LRI + item.other_receipt + PDI)
        return QCoreApplication.translate(
            "RecordTexts", "Central already has this head of household: tell the citizen."
        )
    if item.state == "failed":
        texts = {
            "bad_envelope": QCoreApplication.translate(
                "RecordTexts", "Central cannot read this record: call the centre manager."
            ),
            "idempotency_mismatch": QCoreApplication.translate(
                "RecordTexts",
                "Central holds another version of this record: call the centre manager.",
            ),
            "too_large": QCoreApplication.translate(
                "RecordTexts", "The record is too large for central: call the centre manager."
            ),
        }
        return texts.get(item.error_code) or QCoreApplication.translate(
            "RecordTexts", "Central refused this record: call the centre manager."
        )
    return item.message


def central_problems_text(
    problems: Sequence[FieldProblem], form: FormDefinition | None, language: str
) -> str:
    """``members[2].cnic_or_bform: cnic.wrong_length`` and ``head.name: required`` in
    words: each question's label and each problem's sentence."""
    parts = []
    for problem in problems:
        label = _path_label(problem.field, form, language)
        words = validation_text(problem.message.strip()) or problem.message
        parts.append(f"{label}: {words}")
    return "؛ ".join(parts) if language == "ur" else "; ".join(parts)


@lru_cache(maxsize=1)
def _shipped_form() -> FormDefinition | None:
    from pser_desk.domain.form import FormDefinitionError, load_form

    try:
        return load_form()
    except FormDefinitionError:
        return None


def _path_label(path: str, form: FormDefinition | None, language: str) -> str:
    form = form or _shipped_form()
    if form is None:
        return path
    member = _MEMBER.match(path)
    if member:
        who = QCoreApplication.translate("RecordTexts", "Member %1").replace(
            "%1", str(int(member[1]) + 1)
        )
        if member[2]:
            try:
                return f"{who} › {form.roster.column(member[2]).label.text(language)}"
            except KeyError:
                return who
        return who
    field_id = path.split(".", 1)[-1]
    try:
        return form.field(field_id).label.text(language)
    except KeyError:
        return path
