"""The failures a person can act on, typed: a stable code for the views, a line for the CLI.

Every error the application layer raises is a :class:`DeskError` (or a subclass that
carries more: the record's issues, the password's problems). ``code`` is an
:class:`ErrorCode`, whose values are the stable strings the window turns into translated
words (``gui/messages.py``, ``gui/manager/texts.py``); ``str(error)`` is a line in
English for the command line and the logs, never with personal data. Callers decide on
the code or the type, never on the message text.

Imports nothing heavy: the sign-in window reads it before the store is loaded.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class ErrorCode(enum.StrEnum):
    # the database
    STORE_CORRUPT = "store.corrupt"
    STORE_FULL = "store.full"
    STORE_READ_ONLY = "store.read_only"
    STORE_LOCKED = "store.locked"
    STORE_UNAVAILABLE = "store.unavailable"
    STORE_PERMISSION = "store.permission"
    STORE_ERROR = "store.error"
    ALREADY_OPEN = "desk.open"  # another window holds this data folder
    # who is signed in
    LOGIN_REQUIRED = "login.required"
    SIGNED_OUT = "manager.signed_out"
    MANAGER_ONLY = "manager.only"
    # operator accounts
    OPERATOR_EXISTS = "operator.exists"
    OPERATOR_INVALID = "operator.invalid"
    OPERATOR_NOT_FOUND = "operator.not_found"
    OPERATOR_SELF_DISABLE = "operator.self_disable"
    NAME_REJECTED = "operator.bad_name"
    # a new password breaks the policy (the first rule it breaks; security.passwords)
    PASSWORD_TOO_SHORT = "password.too_short"
    PASSWORD_EQUALS_USER_ID = "password.equals_user_id"
    PASSWORD_IS_CNIC = "password.is_cnic"
    PASSWORD_TOO_COMMON = "password.too_common"
    PASSWORD_TOO_SIMPLE = "password.too_simple"
    # enrolment
    NOT_ENROLLED = "enrol.missing"
    ENROL_BAD_URL = "enrol.bad_url"
    ENROL_INVALID_TOKEN = "enrol.invalid_token"
    ENROL_ALREADY = "enrol.already"
    ENROL_VALIDATION = "enrol.validation"
    ENROL_UNREACHABLE = "enrol.unreachable"
    ENROL_REFUSED = "enrol.refused"
    ENROL_BAD_CENTRE = "enrol.bad_centre"
    ENROL_NO_ROOM = "enrol.no_room"  # the data folder cannot keep an enrolment (disk full)
    DEVICE_KEY = "enrol.device_key"
    # records
    RECORD_INVALID = "record.invalid"
    RECORD_NOT_DRAFT = "record.not_draft"
    RECORD_NOT_FOUND = "record.not_found"
    RECORD_NOT_FAILED = "record.not_failed"
    RECORD_BAD_ID = "record.bad_id"
    RECORD_NOT_OPENED = "record.not_opened"  # the sealed copy cannot be opened with this key
    RECORD_PURGED = "record.purged"  # verified by central; its personal data left this PC
    RECORD_NOT_REJECTED = "record.not_rejected"  # only an open rejection is dismissed/redone
    # form definitions
    FORM_UNKNOWN_VERSION = "form.unknown_version"
    FORM_UNREADABLE = "form.unreadable"
    FORM_REFUSED = "form.refused"
    # sending
    CENTRAL_UNREACHABLE = "central.unreachable"
    CENTRAL_INSECURE = "central.insecure"
    BACKOFF_INVALID = "sync.bad_backoff"
    # slips and reports
    SLIP_NO_DEVICE_KEY = "slip.no_device_key"
    SLIP_UNAVAILABLE = "slip.unavailable"
    RECEIPT_INVALID = "slip.bad_receipt"
    # maintenance
    BACKUP_FAILED = "backup.failed"
    RESTORE_REFUSED = "restore.refused"
    # this PC's settings
    SETTINGS_BAD_URL = "settings.bad_url"
    SETTINGS_BAD_PIN = "settings.bad_pin"
    SETTINGS_NO_CA_FILE = "settings.no_ca_file"
    SETTINGS_BAD_CAMERA = "settings.bad_camera"
    SETTINGS_BAD_IDLE = "settings.bad_idle"
    SETTINGS_NOT_SAVED = "settings.not_saved"


class DeskError(Exception):
    """A failure a person can act on: ``code`` for the window, the message for a CLI line."""

    def __init__(self, code: ErrorCode, message: str = "") -> None:
        super().__init__(message or code.value)
        self.code = code


DUPLICATE_CNIC = "duplicate.elsewhere"  # a Problem's code: the number is in another household


@dataclass(frozen=True, slots=True)
class Problem:
    """Where a record breaks a rule of its form, and which rule (a code; never the value)."""

    path: str
    code: str
    detail: str = ""  # e.g. the receipt number of the household already holding a CNIC


class RecordRejected(DeskError):
    """The record breaks rules of the form; :attr:`problems` says where and which."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        shown = "; ".join(f"{p.path}: {p.code}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(
            ErrorCode.RECORD_INVALID,
            f"the record is not valid ({len(problems)} problem(s)): {shown}{more}",
        )
        self.problems = tuple(problems)


class PasswordRejected(DeskError):
    """A new password breaks the policy: ``code`` is the first rule it breaks,
    :attr:`problems` every one (``password.too_short``...)."""

    def __init__(self, problems: Sequence[str]) -> None:
        codes = [ErrorCode(p) for p in problems] or [ErrorCode.PASSWORD_TOO_SHORT]
        super().__init__(codes[0], "password rejected: " + ", ".join(c.value for c in codes))
        self.problems = tuple(codes)


class StartupError(DeskError):
    """The desk cannot start; ``detail`` says what to do (no personal data)."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(code, detail)
        self.detail = detail
