"""Making a slip for a queued record from the store: the GUI at save and ``pser-desk slip``.

The record is opened with the logged-in operator's key (the slip shows the head's name
and masked CNIC), the token is signed with the device key, and the printing is written to
the audit log: ``slip_printed`` the first time, ``slip_reprinted`` after, and a reprint
says REPRINT on the slip. The audit entry holds the submission id and the paper only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from pser_desk.documents.slip import Paper, SlipData, render_slip
from pser_desk.documents.slip_token import Signer, issue_token
from pser_desk.domain.cnic import Cnic, parse_cnic
from pser_desk.store import LoginSession, RecordSummary, StoreError, StoreService, audit_log
from pser_desk.store.audit_log import Event
from pser_desk.store.models import AuditRow

PRINT_EVENTS = (Event.SLIP_PRINTED.value, Event.SLIP_REPRINTED.value)


class SlipUnavailable(StoreError):
    """The record cannot have a slip (no receipt yet, or its content is incomplete)."""


@dataclass(frozen=True, slots=True)
class SlipResult:
    pdf: bytes
    receipt_no: str
    submission_id: str
    reprint: bool
    paper: Paper
    token: str


def already_printed(services: StoreService, submission_id: str) -> bool:
    query = select(AuditRow.seq).where(
        AuditRow.subject == submission_id, AuditRow.event.in_(PRINT_EVENTS)
    )
    with services.store.read() as session:
        return session.scalar(query.limit(1)) is not None


def _head(record: dict[str, Any]) -> tuple[str, Cnic]:
    head = record.get("head")
    if not isinstance(head, dict):
        raise SlipUnavailable("the record has no head of household")
    parsed = parse_cnic(head.get("cnic"))
    if parsed.cnic is None:
        raise SlipUnavailable("the record's head of household has no valid CNIC")
    return str(head.get("name") or "").strip(), parsed.cnic


def slip_data(
    summary: RecordSummary, record: dict[str, Any], services: StoreService, reprint: bool
) -> tuple[SlipData, str]:
    """The slip's plain data and the head's CNIC digits (for the token only)."""
    if summary.receipt_no is None:
        raise SlipUnavailable("a draft has no receipt number yet: queue it first")
    name, cnic = _head(record)
    device = services.device.current()
    centre_code = device.centre_code if device else summary.receipt_no.rsplit("-", 2)[0]
    members = record.get("members")
    count = summary.member_count or (1 + len(members) if isinstance(members, list) else 1)
    data = SlipData(
        receipt_no=summary.receipt_no, submission_id=summary.submission_id,
        created_at=summary.queued_at or summary.created_at, centre_code=centre_code,
        centre_name=device.centre_name if device else "", operator_id=summary.operator_id,
        head_name=name, cnic_masked=cnic.masked,
        member_count=count, tracking_id=summary.tracking_id, reprint=reprint,
    )  # fmt: skip
    return data, cnic.digits


def make_slip(
    services: StoreService,
    login: LoginSession,
    receipt_no: str,
    *,
    paper: Paper,
    signer: Signer,
    now: datetime | None = None,
) -> SlipResult:
    """Render the slip of *receipt_no* and audit it (a second print is a REPRINT)."""
    now = now or datetime.now(UTC)
    summary = services.records.find_by_receipt(receipt_no)
    record = services.records.load(summary.submission_id, login)
    reprint = already_printed(services, summary.submission_id)
    data, digits = slip_data(summary, record, services, reprint)
    device = services.device.current()
    token = issue_token(
        signer, receipt_no=data.receipt_no, submission_id=data.submission_id,
        cnic_digits=digits, issued_at=now, device_id=device.device_id if device else "",
        printed_at=data.created_at, member_count=data.member_count,
        cnic_masked=data.cnic_masked,
    )  # fmt: skip
    pdf = render_slip(data, paper, token)
    event = Event.SLIP_REPRINTED if reprint else Event.SLIP_PRINTED
    with services.store.write() as session:
        audit_log.append(session, event, at=now, actor=login.operator_id,
                         subject=summary.submission_id, detail={"paper": paper})  # fmt: skip
    return SlipResult(pdf, data.receipt_no, data.submission_id, reprint, paper, token)
