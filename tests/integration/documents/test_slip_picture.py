"""A photo or a scan of a slip (issue 13 item 6): verify-slip compares what the picture
shows (receipt number, date, masked CNIC, member count, English and Urdu) with what the
genuine QR code signs: GENUINE (0), FORGED naming the field (1), or CANNOT CHECK (3)."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from bench.slip_pictures import SampleSlip, doctor
from tests.plugins.cli import RunCli
from tests.plugins.slips import GLARE, PHONE, SCAN, WritePicture, device_key_option

FIELD_NAMES = {"receipt_no": "receipt number", "date": "date", "cnic": "CNIC",
               "members": "members"}  # fmt: skip


@pytest.mark.parametrize("shot", [PHONE, SCAN], ids=["phone", "scan"])
def test_a_genuine_photo_or_scan_is_genuine_and_its_print_was_checked(
    run_cli: RunCli, write_picture: WritePicture, paper_slip: SampleSlip, shot: object
) -> None:
    picture = write_picture(paper_slip, shot, "slip.jpg" if shot is PHONE else "slip.png")
    result = run_cli("verify-slip", str(picture), device_key_option(paper_slip), "--json")
    assert result.code == 0, result.out
    info = json.loads(result.out)
    assert (info["result"], info["printed_checked"]) == ("genuine", True)
    assert info["picture"]["paper"] == paper_slip.paper
    fields = info["picture"]["fields"]
    assert {(f["field"], f["column"]) for f in fields} == {
        (name, column) for name in FIELD_NAMES for column in ("english", "urdu")
    }
    assert {f["outcome"] for f in fields} == {"agrees"}
    text = run_cli("verify-slip", str(picture), device_key_option(paper_slip))
    assert text.lines[0].startswith(f"GENUINE slip {paper_slip.data.receipt_no}")
    assert "check by eye" not in text.out


@pytest.mark.parametrize("field", list(FIELD_NAMES))
def test_a_genuine_qr_on_a_doctored_slip_photo_is_forged_naming_the_field(
    run_cli: RunCli, write_picture: WritePicture, paper_slip: SampleSlip, field: str
) -> None:
    printed = doctor(paper_slip.data, field, random.Random(field))
    picture = write_picture(paper_slip, PHONE, "doctored.jpg", printed)
    result = run_cli("verify-slip", str(picture), device_key_option(paper_slip), "--json")
    assert result.code == 1, result.out
    info = json.loads(result.out)
    assert (info["result"], info["reason"]) == ("forged", "printed_details_differ")
    named = {f["field"] for f in info["picture"]["fields"] if f["outcome"] == "differs"}
    assert named == {field}, info["printed_differences"]
    text = run_cli("verify-slip", str(picture), device_key_option(paper_slip))
    assert text.lines[0].startswith("FORGED: printed_details_differ")
    assert any(line.strip().startswith(FIELD_NAMES[field]) for line in text.lines[1:])


def test_a_member_count_with_a_digit_added_is_forged(
    run_cli: RunCli, write_picture: WritePicture, paper_slip: SampleSlip
) -> None:
    count = paper_slip.data.member_count  # 3 -> 13, 12 -> 112: the signed digits still there
    printed = dataclasses.replace(paper_slip.data, member_count=count + 10 ** len(str(count)))
    picture = write_picture(paper_slip, SCAN, "more.png", printed)
    result = run_cli("verify-slip", str(picture), device_key_option(paper_slip), "--json")
    assert result.code == 1, result.out
    assert {f["field"] for f in json.loads(result.out)["picture"]["fields"]
            if f["outcome"] == "differs"} == {"members"}  # fmt: skip


def test_a_picture_that_does_not_show_the_details_says_cannot_check(
    run_cli: RunCli, write_picture: WritePicture, paper_slip: SampleSlip
) -> None:
    picture = write_picture(paper_slip, GLARE, "glare.jpg")
    result = run_cli("verify-slip", str(picture), device_key_option(paper_slip), "--json")
    assert result.code == 3, result.out
    info = json.loads(result.out)
    assert (info["result"], info["printed_checked"]) == ("cannot_check", False)
    assert info["cannot_check"]
    assert not any(f["outcome"] == "differs" for f in info["picture"]["fields"])
    text = run_cli("verify-slip", str(picture), device_key_option(paper_slip))
    assert text.code == 3
    assert text.lines[0].startswith("CANNOT CHECK ")
    assert "compare by eye" in text.lines[0]
    assert f"slip {paper_slip.data.receipt_no} is genuine" in text.lines[0]


def _pdf_of_picture(picture: Path, out: Path) -> Path:
    """A scan saved as a PDF: the page is the picture, with no text layer."""
    canvas = Canvas(str(out), pagesize=(595, 842))
    canvas.drawImage(str(picture), 0, 0, 595, 842, preserveAspectRatio=True)
    canvas.showPage()
    canvas.save()
    return out


def test_a_scan_saved_as_pdf_is_checked_as_a_picture(
    run_cli: RunCli, write_picture: WritePicture, tmp_path: Path
) -> None:
    from bench.slip_pictures import sample_slip

    slip = sample_slip(41, "a4")
    scan = write_picture(slip, SCAN, "scan.png")
    genuine = run_cli("verify-slip", str(_pdf_of_picture(scan, tmp_path / "scan.pdf")),
                      device_key_option(slip), "--json")  # fmt: skip
    assert genuine.code == 0, genuine.out
    assert json.loads(genuine.out)["picture"]["paper"] == "a4"
    printed = doctor(slip.data, "cnic", random.Random(3))
    forged_scan = write_picture(slip, SCAN, "forged.png", printed)
    forged = run_cli("verify-slip", str(_pdf_of_picture(forged_scan, tmp_path / "forged.pdf")),
                     device_key_option(slip), "--json")  # fmt: skip
    assert forged.code == 1, forged.out
    assert json.loads(forged.out)["reason"] == "printed_details_differ"
