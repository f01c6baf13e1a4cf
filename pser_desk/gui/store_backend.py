"""The :class:`DeskBackend` on the real services: the store, enrolment, the outbox worker, slips.

Every method blocks (disk, network, scrypt) and is called only through the task runner.
Known failures become a :class:`BackendError` with a stable code; the views turn codes
into words. Personal data never reaches a message or a log line here.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pser_desk.domain.form import FormDefinition, FormDefinitionError, load_form
from pser_desk.domain.lifecycle import EDITABLE, RecordState
from pser_desk.gui.backend import (
    BackendError,
    Correction,
    DashboardData,
    LoginOutcome,
    LoginResult,
    OperatorInfo,
    QueuedRecord,
    RecordItem,
    Slip,
)
from pser_desk.gui.wizard.model import renderable
from pser_desk.security.device import DeviceKey, DeviceKeyError
from pser_desk.settings import central_tls
from pser_desk.store import RecordInvalid, RecordSummary, StoreError, StoreService
from pser_desk.store import errors as store_errors
from pser_desk.store.device import NotEnrolled
from pser_desk.store.forms import FormRegistry, UnknownFormVersion
from pser_desk.store.lease import SenderLease
from pser_desk.store.operators import MAX_FAILED_LOGINS, NameRejected, PasswordRejected
from pser_desk.store.records import PAKISTAN_TIME
from pser_desk.sync.client import CentralClient, CentralError, CentralUnavailable
from pser_desk.sync.enrolment import (
    AlreadyEnrolled,
    EnrolmentInvalid,
    EnrolmentResult,
    TokenRejected,
    enroll_and_save,
)
from pser_desk.sync.transport import InsecureTransportError
from pser_desk.sync.worker import Backoff, SyncWorker, WorkerState

log = logging.getLogger(__name__)

# Central's contract fixes the backoff at 2 s .. 10 min; tests and the demo may shorten it.
BACKOFF_ENV = "PSER_DESK_SYNC_BACKOFF"
LIST_LIMIT = 500

_STORE_CODES: tuple[tuple[type[StoreError], str], ...] = (
    (store_errors.StoreCorrupt, "store.corrupt"),
    (store_errors.StoreFull, "store.full"),
    (store_errors.StoreReadOnly, "store.read_only"),
    (store_errors.StoreLocked, "store.locked"),
    (store_errors.StoreUnavailable, "store.unavailable"),
    (store_errors.PermissionDenied, "store.permission"),
    (store_errors.Conflict, "record.not_draft"),
    (store_errors.NotFound, "record.not_found"),
)


class RecordRejected(BackendError):
    """The record breaks rules of the form; ``issues`` holds (path, code) pairs."""

    def __init__(self, issues: list[tuple[str, str]]) -> None:
        super().__init__("record.invalid", f"{len(issues)} problem(s)")
        self.issues = issues


def store_error_code(exc: StoreError) -> str:
    for kind, code in _STORE_CODES:
        if isinstance(exc, kind):
            return code
    return "store.error"


@contextmanager
def _as_backend_errors() -> Iterator[None]:
    try:
        yield
    except BackendError:
        raise
    except RecordInvalid as exc:
        raise RecordRejected([(i.path, i.code) for i in exc.issues]) from None
    except NotEnrolled:
        raise BackendError("enrol.missing") from None
    except StoreError as exc:
        raise BackendError(store_error_code(exc), str(exc)) from None


def sync_backoff() -> Backoff:
    text = os.environ.get(BACKOFF_ENV)
    if not text:
        return Backoff()
    try:
        return Backoff.parse(text)
    except ValueError:
        log.warning("%s is not 'BASE,CAP'; using the standard backoff", BACKOFF_ENV)
        return Backoff()


def correction_message(last_error: str | None) -> str:
    """Central's 422 details (``[{field, message}]``) as one line: paths and rule text only."""
    if not last_error:
        return ""
    try:
        details = json.loads(last_error)
    except ValueError:
        return last_error
    if not isinstance(details, list):
        return last_error
    parts = [
        f"{d.get('field', '?')}: {d.get('message', '')}" for d in details if isinstance(d, dict)
    ]
    return "; ".join(parts)


