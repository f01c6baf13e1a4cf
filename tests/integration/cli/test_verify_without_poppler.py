"""``verify-slip`` on a PC without poppler (Windows): PDFium, which the desk bundles for
printing, renders the slip for its QR and reads its text layer. (Found by the Windows
smoke test: the frozen Windows desk said "pdftoppm is not installed".)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from pser_desk.documents import slip_reader
from tests.integration.cli.test_documents_cli import device_key, kit, receipt
from tests.plugins.cli import RunCli
from tests.plugins.store import MANAGER_PASSWORD

__all__ = ["device_key", "kit", "receipt"]  # fixtures


@pytest.fixture
def no_poppler(monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which

    def which(name: str, *args: object, **kwargs: object) -> str | None:
        return None if name in ("pdftoppm", "pdftotext") else real_which(name)

    monkeypatch.setattr(slip_reader.shutil, "which", which)


@pytest.fixture
def slip(run_cli: RunCli, receipt: str, tmp_path: Path) -> Path:
    out = tmp_path / "slip.pdf"
    made = run_cli("slip", receipt, "--out", str(out), "--operator", "mgr1",
                   stdin=MANAGER_PASSWORD + "\n")  # fmt: skip
    assert made.code == 0, made.err
    return out


@pytest.mark.usefixtures("no_poppler")
def test_a_slip_pdf_verifies_by_its_qr_without_poppler(
    run_cli: RunCli, receipt: str, slip: Path
) -> None:
    checked = run_cli("verify-slip", str(slip), "--json")
    assert checked.code == 0, checked.err
    info = json.loads(checked.out)
    assert (info["result"], info["read_from"]) == ("genuine", "qr")
    assert info["slip"]["receipt_no"] == receipt


@pytest.mark.usefixtures("no_poppler")
def test_without_a_readable_qr_the_printed_token_is_read_from_the_text(
    run_cli: RunCli, slip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slip_reader, "_decode_qr", lambda gray: [])  # a smudged QR
    checked = run_cli("verify-slip", str(slip), "--json")
    assert checked.code == 0, checked.err
    info = json.loads(checked.out)
    assert (info["result"], info["read_from"]) == ("genuine", "pdf-text")


@pytest.mark.usefixtures("no_poppler", "device_key")
def test_a_pdf_page_far_too_large_for_a_slip_is_refused_before_rendering(
    run_cli: RunCli, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.pdf"
    page = canvas.Canvas(str(huge), pagesize=(14_400, 14_400))  # 5 m square: PDF's maximum
    page.drawString(100, 100, "not a slip")
    page.save()
    checked = run_cli("verify-slip", str(huge))
    assert checked.code == 2, checked.err
    assert checked.err.strip() == (
        "pser-desk: unreadable: huge.pdf has a page too large to be a slip (5080 x 5080 mm)"
    )
