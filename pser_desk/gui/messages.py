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
        "enrol.no_room": QCoreApplication.translate(
            "Messages",
            "The disk of the data folder is full or read-only. Free some space, then enrol "
            "again: the token was not used.",
        ),
        "operator.exists": QCoreApplication.translate(
            "Messages", "An operator with this ID already exists."
        ),
        "operator.bad_name": QCoreApplication.translate(
            "Messages", "A name cannot hold line breaks, tabs or direction-control characters."
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
        "record.invalid": QCoreApplication.translate(
            "Messages", "Some answers are not accepted: see the list on the review page."
        ),
        "enrol.missing": QCoreApplication.translate(
            "Messages", "This PC is not enrolled with central yet. Ask the centre manager."
        ),
        "enrol.already": QCoreApplication.translate(
            "Messages", "This PC is already enrolled with central."
        ),
        "store.full": QCoreApplication.translate(
            "Messages", "The disk is full; nothing was saved. Free some space, then try again."
        ),
        "store.locked": QCoreApplication.translate(
            "Messages", "The database is busy; nothing was saved. Try again in a moment."
        ),
        "store.read_only": QCoreApplication.translate(
            "Messages", "The data folder cannot be written; nothing was saved. Call the manager."
        ),
        "store.corrupt": QCoreApplication.translate(
            "Messages", "The database is damaged; nothing was saved. Call the centre manager."
        ),
        "store.unavailable": QCoreApplication.translate(
            "Messages", "The database cannot be reached; nothing was saved. Try again."
        ),
        "slip.unavailable": QCoreApplication.translate(
            "Messages", "This record has no slip yet (it is not saved and queued)."
        ),
        "record.purged": QCoreApplication.translate(
            "Messages",
            "Central verified this household and its personal data has been removed from this "
            "PC, so its slip cannot be printed again. The household is safe at central.",
        ),
        "record.not_rejected": QCoreApplication.translate(
            "Messages", "Only a household central rejected, not yet dealt with, can be chosen."
        ),
    }


def reason_text(code: str) -> str:
    """Central's reason for rejecting a household (``reason_code``, central-api.md 6)."""
    texts = {
        "nadra_mismatch": QCoreApplication.translate(
            "Messages", "The members do not match NADRA's family tree."
        ),
        "duplicate_member": QCoreApplication.translate(
            "Messages", "A member is already registered in another household."
        ),
        "incomplete": QCoreApplication.translate(
            "Messages", "Information central needs to verify the household is missing."
        ),
    }
    return texts.get(code) or QCoreApplication.translate(
        "Messages", "Central could not verify the household; the district office will explain."
    )


def error_text(code: str) -> str:
    """The sentence for *code*; an unknown code still gives a readable line."""
    text = _texts().get(code) or validation_text(code)
    if text:
        return text
    return QCoreApplication.translate("Messages", "This cannot be done (%1).").replace("%1", code)


