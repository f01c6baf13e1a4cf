"""Printing slips through Qt: into a PDF file (QPrinter PdfFormat) and to a real CUPS queue.

The printed output is rasterised by Qt; the QR code on it must still decode and verify.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from pser_desk.documents.slip import SlipData, render_slip
from pser_desk.documents.slip_reader import decode_qr_tokens
from pser_desk.documents.slip_token import issue_token, verify_token
from pser_desk.security.device import DeviceKey

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def device() -> DeviceKey:
    return DeviceKey.generate()


@pytest.fixture(scope="module")
def slip(device: DeviceKey) -> dict[str, bytes]:
    sid = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
    data = SlipData("LHR-0042-20261124-0017", sid, datetime(2026, 11, 24, 9, 15, tzinfo=UTC),
                    "LHR-0042", "Test Centre", "op_17", "Zarqoon Aslam", "35202-XXXXXXX-1", 4)  # fmt: skip
    token = issue_token(device, receipt_no=data.receipt_no, submission_id=sid,
                        cnic_digits="3520212345671", issued_at=data.created_at)  # fmt: skip
    return {paper: render_slip(data, paper, token) for paper in ("a4", "80mm")}  # type: ignore[arg-type]


def qr_verifies(pdf: Path, device: DeviceKey) -> bool:
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True, timeout=60)  # fmt: skip
    with Image.open(pdf.with_suffix(".png")) as page:
        tokens = decode_qr_tokens(page)
    return len(tokens) == 1 and verify_token(tokens[0], device.public_raw()).genuine


@pytest.mark.parametrize("paper", ["a4", "80mm"])
def test_print_to_a_pdf_file(
    qapp, paper: str, slip: dict[str, bytes], device: DeviceKey, tmp_path: Path
) -> None:
    from pser_desk.gui.printing import print_pdf

    out = tmp_path / "printed.pdf"
    result = print_pdf(slip[paper], paper=paper, output_file=str(out))  # type: ignore[arg-type]
    assert result.ok, result.message
    assert result.pages == 1
    assert qr_verifies(out, device)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    width_pt = float(info.split("Page size:")[1].split()[0])
    assert abs(width_pt - (595.3 if paper == "a4" else 226.8)) < 2


def test_print_to_a_real_cups_queue(
    qapp, pdf_queue, slip: dict[str, bytes], device: DeviceKey, tmp_path: Path
) -> None:
    from pser_desk.gui.printing import print_pdf, printer_names

    assert pdf_queue.name in printer_names()
    before = pdf_queue.existing()
    result = print_pdf(slip["80mm"], pdf_queue.name, paper="80mm", job_name="pser-slip-test")
    assert result.ok, result.message
    job = pdf_queue.wait_for_new_pdf(before)
    copy = tmp_path / "job.pdf"
    copy.write_bytes(job.read_bytes())
    job.unlink()
    assert qr_verifies(copy, device)


def test_failures_are_reported_not_raised(qapp, slip: dict[str, bytes]) -> None:
    from pser_desk.gui.printing import print_pdf

    missing = print_pdf(slip["a4"], "NO_SUCH_PRINTER_X")
    assert not missing.ok
    assert "NO_SUCH_PRINTER_X was not found" in missing.message
    damaged = print_pdf(b"%PDF-1.4 broken", output_file="/tmp/never.pdf")
    assert not damaged.ok
    assert "damaged" in damaged.message
