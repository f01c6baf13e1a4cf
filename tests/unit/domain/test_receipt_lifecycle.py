from __future__ import annotations

from datetime import date

import pytest

from pser_desk.domain.lifecycle import (
    TRANSITIONS,
    IllegalTransition,
    RecordState,
    can_transition,
    transition,
)
from pser_desk.domain.receipt import ReceiptError, ReceiptNo, format_receipt, parse_receipt

S = RecordState


def test_receipt_number_format_and_round_trip() -> None:
    text = format_receipt("LHR-0042", date(2026, 11, 24), 17)
    assert text == "LHR-0042-20261124-0017"
    assert parse_receipt(text) == ReceiptNo("LHR-0042", date(2026, 11, 24), 17)
    assert str(parse_receipt(" lhr-0042-20261124-0017 ")) == text


def test_a_busy_day_past_9999_still_sorts_and_parses() -> None:
    text = format_receipt("FSD-0007", date(2026, 1, 2), 10_001)
    assert text == "FSD-0007-20260102-10001"
    assert parse_receipt(text).sequence == 10_001


@pytest.mark.parametrize(
    ("centre", "seq"), [("lahore", 1), ("LHR-42", 1), ("LHR-0042", 0), ("LHR-0042", 10**6)]
)
def test_bad_receipt_parts_are_refused(centre: str, seq: int) -> None:
    with pytest.raises(ReceiptError):
        format_receipt(centre, date(2026, 11, 24), seq)


@pytest.mark.parametrize(
    "text", ["", "LHR-0042-20261124", "LHR-0042-20261324-0001", "LHR-0042-20261124-0000", "x" * 500]
)
def test_malformed_receipt_numbers_are_refused(text: str) -> None:
    with pytest.raises(ReceiptError):
        parse_receipt(text)


def test_the_record_life_of_the_design() -> None:
    state = S.DRAFT
    for target in (
        S.QUEUED,
        S.SENDING,
        S.QUEUED,
        S.SENDING,
        S.NEEDS_CORRECTION,
        S.QUEUED,
        S.SENDING,
        S.ACKNOWLEDGED,
    ):
        state = transition(state, target)
    assert state is S.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.SENDING),
        (S.DRAFT, S.ACKNOWLEDGED),
        (S.QUEUED, S.ACKNOWLEDGED),
        (S.ACKNOWLEDGED, S.QUEUED),
        (S.DUPLICATE, S.QUEUED),
        (S.NEEDS_CORRECTION, S.SENDING),
        (S.QUEUED, S.DRAFT),
    ],
)
def test_illegal_transitions_are_errors(current: RecordState, target: RecordState) -> None:
    assert not can_transition(current, target)
    with pytest.raises(IllegalTransition, match=f"from {current.value} to {target.value}"):
        transition(current, target)


def test_every_state_has_a_rule_and_final_states_go_nowhere() -> None:
    assert set(TRANSITIONS) == set(RecordState)
    assert not TRANSITIONS[S.ACKNOWLEDGED]
    assert not TRANSITIONS[S.DUPLICATE]
    # every state but draft can be reached
    reachable = set().union(*TRANSITIONS.values())
    assert reachable == set(RecordState) - {S.DRAFT}