def validation_text(code: str) -> str | None:
    """Issue codes of the domain validator (``pser_desk.domain.validate``); None when unknown."""
    exact = {
        "required": QCoreApplication.translate("Messages", "This question must be answered."),
        "not_allowed": QCoreApplication.translate(
            "Messages", "This question does not apply; clear the answer."
        ),
        "type": QCoreApplication.translate("Messages", "This answer has the wrong form."),
        "option": QCoreApplication.translate("Messages", "Choose one of the options."),
        "duplicate_option": QCoreApplication.translate("Messages", "An option is ticked twice."),
        "exclusive_option": QCoreApplication.translate(
            "Messages", '"None" cannot be ticked with another option.'
        ),
        "max_length": QCoreApplication.translate("Messages", "This answer is too long."),
        "pattern": QCoreApplication.translate("Messages", "This answer has the wrong form."),
        "must_be": QCoreApplication.translate(
            "Messages", "The registration cannot go on without this."
        ),
        "date_format": QCoreApplication.translate("Messages", "Type a real date as dd-mm-yyyy."),
        "date_in_future": QCoreApplication.translate(
            "Messages", "The date cannot be in the future."
        ),
        "date_too_old": QCoreApplication.translate("Messages", "This date is too long ago."),
        "negative": QCoreApplication.translate("Messages", "The number cannot be negative."),
        "min": QCoreApplication.translate("Messages", "The number is too small."),
        "max": QCoreApplication.translate("Messages", "The number is too large."),
        "too_large": QCoreApplication.translate(
            "Messages", "The amount is too large; check the number of zeros."
        ),
        "name_too_short": QCoreApplication.translate("Messages", "Type the full name."),
        "name_characters": QCoreApplication.translate(
            "Messages", "A name has only letters, spaces, dots and hyphens."
        ),
        "email_format": QCoreApplication.translate("Messages", "This is not an email address."),
        "iban_format": QCoreApplication.translate(
            "Messages", "An IBAN has 24 characters: PK, 2 digits, 4 letters, 16 digits."
        ),
        "iban_checksum": QCoreApplication.translate(
            "Messages", "This IBAN is not possible; check each character."
        ),
        "account_number_format": QCoreApplication.translate(
            "Messages", "An account number has 6 to 20 digits."
        ),
        "min_rows": QCoreApplication.translate("Messages", "Add the family members."),
        "max_rows": QCoreApplication.translate(
            "Messages", "Too many family members for one household."
        ),
        "head_too_young": QCoreApplication.translate(
            "Messages", "The head of household must be at least 18 years old."
        ),
        "gender_mismatch": QCoreApplication.translate(
            "Messages", "The gender does not match the CNIC's last digit."
        ),
        "duplicate_cnic": QCoreApplication.translate(
            "Messages", "This CNIC or B-Form number appears twice in the household."
        ),
        "bform_for_minor": QCoreApplication.translate(
            "Messages", "A member under 18 is registered with a B-Form."
        ),
        "child_older_than_parent": QCoreApplication.translate(
            "Messages", "The age does not fit the relation to the head."
        ),
        "relation_gender_mismatch": QCoreApplication.translate(
            "Messages", "The relation does not fit the gender."
        ),
        "spouse_but_not_married": QCoreApplication.translate(
            "Messages", "A spouse is listed but the head is not married."
        ),
        "district_not_in_division": QCoreApplication.translate(
            "Messages", "This district is not in the division chosen."
        ),
        "tehsil_not_in_district": QCoreApplication.translate(
            "Messages", "This tehsil is not in the district chosen."
        ),
        "cnic.empty": QCoreApplication.translate("Messages", "Type the 13-digit number."),
        "cnic.not_digits": QCoreApplication.translate("Messages", "A CNIC has only digits."),
        "cnic.wrong_length": QCoreApplication.translate(
            "Messages", "A CNIC or B-Form number has 13 digits."
        ),
        "cnic.bad_province": QCoreApplication.translate(
            "Messages", "No CNIC starts with this digit; check the first digit."
        ),
        "cnic.bad_gender": QCoreApplication.translate(
            "Messages", "This CNIC number is not possible; check the last digit."
        ),
        "mobile.empty": QCoreApplication.translate("Messages", "Type the mobile number."),
        "mobile.not_digits": QCoreApplication.translate(
            "Messages", "A mobile number has only digits."
        ),
        "mobile.not_pakistani": QCoreApplication.translate(
            "Messages", "This is not a Pakistani number."
        ),
        "mobile.wrong_length": QCoreApplication.translate(
            "Messages", "A mobile number has 11 digits (03xx-xxxxxxx)."
        ),
        "mobile.not_mobile": QCoreApplication.translate(
            "Messages", "This is not a mobile number; it must start with 03."
        ),
        "mobile.unallocated": QCoreApplication.translate(
            "Messages", "No network uses this prefix; check the number."
        ),
        "number.shorthand": QCoreApplication.translate(
            "Messages", "Type the whole amount in digits, e.g. 25000 (not 25k)."
        ),
        "number.words": QCoreApplication.translate(
            "Messages", "Type the amount in digits, e.g. 20000."
        ),
        "number.not_whole": QCoreApplication.translate("Messages", "Type a whole number."),
        "number.format": QCoreApplication.translate("Messages", "Type digits only."),
        "duplicate.elsewhere": QCoreApplication.translate(
            "Messages",
            "This number is already in household %1 saved at this centre: check it. If the "
            "person has moved, ask the centre manager.",
        ),
    }
    if code in exact:
        return exact[code]
    family = code.partition(".")[0]
    families = {
        "cnic": QCoreApplication.translate(
            "Messages", "This is not a valid CNIC or B-Form number."
        ),
        "mobile": QCoreApplication.translate(
            "Messages", "This is not a valid Pakistani mobile number."
        ),
    }
    return families.get(family)


def issue_text(code: str, detail: str = "") -> str:
    """A validator issue code as a sentence (never empty); *detail* fills its ``%1``."""
    if code == "duplicate.elsewhere" and not detail:
        return QCoreApplication.translate(
            "Messages",
            "This number is already in another household saved at this centre: check it. "
            "If the person has moved, ask the centre manager.",
        )
    text = validation_text(code)
    if text is None:
        return QCoreApplication.translate("Messages", "This answer is not accepted (%1).").replace(
            "%1", code
        )
    return text.replace("%1", "\u2066" + detail + "\u2069") if detail else text
