"""JSON as the domain reads and writes it, typed without ``Any``.

JSON the domain did not make (a record from a file or the wizard, central's answers, a
form definition) is ``object`` until it has been checked; what the domain builds is a
:data:`JsonValue`. A household record is a :data:`JsonObject` (central-api.md section 5).
"""

from __future__ import annotations

import math
from typing import TypeAlias

JsonScalar: TypeAlias = str | int | float | bool | None
JsonValue: TypeAlias = "JsonScalar | list[JsonValue] | dict[str, JsonValue]"
JsonObject: TypeAlias = "dict[str, JsonValue]"
# What a form's field holds once answered (a multi-choice holds a list of codes).
FieldValue: TypeAlias = "str | int | float | bool | list[str] | None"


def json_value(value: object) -> JsonValue:
    """*value* as a :data:`JsonValue` if it is one (what ``json.loads`` makes); else
    :class:`ValueError`. Tuples are taken as lists."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return value
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise ValueError("an object's keys are text")
        return {str(key): json_value(item) for key, item in value.items()}
    raise ValueError(f"{type(value).__name__} is not JSON")


def json_object(value: object) -> JsonObject:
    """*value* as a :data:`JsonObject`; :class:`ValueError` if it is not one."""
    checked = json_value(value)
    if not isinstance(checked, dict):
        raise ValueError("not a JSON object")
    return checked
