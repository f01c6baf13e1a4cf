"""What a slip prints against what its token signs: a genuine QR on a doctored slip.

Read from a PDF's text layer (``pdftotext -layout``): every receipt number and masked CNIC
printed (English and Urdu columns), the date and time in both forms, the member count on
the English "Members" line and the Urdu column's. A version 1 token signs the receipt
number only; a version 2 token also signs the date, the masked CNIC and the member count.
"""

from __future__ import annotations

import re

from pser_desk.documents.slip import PKT
from pser_desk.documents.slip_texts import english_date
from pser_desk.documents.slip_token import SlipClaims

_RECEIPT = re.compile(r"\b[A-Z]{3}-\d{4}-\d{8}-\d{4}\b")
_MASKED = re.compile(r"\b\d{5}-X{7}-\d\b")
_DATE_EN = re.compile(r"\b(\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}) PKT\b")
_DATE_UR = re.compile(r"(?<![\d-])(\d{2}-\d{2}-\d{4} \d{2}:\d{2})(?![\d:])")
_MEMBERS = re.compile(r"^\s*Members\b(.*)$", re.MULTILINE)
_NUMBERS = re.compile(r"(?<![\w-])(\d+)(?![\w-])")


def _members_printed(text: str) -> list[str]:
    """The member counts printed: on the English "Members" line (the A4's Urdu column is
    on the same line) and, on the roll, the Urdu block's line after its masked CNIC."""
    found = [n for line in _MEMBERS.findall(text) for n in _NUMBERS.findall(line)]
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if _MASKED.fullmatch(line):
            following = next((nxt for nxt in lines[i + 1 :] if nxt), "")
            if following.isdigit():
                found.append(following)
    return found


def has_slip_text(text: str) -> bool:
    """Whether a PDF's text layer holds a slip's text at all (a scan saved as a PDF has
    none: its page is then checked as a picture)."""
    return bool(_RECEIPT.search(text) or _MASKED.search(text))


def printed_differences(text: str, claims: SlipClaims) -> list[str]:
    """Each printed detail that is not what the token signs (empty: they agree)."""
    problems: list[str] = []

    def compare(what: str, printed: list[str], signed: str) -> None:
        if not printed:
            problems.append(f"{what}: not found on the slip")
        elif any(value != signed for value in printed):
            problems.append(f"{what}: the slip prints {', '.join(sorted(set(printed)))}; "
                            f"the code signs {signed}")  # fmt: skip

    compare("receipt number", _RECEIPT.findall(text), claims.receipt_no)
    if claims.printed_at is not None:
        local = claims.printed_at.astimezone(PKT)
        compare("date (English)", _DATE_EN.findall(text), english_date(local))
        compare("date (Urdu)", _DATE_UR.findall(text), f"{local:%d-%m-%Y %H:%M}")
        compare("CNIC", _MASKED.findall(text), claims.cnic_masked or "")
        compare("members", _members_printed(text), str(claims.member_count))
    return problems
