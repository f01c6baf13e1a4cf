"""The record's life (DESIGN.md), as one state machine.

``draft -> queued -> sending -> acknowledged | needs_correction | duplicate | failed``;
``sending -> queued`` when a send is interrupted or must be retried; a record that
central returned for correction is edited and queued again under the same submission id.
Anything else is an :class:`IllegalTransition`.
"""

from __future__ import annotations

import enum


class RecordState(enum.StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"
    SENDING = "sending"
    ACKNOWLEDGED = "acknowledged"
    NEEDS_CORRECTION = "needs_correction"
    DUPLICATE = "duplicate"
    FAILED = "failed"


class IllegalTransition(ValueError):
    """A state change the record's life does not allow."""

    def __init__(self, current: RecordState, target: RecordState) -> None:
        super().__init__(f"a record cannot go from {current.value} to {target.value}")
        self.current = current
        self.target = target


_S = RecordState

TRANSITIONS: dict[RecordState, frozenset[RecordState]] = {
    _S.DRAFT: frozenset({_S.QUEUED}),
    _S.QUEUED: frozenset({_S.SENDING}),
    _S.SENDING: frozenset(
        {_S.QUEUED, _S.ACKNOWLEDGED, _S.NEEDS_CORRECTION, _S.DUPLICATE, _S.FAILED}
    ),
    _S.NEEDS_CORRECTION: frozenset({_S.QUEUED}),
    _S.FAILED: frozenset({_S.QUEUED}),  # a manager may requeue after fixing the cause
    _S.ACKNOWLEDGED: frozenset(),
    _S.DUPLICATE: frozenset(),
}

# States whose record still has to reach central.
UNSENT: frozenset[RecordState] = frozenset({_S.QUEUED, _S.SENDING})
# States that need a person: the operator (correction, duplicate) or a manager (failed).
NEEDS_PERSON: frozenset[RecordState] = frozenset({_S.NEEDS_CORRECTION, _S.DUPLICATE, _S.FAILED})
# States whose record is final.
FINAL: frozenset[RecordState] = frozenset({_S.ACKNOWLEDGED, _S.DUPLICATE})
# States in which the operator may still edit the record's content.
EDITABLE: frozenset[RecordState] = frozenset({_S.DRAFT, _S.NEEDS_CORRECTION})


def can_transition(current: RecordState, target: RecordState) -> bool:
    return target in TRANSITIONS[current]


def transition(current: RecordState, target: RecordState) -> RecordState:
    """Return *target* if the record may go there from *current*; else raise."""
    if not can_transition(current, target):
        raise IllegalTransition(current, target)
    return target
