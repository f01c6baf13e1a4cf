"""``pser-desk verify-slip FILE.pdf|IMAGE|TOKEN [--device-key KEY] [--cnic N] [--json]``.

Exit 0: genuine (and what the slip prints is what its code signs).
Exit 1: forged: the code is not genuine, or the slip prints something else than its code
signs, or the CNIC given does not fit it.
Exit 2: no slip token could be read, or no key to check it with.
Exit 3: the code is genuine, but a photo or scan does not show some printed detail
clearly enough to compare it (blur, glare, cut off): compare those by eye.

What the slip prints is read from a PDF's text layer (``slip_check``), or compared with a
picture of the slip, a photo or a scan, or a PDF without text (``slip_picture``).

Without ``--device-key`` a slip is checked with the key of the device that printed it:
this PC's key now, or one it had before a re-enrolment (the history of its signing keys,
public halves, is kept in the database); a slip dated after its key was retired is forged.
"""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pser_desk.commands.base import CliError, Context
from pser_desk.commands.desk_access import open_desk_for
from pser_desk.desk.services import has_database
from pser_desk.documents.slip_check import has_slip_text, printed_differences
from pser_desk.documents.slip_picture import PictureCheck, check_picture
from pser_desk.documents.slip_reader import FoundToken, UnreadableError, read_token
from pser_desk.documents.slip_token import Forged, Verdict, Verified, verify_token
from pser_desk.domain.enrolment import SigningKey
from pser_desk.security.device import DeviceKey, DeviceKeyError, key_path
from pser_desk.security.envelope import b64u_decode

EXIT_FORGED = 1
EXIT_UNREADABLE = 2
EXIT_CANNOT_CHECK = 3
RAW_KEY_BYTES = 32


def fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def _key_from_text(text: str) -> bytes | None:
    try:
        raw = b64u_decode(text.strip())
    except ValueError:
        return None
    return raw if len(raw) == RAW_KEY_BYTES else None


def _given_key(value: str) -> tuple[bytes, str]:
    path = Path(value)
    if path.is_file():
        data = path.read_bytes()
        raw = (
            data if len(data) == RAW_KEY_BYTES else _key_from_text(data.decode("ascii", "replace"))
        )
        where = f"the key in {path.name}"
    else:
        raw, where = _key_from_text(value), "the key given"
    if raw is None:
        raise CliError(
            "--device-key must be a raw 32-byte Ed25519 public key, b64u or a file", EXIT_UNREADABLE
        )
    return raw, where


@dataclass
class KeyBook:
    """The keys a slip may be checked with, by the device id its token names."""

    current: tuple[bytes, str] | None
    current_id: str | None = None
    earlier: dict[str, SigningKey] = field(default_factory=dict)
    used: tuple[bytes, str, datetime | None] | None = None

    def lookup(self, device_id: str) -> bytes | None:
        old = self.earlier.get(device_id)
        if old is not None and device_id != self.current_id:
            raw = b64u_decode(old.public_key)
            when = old.retired_at.strftime("%Y-%m-%d") if old.retired_at else "?"
            self.used = (raw, f"this PC's earlier device key ({device_id}, retired {when})",
                         old.retired_at)  # fmt: skip
            return raw
        if self.current is not None and (
            self.current_id is None or device_id in (self.current_id, "")
        ):
            self.used = (*self.current, None)
            return self.current[0]
        return None


def _history(ctx: Context) -> tuple[str | None, dict[str, SigningKey]]:
    """This PC's device id and its signing keys from the store, when there is a store."""
    if not has_database(ctx.db_url, ctx.data_dir):
        return None, {}
    try:
        with open_desk_for(ctx) as desk:
            return desk.slips.signing_history()
    except CliError:  # no readable database: the key file alone
        return None, {}


def choose_key(args: argparse.Namespace, ctx: Context) -> KeyBook:
    """The key given, or this PC's keys (now and before its re-enrolments)."""
    if args.device_key:
        return KeyBook(_given_key(args.device_key))
    current_id, earlier = _history(ctx)
    current = None
    if key_path(ctx.data_dir).exists():
        try:
            current = DeviceKey.load(ctx.data_dir).public_raw(), "this PC's device key"
        except DeviceKeyError as exc:
            if not earlier:
                raise CliError(f"{exc}; give --device-key", EXIT_UNREADABLE) from None
    if current is None and not earlier:
        raise CliError("this PC has no device key: give the slip's --device-key", EXIT_UNREADABLE)
    return KeyBook(current, current_id, earlier)


def _result(
    verdict: Verdict, found: FoundToken, key: tuple[bytes, str], cnic: str | None
) -> dict[str, Any]:
    claims = verdict.claims
    matches = claims.matches_cnic(cnic) if (cnic and claims and verdict.genuine) else None
    return {
        "result": "genuine" if verdict.genuine else "forged",
        "reason": None if isinstance(verdict, Verified) else verdict.reason,
        "read_from": found.source,
        "key": key[1],
        "key_fingerprint": fingerprint(key[0]),
        "slip": claims.as_json() if claims else None,
        "cnic_matches": matches,
        "picture": None,
        "cannot_check": [],
    }


