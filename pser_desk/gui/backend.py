"""What the views ask of the services, as one small interface (wired in ``app.py``).

Every method may block (disk, network): views call them only through the task runner.
Errors a person can fix come back as :class:`BackendError` with a stable ``code``; the
views turn codes into translated text. Nothing here imports Qt.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the sign-in window imports this module: the form loads later
    from pser_desk.domain.form import FormDefinition


class BackendError(Exception):
    """A failure the operator can act on; ``code`` is stable, the message is for logs."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


class LoginOutcome(enum.StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class OperatorInfo:
    operator_id: str
    name: str
    role: str  # "operator" | "manager"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    operator: OperatorInfo | None = None
    session: Any = None  # opaque to the views: what the backend needs for sealed data
    locked_for_s: int | None = None
    attempts_left: int | None = None


@dataclass(frozen=True)
class Correction:
    submission_id: str
    receipt_no: str
    message: str


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
    message: str = ""  # central's message for a record to correct (rule text, no values)
    other_receipt: str | None = None  # a duplicate: the receipt central already holds


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
    attention: tuple[RecordItem, ...] = ()  # returned, duplicate or failed records


@dataclass(frozen=True)
class Slip:
    """A slip rendered in memory (it shows the head's name: never written to disk as is)."""

    pdf: bytes
    receipt_no: str
    reprint: bool
    paper: str


@dataclass(frozen=True)
class QueuedRecord:
    submission_id: str
    receipt_no: str
    slip_path: str | None = None


class DeskBackend(Protocol):
    def has_operators(self) -> bool: ...

    def create_manager(self, operator_id: str, name: str, password: str) -> None: ...

    def login(self, operator_id: str, password: str) -> LoginResult: ...

    def is_enrolled(self) -> bool: ...

    def enroll(self, central_url: str, centre_code: str, token: str) -> str: ...

    def dashboard(self, login: LoginResult) -> DashboardData: ...

    def save_draft(
        self, login: LoginResult, submission_id: str, record: Mapping[str, Any]
    ) -> None: ...

    def load_draft(self, login: LoginResult, submission_id: str) -> dict[str, Any] | None: ...

    def queue_record(
        self, login: LoginResult, submission_id: str, record: Mapping[str, Any]
    ) -> QueuedRecord: ...

    def send_now(self) -> int: ...

    def find_cnic(self, login: LoginResult, cnic: str, excluding: str | None) -> str | None:
        """The receipt number of another saved household holding *cnic* ("" when it has
        none), or None when no other household holds it (the duplicate check)."""
        ...

    def current_form(self) -> FormDefinition:
        """The form new registrations start under: the newest version the wizard can show."""
        ...

    def form_version(self, form_id: str, version: str) -> FormDefinition:
        """The version a record names; ``BackendError("form.unknown_version")`` if this PC
        has none (a manager fetches it with "forms update"), ``"form.unreadable"`` if the
        wizard cannot show it."""
        ...

    def list_records(self, login: LoginResult, drafts: bool = False) -> list[RecordItem]: ...

    def load_record(self, login: LoginResult, submission_id: str) -> dict[str, Any]: ...

    def make_slip(self, login: LoginResult, receipt_no: str, paper: str) -> Slip: ...

    def close(self) -> None: ...
