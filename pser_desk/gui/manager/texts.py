"""The manager screens' error codes in words (other codes: :func:`messages.error_text`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pser_desk.desk.errors import DeskError
from pser_desk.gui.messages import error_text


def _texts() -> dict[str, str]:
    return {
        "manager.signed_out": QCoreApplication.translate(
            "ManagerMessages", "Sign in again as a manager, then try again."
        ),
        "manager.only": QCoreApplication.translate(
            "ManagerMessages", "Only a manager can do this. Sign in with a manager account."
        ),
        "operator.exists": QCoreApplication.translate(
            "ManagerMessages", "An operator with this ID already exists. Choose another ID."
        ),
        "operator.invalid": QCoreApplication.translate(
            "ManagerMessages",
            "An operator ID has 2 to 64 letters, digits, '_', '.' or '-' and starts with a "
            "letter; the name cannot be empty.",
        ),
        "operator.bad_name": QCoreApplication.translate(
            "ManagerMessages",
            "A name cannot hold line breaks, tabs or direction-control characters.",
        ),
        "operator.not_found": QCoreApplication.translate(
            "ManagerMessages", "This operator no longer exists. Refresh the list."
        ),
        "operator.self_disable": QCoreApplication.translate(
            "ManagerMessages", "You cannot disable your own account. Ask another manager."
        ),
        "operator.none_selected": QCoreApplication.translate(
            "ManagerMessages", "Choose an operator in the list first."
        ),
        "store.unavailable": QCoreApplication.translate(
            "ManagerMessages",
            "The database cannot be reached. Try again; if it persists, restart the desk.",
        ),
        "settings.bad_url": QCoreApplication.translate(
            "ManagerMessages",
            "Central's URL must start with https:// (http:// only to this computer), with no "
            "user, query or fragment.",
        ),
        "settings.bad_pin": QCoreApplication.translate(
            "ManagerMessages",
            "A pin is the SHA-256 of central's public key: 64 hex digits or base64.",
        ),
        "settings.no_ca_file": QCoreApplication.translate(
            "ManagerMessages", "The CA bundle file does not exist. Choose the file again."
        ),
        "settings.bad_camera": QCoreApplication.translate(
            "ManagerMessages", 'A camera is a number (0, 1, ...) or "simulated".'
        ),
        "settings.bad_idle": QCoreApplication.translate(
            "ManagerMessages", "The idle lock must be between 1 and 120 minutes."
        ),
        "settings.not_saved": QCoreApplication.translate(
            "ManagerMessages", "The settings could not be saved. Check the disk, then try again."
        ),
        "enrol.refused": QCoreApplication.translate(
            "ManagerMessages",
            "Central refused the enrolment. Call the district office with the time.",
        ),
        "enrol.required": QCoreApplication.translate(
            "ManagerMessages", "Type central's URL, the centre code and the new token."
        ),
        "report.not_saved": QCoreApplication.translate(
            "ManagerMessages",
            "The file could not be written. Choose another folder, then try again.",
        ),
    }


def manager_error_text(code: str) -> str:
    return _texts().get(code) or error_text(code)


def exception_text(exc: BaseException) -> str:
    """What to tell the manager about *exc* (never its message: that is for the log)."""
    return manager_error_text(exc.code if isinstance(exc, DeskError) else "internal")
