"""What the manager's screens ask of the store, as one small adapter (no Qt here).

Built on the :class:`~pser_desk.store.StoreService` the desk's backend holds
(``backend.store``, ``backend.data_dir``). Every method may block: the screens call
them through the task runner. Failures a manager can act on come back as
:class:`~pser_desk.gui.backend.BackendError` with a stable code; the screens word them.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from pser_desk.documents.report_model import ReportData
from pser_desk.documents.report_query import load_report
from pser_desk.gui.backend import BackendError, LoginResult
from pser_desk.security.audit import AuditEntry, ChainReport
from pser_desk.store import DeviceIdentity, LoginSession, StoreService, audit_log
from pser_desk.store import errors as store_errors
from pser_desk.store.operators import NameRejected, Operator, PasswordRejected
from pser_desk.sync.enrolment import (
    device_identity,
)

AUDIT_LIMIT = 500


def _session(login: LoginResult | None) -> LoginSession:
    session = login.session if login is not None else None
    if not isinstance(session, LoginSession):
        raise BackendError("manager.signed_out")
    if session.role.value != "manager":
        raise BackendError("manager.only")
    return session


@contextmanager
def _worded() -> Iterator[None]:
    """Store errors as codes the screens turn into words."""
    try:
        yield
    except PasswordRejected as exc:
        raise BackendError(exc.problems[0].value) from None
    except store_errors.NotFound:
        raise BackendError("operator.not_found") from None
    except store_errors.PermissionDenied as exc:
        code = "operator.self_disable" if "own account" in str(exc) else "manager.only"
        raise BackendError(code) from None
    except NameRejected:
        raise BackendError("operator.bad_name") from None
    except store_errors.Conflict as exc:
        raise BackendError(
            "operator.exists" if "exists" in str(exc) else "operator.invalid"
        ) from None
    except store_errors.StoreError:
        raise BackendError("store.unavailable") from None


class ManagerServices:
    def __init__(
        self, store: StoreService, data_dir: Path, backend: Any = None,
        device_name: str | None = None,
    ) -> None:  # fmt: skip
        self.store = store
        self.data_dir = Path(data_dir)
        self._backend = backend
        self._device_name = (device_name or socket.gethostname() or "pser-desk")[:100]

    # ------------------------------------------------------------ operators

    def operators(self) -> list[Operator]:
        with _worded():
            return self.store.operators.list()

    def add_operator(
        self, login: LoginResult | None, operator_id: str, name: str, role: str, password: str
    ) -> None:
        by = _session(login)
        with _worded():
            self.store.operators.add(operator_id.strip(), name, role, password, by=by)

    def disable_operator(self, login: LoginResult | None, operator_id: str) -> None:
        by = _session(login)
        with _worded():
            self.store.operators.disable(operator_id, by=by)

    def reset_password(self, login: LoginResult | None, operator_id: str, password: str) -> None:
        by = _session(login)
        with _worded():
            self.store.operators.reset(operator_id, password, by=by)

    # ------------------------------------------------------------ enrolment

    def enrolment(self) -> DeviceIdentity | None:
        with _worded():
            return self.store.device.current()

    def reenrol(
        self, login: LoginResult | None, central_url: str, centre_code: str, token: str
    ) -> DeviceIdentity:
        """A new device key and identity from central (the old ones stop working)."""
        actor = _session(login).operator_id
        backend = self._backend
        if not callable(getattr(backend, "enrol", None)):  # no desk around (tests, tools)
            from pser_desk.gui.store_backend import StoreBackend

            backend = StoreBackend(self.store, self.data_dir, device_name=self._device_name)
        result = backend.enrol(central_url, centre_code, token, force=True, actor=actor)
        return device_identity(result)

    # ------------------------------------------------------------ audit, report

    def audit_entries(self, limit: int = AUDIT_LIMIT) -> list[AuditEntry]:
        with _worded(), self.store.store.read() as session:
            return audit_log.entries(session, limit)

    def verify_audit(self) -> ChainReport:
        with _worded(), self.store.store.read() as session:
            return audit_log.verify(session)

    def report(self, start: date, end: date) -> ReportData:
        with _worded():
            return load_report(self.store, start, end)


def manager_services_for(backend: Any) -> ManagerServices | None:
    """The adapter for a store-backed desk (``backend.store``); None for other backends."""
    store = getattr(backend, "store", None)
    data_dir = getattr(backend, "data_dir", None)
    if not isinstance(store, StoreService) or data_dir is None:
        return None
    return ManagerServices(store, Path(data_dir), backend)
