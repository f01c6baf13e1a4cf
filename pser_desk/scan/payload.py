"""From a barcode's bytes to a CNIC: pure Python, no camera, no decoder, never raises.

What the cards carry (shared/data/reference/cnic_reference.json):

- Smart NIC: a QR code holding the 13-digit number, possibly with more numeric data.
- Old CNIC: a PDF417 with CR-separated fields: tracking number (with a timestamp), CNIC,
  family number, date of birth, then name, father's name and address in Urdu, each
  character stored as the low byte of its U+06xx code point.
- NICOP: a Code 128 with the number and some numeric data.
- Anything else (a keyboard-wedge scanner's text, an unknown format): searched as text.

A payload without exactly one valid CNIC is "no CNIC"; its bytes stay on the result
for :meth:`Extraction.log_repr`, which describes their shape, never their content.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass, field

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.digits import to_ascii_digits
from pser_desk.scan.oldcard import OldCardFields, parse_old_card


class ScanKind(enum.StrEnum):
    """Where a CNIC was read from (the ``kind`` of ``pser-desk scan-image``)."""

    SNIC_QR = "snic-qr"
    CNIC_PDF417 = "cnic-pdf417"
    NICOP_CODE128 = "nicop-code128"
    TEXT = "text"


_KIND_BY_FORMAT: dict[str, ScanKind] = {
    "QRCode": ScanKind.SNIC_QR,
    "MicroQRCode": ScanKind.SNIC_QR,
    "PDF417": ScanKind.CNIC_PDF417,
    "CompactPDF417": ScanKind.CNIC_PDF417,
    "Code128": ScanKind.NICOP_CODE128,
}

# A CNIC written with its dashes, not glued to other digits.
_FORMATTED = re.compile(r"(?<!\d)(\d{5})-(\d{7})-(\d)(?!\d)")
_DIGIT_RUN = re.compile(r"\d+")
CNIC_DIGITS = 13


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one barcode payload says: a CNIC (with its kind) or nothing, and the raw bytes."""

    cnic: str | None = field(repr=False)
    kind: ScanKind | None
    raw: bytes = field(repr=False)
    barcode_format: str = ""
    card: OldCardFields | None = field(default=None, repr=False)

    @property
    def self_consistent(self) -> bool:
        """True when the payload proves itself (an old card whose fields agree)."""
        return self.card is not None and self.card.consistent and self.cnic is not None

    def log_repr(self) -> str:
        """A description safe for the log: format, length, digest and character shape."""
        digest = hashlib.sha256(self.raw).hexdigest()[:12]
        found = "cnic" if self.cnic else "no-cnic"
        return (
            f"{self.barcode_format or 'text'} {found} len={len(self.raw)} "
            f"sha256={digest} shape={byte_shape(self.raw)}"
        )


def byte_shape(raw: bytes, limit: int = 48) -> str:
    """``b"35202-12\\r"`` -> ``"9x5 -x1 9x2 CR"``: runs of byte classes, no content."""
    runs: list[tuple[str, int]] = []
    for value in raw:
        cls = _byte_class(value)
        if runs and runs[-1][0] == cls:
            runs[-1] = (cls, runs[-1][1] + 1)
        else:
            runs.append((cls, 1))
    text = " ".join(f"{cls}x{n}" if n > 1 else cls for cls, n in runs[:limit])
    return text + (" ..." if len(runs) > limit else "")


def _byte_class(value: int) -> str:
    if 0x30 <= value <= 0x39:
        return "9"
    if value == 0x0D:
        return "CR"
    if value == 0x0A:
        return "LF"
    if 0x41 <= value <= 0x5A or 0x61 <= value <= 0x7A:
        return "a"
    if value in (0x20, 0x2D):
        return chr(value).replace(" ", "_")
    return "?" if value < 0x80 else "#"


def bytes_to_text(raw: bytes) -> str:
    """UTF-8 when it is UTF-8, else Latin-1 (every byte one character); never raises."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def find_cnic_in_text(text: str) -> str | None:
    """The one valid CNIC in *text*, or None when there is none or more than one.

    Tried in order: a number written with its dashes; a run of exactly 13 digits; a
    payload of digits only that starts with a valid CNIC (the smart card's QR: the number
    "possibly with more numeric data"). Two different valid numbers at one step: None.
    """
    text = to_ascii_digits(text)
    steps = (
        lambda: {"".join(m.groups()) for m in _FORMATTED.finditer(text)},
        lambda: {run for run in _DIGIT_RUN.findall(text) if len(run) == CNIC_DIGITS},
        lambda: _leading_cnic(text),
    )
    for step in steps:
        valid = {c for c in step() if parse_cnic(c).ok}
        if valid:
            return valid.pop() if len(valid) == 1 else None
    return None


def _leading_cnic(text: str) -> set[str]:
    stripped = text.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) > CNIC_DIGITS:
        return {stripped[:CNIC_DIGITS]}
    return set()


def extract(raw: bytes, barcode_format: str = "") -> Extraction:
    """The CNIC a barcode of *barcode_format* (zxing-cpp's names) with payload *raw* holds."""
    kind = _KIND_BY_FORMAT.get(barcode_format, ScanKind.TEXT)
    try:
        if kind is ScanKind.CNIC_PDF417:
            card = parse_old_card(raw)
            if card is not None and card.cnic is not None:
                return Extraction(card.cnic, kind, raw, barcode_format, card)
        cnic = find_cnic_in_text(bytes_to_text(raw))
    except Exception:  # a payload must never crash the scanner; treat as no CNIC
        cnic = None
    if cnic is None:
        return Extraction(None, None, raw, barcode_format)
    return Extraction(cnic, kind, raw, barcode_format)


def extract_text(text: str) -> Extraction:
    """The CNIC in typed or wedge-scanned *text* (kind ``text``)."""
    return extract(text.encode("utf-8", errors="replace"), "")
