"""A genuine QR on a doctored slip (issue 13 item 6): verify-slip compares what a slip PDF
prints (receipt number, date, masked CNIC, member count) with what its token signs."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from pser_desk.documents import slip_reader
from pser_desk.documents.slip import SlipData, render_slip
from pser_desk.documents.slip_reader import read_token
from pser_desk.documents.slip_token import decode_payload, split_versioned
from pser_desk.security.device import DeviceKey
from pser_desk.store import Store
from tests.plugins.store import MANAGER_PASSWORD, StoreKit, make_kit, sample_record


@pytest.fixture
def genuine(run_cli: Any, data_dir: Path, tmp_path: Path) -> tuple[Path, SlipData]:
    store = Store.open(None, data_dir=data_dir)
    kit: StoreKit = make_kit(store)
    DeviceKey.generate().save(data_dir)
    manager = kit.add_manager()
    kit.enrol()
    receipt = kit.records.queue(sample_record(3), operator_id=manager.operator_id).receipt_no
    store.close()
    out = tmp_path / "slip.pdf"
    made = run_cli("slip", receipt, "--out", str(out), "--operator", "mgr1",
                   stdin=MANAGER_PASSWORD + "\n")  # fmt: skip
    assert made.code == 0, made.err
    payload, _sig, version = split_versioned(read_token(str(out)).token)
    assert version == 2
    claims = decode_payload(payload, 2)
    assert claims.printed_at is not None
    data = SlipData(
        receipt_no=claims.receipt_no, submission_id=claims.submission_id,
        created_at=claims.printed_at, centre_code="LHR-0042", centre_name="Test Centre",
        operator_id="mgr1", head_name="Zarqoon Head00003", cnic_masked=claims.cnic_masked or "",
        member_count=claims.member_count or 0,
    )  # fmt: skip
    return out, data


@pytest.fixture(params=["poppler", "pdfium"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Who reads the slip PDF: poppler where installed, PDFium where not (Windows)."""
    if request.param == "pdfium":
        real_which = shutil.which
        monkeypatch.setattr(
            slip_reader.shutil, "which",
            lambda name: None if name in ("pdftoppm", "pdftotext") else real_which(name),
        )  # fmt: skip
    return str(request.param)


def _doctor(path: Path, data: SlipData, token: str, paper: str = "a4") -> Path:
    path.write_bytes(render_slip(data, paper, token))  # type: ignore[arg-type]
    return path


def test_the_genuine_slip_is_genuine_and_its_print_was_checked(
    run_cli: Any, genuine: tuple[Path, SlipData]
) -> None:
    out, _data = genuine
    result = run_cli("verify-slip", str(out), "--json")
    assert result.code == 0, result.out
    info = json.loads(result.out)
    assert (info["result"], info["printed_checked"]) == ("genuine", True)


@pytest.mark.parametrize("paper", ["a4", "80mm"])
@pytest.mark.parametrize(
    ("field", "value"),
    [("member_count", 9), ("cnic_masked", "35202-XXXXXXX-7"),
     ("receipt_no", "LHR-0042-20261124-0099"), ("created_at", timedelta(days=3))],
)  # fmt: skip
def test_a_genuine_qr_on_a_doctored_slip_is_forged(
    run_cli: Any, genuine: tuple[Path, SlipData], tmp_path: Path, paper: str, field: str,
    value: object, reader: str,
) -> None:  # fmt: skip
    out, data = genuine
    token = read_token(str(out)).token
    if isinstance(value, timedelta):
        value = data.created_at + value
    doctored = _doctor(tmp_path / "doctored.pdf", dataclasses.replace(data, **{field: value}),
                       token, paper)  # fmt: skip
    faithful = _doctor(tmp_path / "faithful.pdf", data, token, paper)
    assert run_cli("verify-slip", str(faithful)).code == 0
    result = run_cli("verify-slip", str(doctored), "--json")
    assert result.code == 1, result.out
    info = json.loads(result.out)
    assert info["result"] == "forged"
    assert info["reason"] == "printed_details_differ"
    assert info["printed_differences"]
    text = run_cli("verify-slip", str(doctored))
    assert text.out.startswith("FORGED: printed_details_differ")


def test_a_picture_of_a_slip_is_compared_with_its_code(
    run_cli: Any, genuine: tuple[Path, SlipData], tmp_path: Path
) -> None:
    out, data = genuine
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(out),
                    str(tmp_path / "photo")], check=True, timeout=60)  # fmt: skip
    result = run_cli("verify-slip", str(tmp_path / "photo.png"), "--json")
    assert result.code == 0, result.out
    info = json.loads(result.out)
    assert (info["result"], info["printed_checked"]) == ("genuine", True)
    assert {f["outcome"] for f in info["picture"]["fields"]} == {"agrees"}
    assert data.cnic_masked in {f["signed"] for f in info["picture"]["fields"]}


def test_a_token_typed_from_a_slip_says_what_to_check_by_eye(
    run_cli: Any, genuine: tuple[Path, SlipData]
) -> None:
    out, data = genuine
    result = run_cli("verify-slip", read_token(str(out)).token)
    assert result.code == 0, result.out
    assert "check by eye" in result.out
    assert data.cnic_masked in result.out
    assert f"{data.member_count} member(s)" in result.out
