"""``pser-desk record example [--seed N]`` and ``pser-desk validate FILE.json|-``.

``record example`` prints a complete, valid household record (JSON, indent 2).
``validate`` prints one JSON line per problem (``path``, ``code``, ``message_key``) and
exits 1, or prints nothing and exits 0; input that is not readable JSON exits 2.
"""

from __future__ import annotations

import argparse
import json
from datetime import date

from pser_desk.commands.base import (
    CliError,
    Context,
    Groups,
    SubParsers,
    read_json_arg,
    set_handler,
)
from pser_desk.domain.example import example_record
from pser_desk.domain.form import FormDefinition, FormDefinitionError, load_form
from pser_desk.domain.geography import Geography, GeographyError, load_geography
from pser_desk.domain.validate import validate_record

EXIT_INVALID = 1
EXIT_BAD_INPUT = 2


def register(sub: SubParsers, groups: Groups) -> None:
    example = groups["record"].add_parser(
        "example", help="print a complete, valid household record"
    )
    example.add_argument("--seed", type=int, default=0, help="the same seed gives the same record")
    example.add_argument("--today", type=_iso_date, default=None, help=argparse.SUPPRESS)
    set_handler(example, _handle_example)
    validate = sub.add_parser("validate", help="every error of a household record (JSON lines)")
    validate.add_argument("file", metavar="FILE.json", help="the record, or - for standard input")
    validate.add_argument(
        "--today", type=_iso_date, default=None, help="check ages as on this date (YYYY-MM-DD)"
    )
    set_handler(validate, _handle_validate)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _definitions() -> tuple[FormDefinition, Geography]:
    try:
        return load_form(), load_geography()
    except (FormDefinitionError, GeographyError) as exc:
        raise CliError(f"the installed form definition is broken: {exc}", code=70) from None


def _handle_example(args: argparse.Namespace, ctx: Context) -> int:
    form, geography = _definitions()
    record = example_record(args.seed, form, geography, args.today or date.today())
    ctx.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return 0


def _handle_validate(args: argparse.Namespace, ctx: Context) -> int:
    try:
        record = read_json_arg(args.file, ctx)
    except CliError as exc:
        raise CliError(str(exc), code=EXIT_BAD_INPUT) from None
    form, geography = _definitions()
    issues = validate_record(record, form, geography=geography, today=args.today or date.today())
    for issue in issues:
        ctx.print_json(issue.as_json())
    return EXIT_INVALID if issues else 0
