"""The lower layers' failures, sorted into the application layer's typed errors.

One place decides what a storage, key, transport or enrolment failure means for a
person, by the failure's type (never by its message text). The message a lower layer
wrote for a person (what happened, what to do) is kept for the command line and the
log; the window shows the words of the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pser_desk.desk.errors import DeskError, ErrorCode, PasswordRejected, Problem, RecordRejected
from pser_desk.security.device import DeviceKeyError
from pser_desk.security.vault import VaultError
from pser_desk.store import errors as store_errors
from pser_desk.store.device import NotEnrolled
from pser_desk.store.operators import NameRejected
from pser_desk.store.operators import PasswordRejected as StorePasswordRejected
from pser_desk.store.records import RecordInvalid
from pser_desk.sync.client import CentralUnavailable
from pser_desk.sync.transport import InsecureTransportError

# Most specific first: a subclass before its parent.
_STORE_CODES: tuple[tuple[type[store_errors.StoreError], ErrorCode], ...] = (
    (store_errors.StoreCorrupt, ErrorCode.STORE_CORRUPT),
    (store_errors.StoreFull, ErrorCode.STORE_FULL),
    (store_errors.StoreReadOnly, ErrorCode.STORE_READ_ONLY),
    (store_errors.StoreLocked, ErrorCode.STORE_LOCKED),
    (store_errors.StoreUnavailable, ErrorCode.STORE_UNAVAILABLE),
    (NotEnrolled, ErrorCode.NOT_ENROLLED),
    (NameRejected, ErrorCode.NAME_REJECTED),
    (store_errors.AlreadyExists, ErrorCode.OPERATOR_EXISTS),
    (store_errors.InvalidId, ErrorCode.OPERATOR_INVALID),
    (store_errors.OwnAccount, ErrorCode.OPERATOR_SELF_DISABLE),
    (store_errors.NotEditable, ErrorCode.RECORD_NOT_DRAFT),
    (store_errors.Purged, ErrorCode.RECORD_PURGED),
    (store_errors.NotRejected, ErrorCode.RECORD_NOT_REJECTED),
    (store_errors.BadSubmissionId, ErrorCode.RECORD_BAD_ID),
    (store_errors.PermissionDenied, ErrorCode.MANAGER_ONLY),
)


def store_code(exc: store_errors.StoreError, not_found: ErrorCode) -> ErrorCode:
    """The code of a storage failure (*not_found*: what a missing row means here)."""
    if isinstance(exc, store_errors.NotFound):
        return not_found
    for kind, code in _STORE_CODES:
        if isinstance(exc, kind):
            return code
    return ErrorCode.STORE_ERROR


def as_desk_error(
    exc: BaseException, not_found: ErrorCode = ErrorCode.RECORD_NOT_FOUND
) -> DeskError | None:
    """The :class:`DeskError` a lower layer's failure is, or None when it is a bug."""
    if isinstance(exc, DeskError):
        return exc
    if isinstance(exc, RecordInvalid):
        return RecordRejected([Problem(issue.path, issue.code) for issue in exc.issues])
    if isinstance(exc, StorePasswordRejected):
        return PasswordRejected([problem.value for problem in exc.problems])
    if isinstance(exc, store_errors.StoreError):
        return DeskError(store_code(exc, not_found), str(exc))
    if isinstance(exc, VaultError):
        return DeskError(ErrorCode.RECORD_NOT_OPENED, "the record cannot be opened with this key")
    if isinstance(exc, DeviceKeyError):
        return DeskError(ErrorCode.DEVICE_KEY, f"{exc}; a manager must enrol this PC again")
    if isinstance(exc, InsecureTransportError):
        return DeskError(ErrorCode.CENTRAL_INSECURE, str(exc))
    if isinstance(exc, CentralUnavailable):
        return DeskError(ErrorCode.CENTRAL_UNREACHABLE, str(exc))
    return None


@contextmanager
def desk_errors(not_found: ErrorCode = ErrorCode.RECORD_NOT_FOUND) -> Iterator[None]:
    """Re-raise a known lower-layer failure as the application layer's typed error."""
    try:
        yield
    except Exception as exc:
        known = as_desk_error(exc, not_found)
        if known is None or known is exc:
            raise
        raise known from None
