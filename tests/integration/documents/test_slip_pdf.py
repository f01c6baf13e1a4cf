"""Real slips: text layer (pdftotext), QR on the rendered page (pdftoppm + zxing), fonts."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from pser_desk.documents.slip import SlipData, render_slip
from pser_desk.documents.slip_reader import decode_qr_tokens, read_token
from pser_desk.documents.slip_token import issue_token, verify_token
from pser_desk.domain.cnic import parse_cnic

CNIC = "3520212345671"
SID = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
RECEIPT = "LHR-0042-20261124-0017"


def slip_data(**changes: object) -> SlipData:
    cnic = parse_cnic(CNIC).cnic
    assert cnic is not None
    values: dict[str, object] = dict(
        receipt_no=RECEIPT, submission_id=SID,
        created_at=datetime(2026, 11, 24, 9, 15, tzinfo=UTC), centre_code="LHR-0042",
        centre_name="Govt Boys High School, Model Town", operator_id="op_17",
        head_name="Zarqoon Aslam", cnic_masked=cnic.masked, member_count=6,
        tracking_id=None, reprint=False,
    )  # fmt: skip
    values.update(changes)
    return SlipData(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def token(key: Ed25519PrivateKey) -> str:
    return issue_token(key, receipt_no=RECEIPT, submission_id=SID, cnic_digits=CNIC,
                       issued_at=datetime(2026, 11, 24, 9, 15, tzinfo=UTC), device_id="dev_1")  # fmt: skip


def public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, timeout=60).stdout.decode()  # fmt: skip


def png_of(pdf: Path, dpi: int) -> Path:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile",
                    str(pdf), str(pdf.with_suffix(""))], check=True, timeout=60)  # fmt: skip
    return pdf.with_suffix(".png")


@pytest.mark.parametrize("paper", ["a4", "80mm"])
def test_the_text_layer_has_the_receipt_and_masked_cnic_only(
    paper: str, token: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render_slip(slip_data(), paper, token))  # type: ignore[arg-type]
    text = text_of(pdf)
    assert RECEIPT in text
    assert "35202-XXXXXXX-1" in text
    assert "0800-02345" in text
    assert "Zarqoon Aslam" in text
    assert "35202-1234567-1" not in text
    assert CNIC not in text.replace("-", "").replace(" ", "")
    assert "1234567" not in text  # the hidden middle digits, in any form
    assert "REPRINT" not in text


@pytest.mark.parametrize(("paper", "dpi"), [("a4", 150), ("80mm", 203)])
def test_the_qr_on_the_rendered_page_decodes_and_verifies(
    paper: str, dpi: int, key: Ed25519PrivateKey, token: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render_slip(slip_data(), paper, token))  # type: ignore[arg-type]
    with Image.open(png_of(pdf, dpi)) as page:
        found = decode_qr_tokens(page)
    assert found == [token]
    assert verify_token(found[0], public(key)).genuine
    assert read_token(str(pdf)).source == "qr"


def test_the_qr_survives_a_low_resolution_photo_like_render(token: str, tmp_path: Path) -> None:
    """A cheap webcam sees the 80 mm slip at about 100 dpi, in grey."""
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render_slip(slip_data(), "80mm", token))
    with Image.open(png_of(pdf, 100)) as page:
        blurred = page.convert("L").resize((page.width * 2 // 3, page.height * 2 // 3))
        assert decode_qr_tokens(blurred) == [token]


def test_a_reprint_says_so_and_shows_the_tracking_id(token: str, tmp_path: Path) -> None:
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(
        render_slip(slip_data(reprint=True, tracking_id="PSER-26-000123456"), "a4", token)
    )
    text = text_of(pdf)
    assert "REPRINT" in text
    assert "PSER-26-000123456" in text


def test_urdu_is_set_in_nastaliq_and_latin_in_noto_sans(token: str, tmp_path: Path) -> None:
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render_slip(slip_data(head_name="محمد اسلم خان"), "80mm", token))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True,
                           timeout=60).stdout.decode()  # fmt: skip
    assert "NotoNastaliqUrdu" in fonts
    assert "NotoSans" in fonts


def test_the_token_text_under_the_qr_is_a_fallback(
    token: str, tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    from pser_desk.documents.slip_reader import _pdf_text, _token_from_text

    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render_slip(slip_data(), "a4", token))
    assert _token_from_text(_pdf_text(pdf)) == token


def test_bad_input_is_refused(token: str) -> None:
    with pytest.raises(ValueError, match="masked"):
        slip_data(cnic_masked="35202-1234567-1")
    with pytest.raises(ValueError, match="aware"):
        slip_data(created_at=datetime(2026, 11, 24, 9, 15))
    with pytest.raises(ValueError, match="paper"):
        render_slip(slip_data(), "letter", token)  # type: ignore[arg-type]
