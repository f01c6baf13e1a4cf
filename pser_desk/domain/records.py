"""What is known of a household record without opening it: no personal data here.

:class:`FieldProblem` is one of central's reasons for returning a record to the operator
(a ``422``: the field's path and central's rule text, central-api.md section 4), kept as
structured data from the answer to the screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MAX_PROBLEMS = 200  # a household form has fewer fields; more is not central's contract
MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A field central found wrong: its path (``head.cnic``, ``members[2].name``) and
    central's message (rule text, never the value)."""

    field: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def problems_to_text(problems: tuple[FieldProblem, ...]) -> str:
    """The problems as stored (a JSON array), whole: nothing is cut."""
    return json.dumps([p.as_json() for p in problems], ensure_ascii=False)


def problems_from_text(text: str | None) -> tuple[FieldProblem, ...]:
    """The problems stored by :func:`problems_to_text`; () for none or a text that is not
    such an array (a record from before problems were kept whole)."""
    if not text:
        return ()
    try:
        raw = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(raw, list):
        return ()
    return tuple(
        FieldProblem(str(item["field"])[:MAX_TEXT], str(item.get("message", ""))[:MAX_TEXT])
        for item in raw[:MAX_PROBLEMS]
        if isinstance(item, dict) and isinstance(item.get("field"), str)
    )


def problems_line(problems: tuple[FieldProblem, ...]) -> str:
    """``head.cnic: message; answers.rooms: message`` (for a list line or the CLI)."""
    return "; ".join(f"{p.field}: {p.message}" for p in problems)
