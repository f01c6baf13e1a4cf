"""Stable codes from the services and the domain, turned into translated sentences.

The domain returns codes (``cnic.wrong_length``, ``password.too_short``); only the GUI
knows words. Each text is looked up when shown, so a language switch re-renders it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "Messages"


def _texts() -> dict[str, str]:
    return {
        "internal": QCoreApplication.translate(
            "Messages", "Something went wrong; nothing was lost. Try again."
        ),
        "form.required": QCoreApplication.translate("Messages", "Fill in every field."),
        "enrol.required": QCoreApplication.translate(
            "Messages", "Type the central URL, the centre code and the token."
        ),
        "enrol.invalid_token": QCoreApplication.translate(
            "Messages", "Central did not accept this enrolment token."
        ),
        "enrol.unreachable": QCoreApplication.translate(
            "Messages", "Central cannot be reached. Check the URL and the network."
        ),
        "enrol.validation": QCoreApplication.translate(
            "Messages", "Central did not accept the centre code."
        ),
        "operator.exists": QCoreApplication.translate(
            "Messages", "An operator with this ID already exists."
        ),
        "password.mismatch": QCoreApplication.translate(
            "Messages", "The two passwords are not the same."
        ),
        "password.too_short": QCoreApplication.translate(
            "Messages", "The password must have at least 10 characters."
        ),
        "password.equals_user_id": QCoreApplication.translate(
            "Messages", "The password must not be the operator ID."
        ),
        "password.is_cnic": QCoreApplication.translate(
            "Messages", "The password must not be a CNIC number."
        ),
        "password.too_common": QCoreApplication.translate(
            "Messages", "This password is too common; choose another."
        ),
        "password.too_simple": QCoreApplication.translate(
            "Messages", "This password is too simple; choose another."
        ),
        "record.not_draft": QCoreApplication.translate(
            "Messages", "This record was already saved."
        ),
    }


def error_text(code: str) -> str:
    """The sentence for *code*; an unknown code still gives a readable line."""
    text = _texts().get(code) or validation_text(code)
    if text:
        return text
    return QCoreApplication.translate("Messages", "This cannot be done (%1).").replace("%1", code)


def validation_text(code: str) -> str | None:
    """Field-level issue codes of the domain validator; None when unknown."""
    family = code.partition(".")[0]
    texts = {
        "required": QCoreApplication.translate("Messages", "This question must be answered."),
        "cnic": QCoreApplication.translate(
            "Messages", "This is not a valid CNIC or B-Form number."
        ),
        "mobile": QCoreApplication.translate(
            "Messages", "This is not a valid Pakistani mobile number."
        ),
        "date": QCoreApplication.translate("Messages", "Type the date as dd-mm-yyyy."),
        "integer": QCoreApplication.translate("Messages", "Type a whole number."),
        "decimal": QCoreApplication.translate("Messages", "Type a number."),
        "range": QCoreApplication.translate("Messages", "The number is outside the allowed range."),
        "choice": QCoreApplication.translate("Messages", "Choose one of the options."),
    }
    exact = {
        "required.missing": texts["required"],
        "date.future": QCoreApplication.translate("Messages", "The date cannot be in the future."),
        "date.invalid": QCoreApplication.translate(
            "Messages", "This date does not exist; type it as dd-mm-yyyy."
        ),
        "range.too_small": QCoreApplication.translate("Messages", "The number is too small."),
        "range.too_large": QCoreApplication.translate("Messages", "The number is too large."),
        "cnic.wrong_length": QCoreApplication.translate("Messages", "A CNIC has 13 digits."),
        "cnic.checksum": QCoreApplication.translate(
            "Messages", "This CNIC number is not possible; check each digit."
        ),
        "mobile.wrong_length": QCoreApplication.translate(
            "Messages", "A mobile number has 11 digits (03xx-xxxxxxx)."
        ),
    }
    return exact.get(code) or texts.get(family)
