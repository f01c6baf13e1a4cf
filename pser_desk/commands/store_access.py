"""Opening the store from a command, and turning storage failures into one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pser_desk.commands.base import CliError, Context
from pser_desk.security.passwords import PRODUCTION_PARAMS
from pser_desk.security.vault import VaultError
from pser_desk.store import LoginSession, StoreError, StoreService


@contextmanager
def open_store(ctx: Context) -> Iterator[StoreService]:
    """The store of *ctx* (SQLite in the data folder unless ``--db``); closed afterwards."""
    if ctx.db_url is None:
        ctx.ensure_data_dir()
    try:
        service = StoreService.open(
            ctx.db_url, ctx.data_dir, password_cost=ctx.password_cost or PRODUCTION_PARAMS
        )
    except StoreError as exc:
        raise CliError(str(exc)) from None
    try:
        yield service
    except (StoreError, VaultError) as exc:
        raise CliError(str(exc)) from None
    finally:
        service.close()


def login(service: StoreService, ctx: Context, operator_id: str) -> LoginSession:
    """Log *operator_id* in with the password read from the next stdin line."""
    password = ctx.read_secret_line(f"the password of {operator_id}")
    return service.operators.login(operator_id, password)


def read_new_password(ctx: Context) -> str:
    first = ctx.read_secret_line("the new password")
    second = ctx.read_secret_line("the new password again")
    if first != second:
        raise CliError("the two new passwords differ")
    return first
