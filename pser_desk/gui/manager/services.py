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
from pser_desk.settings import load_settings
from pser_desk.store import DeviceIdentity, LoginSession, StoreService, audit_log
from pser_desk.store import errors as store_errors
from pser_desk.store.operators import Operator, PasswordRejected
from pser_desk.sync.client import CentralClient, CentralError, CentralUnavailable
from pser_desk.sync.enrolment import (
    EnrolmentInvalid,
    TokenRejected,
    device_identity,
    enroll_and_save,
)
from pser_desk.sync.transport import InsecureTransportError

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
        _session(login)
        ca_bundle, pins = load_settings(self.data_dir).tls_options()
        try:
            client = CentralClient(central_url.strip(), ca_bundle=ca_bundle,
                                   pinned_spki_sha256=pins)  # fmt: skip
            try:
                with _worded():
                    result = enroll_and_save(
                        self.store, self.data_dir, central_url.strip(), centre_code.strip(),
                        token.strip(), self._device_name, force=True, client=client,
                        actor=_session(login).operator_id,
                    )  # fmt: skip
            finally:
                client.close()
        except InsecureTransportError:
            raise BackendError("settings.bad_url") from None
        except TokenRejected:
            raise BackendError("enrol.invalid_token") from None
        except EnrolmentInvalid:
            raise BackendError("enrol.validation") from None
        except CentralUnavailable:
            raise BackendError("enrol.unreachable") from None
        except CentralError:
            raise BackendError("enrol.refused") from None
        self._forget_sync_client()
        return device_identity(result)

    def _forget_sync_client(self) -> None:
        """The backend's sender still holds the old key: let it build a new one."""
        drop = getattr(self._backend, "reset_sender", None)
        if callable(drop):
            drop()

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
