"""What every headless sub-command shares: the context it runs in and how it fails."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from pser_desk.domain import safe_json
from pser_desk.security.private_files import make_private_dir

if TYPE_CHECKING:  # the sign-in window's path imports no cryptography
    from pser_desk.security.passwords import ScryptParams


class CliError(Exception):
    """A failure the user caused or can fix: printed as one line, exit code ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Context:
    """Global options, resolved once. ``db_url`` None means the SQLite file in the data dir."""

    data_dir: Path
    db_url: str | None = None
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    # The scrypt cost of new password hashes; None: production's (PRODUCTION_PARAMS).
    # Only tests wire another in, through cli.main(password_cost=...).
    password_cost: ScryptParams | None = None
    stdout: TextIO = field(default_factory=lambda: sys.stdout)

    def ensure_data_dir(self) -> Path:
        """The data folder, created if needed, private to this user (0700; Windows: an ACL)."""
        return make_private_dir(self.data_dir)

    def print_json(self, obj: Any) -> None:
        self.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n")

    def read_secret_line(self, what: str) -> str:
        """One line from stdin (passwords are never taken from the command line)."""
        line = self.stdin.readline()
        if not line:
            raise CliError(f"expected {what} on standard input")
        return line.rstrip("\r\n")


Handler = Callable[[argparse.Namespace, Context], int]
# The sub-parser sets handed to each command module's ``register(sub, groups)``.
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Groups: TypeAlias = "dict[str, SubParsers]"


def set_handler(parser: argparse.ArgumentParser, handler: Handler) -> None:
    parser.set_defaults(handler=handler)


MAX_JSON_BYTES = 4 * 1024 * 1024  # a household record is a few KiB; central takes 1 MiB


def _read_json_text(path: str, ctx: Context) -> str | bytes:
    if path == "-":
        text = ctx.stdin.read(MAX_JSON_BYTES + 1)
        if len(text) > MAX_JSON_BYTES:
            raise CliError(
                f"standard input is too large for a JSON record (over {MAX_JSON_BYTES} bytes)"
            )
        return text
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_JSON_BYTES + 1)
    except FileNotFoundError:
        raise CliError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise CliError(f"{path} is a directory, not a JSON file") from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.__class__.__name__}") from None
    if len(data) > MAX_JSON_BYTES:
        raise CliError(f"{path} is too large for a JSON record (over {MAX_JSON_BYTES} bytes)")
    return data


def read_json_arg(path: str, ctx: Context) -> Any:
    """Read JSON from a file path or ``-`` (stdin); a clear :class:`CliError` otherwise.

    Bounded (:mod:`pser_desk.domain.safe_json`): size, nesting and numbers; a UTF-8
    byte-order mark is accepted.
    """
    where = "standard input" if path == "-" else path
    try:
        return safe_json.loads(_read_json_text(path, ctx))
    except safe_json.JsonRefused as exc:
        raise CliError(f"{where} is refused: {exc}") from None
