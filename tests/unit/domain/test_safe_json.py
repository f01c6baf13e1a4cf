"""Bounded JSON parsing (issue 13 item 9; also central's request bodies)."""

from __future__ import annotations

import time

import pytest

from pser_desk.domain.safe_json import JsonRefused, loads, nesting_depth


def test_depth_is_counted_outside_strings() -> None:
    assert nesting_depth('{"a": "[[[[[[", "b": [[1]]}') == 3
    assert loads('{"a": "[[[[["}') == {"a": "[[[[["}


def test_a_million_brackets_are_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(JsonRefused, match="nested too deeply"):
        loads("[" * 1_000_000 + "]" * 1_000_000)
    assert time.perf_counter() - started < 5


def test_bom_bytes_and_text() -> None:
    assert loads(b"\xef\xbb\xbf[1, 2.5]") == [1, 2.5]
    assert loads("\ufeff{}") == {}


@pytest.mark.parametrize("bad", ["9" * 65, "1e400", "NaN", "-Infinity", b"\xff\xfe"])
def test_numbers_and_encodings_that_are_refused(bad: str | bytes) -> None:
    with pytest.raises(JsonRefused):
        loads(bad)
