"""``pser-desk slip RECEIPT_NO --out F.pdf [--paper a4|80mm] --operator ID`` (password on stdin)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pser_desk.commands.base import CliError, Context
from pser_desk.commands.desk_access import open_desk_for, sign_in
from pser_desk.commands.documents import write_atomically
from pser_desk.domain.receipt import ReceiptError, parse_receipt


def run_slip(args: argparse.Namespace, ctx: Context) -> int:
    try:
        receipt_no = str(parse_receipt(args.receipt_no))
    except ReceiptError as exc:
        raise CliError(str(exc)) from None
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise CliError("--out must end in .pdf")
    with open_desk_for(ctx) as desk:
        operator = sign_in(desk, ctx, args.operator)
        result = desk.slips.make(operator, receipt_no, args.paper)
    write_atomically(out, result.pdf)
    info = {"receipt_no": result.receipt_no, "submission_id": result.submission_id,
            "paper": result.paper, "reprint": result.reprint, "out": str(out)}  # fmt: skip
    if args.json:
        ctx.print_json(info)
    else:
        what = "reprint" if result.reprint else "slip"
        ctx.stdout.write(f"{what} of {result.receipt_no} written to {out}\n")
    return 0
