"""Household records: drafts, the queue, corrections, duplicates and failures.

The record's way goes one direction. The window (or ``record add``) gives what was
typed and the form it was typed in; :func:`stamp` is the one place that writes the
submission id, form id and version into the record; the store seals and saves a draft,
or validates once (with the injected clock's date), numbers, seals for central and
queues. Submission ids come from one generator, the time-ordered UUIDv7 of
:func:`pser_desk.store.sealing.new_submission_id`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from pser_desk.desk.errors import DUPLICATE_CNIC, DeskError, ErrorCode, Problem, RecordRejected
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.forms import Forms
from pser_desk.desk.model import Draft, FormRef, LoginResult, OpenedRecord, RecordItem
from pser_desk.desk.sessions import manager, signed_in
from pser_desk.domain.form import FormDefinition
from pser_desk.domain.household_ids import household_numbers
from pser_desk.domain.lifecycle import EDITABLE, RecordState
from pser_desk.domain.records import QueueCounts, QueuedRecord, RecordSummary
from pser_desk.security.cnic_digest import CnicDigester
from pser_desk.store import StoreService, sealing
from pser_desk.store import errors as store_errors

log = logging.getLogger(__name__)

LIST_LIMIT = 500
STAMPED = ("submission_id", "form_id", "form_version")
ATTENTION = (RecordState.NEEDS_CORRECTION, RecordState.DUPLICATE, RecordState.FAILED)


def stamp(submission_id: str, form: FormRef, parts: Mapping[str, object]) -> dict[str, object]:
    """The record the store keeps and central receives: the parts the operator typed, with
    its submission id, form id and version (whatever the parts said of them)."""
    record = {key: value for key, value in parts.items() if key not in STAMPED}
    return {"submission_id": submission_id, "form_id": form.form_id,
            "form_version": form.version, **record}  # fmt: skip


def unstamp(record: Mapping[str, object]) -> tuple[FormRef | None, dict[str, object]]:
    """(the form a stored record names, its parts): the inverse of :func:`stamp`."""
    form_id, version = record.get("form_id"), record.get("form_version")
    named = (
        FormRef(form_id, version) if isinstance(form_id, str) and isinstance(version, str) else None
    )
    return named, {key: value for key, value in record.items() if key not in STAMPED}


class Records:
    def __init__(self, store: StoreService, forms: Forms) -> None:
        self._store, self._forms = store, forms

    @staticmethod
    def new_submission_id() -> str:
        """A new record's id: time-ordered (UUIDv7), so new records sit together."""
        return sealing.new_submission_id()

    # ------------------------------------------------------------ the operator's record

    def save_draft(self, login: LoginResult, draft: Draft) -> None:
        session = signed_in(login)
        record = stamp(draft.submission_id, draft.form, draft.parts)
        with desk_errors():
            self._store.records.save_draft(record, operator_id=session.operator_id, login=session)

    def queue(self, login: LoginResult, draft: Draft) -> QueuedRecord:
        """Validate once, number, seal for central and queue (all or nothing). Refused
        (:class:`RecordRejected`, code ``duplicate.elsewhere``) while a CNIC or B-Form
        number of the household is in another household saved here; indexed once queued."""
        session = signed_in(login)
        record = stamp(draft.submission_id, draft.form, draft.parts)
        with desk_errors():
            taken = self._numbers_elsewhere(login, record, draft.submission_id)
            if taken:
                raise RecordRejected(taken)
            queued = self._store.records.queue(
                record, operator_id=session.operator_id, login=session
            )
            self._index(login, queued.submission_id, record)
        log.info("record queued")
        return queued

    def add(self, login: LoginResult, record: Mapping[str, object]) -> QueuedRecord:
        """A whole record from a file (``pser-desk record add``), as if typed: its own
        submission id and form version when it names them, else new ones."""
        named, parts = unstamp(record)
        given = record.get("submission_id")
        sid = given if isinstance(given, str) and given else self.new_submission_id()
        return self.queue(login, Draft(sid, named or self._forms.current_ref(), parts))

    def open(self, login: LoginResult, submission_id: str) -> OpenedRecord:
        """A saved record opened with the operator's key (a draft, a returned record...)."""
        session = signed_in(login)
        with desk_errors():
            summary = self._store.records.get(submission_id)
            content = self._store.records.load(submission_id, session)
        named, parts = unstamp(content)
        form = named or FormRef(summary.form_id, summary.form_version)
        returned = summary.state is RecordState.NEEDS_CORRECTION
        return OpenedRecord(submission_id, form, parts, returned, summary.corrections)

    def open_draft(self, login: LoginResult, submission_id: str) -> OpenedRecord | None:
        """The record if it can still be edited (a draft, or returned by central)."""
        with desk_errors():
            try:
                summary = self._store.records.get(submission_id)
            except store_errors.NotFound:
                return None
        if summary.state not in EDITABLE:
            return None
        return self.open(login, submission_id)

    # ------------------------------------------------------------ duplicates (the CNIC index)

    def find_cnic(self, login: LoginResult, cnic: str, excluding: str | None) -> str | None:
        """The receipt number of another saved household holding *cnic* ("" when it has
        none yet), or None when no other household holds it: on this PC's store, the
        centre's database when PCs share one. By keyed digest only."""
        digits = "".join(ch for ch in cnic if ch.isdigit())
        if len(digits) != 13:
            return None
        digest = _digester(login).digest(digits)
        with desk_errors():
            hits = self._store.cnic_index.find([digest], excluding=excluding)
        return (hits[0].receipt_no or "") if hits else None

    def index_missing(self, login: LoginResult, limit: int = 500) -> int:
        """Index saved households that are not yet (saved before the index existed, or
        when indexing failed); how many were done. Runs after a sign-in."""
        session = signed_in(login)
        done = 0
        with desk_errors():
            for sid in self._store.cnic_index.unindexed(limit):
                self._index(login, sid, self._store.records.load(sid, session))
                done += 1
        if done:
            log.info("%d saved household(s) added to the CNIC index", done)
        return done

    def _index(self, login: LoginResult, submission_id: str, record: Mapping[str, object]) -> None:
        digester = _digester(login)
        numbers = household_numbers(record, self._form_of(record))
        self._store.cnic_index.replace(
            submission_id, [(digester.digest(n.digits), n.role) for n in numbers]
        )

    def _numbers_elsewhere(
        self, login: LoginResult, record: Mapping[str, object], submission_id: str
    ) -> list[Problem]:
        """Each number of *record* already in another household, at its path."""
        digester = _digester(login)
        numbers = household_numbers(record, self._form_of(record))
        by_digest = {digester.digest(n.digits): n.path for n in numbers}
        hits = self._store.cnic_index.find(list(by_digest), excluding=submission_id)
        return [Problem(by_digest[h.digest], DUPLICATE_CNIC, h.receipt_no or "") for h in hits]

    def _form_of(self, record: Mapping[str, object]) -> FormDefinition:
        named, _parts = unstamp(record)
        if named is None:
            return self._forms.current_form()
        try:
            return self._forms.form_version(named)
        except DeskError:  # a version this PC cannot show: the numbers sit where they did
            return self._forms.current_form()

    # ------------------------------------------------------------ lists and counts

    def recent(self, login: LoginResult, *, drafts: bool = False) -> list[RecordItem]:
        """Newest first. Drafts: only the operator's own; records: the whole centre's."""
        me = signed_in(login).operator_id
        with desk_errors():
            found = self._store.records.recent(limit=LIST_LIMIT, drafts_of=me if drafts else None)
        return [item(summary) for summary in found]

    def summaries(
        self, *, states: Sequence[RecordState] | None = None, limit: int | None = None
    ) -> list[RecordSummary]:
        """Records without personal data, oldest first (``pser-desk record list``)."""
        with desk_errors():
            return self._store.records.list(limit=limit, states=states)

    def counts(self) -> QueueCounts:
        with desk_errors():
            return self._store.outbox.counts()

    def corrections(self, limit: int = 50) -> list[RecordSummary]:
        """Records central returned to be corrected, oldest first."""
        with desk_errors():
            return self._store.records.list(states=[RecordState.NEEDS_CORRECTION], limit=limit)

    def queued_between(
        self, low: datetime, high: datetime, operator_id: str
    ) -> tuple[int, int, datetime | None]:
        with desk_errors():
            return self._store.records.queued_between(low, high, operator_id=operator_id)

    # ------------------------------------------------------------ a manager's actions

    def resend_failed(self, login: LoginResult, submission_id: str) -> RecordSummary:
        """A failed record (400 bad envelope, 409 idempotency mismatch, 413) goes back to
        the queue with the same bytes; a manager decides."""
        by = manager(login)
        with desk_errors():
            summary = self._store.records.get(submission_id)
            if summary.state is not RecordState.FAILED:
                raise DeskError(
                    ErrorCode.RECORD_NOT_FAILED,
                    f"record {submission_id} is {summary.state}; only a failed record is resent",
                )
            self._store.outbox.requeue_failed(submission_id, by=by)
            return self._store.records.get(submission_id)


