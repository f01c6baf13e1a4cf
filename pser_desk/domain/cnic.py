"""CNIC and B-Form numbers: normalise, format, validate, and read what the digits say.

Facts and their limits are in shared/data/reference/cnic_reference.json: the first
digit is the province, the last digit the gender (odd male, even female, 0 invalid);
there is no check digit. A B-Form (Child Registration Certificate) carries the same
13-digit number the child later gets on the CNIC, so both share these rules.

Every function here takes any text and returns a result or an error code; none raises.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pser_desk.domain.digits import strip_separators, to_ascii_digits

CNIC_LENGTH = 13

PROVINCES: dict[str, str] = {
    "1": "Khyber Pakhtunkhwa",
    "2": "FATA",
    "3": "Punjab",
    "4": "Sindh",
    "5": "Balochistan",
    "6": "Islamabad",
    "7": "Gilgit-Baltistan",
}


class CnicError(enum.StrEnum):
    """Why a text is not a CNIC/B-Form number (codes, turned into words by the views)."""

    EMPTY = "cnic.empty"
    NOT_DIGITS = "cnic.not_digits"
    WRONG_LENGTH = "cnic.wrong_length"
    BAD_PROVINCE = "cnic.bad_province"
    BAD_GENDER = "cnic.bad_gender"


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, slots=True)
class Cnic:
    """A valid 13-digit CNIC or B-Form number."""

    digits: str

    @property
    def formatted(self) -> str:
        return format_cnic(self.digits)

    @property
    def masked(self) -> str:
        """The form printed on slips: ``35202-XXXXXXX-1``."""
        return f"{self.digits[:5]}-XXXXXXX-{self.digits[12]}"

    @property
    def province(self) -> str:
        return PROVINCES[self.digits[0]]

    @property
    def gender(self) -> Gender:
        return Gender.MALE if int(self.digits[12]) % 2 else Gender.FEMALE

    def as_json(self) -> dict[str, str]:
        return {
            "cnic": self.digits,
            "formatted": self.formatted,
            "province": self.province,
            "gender": self.gender.value,
        }


@dataclass(frozen=True, slots=True)
class CnicResult:
    """Either ``cnic`` (valid) or ``error`` (a :class:`CnicError`), never both."""

    cnic: Cnic | None = None
    error: CnicError | None = None

    @property
    def ok(self) -> bool:
        return self.cnic is not None


def normalise(text: object) -> str:
    """Reduce any way of writing a number to its digits (ASCII), keeping other characters."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return strip_separators(to_ascii_digits(text))


def format_cnic(digits: str) -> str:
    """``3520212345671`` -> ``35202-1234567-1`` (13 digits expected; else returned as is)."""
    if len(digits) != CNIC_LENGTH or not digits.isdigit():
        return digits
    return f"{digits[:5]}-{digits[5:12]}-{digits[12]}"


def parse_cnic(text: object) -> CnicResult:
    """Parse a CNIC or B-Form number written in any way; never raises."""
    digits = normalise(text)
    if not digits:
        return CnicResult(error=CnicError.EMPTY)
    if not (digits.isascii() and digits.isdigit()):
        return CnicResult(error=CnicError.NOT_DIGITS)
    if len(digits) != CNIC_LENGTH:
        return CnicResult(error=CnicError.WRONG_LENGTH)
    if digits[0] not in PROVINCES:
        return CnicResult(error=CnicError.BAD_PROVINCE)
    if digits[12] == "0":
        return CnicResult(error=CnicError.BAD_GENDER)
    return CnicResult(cnic=Cnic(digits))


def is_valid_cnic(text: object) -> bool:
    return parse_cnic(text).ok
