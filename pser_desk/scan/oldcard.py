"""The old CNIC's PDF417: CR-separated fields, Urdu stored as low bytes. Pure, never raises.

Layout (cnic_reference.json, from the CNICScanner app and a 2012 StackOverflow answer):
``tracking-no-with-timestamp CR cnic CR family-no CR date-of-birth CR name CR father CR
address [CR district CR city CR ...]``. The Urdu fields hold one byte per character: the
low byte of its U+06xx code point (``0x20`` stays a space). Nobody has published the
format, so every step is tolerant: a field that does not parse is None, not an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from pser_desk.domain.cnic import parse_cnic

_FIELD_SEP = re.compile(rb"\r\n?")
_TIMESTAMP = re.compile(r"((?:19|20)\d{2})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})?")
_DATE_FORMATS = ("%d%m%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d", "%Y/%m/%d")
_EARLIEST_BIRTH = dt.date(1900, 1, 1)
_ARABIC_BLOCK = 0x0600


@dataclasses.dataclass(frozen=True, slots=True)
class OldCardFields:
    """What an old card's PDF417 says. Personal fields: never log them (``repr`` hides them)."""

    def __repr__(self) -> str:
        return f"OldCardFields(consistent={self.consistent}, <personal fields hidden>)"

    cnic: str | None
    tracking: str | None
    issued: dt.datetime | None
    family_no: str | None
    date_of_birth: dt.date | None
    name_ur: str | None
    father_name_ur: str | None
    address_ur: str | None
    consistent: bool

    def prefill(self) -> dict[str, str | None]:
        """Values for the form (the operator confirms them), as strings."""
        return {
            "cnic": self.cnic,
            "name_ur": self.name_ur,
            "father_name_ur": self.father_name_ur,
            "address_ur": self.address_ur,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "family_no": self.family_no,
        }


def decode_urdu_field(raw: bytes) -> str:
    """Urdu stored as low bytes of U+06xx (also accepts UTF-16LE and UTF-8 Urdu)."""
    if len(raw) >= 2 and len(raw) % 2 == 0 and all(b in (0x00, 0x06) for b in raw[1::2]):
        return raw.decode("utf-16-le", errors="replace").strip()
    if any(b >= 0x80 for b in raw):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if any("\u0600" <= ch <= "\u06ff" for ch in text):
                return text.strip()
    return "".join(" " if b == 0x20 else chr(_ARABIC_BLOCK + b) for b in raw).strip()


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_timestamp(text: str) -> dt.datetime | None:
    for match in _TIMESTAMP.finditer(text):
        year, month, day, hour, minute, second = match.groups()
        try:
            return dt.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
            )
        except ValueError:
            continue
    return None


def split_fields(raw: bytes) -> list[bytes]:
    return _FIELD_SEP.split(raw.strip(b"\r\n\x00 "))


def _ascii(raw: bytes) -> str | None:
    try:
        text = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        return None
    return text or None


def _cnic_index(fields: list[bytes]) -> int | None:
    for index, field in enumerate(fields[:3]):
        text = _ascii(field)
        if text is not None and len(text) == 13 and parse_cnic(text).ok:
            return index
    return None


def parse_old_card(raw: bytes, today: dt.date | None = None) -> OldCardFields | None:
    """The old card's fields, or None when *raw* has no CNIC field where the layout puts it."""
    fields = split_fields(raw)
    at = _cnic_index(fields)
    if at is None:
        return None
    rest = [*fields[at + 1 :], b"", b"", b"", b"", b""]
    tracking = _ascii(fields[0]) if at > 0 else None
    family_no = _ascii(rest[0])
    dob = parse_date(_ascii(rest[1]) or "")
    urdu = [decode_urdu_field(f) or None for f in rest[2:5]]
    issued = parse_timestamp(tracking or "")
    card = OldCardFields(
        cnic=_ascii(fields[at]),
        tracking=tracking,
        issued=issued,
        family_no=family_no,
        date_of_birth=dob,
        name_ur=urdu[0],
        father_name_ur=urdu[1],
        address_ur=urdu[2],
        consistent=False,
    )
    ok = _fields_agree(card, at, today or dt.date.today())
    return dataclasses.replace(card, consistent=ok)


def _fields_agree(card: OldCardFields, cnic_index: int, today: dt.date) -> bool:
    """The layout is the published one and its dates and names make sense together."""
    dob = card.date_of_birth
    if cnic_index != 1 or dob is None or not (_EARLIEST_BIRTH <= dob <= today):
        return False
    if card.issued is not None and not (dob <= card.issued.date() <= today):
        return False
    if card.family_no is None or not card.family_no.replace("-", "").isalnum():
        return False
    return bool(card.name_ur) and _mostly_arabic(card.name_ur or "")


def _mostly_arabic(text: str) -> bool:
    letters = [ch for ch in text if not ch.isspace()]
    arabic = sum(1 for ch in letters if "\u0621" <= ch <= "\u064a" or "\u0679" <= ch <= "\u06d3")
    return bool(letters) and arabic >= 0.8 * len(letters)
