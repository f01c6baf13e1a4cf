"""The audit log in words: events, details and subjects as a manager reads them.

The log stores codes (``record_queued``), ids (a record's submission id) and a detail
mapping; the screen shows what happened in the current language, a record by its
receipt number (never its internal id) and no JSON (whose braces Urdu would reverse).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LRI, PDI = "\u2066", "\u2069"  # an id or number stays whole inside Urdu text


def event_text(event: str) -> str:
    texts = {
        "login": QCoreApplication.translate("AuditWords", "Signed in"),
        "login_failed": QCoreApplication.translate("AuditWords", "Sign-in refused"),
        "account_locked": QCoreApplication.translate("AuditWords", "Account locked"),
        "operator_added": QCoreApplication.translate("AuditWords", "Operator added"),
        "operator_disabled": QCoreApplication.translate("AuditWords", "Operator disabled"),
        "operator_reset": QCoreApplication.translate("AuditWords", "Password reset"),
        "record_created": QCoreApplication.translate("AuditWords", "Registration started"),
        "record_queued": QCoreApplication.translate("AuditWords", "Saved and queued"),
        "record_corrected": QCoreApplication.translate("AuditWords", "Corrected and queued"),
        "record_sent": QCoreApplication.translate("AuditWords", "Sent to central"),
        "record_acknowledged": QCoreApplication.translate("AuditWords", "Received by central"),
        "record_needs_correction": QCoreApplication.translate(
            "AuditWords", "Returned by central for correction"
        ),
        "record_duplicate": QCoreApplication.translate(
            "AuditWords", "Already registered at central"
        ),
        "record_failed": QCoreApplication.translate("AuditWords", "Refused by central"),
        "record_requeued": QCoreApplication.translate("AuditWords", "Queued again"),
        "slip_printed": QCoreApplication.translate("AuditWords", "Slip printed"),
        "slip_reprinted": QCoreApplication.translate("AuditWords", "Slip reprinted"),
        "enrolled": QCoreApplication.translate("AuditWords", "PC enrolled with central"),
        "update_refused": QCoreApplication.translate("AuditWords", "Update refused"),
        "update_downloaded": QCoreApplication.translate("AuditWords", "Update downloaded"),
        "update_installed": QCoreApplication.translate("AuditWords", "Update installed"),
        "update_failed": QCoreApplication.translate("AuditWords", "Update failed"),
        "setting_changed": QCoreApplication.translate("AuditWords", "Setting changed"),
        "backup_restored": QCoreApplication.translate("AuditWords", "Backup restored"),
        "installation_key": QCoreApplication.translate("AuditWords", "Installation key recorded"),
        "central_moved": QCoreApplication.translate("AuditWords", "Central's address changed"),
        "record_verified": QCoreApplication.translate("AuditWords", "Verified by central"),
        "record_rejected": QCoreApplication.translate("AuditWords", "Rejected by central"),
        "record_dismissed": QCoreApplication.translate(
            "AuditWords", "Rejection dealt with by a manager"
        ),
        "record_purged": QCoreApplication.translate(
            "AuditWords", "Personal data removed after verification"
        ),
        "config_applied": QCoreApplication.translate(
            "AuditWords", "Central's configuration applied"
        ),
        "config_refused": QCoreApplication.translate(
            "AuditWords", "Central's configuration ignored (signature not genuine)"
        ),
    }
    return texts.get(event) or event.replace("_", " ")


def detail_text(detail: Mapping[str, object]) -> str:
    """The detail mapping as a short sentence (known keys in words, others key: value)."""
    parts = [_one_detail(key, value) for key, value in sorted(detail.items())]
    return "، ".join(parts) if _urdu() else "; ".join(parts)


def _one_detail(key: str, value: object) -> str:
    shown = _ltr(str(value))
    texts = {
        "receipt_no": QCoreApplication.translate("AuditWords", "receipt %1"),
        "attempt": QCoreApplication.translate("AuditWords", "attempt %1"),
        "interrupted": QCoreApplication.translate("AuditWords", "%1 left sending by a stop"),
        "centre": QCoreApplication.translate("AuditWords", "centre %1"),
        "role": QCoreApplication.translate("AuditWords", "role: %1"),
        "failures": QCoreApplication.translate("AuditWords", "%1 wrong passwords"),
        "paper": QCoreApplication.translate("AuditWords", "paper %1"),
        "key": QCoreApplication.translate("AuditWords", "setting %1"),
        "tracking_id": QCoreApplication.translate("AuditWords", "central's tracking id %1"),
        "code": QCoreApplication.translate("AuditWords", "central's answer %1"),
        "reason_code": QCoreApplication.translate("AuditWords", "central's reason %1"),
        "retention_days": QCoreApplication.translate(
            "AuditWords", "kept %1 days after verification"
        ),
        "registered_again_as": QCoreApplication.translate("AuditWords", "registered again"),
        "redo_of": QCoreApplication.translate("AuditWords", "started from a rejected household"),
    }
    if key == "role":
        shown = {"manager": QCoreApplication.translate("AuditWords", "manager"),
                 "operator": QCoreApplication.translate("AuditWords", "operator")}.get(
            str(value), shown)  # fmt: skip
    if key == "reason" and value == "unknown_id":
        return QCoreApplication.translate("AuditWords", "unknown operator ID")
    template = texts.get(key)
    return template.replace("%1", shown) if template else f"{key}: {shown}"


def subject_text(subject: str | None, receipts: Mapping[str, str | None]) -> str:
    """An operator id as it is; a record by its receipt number, or "a draft"."""
    if not subject:
        return ""
    if UUID_RE.match(subject):
        receipt = receipts.get(subject)
        if receipt:
            return _ltr(receipt)
        return QCoreApplication.translate("AuditWords", "a registration not yet saved")
    return _ltr(subject)


def _ltr(text: str) -> str:
    return f"{LRI}{text}{PDI}" if _urdu() else text


def _urdu() -> bool:
    return QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
