"""JSON from outside (a file a manager gives, a request body): bounded before it is parsed.

Refused with a :class:`JsonRefused` that says why in words: nesting deeper than
``max_depth`` (Python's parser would otherwise recurse until it fails), numbers with more
than ``MAX_NUMBER_CHARS`` characters (a 5,000-digit integer costs quadratic time, and
Python refuses it with an error of its own), non-finite numbers (``1e999``, ``NaN``,
``Infinity`` are not JSON), and text that is not JSON. A UTF-8 byte-order mark (Windows
Notepad writes one) is accepted.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 64
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class JsonRefused(ValueError):
    """Not acceptable JSON; the message says why (never the content)."""


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in *text* (strings skipped)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _number(text: str) -> None:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRefused(f"a number in it is too long ({len(text)} characters)")


def _int(text: str) -> int:
    _number(text)
    return int(text)


def _float(text: str) -> float:
    _number(text)
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused("a number in it is too large to be a finite number")
    return value


def _constant(name: str) -> Any:
    raise JsonRefused(f"it holds {name}, which is not a JSON number")


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse *data* within the limits above; raises :class:`JsonRefused`."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise JsonRefused("it is not UTF-8 text") from None
    depth = nesting_depth(text)
    if depth > max_depth:
        raise JsonRefused(f"it is nested too deeply ({depth} levels; at most {max_depth})")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JsonRefused(f"it is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise JsonRefused("it is nested too deeply") from None
