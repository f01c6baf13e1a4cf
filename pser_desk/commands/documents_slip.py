"""``pser-desk slip RECEIPT_NO --out F.pdf [--paper a4|80mm] --operator ID`` (password on stdin)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pser_desk.commands.base import CliError, Context
from pser_desk.commands.documents import write_atomically
from pser_desk.commands.store_access import login, open_store
from pser_desk.documents.slip_service import make_slip
from pser_desk.domain.receipt import ReceiptError, parse_receipt
from pser_desk.security.device import DeviceKey, DeviceKeyError


def run_slip(args: argparse.Namespace, ctx: Context) -> int:
    try:
        receipt_no = str(parse_receipt(args.receipt_no))
    except ReceiptError as exc:
        raise CliError(str(exc)) from None
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise CliError("--out must end in .pdf")
    try:
        key = DeviceKey.load(ctx.data_dir)
    except DeviceKeyError as exc:
        raise CliError(f"cannot sign the slip: {exc}") from None
    with open_store(ctx) as services:
        session = login(services, ctx, args.operator)
        result = make_slip(services, session, receipt_no, paper=args.paper, signer=key)
    write_atomically(out, result.pdf)
    info = {"receipt_no": result.receipt_no, "submission_id": result.submission_id,
            "paper": result.paper, "reprint": result.reprint, "out": str(out)}  # fmt: skip
    if args.json:
        ctx.print_json(info)
    else:
        what = "reprint" if result.reprint else "slip"
        ctx.stdout.write(f"{what} of {result.receipt_no} written to {out}\n")
    return 0
