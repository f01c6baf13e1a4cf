"""Pakistani mobile numbers: parse any common way of writing one, validate, guess the network.

Valid national significant numbers follow the numbering plan in
shared/data/reference/pk_mobile_prefixes.json (libphonenumber's PK metadata):
``3(?:[0-247]\\d|3[0-79]|55|64)\\d{7}``. Numbers are portable between networks since
2007, so the prefix only *guesses* the network, to pre-fill a choice the operator
confirms. Every function takes any text and returns a result or an error code.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from pser_desk.domain.digits import strip_separators, to_ascii_digits

NATIONAL_NUMBER_RE = re.compile(r"^3(?:[0-247]\d|3[0-79]|55|64)\d{7}$")


class Network(enum.StrEnum):
    JAZZ = "jazz"
    ZONG = "zong"
    UFONE = "ufone"
    TELENOR = "telenor"
    SCO = "sco"
    OTHER = "other"


# Original allocation by the two digits after "03" (pk_mobile_prefixes.json).
_PREFIX_NETWORK: dict[str, Network] = {}
for _first, _network in (
    ("0", Network.JAZZ),
    ("1", Network.ZONG),
    ("2", Network.JAZZ),
    ("3", Network.UFONE),
    ("4", Network.TELENOR),
    ("7", Network.ZONG),
):
    for _second in "0123456789":
        _PREFIX_NETWORK[_first + _second] = _network
_PREFIX_NETWORK["55"] = Network.SCO
_PREFIX_NETWORK["64"] = Network.OTHER  # Instaphone, defunct


class MobileError(enum.StrEnum):
    EMPTY = "mobile.empty"
    NOT_DIGITS = "mobile.not_digits"
    NOT_PAKISTANI = "mobile.not_pakistani"
    WRONG_LENGTH = "mobile.wrong_length"
    NOT_MOBILE = "mobile.not_mobile"
    UNALLOCATED = "mobile.unallocated"


@dataclass(frozen=True, slots=True)
class Mobile:
    """A valid Pakistani mobile number, kept as its 10-digit national significant number."""

    nsn: str  # "3001234567"

    @property
    def national(self) -> str:
        """``03001234567``: the form the record stores."""
        return "0" + self.nsn

    @property
    def formatted(self) -> str:
        """``0300-1234567``: the form people write."""
        return f"0{self.nsn[:3]}-{self.nsn[3:]}"

    @property
    def e164(self) -> str:
        return "+92" + self.nsn

    @property
    def network_guess(self) -> Network:
        """The network the prefix was first allocated to: a guess (numbers are portable)."""
        return _PREFIX_NETWORK.get(self.nsn[1:3], Network.OTHER)


@dataclass(frozen=True, slots=True)
class MobileResult:
    mobile: Mobile | None = None
    error: MobileError | None = None

    @property
    def ok(self) -> bool:
        return self.mobile is not None


def _national_significant(digits: str, had_plus: bool) -> str | MobileError:
    if had_plus:
        return digits[2:] if digits.startswith("92") else MobileError.NOT_PAKISTANI
    if digits.startswith("0092"):
        return digits[4:]
    if digits.startswith("92") and len(digits) == 12:
        return digits[2:]
    if digits.startswith("0"):
        return digits[1:]
    return digits


def parse_mobile(text: object) -> MobileResult:
    """Parse ``0300-1234567``, ``+92 300 1234567``, ``0092300...``, Urdu digits...; never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    compact = strip_separators(to_ascii_digits(text)).replace("(", "").replace(")", "")
    if not compact:
        return MobileResult(error=MobileError.EMPTY)
    had_plus = compact.startswith("+")
    digits = compact[1:] if had_plus else compact
    if not (digits.isascii() and digits.isdigit()):
        return MobileResult(error=MobileError.NOT_DIGITS)
    if digits.startswith("00") and not digits.startswith("0092"):
        return MobileResult(error=MobileError.NOT_PAKISTANI)
    nsn = _national_significant(digits, had_plus)
    if isinstance(nsn, MobileError):
        return MobileResult(error=nsn)
    if not nsn.startswith("3"):
        return MobileResult(error=MobileError.NOT_MOBILE)
    if len(nsn) != 10:
        return MobileResult(error=MobileError.WRONG_LENGTH)
    if not NATIONAL_NUMBER_RE.match(nsn):
        return MobileResult(error=MobileError.UNALLOCATED)
    return MobileResult(mobile=Mobile(nsn))