def _item(summary: RecordSummary) -> RecordItem:
    message = ""
    if summary.state is RecordState.NEEDS_CORRECTION:
        message = correction_message(summary.last_error)
    elif summary.state in (RecordState.FAILED, RecordState.DUPLICATE):
        message = summary.last_error_code or ""
    return RecordItem(
        summary.submission_id, summary.receipt_no, summary.state.value, summary.operator_id,
        summary.created_at, summary.updated_at, summary.queued_at, summary.tracking_id,
        summary.member_count, message,
    )  # fmt: skip


def _utc(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StoreBackend:
    """What the desk's views ask, answered by the store, central and the documents layer."""

    def __init__(
        self,
        store: StoreService,
        data_dir: Path,
        *,
        device_name: str | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self._device_name = (device_name or socket.gethostname() or "pser-desk")[:100]
        self._backoff = backoff or sync_backoff()
        self._lock = threading.Lock()
        self._client: CentralClient | None = None
        self._worker: SyncWorker | None = None
        self._closed = False
        self._forms = FormRegistry(store.store)
        self._form_id: str | None = None

    # ------------------------------------------------------------ operators

    def has_operators(self) -> bool:
        with _as_backend_errors():
            return self.store.operators.count() > 0

    def create_manager(self, operator_id: str, name: str, password: str) -> None:
        self.add_operator(operator_id, name, password, "manager", by=None)

    def add_operator(
        self, operator_id: str, name: str, password: str, role: str, by: LoginResult | None
    ) -> None:
        session = by.session if by is not None else None
        with _as_backend_errors():
            try:
                self.store.operators.add(operator_id, name, role, password, by=session)
            except PasswordRejected as exc:
                raise BackendError(exc.problems[0].value) from None
            except NameRejected:
                raise BackendError("operator.bad_name") from None
            except store_errors.Conflict as exc:  # the id exists, or is not a possible id
                code = "operator.exists" if "exists" in str(exc) else "operator.invalid"
                raise BackendError(code) from None

    def login(self, operator_id: str, password: str) -> LoginResult:
        with _as_backend_errors():
            try:
                session = self.store.operators.login(operator_id, password)
            except store_errors.AuthenticationFailed:
                return self._refused(operator_id)
            operator = self.store.operators.get(operator_id)
        info = OperatorInfo(operator.id, operator.name, operator.role.value)
        return LoginResult(LoginOutcome.OK, operator=info, session=session)

    def _refused(self, operator_id: str) -> LoginResult:
        try:
            operator = self.store.operators.get(operator_id)
        except store_errors.NotFound:
            return LoginResult(LoginOutcome.BAD_CREDENTIALS)
        disabled, locked_until = operator.disabled, _utc(operator.locked_until)
        failures = operator.failed_logins
        if disabled:
            return LoginResult(LoginOutcome.DISABLED)
        now = datetime.now(UTC)
        if locked_until is not None and locked_until > now:
            left = int((locked_until - now).total_seconds()) + 1
            return LoginResult(LoginOutcome.LOCKED, locked_for_s=left)
        return LoginResult(
            LoginOutcome.BAD_CREDENTIALS, attempts_left=max(1, MAX_FAILED_LOGINS - failures)
        )

    # ------------------------------------------------------------ enrolment

    def is_enrolled(self) -> bool:
        with _as_backend_errors():
            return self.store.device.current() is not None

    def enroll(self, central_url: str, centre_code: str, token: str) -> str:
        result = self.enrol(central_url, centre_code, token)
        return result.centre_code

    def enrol(
        self, central_url: str, centre_code: str, token: str, *, force: bool = False,
        actor: str | None = None,
    ) -> EnrolmentResult:  # fmt: skip
        """Enrol (or, with *force*, re-enrol) this PC; every refusal as a BackendError code."""
        try:
            client = self._client_for(central_url.strip())
        except (InsecureTransportError, ValueError):
            raise BackendError("enrol.bad_url") from None
        try:
            with _as_backend_errors():
                result = enroll_and_save(
                    self.store, self.data_dir, central_url.strip(), centre_code.strip(),
                    token.strip(), self._device_name, force, client=client, actor=actor,
                )  # fmt: skip
        except TokenRejected:
            raise BackendError("enrol.invalid_token") from None
        except AlreadyEnrolled:
            raise BackendError("enrol.already") from None
        except EnrolmentInvalid:
            raise BackendError("enrol.validation") from None
        except CentralUnavailable:
            raise BackendError("enrol.unreachable") from None
        except CentralError:
            raise BackendError("enrol.refused") from None
        finally:
            client.close()
        self._drop_worker()
        log.info("PC enrolled with central")
        return result

    # ------------------------------------------------------------ sending

    def sync_worker(self) -> SyncWorker | None:
        """The outbox worker for this PC's enrolment (None until enrolled)."""
        with self._lock:
            if self._worker is not None or self._closed:
                return self._worker
            identity = self.store.device.current()
            if identity is None:
                return None
            try:
                key = DeviceKey.load(self.data_dir)
            except DeviceKeyError:
                log.error("the device key cannot be read; a manager must enrol this PC again")
                return None
            self._client = self._client_for(
                identity.central_url, device_id=identity.device_id, device_key=key
            )
            lease = SenderLease(self.store.store, kind="window")
            self._worker = SyncWorker(
                self.store.outbox, self._client, backoff=self._backoff, lease=lease
            )
            return self._worker

    def _client_for(self, url: str, **identity: Any) -> CentralClient:
        """A central client with the TLS options of this PC's settings (CA bundle, pins)."""
        tls = central_tls(self.data_dir)
        return CentralClient(url, ca_bundle=tls.ca_bundle, pinned_spki_sha256=tls.pins, **identity)

    def reset_sender(self) -> None:
        """Forget the central client and worker (after re-enrolment or new TLS settings)."""
        self._drop_worker()

    def _drop_worker(self) -> None:
        with self._lock:
            client, self._client, self._worker = self._client, None, None
        if client is not None:
            client.close()

    def recover(self) -> int:
        """At start: records a crash left ``sending`` go back to ``queued``."""
        with _as_backend_errors():
            return self.store.outbox.requeue_interrupted()

    def send_now(self) -> int:
        """One pass over the queue (none if one is running already); records attempted."""
        worker = self.sync_worker()
        if worker is None:
            return 0
        with _as_backend_errors():
            summary = worker.try_send_once()
        return summary.attempted if summary is not None else 0

    def sync_state(self) -> WorkerState | None:
        worker = self._worker
        return worker.state() if worker is not None else None

    def request_stop(self) -> None:
        worker = self._worker
        if worker is not None:
            worker.request_stop()

    # ------------------------------------------------------------ dashboard

    def dashboard(self, login: LoginResult) -> DashboardData:
        me = login.operator.operator_id if login.operator else ""
        with _as_backend_errors():
            counts = self.store.outbox.counts()
            mine, centre, last_ack = self._today_counts(me)
            corrections = self.store.records.list(states=[RecordState.NEEDS_CORRECTION], limit=50)
        state = self.sync_state()
        connection = state.connection.value if state else "unknown"
        last_sync = (state.last_success_at if state else None) or last_ack
        return DashboardData(
            mine_today=mine,
            centre_today=centre,
            counts=dict(counts.by_state),
            oldest_unsent_s=counts.oldest_unsent_age_s,
            corrections=tuple(
                Correction(c.submission_id, c.receipt_no or "", correction_message(c.last_error))
                for c in corrections
            ),
            online=None if connection == "unknown" else connection == "online",
            last_sync=last_sync,
            connection=connection,
            paused_until=state.paused_until if state else None,
        )

    def _today_counts(self, operator_id: str) -> tuple[int, int, datetime | None]:
        today = datetime.now(PAKISTAN_TIME).date()
        low = datetime.combine(today, time(0), PAKISTAN_TIME).astimezone(UTC)
        return self.store.records.queued_between(
            low, low + timedelta(days=1), operator_id=operator_id
        )

    # ------------------------------------------------------------ records

    def save_draft(self, login: LoginResult, submission_id: str, record: Mapping[str, Any]) -> None:
        with _as_backend_errors():
            self.store.records.save_draft(
                record, operator_id=_operator(login), submission_id=submission_id,
                login=login.session,
            )  # fmt: skip

    def load_draft(self, login: LoginResult, submission_id: str) -> dict[str, Any] | None:
        with _as_backend_errors():
            try:
                summary = self.store.records.get(submission_id)
            except store_errors.NotFound:
                return None
            if summary.state not in EDITABLE:
                return None
            return self.store.records.load(submission_id, login.session)

    def load_record(self, login: LoginResult, submission_id: str) -> dict[str, Any]:
        with _as_backend_errors():
            return self.store.records.load(submission_id, login.session)

    def queue_record(
        self, login: LoginResult, submission_id: str, record: Mapping[str, Any]
    ) -> QueuedRecord:
        with _as_backend_errors():
            queued = self.store.records.queue(
                record, operator_id=_operator(login), submission_id=submission_id,
                login=login.session,
            )  # fmt: skip
        log.info("record queued")
        return QueuedRecord(queued.submission_id, queued.receipt_no)

    # ------------------------------------------------------------ form definitions

    def current_form(self) -> FormDefinition:
        """The newest version on this PC the wizard can show (fetched or shipped)."""
        with _as_backend_errors():
            return self._forms.newest(self._desk_form_id(), renderable)

    def form_version(self, form_id: str, version: str) -> FormDefinition:
        """The version a draft or a returned record names, as this PC holds it."""
        with _as_backend_errors():
            try:
                form = self._forms.get(form_id, version)
            except UnknownFormVersion:
                raise BackendError("form.unknown_version", f"{form_id} {version}") from None
            except FormDefinitionError:
                raise BackendError("form.unreadable", f"{form_id} {version}") from None
        if not renderable(form):
            raise BackendError("form.unreadable", f"{form_id} {version}")
        return form

    def _desk_form_id(self) -> str:
        if self._form_id is None:
            self._form_id = load_form().form_id  # the shipped household form names the form
        return self._form_id

    def list_records(self, login: LoginResult, drafts: bool = False) -> list[RecordItem]:
        """Newest first. Drafts: only the operator's own; records: the whole centre's."""
        me = _operator(login)
        with _as_backend_errors():
            found = self.store.records.recent(limit=LIST_LIMIT, drafts_of=me if drafts else None)
            return [_item(summary) for summary in found]

    def make_slip(self, login: LoginResult, receipt_no: str, paper: str) -> Slip:
        from pser_desk.documents.slip import Paper
        from pser_desk.documents.slip_service import SlipUnavailable, make_slip

        try:
            key = DeviceKey.load(self.data_dir)
        except DeviceKeyError:
            raise BackendError("slip.no_device_key") from None
        chosen: Paper = "80mm" if paper == "80mm" else "a4"
        with _as_backend_errors():
            try:
                result = make_slip(self.store, login.session, receipt_no, paper=chosen,
                                   signer=key)  # fmt: skip
            except SlipUnavailable:
                raise BackendError("slip.unavailable") from None
        return Slip(result.pdf, result.receipt_no, result.reprint, result.paper)

    # ------------------------------------------------------------ closing

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self.request_stop()
        self._drop_worker()


def _operator(login: LoginResult) -> str:
    if login.operator is None:
        raise BackendError("login.required")
    return login.operator.operator_id
