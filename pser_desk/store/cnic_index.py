"""The CNIC index: which saved households hold a CNIC or B-Form number, by keyed digest.

A household is indexed when it is queued (and again when a correction is queued), with
the digests of its head's and members' numbers; records saved before the index existed
are indexed after a sign-in (the key needs an operator's password). Lookups join the
records for the other household's receipt number; drafts are never indexed, and a
household central rejected does not count (central does not hold it as registered: the
citizen is registered again, from it or afresh). Retention removes a purged household's
entries with its personal data (``store/verdicts.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, or_, select

from pser_desk.domain.lifecycle import RecordState
from pser_desk.domain.verdict import VerdictStatus
from pser_desk.store.database import Store
from pser_desk.store.models import CnicIndexRow, RecordRow

ROLES = ("head", "member")


@dataclass(frozen=True, slots=True)
class IndexHit:
    """A number (by digest) found in another saved household."""

    digest: str
    submission_id: str
    receipt_no: str | None
    role: str


class CnicIndex:
    def __init__(self, store: Store) -> None:
        self._store = store

    def replace(self, submission_id: str, entries: Iterable[tuple[str, str]]) -> None:
        """The household *submission_id* holds these (digest, role) pairs, and only these."""
        unique = dict.fromkeys((digest, role) for digest, role in entries if role in ROLES)
        by_digest: dict[str, str] = {}
        for digest, role in unique:
            by_digest.setdefault(digest, role)  # a number twice in one household: once
        with self._store.write() as session:
            session.execute(delete(CnicIndexRow).where(CnicIndexRow.submission_id == submission_id))
            session.add_all(
                CnicIndexRow(digest=d, submission_id=submission_id, role=r)
                for d, r in by_digest.items()
            )

    def find(self, digests: Collection[str], *, excluding: str | None = None) -> list[IndexHit]:
        """The saved households (not *excluding*) that hold any of *digests*."""
        if not digests:
            return []
        i, r = CnicIndexRow, RecordRow
        query = (
            select(i.digest, i.submission_id, r.receipt_no, i.role)
            .join(r, r.submission_id == i.submission_id)
            .where(i.digest.in_(list(digests)), r.state != RecordState.DRAFT.value)
            .where(or_(r.verdict.is_(None), r.verdict != VerdictStatus.REJECTED.value))
            .order_by(r.queued_at, i.submission_id)
        )
        if excluding is not None:
            query = query.where(i.submission_id != excluding)
        with self._store.read() as session:
            return [IndexHit(*row) for row in session.execute(query)]

    def unindexed(self, limit: int) -> list[str]:
        """Saved (not draft) households with no entry yet, oldest first."""
        i, r = CnicIndexRow, RecordRow
        query = (
            select(r.submission_id)
            .where(r.state != RecordState.DRAFT.value)
            .where(~select(i.submission_id).where(i.submission_id == r.submission_id).exists())
            .order_by(r.queued_at, r.submission_id)
            .limit(limit)
        )
        with self._store.read() as session:
            return list(session.scalars(query))