def _print(info: dict[str, Any], ctx: Context, as_json: bool) -> None:
    if as_json:
        ctx.print_json(info)
        return
    slip = info["slip"] or {}
    key = f"checked with {info['key']} ({info['key_fingerprint']})"
    if info["result"] == "genuine":
        ctx.stdout.write(f"GENUINE slip {slip['receipt_no']}: submission {slip['submission_id']}, "
                         f"issued {slip['issued_at']}, device {slip['device_id'] or '-'}; {key}\n")  # fmt: skip
    elif info["result"] == "cannot_check":
        ctx.stdout.write(f"CANNOT CHECK {', '.join(info['cannot_check'])} from this picture: "
                         f"compare by eye; the code of slip {slip['receipt_no']} is genuine, "
                         f"{key}\n")  # fmt: skip
        for field in (info["picture"] or {}).get("fields", []):
            if field["outcome"] == "unclear":
                ctx.stdout.write(f"  {field['text']}\n")
    else:
        ctx.stdout.write(f"FORGED: {info['reason']}; {key}\n")
        for problem in info.get("printed_differences") or []:
            ctx.stdout.write(f"  {problem}\n")
    if info["result"] == "genuine" and not info.get("printed_checked"):
        ctx.stdout.write(
            "the printed details were not read from this input: check by eye "
            f"that the slip shows {_signed_text(slip)}\n"
        )
    if info["cnic_matches"] is not None:
        fits = "fits" if info["cnic_matches"] else "does NOT fit"
        ctx.stdout.write(f"the CNIC given {fits} this slip\n")


def _signed_text(slip: dict[str, Any]) -> str:
    signed = f"receipt {slip['receipt_no']}"
    if slip.get("printed_at"):
        signed += (f", printed {slip['printed_at']} (UTC), CNIC {slip['cnic_masked']}, "
                   f"{slip['member_count']} member(s)")  # fmt: skip
    return signed


RETIRED_GRACE = timedelta(hours=1)  # clocks differ a little around a re-enrolment


def _verdict(token: str, book: KeyBook) -> Verdict:
    verdict = verify_token(token, book.lookup)
    retired = book.used[2] if book.used else None
    if (
        isinstance(verdict, Verified)
        and retired
        and verdict.claims.issued_at > retired + RETIRED_GRACE
    ):
        return Forged("issued_after_key_retired", verdict.claims)
    return verdict


def _printed_check(verdict: Verdict, found: FoundToken) -> tuple[Verdict, list[str] | None]:
    """A genuine token on a PDF: what the slip prints must be what the token signs."""
    if not isinstance(verdict, Verified) or found.printed_text is None:
        return verdict, None
    if not has_slip_text(found.printed_text):  # a scan saved as PDF: its page is a picture
        return verdict, None
    problems = printed_differences(found.printed_text, verdict.claims)
    if problems:
        return Forged("printed_details_differ", verdict.claims), problems
    return verdict, []


def _picture_check(verdict: Verdict, found: FoundToken) -> tuple[Verdict, PictureCheck | None]:
    """A genuine token in a picture: its printed details compared with the picture."""
    if not isinstance(verdict, Verified) or found.picture is None:
        return verdict, None
    checked = check_picture(found.picture.gray, found.picture.corners, verdict.claims,
                            found.token)  # fmt: skip
    if checked.differences:
        return Forged("printed_details_differ", verdict.claims), checked
    return verdict, checked


def run_verify(args: argparse.Namespace, ctx: Context) -> int:
    book = choose_key(args, ctx)
    try:
        found = read_token(args.source)
    except UnreadableError as exc:
        raise CliError(f"unreadable: {exc}", EXIT_UNREADABLE) from None
    verdict, problems = _printed_check(_verdict(found.token, book), found)
    picture = None
    if problems is None:
        verdict, picture = _picture_check(verdict, found)
    key = (book.used[0], book.used[1]) if book.used else (book.current or (b"", "no key"))
    info = _result(verdict, found, key, args.cnic)
    if picture is not None:
        problems = [f.describe() for f in picture.differences]
        unclear = [f.name for f in picture.unclear]
        info["picture"] = picture.as_json()
        info["cannot_check"] = unclear if not problems else []
        if unclear and not problems and info["result"] == "genuine":
            info["result"] = "cannot_check"
    info["printed_checked"] = problems is not None and info["result"] != "cannot_check"
    info["printed_differences"] = problems or []
    _print(info, ctx, args.json)
    if info["result"] == "forged" or info["cnic_matches"] is False:
        return EXIT_FORGED
    return EXIT_CANNOT_CHECK if info["result"] == "cannot_check" else 0
