"""An in-memory :class:`DeskBackend` for fast view tests (the desk itself runs on ``StoreBackend``).

It keeps the same rules the real services keep (password policy, lockout after three
wrong passwords, receipt numbers per centre and day) so a view behaves the same on it.
Nothing is written to disk, so no personal data can leak from it.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pser_desk.domain.form import FormDefinition, load_form
from pser_desk.domain.receipt import format_receipt
from pser_desk.gui.backend import (
    BackendError,
    DashboardData,
    LoginOutcome,
    LoginResult,
    OperatorInfo,
    QueuedRecord,
    RecordItem,
    Slip,
)
from pser_desk.gui.wizard.model import renderable
from pser_desk.security.passwords import check_policy, hash_password, verify_password

MAX_FAILURES = 3
LOCKOUT_S = 300


@dataclass
class _Operator:
    info: OperatorInfo
    password_hash: str
    failures: int = 0
    locked_until: float = 0.0


@dataclass
class _Record:
    operator_id: str
    state: str
    record: dict[str, Any]
    receipt_no: str | None = None
    queued_at: float | None = None


class MemoryBackend:
    def __init__(self, centre_code: str = "LHR-0042") -> None:
        self._lock = threading.Lock()
        self._operators: dict[str, _Operator] = {}
        self._records: dict[str, _Record] = {}
        self._centre_code = centre_code
        self._enrolled = False
        self._sequence = 0
        self._forms: dict[tuple[str, str], FormDefinition] = {}

    def has_operators(self) -> bool:
        return bool(self._operators)

    def create_manager(self, operator_id: str, name: str, password: str) -> None:
        self._add(operator_id, name, password, "manager")

    def add_operator(self, operator_id: str, name: str, password: str, role: str) -> None:
        self._add(operator_id, name, password, role)

    def _add(self, operator_id: str, name: str, password: str, role: str) -> None:
        problems = check_policy(password, operator_id)
        if problems:
            raise BackendError(problems[0].value)
        with self._lock:
            if operator_id in self._operators:
                raise BackendError("operator.exists")
            info = OperatorInfo(operator_id, name, role)
            self._operators[operator_id] = _Operator(info, hash_password(password))

    def login(self, operator_id: str, password: str) -> LoginResult:
        op = self._operators.get(operator_id)
        now = time.monotonic()
        if op is not None and op.locked_until > now:
            return LoginResult(LoginOutcome.LOCKED, locked_for_s=int(op.locked_until - now) + 1)
        if op is None or not verify_password(password, op.password_hash):
            return self._failed(op, now)
        op.failures = 0
        return LoginResult(LoginOutcome.OK, operator=op.info, session=op.info.operator_id)

    def _failed(self, op: _Operator | None, now: float) -> LoginResult:
        if op is None:
            return LoginResult(LoginOutcome.BAD_CREDENTIALS)
        op.failures += 1
        if op.failures >= MAX_FAILURES:
            op.failures, op.locked_until = 0, now + LOCKOUT_S
            return LoginResult(LoginOutcome.LOCKED, locked_for_s=LOCKOUT_S)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS, attempts_left=MAX_FAILURES - op.failures)

    def is_enrolled(self) -> bool:
        return self._enrolled

    def enroll(self, central_url: str, centre_code: str, token: str) -> str:
        if not token.strip():
            raise BackendError("enrol.invalid_token")
        self._centre_code, self._enrolled = centre_code, True
        return centre_code

    def dashboard(self, login: LoginResult) -> DashboardData:
        me = login.operator.operator_id if login.operator else ""
        with self._lock:
            queued = [r for r in self._records.values() if r.state != "draft"]
            counts: dict[str, int] = {}
            for r in queued:
                counts[r.state] = counts.get(r.state, 0) + 1
            times = [r.queued_at for r in queued if r.state == "queued" and r.queued_at]
        oldest = time.time() - min(times) if times else None
        return DashboardData(
            mine_today=sum(1 for r in queued if r.operator_id == me),
            centre_today=len(queued),
            counts=counts,
            oldest_unsent_s=oldest,
            online=None,
            attention=tuple(
                RecordItem(
                    sid, r.receipt_no, r.state, r.operator_id, datetime.now(UTC), datetime.now(UTC)
                )
                for sid, r in self._records.items()
                if r.state in ("needs_correction", "duplicate", "failed")
            ),  # fmt: skip
        )

    def save_draft(self, login: LoginResult, submission_id: str, record: Mapping[str, Any]) -> None:
        me = login.operator.operator_id if login.operator else ""
        with self._lock:
            existing = self._records.get(submission_id)
            if existing is not None and existing.state != "draft":
                raise BackendError("record.not_draft")
            self._records[submission_id] = _Record(me, "draft", copy.deepcopy(dict(record)))

    def load_draft(self, login: LoginResult, submission_id: str) -> dict[str, Any] | None:
        found = self._records.get(submission_id)
        return copy.deepcopy(found.record) if found and found.state == "draft" else None

    def drafts(self) -> list[str]:
        return [sid for sid, r in self._records.items() if r.state == "draft"]

    def state_of(self, submission_id: str) -> str | None:
        found = self._records.get(submission_id)
        return found.state if found else None

    def queue_record(
        self, login: LoginResult, submission_id: str, record: Mapping[str, Any]
    ) -> QueuedRecord:
        me = login.operator.operator_id if login.operator else ""
        with self._lock:
            self._sequence += 1
            receipt = format_receipt(self._centre_code, date.today(), self._sequence)
            self._records[submission_id] = _Record(
                me, "queued", copy.deepcopy(dict(record)), receipt, time.time()
            )
        return QueuedRecord(submission_id, receipt)

    def send_now(self) -> int:
        return 0

    def find_cnic(self, login: LoginResult, cnic: str, excluding: str | None) -> str | None:
        from pser_desk.domain.household_ids import household_numbers

        digits = "".join(ch for ch in cnic if ch.isdigit())
        form = load_form()
        with self._lock:
            for sid, found in self._records.items():
                if sid == excluding or found.state == "draft":
                    continue
                if any(n.digits == digits for n in household_numbers(found.record, form)):
                    return found.receipt_no or ""
        return None

    def add_form(self, form: FormDefinition) -> None:
        """Hold another version (as ``forms update`` would on the real store)."""
        with self._lock:
            self._forms[(form.form_id, form.version)] = form

    def _known_forms(self) -> dict[tuple[str, str], FormDefinition]:
        with self._lock:
            if not self._forms:
                shipped = load_form()
                self._forms[(shipped.form_id, shipped.version)] = shipped
            return dict(self._forms)

    def current_form(self) -> FormDefinition:
        from pser_desk.store.forms import version_key

        forms = [f for f in self._known_forms().values() if renderable(f)]
        if not forms:
            raise BackendError("form.unreadable")
        return max(forms, key=lambda f: version_key(f.version))

    def form_version(self, form_id: str, version: str) -> FormDefinition:
        found = self._known_forms().get((form_id, version))
        if found is None:
            raise BackendError("form.unknown_version")
        if not renderable(found):
            raise BackendError("form.unreadable")
        return found

    def list_records(self, login: LoginResult, drafts: bool = False) -> list[RecordItem]:
        now = datetime.now(UTC)
        with self._lock:
            return [
                RecordItem(sid, r.receipt_no, r.state, r.operator_id, now, now)
                for sid, r in self._records.items()
                if (r.state == "draft") == drafts
            ]

    def load_record(self, login: LoginResult, submission_id: str) -> dict[str, Any]:
        found = self._records.get(submission_id)
        if found is None:
            raise BackendError("record.not_found")
        return copy.deepcopy(found.record)

    def make_slip(self, login: LoginResult, receipt_no: str, paper: str) -> Slip:
        raise BackendError("slip.unavailable", "the in-memory backend makes no slips")

    def close(self) -> None:
        return None
