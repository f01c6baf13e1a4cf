"""``pser-desk forms update [--form-id ID] [--json]`` and ``pser-desk forms list [--json]``.

``update`` fetches each known form's current version from central, verifies central's
signature with the key received at enrolment, checks the domain can read it, and keeps
it (every version is kept; records finish under the version they started with).
"""

from __future__ import annotations

import argparse

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.desk_access import open_desk_for
from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.forms import FormUpdate


def register(sub: SubParsers, groups: Groups) -> None:
    parser = sub.add_parser("forms", help="form definitions: fetch updates from central, list")
    actions = parser.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    update = actions.add_parser("update", help="fetch, verify and keep central's current forms")
    update.add_argument(
        "--form-id", action="append", default=None, help="only this form (repeatable)"
    )
    update.add_argument("--json", action="store_true", help="one JSON object")
    set_handler(update, _handle_update)
    listing = actions.add_parser("list", help="the form versions on this PC")
    listing.add_argument("--json", action="store_true", help="a JSON array")
    set_handler(listing, _handle_list)


def _handle_update(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        try:
            updates, current = desk.forms.update(args.form_id)
        except DeskError as exc:
            if exc.code is ErrorCode.CENTRAL_UNREACHABLE:
                raise CliError(f"{exc}; try again when central can be reached") from None
            raise
    _print_updates(ctx, updates, current, as_json=args.json)
    return 0


def _print_updates(
    ctx: Context, updates: list[FormUpdate], current: dict[str, str], *, as_json: bool
) -> None:
    if as_json:
        ctx.print_json({"forms": [{**u.as_json(), "current": current[u.form_id]} for u in updates]})
        return
    for update in updates:
        what = "new version kept" if update.new else "already on this PC"
        ctx.stdout.write(
            f"{update.form_id} {update.version} (published {update.published_at}): {what}; "
            f"new records use {current[update.form_id]}\n"
        )


def _handle_list(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        infos = desk.forms.versions()
    if args.json:
        ctx.print_json([info.as_json() for info in infos])
        return 0
    for info in infos:
        mark = "*" if info.current else " "
        ctx.stdout.write(
            f"{mark} {info.form_id} {info.version:<10} {info.source:<8} {info.records} record(s)\n"
        )
    return 0
