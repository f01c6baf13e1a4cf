"""HTTP byte ranges for update targets, reason sentences and the demo's decision policy."""

from __future__ import annotations

import pytest

from pser_desk.central.decisions import (
    AutoPolicy,
    DecisionError,
    check_reason,
    parse_auto_policy,
)
from pser_desk.central.updates import parse_range
from pser_desk.domain.verdict import ReasonCode


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=999-999", (999, 999)),
        ("bytes=1000-", (-1, -1)),
        ("bytes=1000-1001", (-1, -1)),
        ("bytes=-0", (-1, -1)),
        ("bytes=9-2", None),
        ("bytes=0-1,5-9", None),
        ("bytes=-", None),
        ("items=0-5", None),
        ("bytes=a-b", None),
    ],
)
def test_parse_range(header: str, span: tuple[int, int] | None) -> None:
    assert parse_range(header, 1000) == span


def test_an_empty_file_has_no_satisfiable_range() -> None:
    assert parse_range("bytes=0-", 0) == (-1, -1)
    assert parse_range("bytes=-1", 0) == (-1, -1)


def test_a_reason_is_one_short_line_without_personal_numbers() -> None:
    assert check_reason("  The spouse is registered under PSER-26-000000041.  ") == (
        "The spouse is registered under PSER-26-000000041."
    )
    for bad in ("", "x" * 301, "two\nlines", "CNIC 3520212345671 differs", "call 0300-1234567"):
        with pytest.raises(DecisionError):
            check_reason(bad)


def test_auto_policy() -> None:
    assert parse_auto_policy("") == AutoPolicy()
    assert parse_auto_policy("after=2.5,reject=10,reason_code=duplicate_member") == AutoPolicy(
        2.5, 10, ReasonCode.DUPLICATE_MEMBER
    )
    for bad in ("after=-1", "reject=x", "reason_code=bad", "every=3", "after"):
        with pytest.raises(DecisionError):
            parse_auto_policy(bad)
