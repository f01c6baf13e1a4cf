"""The ``pser-desk`` command: the GUI by default, and headless sub-commands.

Each group of sub-commands lives in a module of ``pser_desk.commands`` that exposes
``register(sub, groups)``: ``sub`` is the top-level sub-parser set, ``groups`` the
shared groups (``record``, ``operator``, ``central``, ``report``) that several modules add to.
Every failure a user can cause ends as one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import errno
import importlib
import io
import logging
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from pser_desk import __version__, paths
from pser_desk import logs as log_files
from pser_desk.commands import update_service
from pser_desk.commands.base import CliError, Context

if TYPE_CHECKING:  # the sign-in window's path imports no cryptography
    from pser_desk.security.passwords import ScryptParams

log = logging.getLogger(__name__)

# Modules of pser_desk.commands, each with register(sub, groups).
COMMAND_MODULES: tuple[str, ...] = (
    "cnic",
    "record_tools",
    "records",
    "operators",
    "maintenance",
    "scan",
    "central",
    "central_admin",
    "enroll",
    "documents",
    "sync",
    "agent",
    "forms",
    "release",
    "update",
)

GROUPS: dict[str, str] = {
    "record": "household records: example, validate, add, list",
    "operator": "operator accounts",
    "central": "the reference central service",
    "report": "manager reports",
    "release": "publish signed desk versions (the registry's release team)",
    "update": "this PC updating itself: check, download, apply",
}

EXIT_INTERNAL = 70
EXIT_USAGE = 2
# No argument of ours is anywhere near this long (a slip token is ~250 characters); a
# longer one is a mistake or an attack, and some would fail deep inside the OS (a path).
MAX_ARGUMENT_CHARS = 4096


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _add_global_options(parser: argparse.ArgumentParser, *, version: bool = True) -> None:
    if version:
        parser.add_argument("--version", action="version", version=f"pser-desk {__version__}")
    parser.add_argument(
        "--data-dir",
        default=None,
        help=f"where every file the application writes lives (env {paths.DATA_DIR_ENV})",
    )
    parser.add_argument("--db", default=None, help="database URL (default: SQLite in the data dir)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the GUI against an embedded reference central service and a simulated camera",
    )
    parser.add_argument("--self-test", action="store_true", help="run the installation self-test")
    # Hidden: start the window offscreen, exit once the login window shows (benchmark).
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)


class _NotWindowOnly(Exception):
    pass


class _QuietParser(_Parser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NotWindowOnly(message)


def _window_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The global options when *argv* names no sub-command (the GUI, the self-test).

    Building the full parser imports every command module (SQLAlchemy, OpenCV...): the
    window does not need them, and an operator waits for every second of start-up.
    """
    parser = _QuietParser(prog="pser-desk", add_help=False)
    _add_global_options(parser, version=False)  # --help and --version go to the full parser
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotWindowOnly:  # the full parser says what is wrong
        return None
    if rest:
        return None
    args.command = None
    return args


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pser-desk", description="PSER registration-centre client")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for name, help_text in GROUPS.items():
        group_parser = sub.add_parser(name, help=help_text)
        groups[name] = group_parser.add_subparsers(
            dest=f"{name}_command", metavar="ACTION", parser_class=_Parser
        )
        group_parser.set_defaults(group_parser=group_parser)
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(f"pser_desk.commands.{module_name}")
        module.register(sub, groups)
    return parser


