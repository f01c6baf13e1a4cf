"""Household records: drafts (sealed on every save), queuing, correction, listing.

Queuing is one transaction: the record is validated (before, by the domain validator),
then the receipt number is taken, the body for central sealed and stored as bytes, the
local copy re-sealed and the state set to ``queued``. Any failure leaves nothing behind.
A record central returned for correction goes back to ``queued`` under the same
submission id and receipt number, with a new body.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pser_desk.domain.dates import PAKISTAN_TIME
from pser_desk.domain.enrolment import DeviceIdentity
from pser_desk.domain.lifecycle import EDITABLE, RecordState, transition
from pser_desk.domain.records import QueuedRecord, RecordSummary, problems_from_text
from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.security import vault
from pser_desk.store import audit_log, receipts, sealing
from pser_desk.store.audit_log import Event
from pser_desk.store.database import Store
from pser_desk.store.device import DeviceRepository
from pser_desk.store.errors import (
    BadSubmissionId,
    InvalidId,
    NotEditable,
    NotFound,
    Purged,
    StoreCorrupt,
    StoreError,
)
from pser_desk.store.models import RecordRow
from pser_desk.store.operators import (
    LoginSession,
    check_installation_key,
    installation_public_key,
    require_active,
    utc_now,
)
from pser_desk.store.outbox import as_utc


class Issue(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def code(self) -> str: ...


class RecordValidator(Protocol):
    """Judges a record by the form version it names, on the given day (in Pakistan)."""

    def validate(self, record: Mapping[str, object], today: date) -> Sequence[Issue]: ...


class RecordInvalid(StoreError):
    """The record breaks rules of the form; ``issues`` has each path and code (no values)."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        shown = "; ".join(f"{issue.path}: {issue.code}" for issue in issues[:5])
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        super().__init__(f"the record is not valid ({len(issues)} problem(s)): {shown}{more}")
        self.issues = list(issues)


class NoInstallationKey(StoreError):
    def __init__(self) -> None:
        super().__init__("no operator account exists yet: create the first manager account first")


def summarise(row: RecordRow) -> RecordSummary:
    return RecordSummary(
        row.submission_id, row.receipt_no, RecordState(row.state), row.tracking_id,
        row.operator_id, row.form_id, row.form_version, row.created_at, row.updated_at,
        row.queued_at, row.acknowledged_at, row.attempts, row.next_attempt_at,
        row.last_error_code, row.last_error, row.member_count,
        problems_from_text(row.corrections), verdict_of(row), reason_code_of(row.reason_code),
        row.reason, row.decided_at, row.purged_at, row.dismissed_at, row.redo_of,
    )  # fmt: skip


def verdict_of(row: RecordRow) -> VerdictStatus | None:
    """The stored verdict; ``received`` for an acknowledged record not yet asked about."""
    if row.verdict:
        try:
            return VerdictStatus(row.verdict)
        except ValueError:
            return None
    return VerdictStatus.RECEIVED if row.state == RecordState.ACKNOWLEDGED.value else None


def reason_code_of(text: str | None) -> ReasonCode | None:
    if not text:
        return None
    try:
        return ReasonCode(text)
    except ValueError:
        return ReasonCode.OTHER


def member_count(record: Mapping[str, object]) -> int | None:
    members = record.get("members")
    return 1 + len(members) if isinstance(members, list) else None


