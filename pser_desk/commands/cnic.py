"""``pser-desk cnic VALUE [--json]``: parse, normalise and check a CNIC/B-Form number."""

from __future__ import annotations

import argparse

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.domain.cnic import CnicError, parse_cnic

MESSAGES: dict[CnicError, str] = {
    CnicError.EMPTY: "no CNIC given",
    CnicError.NOT_DIGITS: "a CNIC has only digits (dashes and spaces are allowed between them)",
    CnicError.WRONG_LENGTH: "a CNIC has 13 digits",
    CnicError.BAD_PROVINCE: "the first digit of a CNIC is a province code from 1 to 7",
    CnicError.BAD_GENDER: "the last digit of a CNIC cannot be 0",
}


def register(sub: SubParsers, groups: Groups) -> None:
    parser = sub.add_parser("cnic", help="parse, normalise and check a CNIC/B-Form number")
    parser.add_argument("value", help="the number, written any way (dashes, spaces, Urdu digits)")
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    set_handler(parser, _handle)


def _handle(args: argparse.Namespace, ctx: Context) -> int:
    result = parse_cnic(args.value)
    if result.cnic is None:
        assert result.error is not None
        raise CliError(f"invalid CNIC: {MESSAGES[result.error]} ({result.error.value})")
    if args.json:
        ctx.print_json(result.cnic.as_json())
    else:
        info = result.cnic.as_json()
        ctx.stdout.write(f"{info['formatted']}  {info['province']}  {info['gender']}\n")
    return 0