def _run_gui(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk import app  # Qt is imported only when the GUI is wanted

    return int(app.run(ctx, demo=args.demo))


def _run_self_test(ctx: Context) -> int:
    from pser_desk import selftest

    return int(selftest.run(ctx))


def _command_name(args: argparse.Namespace) -> str:
    """``record add``, ``sync``...: the sub-command's words only, never its arguments."""
    words = [args.command or "gui"]
    action = getattr(args, f"{args.command}_command", None) if args.command in GROUPS else None
    if action:
        words.append(str(action))
    return " ".join(words)


@contextlib.contextmanager
def _setup_logging(ctx: Context, name: str | None) -> Iterator[None]:
    """A headless command logs to ``<data_dir>/logs/pser-desk.log`` (``pser_desk.logs``).

    *name* None: no log file here (the self-test touches only a temporary folder; the
    GUI sets up its own file logging with Qt's messages in ``gui/logsetup.py``).
    """
    with contextlib.ExitStack() as stack:
        if name is not None:
            try:
                ctx.ensure_data_dir()  # private before the first file lands in it
                stack.enter_context(log_files.file_logging(ctx.data_dir))
            except OSError:  # an unwritable data folder: the command itself says so
                name = None
        if name is not None:
            log.info("pser-desk %s: %s started", __version__, name)
        yield


def _run(args: argparse.Namespace, ctx: Context) -> int:
    if args.self_test:
        return _run_self_test(ctx)
    if args.startup_probe:
        from pser_desk import selftest

        return selftest.startup_probe(ctx)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command in GROUPS:
            args.group_parser.print_help(sys.stderr)
            return 2
        return _run_gui(args, ctx)
    code = int(handler(args, ctx))
    log.info("%s ended with exit code %s", _command_name(args), code)
    return code


def use_utf8_streams() -> None:
    """Standard input, output and error are UTF-8 whenever they are a pipe or a file.

    A console needs nothing (on Windows Python talks Unicode to it), but a pipe or a
    file gets the ANSI code page there (cp1252 on an English Windows): an Urdu name or
    form title could not be printed (exit 70), and UTF-8 piped in (a record, a password
    typed on an Urdu keyboard) would be read as other letters. Linux is UTF-8 already.
    """
    for name in ("stdin", "stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, io.TextIOWrapper) or stream.isatty():
            continue  # None in the windowed .exe; a console; a test's capture
        if codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(encoding="utf-8", errors=stream.errors)


def main(argv: Sequence[str] | None = None, *, password_cost: ScryptParams | None = None) -> int:
    """The ``pser-desk`` command. *password_cost*: the scrypt cost of new password hashes,
    production's (``passwords.PRODUCTION_PARAMS``) unless the caller wires another (tests)."""
    use_utf8_streams()
    argv = sys.argv[1:] if argv is None else list(argv)
    too_long = next((a for a in argv if len(a) > MAX_ARGUMENT_CHARS), None)
    if too_long is not None:
        print(f"pser-desk: error: an argument is too long ({len(too_long)} characters; at most "
              f"{MAX_ARGUMENT_CHARS})", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    if sys.platform == "win32" and update_service.is_service_command(argv):
        # The updater service: to the service manager's dispatcher before anything heavy.
        ctx = Context(data_dir=paths.data_dir(argv[1] if len(argv) == 4 else None))
        with _setup_logging(ctx, "update service"):
            try:
                code = update_service.run(ctx)
            except OSError as exc:  # not started by the service manager
                print(f"pser-desk: {exc}", file=sys.stderr)
                code = 1
            log.info("update service ended with exit code %s", code)
            return code
    args = _window_only(argv) or build_parser().parse_args(argv)
    ctx = Context(data_dir=paths.data_dir(args.data_dir), db_url=args.db,
                  password_cost=password_cost)  # fmt: skip
    headless = not (args.self_test or args.startup_probe) and hasattr(args, "handler")
    with _setup_logging(ctx, _command_name(args) if headless else None):
        try:
            return _run(args, ctx)
        except CliError as exc:
            log.info("%s ended with exit code %s (a user error)", _command_name(args), exc.code)
            print(f"pser-desk: {exc}", file=sys.stderr)
            return exc.code
        except KeyboardInterrupt:
            print("pser-desk: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            return 141
        except OSError as exc:
            if not _no_space(exc):
                return _internal_error(args, ctx, exc)
            log.info("%s ended: the disk is full", _command_name(args))
            print("pser-desk: the disk is full; what this command was writing was not saved. "
                  "Free some space and try again", file=sys.stderr)  # fmt: skip
            return 1
        except Exception as exc:  # the last line of defence: no stack trace reaches an operator
            return _internal_error(args, ctx, exc)


def _no_space(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _internal_error(args: argparse.Namespace, ctx: Context, exc: BaseException) -> int:
    """Logs the traceback (never shown), tells the user in one line."""
    log.error("unexpected error in %s", args.command or "gui", exc_info=exc)
    print(
        "pser-desk: internal error; nothing was lost. The details are in the log file "
        f"in {ctx.data_dir / 'logs'}; give it to support.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
