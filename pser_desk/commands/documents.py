"""``pser-desk slip``, ``pser-desk verify-slip`` and ``pser-desk report daily``.

``slip RECEIPT_NO --out F.pdf [--paper a4|80mm] --operator ID``: the password is read from
stdin (the slip shows the head's name). ``verify-slip FILE.pdf|IMAGE|TOKEN`` exits 0 for a
genuine slip, 1 for a forged one (or a CNIC that does not fit it), 2 when no token can be
read. ``report daily [--date D] [--to D | --range week|month] --out F.pdf|F.csv``.
"""

from __future__ import annotations

import argparse
import errno
import os
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pser_desk.commands.base import CliError, Context, set_handler
from pser_desk.documents.report_model import PKT
from pser_desk.documents.slip import PAPERS
from pser_desk.security.private_files import replace

if TYPE_CHECKING:
    from pser_desk.commands.base import Groups, SubParsers


def register(sub: SubParsers, groups: Groups) -> None:
    slip = sub.add_parser("slip", help="write a record's acknowledgement slip (password on stdin)")
    slip.add_argument("receipt_no", metavar="RECEIPT_NO")
    slip.add_argument("--out", required=True, metavar="F.pdf")
    slip.add_argument("--paper", choices=PAPERS, default="a4")
    slip.add_argument("--operator", required=True, metavar="ID")
    slip.add_argument("--json", action="store_true", help="print a JSON object")
    set_handler(slip, _slip)
    verify = sub.add_parser("verify-slip", help="say whether a slip is genuine (offline)")
    verify.add_argument("source", metavar="FILE.pdf|IMAGE|TOKEN")
    verify.add_argument(
        "--device-key",
        metavar="KEY",
        help="the device's public key: b64u or a file (write --device-key=KEY: a key may start with -)",
    )
    verify.add_argument(
        "--cnic", help="the CNIC on the card the citizen shows (checked, not printed)"
    )
    verify.add_argument("--json", action="store_true", help="print a JSON object")
    set_handler(verify, _verify)
    report = groups["report"].add_parser("daily", help="the centre's report for a day or a range")
    report.add_argument("--date", metavar="YYYY-MM-DD", help="the (last) day; default today (PKT)")
    span = report.add_mutually_exclusive_group()
    span.add_argument("--to", metavar="YYYY-MM-DD", help="the last day of a range from --date")
    span.add_argument(
        "--range",
        choices=("week", "month"),
        help="the 7 days, or the month to date, ending on --date",
    )
    report.add_argument("--out", required=True, metavar="F.pdf|F.csv")
    report.add_argument("--json", action="store_true", help="print a JSON summary")
    set_handler(report, _report)


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder.

    On Windows a PDF viewer keeps the file it shows open, and an open file cannot be
    replaced: that is said in words (close it, or choose another name), and the
    temporary file does not stay behind.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CliError(f"no such folder: {folder}")
    tmp: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        tmp = Path(tmp_name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        replace(tmp, path)
    except PermissionError:
        raise CliError(
            f"cannot write {path}: it is open in another program (close it) or the folder "
            "is read-only; or choose another file name"
        ) from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise CliError(f"the disk is full where {path.name} goes; it was not written") from None
        raise CliError(f"cannot write {path}: {exc.__class__.__name__}") from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink(missing_ok=True)


def _slip(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.commands.documents_slip import run_slip

    return run_slip(args, ctx)


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.commands.documents_verify import run_verify

    return run_verify(args, ctx)


def _parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option} must be a date like 2026-11-24") from None


def report_period(args: argparse.Namespace, today: date) -> tuple[date, date]:
    """(start, end) of the report from --date, --to and --range."""
    end = _parse_day(args.date, "--date") if args.date else today
    if args.to:
        start, end = end, _parse_day(args.to, "--to")
        if end < start:
            raise CliError("--to is before --date")
        if (end - start).days > 366:
            raise CliError("a report covers at most a year")
        return start, end
    if args.range == "week":
        return end - timedelta(days=6), end
    if args.range == "month":
        return end.replace(day=1), end
    return end, end


def _report(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.commands.desk_access import open_desk_for
    from pser_desk.documents.report import render_report_csv, render_report_pdf

    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".pdf", ".csv"):
        raise CliError("--out must end in .pdf or .csv")
    start, end = report_period(args, datetime.now(UTC).astimezone(PKT).date())
    with open_desk_for(ctx) as desk:
        data = desk.reports.daily(start, end)
    write_atomically(out, render_report_pdf(data) if kind == ".pdf" else render_report_csv(data))
    summary = {
        "out": str(out), "start": start.isoformat(), "end": end.isoformat(),
        "queued": data.queued_total, "acknowledged": data.acknowledged_total,
        "not_acknowledged": len(data.not_acknowledged), "unsent": data.queue.unsent,
        "verified": data.verified, "rejected": data.rejected,
        "rejected_receipts": list(data.rejected_receipts),
    }  # fmt: skip
    if args.json:
        ctx.print_json(summary)
    else:
        ctx.stdout.write(f"report {start} to {end} written to {out}\n")
    return 0
