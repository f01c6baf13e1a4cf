"""The ``pser-desk`` command: the GUI by default, and headless sub-commands.

Each group of sub-commands lives in a module of ``pser_desk.commands`` that exposes
``register(sub, groups)``: ``sub`` is the top-level sub-parser set, ``groups`` the
shared groups (``record``, ``operator``, ``central``, ``report``) that several modules add to.
Every failure a user can cause ends as one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pser_desk import __version__, paths
from pser_desk.commands.base import CliError, Context

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
    "enroll",
    "documents",
    "sync",
)

GROUPS: dict[str, str] = {
    "record": "household records: example, validate, add, list",
    "operator": "operator accounts",
    "central": "the reference central service",
    "report": "manager reports",
}

EXIT_INTERNAL = 70


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pser-desk", description="PSER registration-centre client")
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(data_dir=paths.data_dir(args.data_dir), db_url=args.db)
    try:
        if args.self_test:
            return _run_self_test(ctx)
        handler = getattr(args, "handler", None)
        if handler is None:
            if args.command in GROUPS:
                args.group_parser.print_help(sys.stderr)
                return 2
            return _run_gui(args, ctx)
        return int(handler(args, ctx))
    except CliError as exc:
        print(f"pser-desk: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("pser-desk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 141
    except Exception:  # the last line of defence: no stack trace reaches an operator
        log.exception("unexpected error in %s", args.command or "gui")
        print(
            "pser-desk: internal error; nothing was lost. The details are in the log file in "
            f"{ctx.data_dir / 'logs'}; give it to support.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
