"""``pser-desk verify-slip FILE.pdf|IMAGE|TOKEN [--device-key KEY] [--cnic N] [--json]``.

Exit 0: genuine. Exit 1: forged (or genuine but the CNIC given does not fit it).
Exit 2: no slip token could be read, or no key to check it with.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from pser_desk.commands.base import CliError, Context
from pser_desk.documents.slip_reader import FoundToken, UnreadableError, read_token
from pser_desk.documents.slip_token import Verdict, Verified, verify_token
from pser_desk.security.device import DeviceKey, DeviceKeyError, key_path
from pser_desk.security.envelope import b64u_decode

EXIT_FORGED = 1
EXIT_UNREADABLE = 2
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


def choose_key(args: argparse.Namespace, ctx: Context) -> tuple[bytes, str]:
    """(raw public key, a description of which key it is)."""
    if args.device_key:
        return _given_key(args.device_key)
    if not key_path(ctx.data_dir).exists():
        raise CliError("this PC has no device key: give the slip's --device-key", EXIT_UNREADABLE)
    try:
        return DeviceKey.load(ctx.data_dir).public_raw(), "this PC's device key"
    except DeviceKeyError as exc:
        raise CliError(f"{exc}; give --device-key", EXIT_UNREADABLE) from None


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
    else:
        ctx.stdout.write(f"FORGED: {info['reason']}; {key}\n")
    if info["cnic_matches"] is not None:
        fits = "fits" if info["cnic_matches"] else "does NOT fit"
        ctx.stdout.write(f"the CNIC given {fits} this slip\n")


def run_verify(args: argparse.Namespace, ctx: Context) -> int:
    key = choose_key(args, ctx)
    try:
        found = read_token(args.source)
    except UnreadableError as exc:
        raise CliError(f"unreadable: {exc}", EXIT_UNREADABLE) from None
    info = _result(verify_token(found.token, key[0]), found, key, args.cnic)
    _print(info, ctx, args.json)
    if info["result"] != "genuine" or info["cnic_matches"] is False:
        return EXIT_FORGED
    return 0
