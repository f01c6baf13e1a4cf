"""Submission ids (store/sealing.py): UUIDv7 that sort in the order they were made.

The outbox sends households queued at one instant in id order; with random bits after the
millisecond, two households queued in the same millisecond went in either order (central
then took the second of two twins for the first: test_worker's twins failed now and then).
"""

from __future__ import annotations

import uuid

from pser_desk.store import sealing
from pser_desk.store.sealing import canonical_submission_id, new_submission_id


def test_ids_made_one_after_the_other_sort_in_that_order() -> None:
    ids = [new_submission_id() for _ in range(20_000)]  # many share a millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    millis = [int(i.replace("-", "")[:12], 16) for i in ids]
    assert len(set(millis)) < len(ids)  # the test did make ids within one millisecond


def test_each_id_is_a_canonical_version_7_uuid() -> None:
    for text in (new_submission_id() for _ in range(100)):
        parsed = uuid.UUID(text)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
        assert canonical_submission_id(text) == text


def test_a_clock_stepping_back_or_a_full_millisecond_keeps_the_order(monkeypatch) -> None:
    now = [1_780_000_000_000_000_000]
    monkeypatch.setattr(sealing.time, "time_ns", lambda: now[0])
    monkeypatch.setattr(sealing, "_last_id", (0, 0))
    ids = [new_submission_id() for _ in range(5_000)]  # more than 4,096 in one millisecond
    now[0] -= 2_000_000_000  # the PC's clock set back two seconds
    ids += [new_submission_id() for _ in range(10)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
