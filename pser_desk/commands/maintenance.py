"""``pser-desk audit verify``, ``pser-desk backup --out FILE`` and
``pser-desk restore FILE --as MANAGER_ID`` (the manager's password on stdin).

``restore`` checks the backup completely before touching the live database (a whole
database of a known schema, not the live file itself, of this installation, opened by the
manager's password, which is checked against the accounts *in the backup*: the live
database may be too damaged to log in), then swaps it in atomically; the live database is
kept aside as ``pser.db.before-restore-<time>``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.desk_access import open_desk_for
from pser_desk.desk.errors import DeskError
from pser_desk.desk.maintenance import restore_database
from pser_desk.desk_lock import desk_is_open


def register(sub: SubParsers, groups: Groups) -> None:
    audit = sub.add_parser("audit", help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    audit_sub.required = True
    verify = audit_sub.add_parser("verify", help="check the audit log's hash chain")
    verify.add_argument("--json", action="store_true", help="print a JSON object")
    set_handler(verify, _verify)
    make = sub.add_parser("backup", help="a consistent copy of the database")
    make.add_argument("--out", required=True, metavar="FILE")
    set_handler(make, _backup)
    back = sub.add_parser("restore", help="replace the database by a backup")
    back.add_argument("file", metavar="FILE")
    back.add_argument(
        "--as", dest="manager", metavar="MANAGER_ID", required=True,
        help="a manager of the backup's accounts (password on stdin)",
    )  # fmt: skip
    set_handler(back, _restore)


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        report = desk.reports.verify_audit()
    if args.json:
        ctx.print_json({"ok": report.ok, "entries": report.entries,
                        "broken_entry": report.broken_seq, "reason": report.reason})  # fmt: skip
    if report.ok:
        if not args.json:
            ctx.stdout.write(f"audit log intact: {report.entries} entries\n")
        return 0
    if report.broken_seq is None:
        raise CliError(f"audit check failed: {report.reason}", code=3)
    raise CliError(f"audit log broken at entry {report.broken_seq}: {report.reason}", code=3)


def _backup(args: argparse.Namespace, ctx: Context) -> int:
    with open_desk_for(ctx) as desk:
        out = desk.maintenance.backup(Path(args.out))
    ctx.print_json({"backup": str(out), "bytes": out.stat().st_size})
    return 0


def _restore(args: argparse.Namespace, ctx: Context) -> int:
    if desk_is_open(ctx.data_dir):
        # The window keeps pser.db open: on Windows it cannot be replaced at all, and on
        # Linux the window would go on writing households into the file moved aside.
        raise CliError("PSER Desk is open on this PC; close its window, then restore")
    password = ctx.read_secret_line(f"the password of {args.manager}")
    try:
        restored = restore_database(
            ctx.db_url, ctx.data_dir, Path(args.file), manager_id=args.manager, password=password
        )
    except DeskError as exc:
        raise CliError(str(exc)) from None
    kept = restored.previous_kept_as
    ctx.print_json({"restored": str(restored.database),
                    "previous_kept_as": str(kept) if kept else None,
                    "audited": restored.audited})  # fmt: skip
    return 0