class RecordService:
    def __init__(
        self,
        store: Store,
        *,
        validator: RecordValidator | None = None,
        clock: Callable[[], datetime] = utc_now,
        local_tz: timezone = PAKISTAN_TIME,
    ) -> None:
        self._store = store
        self._validator = validator
        self._clock = clock
        self._tz = local_tz
        self._device = DeviceRepository(store)

    @property
    def validator(self) -> RecordValidator:
        if self._validator is None:
            from pser_desk.store.validation import FormValidator

            made: RecordValidator = FormValidator.for_store(self._store)
            self._validator = made
            return made
        return self._validator

    @staticmethod
    def _stamped(record: Mapping[str, object]) -> tuple[str, dict[str, object]]:
        """(the record's submission id, its content) for a record the application layer
        stamped (:func:`pser_desk.desk.records.stamp`): the store never guesses an id or a
        form version. The id is kept in its one canonical spelling (lower case)."""
        canonical = sealing.canonical_submission_id(record.get("submission_id"))
        if canonical is None:
            raise BadSubmissionId("submission_id must be a UUID (8-4-4-4-12 hexadecimal digits)")
        for key in ("form_id", "form_version"):
            if not isinstance(record.get(key), str) or not record.get(key):
                raise InvalidId(f"a record names its {key} (the application layer stamps it)")
        return canonical, {**record, "submission_id": canonical}

    def save_draft(
        self, record: Mapping[str, object], *, operator_id: str, login: LoginSession | None = None,
        redo_of: str | None = None,
    ) -> str:  # fmt: skip
        """Seal and save *record* as a draft (create or update); returns its submission id.

        With the operator's *login* (the desk and the command line always give it), the
        record is sealed only to the installation key that login proved.
        """
        sid, content = self._stamped(record)
        now = self._clock()
        with self._store.write() as session:
            sealed = sealing.seal_local(content, _public_key(session, login), sid)
            require_active(session, operator_id)
            row = session.get(RecordRow, sid)
            if row is None:
                made = self._new_row(sid, content, operator_id, sealed, now)
                made.redo_of = redo_of  # a new registration of a household central rejected
                session.add(made)
                audit_log.append(
                    session,
                    Event.RECORD_CREATED,
                    at=now,
                    actor=operator_id,
                    subject=sid,
                    detail={"redo_of": redo_of} if redo_of else None,
                )
            elif RecordState(row.state) in EDITABLE:
                row.sealed_local, row.updated_at = sealed, now
                row.form_id, row.form_version = (
                    str(content["form_id"]),
                    str(content["form_version"]),
                )
                row.member_count = member_count(content)
            else:
                raise NotEditable(f"record {sid} is {row.state}; it can no longer be edited")
        return sid

    @staticmethod
    def _new_row(
        sid: str, record: Mapping[str, object], operator_id: str, sealed: bytes, now: datetime
    ) -> RecordRow:
        return RecordRow(
            submission_id=sid,
            form_id=str(record["form_id"]),
            form_version=str(record["form_version"]),
            state=RecordState.DRAFT.value,
            operator_id=operator_id,
            created_at=now,
            updated_at=now,
            sealed_local=sealed,
            attempts=0,
            member_count=member_count(record),
        )

    def queue(
        self, record: Mapping[str, object], *, operator_id: str, login: LoginSession | None = None
    ) -> QueuedRecord:
        """Validate (once: by the version the record names, on today's date in Pakistan by
        this service's clock), number, seal for central and queue *record*, all or nothing
        (sealed, with *login*, only to the installation key that login proved)."""
        sid, content = self._stamped(record)
        now = self._clock()
        issues = self.validator.validate(content, self._today(now))
        if issues:
            raise RecordInvalid(issues)
        device = self._device.require()
        with self._store.write() as session:
            require_active(session, operator_id)
            return self._queue_in(session, sid, content, operator_id, device, now, login)

    def _queue_in(
        self, session: Session, sid: str, content: dict[str, object], operator_id: str,
        device: DeviceIdentity, now: datetime, login: LoginSession | None = None,
    ) -> QueuedRecord:  # fmt: skip
        row = session.get(RecordRow, sid)
        sealed = sealing.seal_local(content, _public_key(session, login), sid)
        if row is None:
            row = self._new_row(sid, content, operator_id, sealed, now)
            session.add(row)
            audit_log.append(session, Event.RECORD_CREATED, at=now, actor=operator_id, subject=sid)
        if RecordState(row.state) not in EDITABLE:
            raise NotEditable(f"record {sid} is already {row.state}; it cannot be queued again")
        corrected = RecordState(row.state) is RecordState.NEEDS_CORRECTION
        state = transition(RecordState(row.state), RecordState.QUEUED)
        if row.receipt_no is None:
            row.receipt_no = receipts.next_receipt(session, device.centre_code, self._today(now))
        row.queued_at = row.queued_at or now
        header = sealing.BodyHeader(
            sid, row.receipt_no, str(content["form_id"]), str(content["form_version"]),
            device.centre_code, operator_id, row.queued_at,
        )  # fmt: skip
        plaintext = sealing.record_plaintext(content)
        row.central_body = sealing.central_body(header, plaintext, device.central_encryption_key)
        row.sealed_local, row.state, row.updated_at = sealed, state.value, now
        row.form_id, row.form_version = header.form_id, header.form_version
        row.attempts, row.next_attempt_at, row.last_error_code, row.last_error = 0, None, None, None
        row.corrections = None
        row.member_count = member_count(content)
        event = Event.RECORD_CORRECTED if corrected else Event.RECORD_QUEUED
        audit_log.append(session, event, at=now, actor=operator_id, subject=sid,
                         detail={"receipt_no": row.receipt_no})  # fmt: skip
        if row.redo_of:
            _dealt_with(session, row.redo_of, operator_id, now, sid)
        return QueuedRecord(sid, row.receipt_no, state)

    def _today(self, now: datetime) -> date:
        return now.astimezone(self._tz).date()

    def load(self, submission_id: str, login: LoginSession) -> dict[str, object]:
        """The record's content, opened with the logged-in operator's installation key."""
        with self._store.read() as session:
            row = session.get(RecordRow, submission_id)
            if row is None:
                raise NotFound(f"no record {submission_id}")
            if row.purged_at is not None:
                raise Purged(row.receipt_no)
            sealed = row.sealed_local
        plaintext = vault.open_at_rest(sealed, login.installation_key, submission_id)
        loaded = json.loads(plaintext)
        if not isinstance(loaded, dict):
            raise StoreCorrupt(f"record {submission_id} does not hold a household record")
        return loaded

    def get(self, submission_id: str) -> RecordSummary:
        with self._store.read() as session:
            row = session.get(RecordRow, submission_id)
            if row is None:
                raise NotFound(f"no record {submission_id}")
            return summarise(row)

    def find_by_receipt(self, receipt_no: str) -> RecordSummary:
        with self._store.read() as session:
            row = session.scalar(select(RecordRow).where(RecordRow.receipt_no == receipt_no))
            if row is None:
                raise NotFound(f"no record with receipt {receipt_no}")
            return summarise(row)

    def list(
        self, *, limit: int | None = None, offset: int = 0,
        states: Collection[RecordState] | None = None,
    ) -> list[RecordSummary]:  # fmt: skip
        query = select(RecordRow).order_by(RecordRow.created_at, RecordRow.submission_id)
        if states:
            query = query.where(RecordRow.state.in_([s.value for s in states]))
        query = query.offset(offset).limit(limit)
        with self._store.read() as session:
            return [summarise(row) for row in session.scalars(query)]

    def recent(self, *, limit: int, drafts_of: str | None = None) -> Sequence[RecordSummary]:
        """Newest change first: *drafts_of* an operator, or (None) every saved record."""
        r = RecordRow
        query = select(r).order_by(r.updated_at.desc(), r.submission_id).limit(limit)
        if drafts_of is not None:
            query = query.where(r.state == RecordState.DRAFT.value, r.operator_id == drafts_of)
        else:
            query = query.where(r.state != RecordState.DRAFT.value)
        with self._store.read() as session:
            return [summarise(row) for row in session.scalars(query)]

    def queued_between(
        self, low: datetime, high: datetime, *, operator_id: str
    ) -> tuple[int, int, datetime | None]:
        """Records queued in ``[low, high)``: the operator's, the centre's; last acknowledgement."""
        r = RecordRow
        in_range = (r.queued_at >= low) & (r.queued_at < high)
        with self._store.read() as session:
            centre = session.scalar(select(func.count()).select_from(r).where(in_range)) or 0
            mine = session.scalar(
                select(func.count()).select_from(r).where(in_range, r.operator_id == operator_id)
            )
            last_ack = session.scalar(select(func.max(r.acknowledged_at)))
        return int(mine or 0), int(centre), as_utc(last_ack)


def _dealt_with(session: Session, rejected: str, by: str, now: datetime, redo: str) -> None:
    """The rejected household a queued registration was started from is dealt with."""
    row = session.get(RecordRow, rejected, with_for_update=True)
    if row is None or row.verdict != VerdictStatus.REJECTED.value or row.dismissed_at:
        return
    row.dismissed_at, row.dismissed_by = now, by
    audit_log.append(session, Event.RECORD_DISMISSED, at=now, actor=by, subject=rejected,
                     detail={"registered_again_as": redo})  # fmt: skip


def _public_key(session: Session, login: LoginSession | None = None) -> bytes:
    key = installation_public_key(session)
    if key is None:
        raise NoInstallationKey()
    if login is not None:
        check_installation_key(session, login.installation_key)  # never seal to a planted key
    return key
