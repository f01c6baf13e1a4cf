"""``pser-desk operator add|list|disable|reset``: operator accounts.

Passwords only ever come from standard input, one per line:
``add`` -- the manager's password when ``--as`` is given, then the new password twice;
``disable`` -- the manager's password; ``reset`` -- the manager's, then the new one twice.
The first account on a PC must be a manager and is added without ``--as``.
"""

from __future__ import annotations

import argparse

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.desk_access import open_desk_for, read_new_password, sign_in
from pser_desk.desk.errors import PasswordRejected
from pser_desk.domain.accounts import Role
from pser_desk.domain.text import one_line

POLICY_TEXT = {
    "password.too_short": "at least 10 characters",
    "password.equals_user_id": "not the operator id",
    "password.is_cnic": "not a CNIC number",
    "password.too_common": "not a common password",
    "password.too_simple": "not a run or repetition of one or two characters",
}


def register(sub: SubParsers, groups: Groups) -> None:
    group = groups["operator"]
    add = group.add_parser("add", help="add an operator account (passwords on stdin)")
    add.add_argument("operator_id", metavar="ID")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=["operator", "manager"])
    add.add_argument("--as", dest="manager", metavar="MANAGER_ID", default=None)
    set_handler(add, _add)
    listing = group.add_parser("list", help="list operator accounts")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    set_handler(listing, _list)
    disable = group.add_parser("disable", help="disable an account (manager password on stdin)")
    disable.add_argument("operator_id", metavar="ID")
    disable.add_argument("--as", dest="manager", metavar="MANAGER_ID", required=True)
    set_handler(disable, _disable)
    reset = group.add_parser("reset", help="set a new password, unlock and re-enable an account")
    reset.add_argument("operator_id", metavar="ID")
    reset.add_argument("--as", dest="manager", metavar="MANAGER_ID", required=True)
    set_handler(reset, _reset)


def _policy_error(exc: PasswordRejected) -> CliError:
    wanted = "; ".join(POLICY_TEXT.get(p.value, p.value) for p in exc.problems)
    return CliError(f"password rejected: it must be {wanted}")


def _add(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        by = sign_in(desk, ctx, args.manager) if args.manager else None
        password = read_new_password(ctx)
        try:
            op = desk.accounts.add(by, args.operator_id, args.name, Role(args.role), password)
        except PasswordRejected as exc:
            raise _policy_error(exc) from None
    ctx.print_json({"id": op.id, "role": op.role.value, "added": True})
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        operators = desk.accounts.list()
    for op in operators:
        if args.json:
            ctx.print_json(op.as_json())
        else:
            state = "disabled" if op.disabled else "active"
            ctx.stdout.write(f"{op.id}\t{op.role.value}\t{state}\t{one_line(op.name)}\n")
    return 0


def _disable(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        by = sign_in(desk, ctx, args.manager)
        desk.accounts.disable(by, args.operator_id)
    ctx.print_json({"id": args.operator_id, "disabled": True})
    return 0


def _reset(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        by = sign_in(desk, ctx, args.manager)
        password = read_new_password(ctx)
        try:
            desk.accounts.reset(by, args.operator_id, password)
        except PasswordRejected as exc:
            raise _policy_error(exc) from None
    ctx.print_json({"id": args.operator_id, "reset": True})
    return 0
