"""``pser-desk audit verify``, ``pser-desk backup --out FILE`` and ``pser-desk restore FILE``.

``restore`` needs no password: it runs when the database may be too damaged to log in,
and it only puts back data this PC already had (the current database is kept aside).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.commands.store_access import open_store
from pser_desk.store import audit_log
from pser_desk.store.backup import backup, restore
from pser_desk.store.engine import default_url, normalise_url, sqlite_path
from pser_desk.store.errors import StoreError


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
    set_handler(back, _restore)


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    with open_store(ctx) as service, service.store.read() as session:
        report = audit_log.verify(session)
    if args.json:
        ctx.print_json({"ok": report.ok, "entries": report.entries,
                        "broken_entry": report.broken_seq, "reason": report.reason})  # fmt: skip
    if report.ok:
        if not args.json:
            ctx.stdout.write(f"audit log intact: {report.entries} entries\n")
        return 0
    raise CliError(f"audit log broken at entry {report.broken_seq}: {report.reason}", code=3)


def _backup(args: argparse.Namespace, ctx: Context) -> int:
    with open_store(ctx) as service:
        out = backup(service.store, Path(args.out))
    ctx.print_json({"backup": str(out), "bytes": out.stat().st_size})
    return 0


def _restore(args: argparse.Namespace, ctx: Context) -> int:
    url = normalise_url(ctx.db_url) if ctx.db_url else default_url(ctx.data_dir)
    db_file = sqlite_path(url)
    if db_file is None:
        raise CliError("restore is for the SQLite database; restore PostgreSQL on its server")
    try:
        kept = restore(Path(args.file), db_file)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    with open_store(ctx) as service, service.store.write() as session:
        audit_log.append(session, audit_log.Event.BACKUP_RESTORED, at=datetime.now(UTC))
    ctx.print_json({"restored": str(db_file), "previous_kept_as": str(kept) if kept else None})
    return 0