def _digester(login: LoginResult) -> CnicDigester:
    return CnicDigester.for_installation(signed_in(login).installation_key)


def item(summary: RecordSummary) -> RecordItem:
    """A line of the window's lists (no personal data)."""
    code, other = "", None
    if summary.state in (RecordState.FAILED, RecordState.DUPLICATE):
        code = summary.last_error_code or ""
    if summary.state is RecordState.DUPLICATE:
        other = existing_receipt(summary.last_error)
    return RecordItem(
        summary.submission_id, summary.receipt_no, summary.state.value, summary.operator_id,
        summary.created_at, summary.updated_at, summary.queued_at, summary.tracking_id,
        summary.member_count, summary.corrections, code,
        verdict=summary.verdict.value if summary.verdict else "",
        reason_code=summary.reason_code.value if summary.reason_code else "",
        reason=summary.reason or "", purged=summary.purged,
        dismissed=summary.dismissed_at is not None, other_receipt=other,
    )  # fmt: skip


def existing_receipt(last_error: str | None) -> str | None:
    """The receipt number central holds a duplicate household under (its 409 answer, as
    the outbox keeps it), or None."""
    try:
        detail: object = json.loads(last_error or "")
    except ValueError:
        return None
    found = detail.get("existing_receipt_no") if isinstance(detail, dict) else None
    return found if isinstance(found, str) else None
