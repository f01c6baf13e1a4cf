"""Opening the application layer from a command, and its failures as one-line errors.

Every command that works on this PC's records goes through :func:`open_desk_for`: the
same services the window uses (``pser_desk.desk``), the same checks, the same wording
in the messages (their English lines; the window shows the codes' translated words).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pser_desk.commands.base import CliError, Context
from pser_desk.desk.errors import DeskError
from pser_desk.desk.model import LoginOutcome, LoginResult
from pser_desk.desk.sending import Backoff
from pser_desk.desk.services import Desk, open_desk
from pser_desk.security.passwords import PRODUCTION_PARAMS


@contextmanager
def open_desk_for(
    ctx: Context, *, sender: str = "sync", backoff: Backoff | None = None
) -> Iterator[Desk]:
    """The desk of *ctx* (SQLite in the data folder unless ``--db``); closed afterwards.
    *sender*: who sends from this process if the command sends (``sync``), with
    *backoff* (the contract's unless a test shortens it)."""
    if ctx.db_url is None:
        ctx.ensure_data_dir()
    try:
        desk = open_desk(
            ctx.db_url, ctx.data_dir, password_cost=ctx.password_cost or PRODUCTION_PARAMS,
            sender=sender, backoff=backoff,
        )  # fmt: skip
    except DeskError as exc:
        raise CliError(str(exc)) from None
    try:
        yield desk
    except DeskError as exc:
        raise CliError(str(exc)) from None
    finally:
        desk.close()


def sign_in(desk: Desk, ctx: Context, operator_id: str) -> LoginResult:
    """Sign *operator_id* in with the password read from the next stdin line."""
    password = ctx.read_secret_line(f"the password of {operator_id}")
    result = desk.sessions.login(operator_id, password)
    if result.outcome is LoginOutcome.OK:
        return result
    raise CliError(refusal_line(result))


def refusal_line(result: LoginResult) -> str:
    """Why a sign-in was refused, in one line (no password, no personal data)."""
    if result.outcome is LoginOutcome.DISABLED:
        return "this account is disabled; ask a manager"
    if result.outcome is LoginOutcome.LOCKED:
        minutes = max(1, -(-(result.locked_for_s or 60) // 60))
        return f"this account is locked for {minutes} more minute(s)"
    return "wrong operator id or password"


def read_new_password(ctx: Context) -> str:
    first = ctx.read_secret_line("the new password")
    second = ctx.read_secret_line("the new password again")
    if first != second:
        raise CliError("the two new passwords differ")
    return first
