"""The plain values the application layer hands the window and the command line.

Frozen dataclasses and enums, no behaviour beyond formatting, no personal data except
where a field says so (an opened record's content, a slip's PDF). Imports nothing heavy:
the sign-in window reads this module before the store is loaded.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from pser_desk.domain.accounts import Role
from pser_desk.domain.central_config import Notice
from pser_desk.domain.records import FieldProblem, problems_line
from pser_desk.domain.verdict import ReasonCode

if TYPE_CHECKING:  # the store loads behind the sign-in window
    from pser_desk.store.operators import LoginSession


class LoginOutcome(enum.StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class OperatorInfo:
    operator_id: str
    name: str
    role: Role

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER


@dataclass(frozen=True)
class LoginResult:
    """A sign-in: refused (with why), or accepted with the store's session.

    The session holds the installation key in memory (what opens sealed records); the
    views pass the whole result back to the services and never look inside it.
    """

    outcome: LoginOutcome
    operator: OperatorInfo | None = None
    session: LoginSession | None = None
    locked_for_s: int | None = None
    attempts_left: int | None = None

    @property
    def operator_id(self) -> str | None:
        return self.operator.operator_id if self.operator is not None else None


@dataclass(frozen=True)
class FormRef:
    """A form definition by id and version: what a record is typed and judged under."""

    form_id: str
    version: str

    def __str__(self) -> str:
        return f"{self.form_id} {self.version}"


@dataclass(frozen=True)
class Draft:
    """What the operator typed, as the wizard holds it: the record's parts (``head``,
    ``address``, ``answers``, ``members``) under the form it was typed in. The
    application layer stamps the ids (:func:`pser_desk.desk.records.stamp`)."""

    submission_id: str
    form: FormRef
    parts: Mapping[str, object]


@dataclass(frozen=True)
class OpenedRecord:
    """A saved record opened with the operator's key: its parts, its form, and what
    central found wrong with it (a returned record)."""

    submission_id: str
    form: FormRef
    parts: Mapping[str, object]
    returned: bool = False  # central returned it to be corrected
    corrections: tuple[FieldProblem, ...] = ()  # what central found wrong (when it said)


@dataclass(frozen=True)
class Correction:
    """A record central returned: which, and what it found wrong (structured)."""

    submission_id: str
    receipt_no: str
    problems: tuple[FieldProblem, ...] = ()

    @property
    def message(self) -> str:
        return problems_line(self.problems)


@dataclass(frozen=True)
class Rejection:
    """A household central rejected that no manager has dealt with yet (no personal data)."""

    submission_id: str
    receipt_no: str
    reason_code: ReasonCode
    reason: str | None  # central's sentence (English); the window words the code too
    decided_at: datetime | None


@dataclass(frozen=True)
class SenderNow:
    """Who sends this PC's queue now (the sender lease's holder)."""

    kind: str  # window | agent | sync
    pid: int
    host: str
    since: datetime


@dataclass(frozen=True)
class DashboardData:
    mine_today: int = 0
    centre_today: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)  # RecordState value -> count
    oldest_unsent_s: float | None = None
    corrections: tuple[Correction, ...] = ()
    online: bool | None = None  # None: not known yet
    last_sync: datetime | None = None
    connection: str = "unknown"  # online | offline | degraded | paused | revoked | unknown
    paused_until: datetime | None = None
    rejections: tuple[Rejection, ...] = ()  # central rejected; a manager must deal with them
    notice: Notice | None = None  # the district office's message (central's configuration)
    update_required: bool = False  # central's min_app_version is above this version
    sender: SenderNow | None = None  # who sends the queue now (None: nobody)
    attention: tuple[RecordItem, ...] = ()  # returned, duplicate or failed records


@dataclass(frozen=True)
class RecordItem:
    """A line of the records or drafts list: ids, state and times, never personal data."""

    submission_id: str
    receipt_no: str | None
    state: str  # RecordState value
    operator_id: str
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None = None
    tracking_id: str | None = None
    member_count: int | None = None
    corrections: tuple[FieldProblem, ...] = ()  # a returned record: what central found
    error_code: str = ""  # a failed or duplicate record: central's code
    verdict: str = ""  # central's verdict once acknowledged: received | verified | rejected
    reason_code: str = ""  # a rejected household: central's reason_code
    reason: str = ""  # a rejected household: central's sentence (English)
    purged: bool = False  # verified, and its personal data has left this PC
    dismissed: bool = False  # a rejected household a manager has dealt with
    other_receipt: str | None = None  # a duplicate: the receipt central already holds

    @property
    def message(self) -> str:
        return problems_line(self.corrections) if self.corrections else self.error_code


@dataclass(frozen=True)
class Slip:
    """A slip rendered in memory (it shows the head's name: never written to disk as is)."""

    pdf: bytes
    receipt_no: str
    submission_id: str
    reprint: bool
    paper: str
