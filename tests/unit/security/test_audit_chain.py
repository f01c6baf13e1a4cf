from __future__ import annotations

import dataclasses

from pser_desk.security.audit import GENESIS, AuditEntry, StoredEntry, chain_hash, verify_chain


def _chain(n: int) -> list[StoredEntry]:
    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = AuditEntry(
            seq, f"2026-11-24T09:00:{seq:02d}.000000Z", "login", "op1", "op1", {"n": seq}
        )
        digest = chain_hash(prev, entry)
        out.append(StoredEntry(entry, prev, digest))
        prev = digest
    return out


def test_an_untouched_chain_verifies() -> None:
    chain = _chain(5)
    report = verify_chain(chain, (5, chain[-1].hash))
    assert report.ok
    assert report.entries == 5


def test_an_edited_entry_is_the_first_broken_link() -> None:
    chain = _chain(5)
    edited = dataclasses.replace(chain[2].entry, event="logout")
    chain[2] = dataclasses.replace(chain[2], entry=edited)
    report = verify_chain(chain)
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "edited" in (report.reason or "")


def test_a_deleted_entry_is_found() -> None:
    chain = _chain(5)
    del chain[1]
    report = verify_chain(chain)
    assert (report.ok, report.broken_seq) == (False, 2)


def test_swapped_entries_are_found() -> None:
    chain = _chain(5)
    chain[1], chain[2] = chain[2], chain[1]
    assert verify_chain(chain).broken_seq == 2


def test_a_cut_tail_is_found_through_the_head() -> None:
    chain = _chain(5)
    report = verify_chain(chain[:3], (5, chain[-1].hash))
    assert (report.ok, report.broken_seq) == (False, 4)
