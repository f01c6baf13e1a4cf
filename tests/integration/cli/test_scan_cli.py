"""``pser-desk scan-image``, ``scan-video`` and ``cameras``: output keys, bad input."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno
import zxingcpp

from bench.cards import SceneParams, qr_image
from tests.plugins.cli import RunCli
from tests.plugins.scan import CardFile, CardVideo

KEYS = ["file", "cnic", "kind", "error"]


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_scan_image_reads_generated_cards(
    run_cli: RunCli, card_image: Callable[..., CardFile]
) -> None:
    qr = card_image("snic-qr", 11)
    tilted = card_image(
        "cnic-pdf417", 12, SceneParams(angle=-22.0, perspective=0.03, noise_sigma=4.0, glare=90.0)
    )
    result = run_cli("scan-image", str(qr.path), str(tilted.path), "--json")
    assert result.code == 0, result.err
    first, second = lines(result.out)
    assert list(first) == KEYS
    assert first == {"file": str(qr.path), "cnic": qr.cnic, "kind": "snic-qr", "error": None}
    assert second == {
        "file": str(tilted.path),
        "cnic": tilted.cnic,
        "kind": "cnic-pdf417",
        "error": None,
    }


def test_scan_image_raw_lists_every_barcode(
    run_cli: RunCli, card_image: Callable[..., CardFile]
) -> None:
    qr = card_image("snic-qr", 13)
    (row,) = lines(run_cli("scan-image", str(qr.path), "--raw", "--json").out)
    assert list(row) == [*KEYS, "barcodes"]
    (barcode,) = row["barcodes"]  # type: ignore[misc]
    assert list(barcode) == ["format", "text", "bytes_b64"]
    assert barcode["format"] == "QRCode"
    assert base64.b64decode(barcode["bytes_b64"]).decode().startswith(qr.cnic)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("qrcode-2/1.png", "QRCode"), ("pdf417-1/01.png", "PDF417"), ("code128-1/1.png", "Code128")],
)
def test_scan_image_on_shared_photos(
    run_cli: RunCli, shared_dir: Path, name: str, fmt: str
) -> None:
    image = shared_dir / "data" / "barcodes" / name
    expected = image.with_suffix(".txt").read_bytes()
    result = run_cli("scan-image", str(image), "--raw", "--json")
    assert result.code == 0
    (row,) = lines(result.out)
    assert row["cnic"] is None
    assert row["kind"] is None
    assert row["error"] == "no_cnic"
    barcodes = row["barcodes"]
    assert [b["format"] for b in barcodes] == [fmt]  # type: ignore[union-attr]
    assert base64.b64decode(barcodes[0]["bytes_b64"]) == expected  # type: ignore[index]


def test_bad_files_give_one_line_each_and_a_nonzero_exit(run_cli: RunCli, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 300), 255, np.uint8))
    args = [str(corrupt), str(tmp_path), str(tmp_path / "missing.png"), str(empty), str(blank)]
    result = run_cli("scan-image", *args, "--json")
    assert result.code == 1
    rows = lines(result.out)
    assert [r["error"] for r in rows] == ["unreadable_image"] * 4 + ["no_barcode"]
    assert all(list(r) == KEYS and r["cnic"] is None for r in rows)
    err = result.err.strip().splitlines()
    assert len(err) == 4
    assert "directory" in err[1]
    assert "no such file" in err[2]
    assert "Traceback" not in result.err


def test_qr_with_3kb_of_binary_junk_is_no_cnic(run_cli: RunCli, tmp_path: Path) -> None:
    junk = bytes((i * 37 + 11) % 256 for i in range(2900))
    qr = segno.make(junk, error="l", micro=False)
    path = tmp_path / "junk.png"
    qr.save(str(path), scale=3, border=4)
    (row,) = lines(run_cli("scan-image", str(path), "--raw", "--json").out)
    assert row["error"] == "no_cnic"
    assert row["cnic"] is None
    assert base64.b64decode(row["barcodes"][0]["bytes_b64"]) == junk  # type: ignore[index]


def test_fifty_megapixel_photo_is_read_without_trouble(run_cli: RunCli, tmp_path: Path) -> None:
    image = np.full((5800, 8700), 200, np.uint8)
    image[2000:3200, 3000:4200] = qr_image(b"3520212345671", 1200)
    path = tmp_path / "50mp.png"
    assert cv2.imwrite(str(path), image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    start = time.monotonic()
    (row,) = lines(run_cli("scan-image", str(path), "--json").out)
    assert row == {"file": str(path), "cnic": "3520212345671", "kind": "snic-qr", "error": None}
    assert time.monotonic() - start < 20


def test_nicop_code128(run_cli: RunCli, tmp_path: Path) -> None:
    code = zxingcpp.create_barcode("61101123456790042", zxingcpp.BarcodeFormat.Code128)
    image = cv2.copyMakeBorder(
        np.array(code.to_image(scale=3)), 200, 200, 300, 300, cv2.BORDER_CONSTANT, value=230
    )
    path = tmp_path / "nicop.png"
    assert cv2.imwrite(str(path), image)
    (row,) = lines(run_cli("scan-image", str(path), "--json").out)
    assert row == {
        "file": str(path),
        "cnic": "6110112345679",
        "kind": "nicop-code128",
        "error": None,
    }


def test_plain_text_output(run_cli: RunCli, card_image: Callable[..., CardFile]) -> None:
    qr = card_image("snic-qr", 14)
    result = run_cli("scan-image", str(qr.path))
    assert result.out.strip() == f"{qr.path}: {qr.cnic} (snic-qr)"


def test_scan_video_finds_a_stable_cnic_within_half_a_second(
    run_cli: RunCli, card_video: Callable[..., CardVideo]
) -> None:
    video = card_video("snic-qr", 0)
    result = run_cli("scan-video", str(video.path), "--json")
    assert result.code == 0, result.err
    (row,) = lines(result.out)
    assert row["cnic"] == video.cnic
    assert row["error"] is None
    assert 0.0 < row["time_s"] - row["first_read_s"] <= 0.5  # type: ignore[operator]
    assert row["frame"] == round(row["time_s"] * 15)  # type: ignore[operator]


def test_scan_video_old_card_is_stable_on_its_first_read(
    run_cli: RunCli, card_video: Callable[..., CardVideo]
) -> None:
    video = card_video("cnic-pdf417", 1)
    (row,) = lines(run_cli("scan-video", str(video.path), "--json").out)
    assert row["cnic"] == video.cnic
    assert row["time_s"] == row["first_read_s"]


@pytest.mark.parametrize("what", ["missing", "garbage", "directory"])
def test_scan_video_that_cannot_be_opened(run_cli: RunCli, tmp_path: Path, what: str) -> None:
    path = tmp_path / "v.avi"
    if what == "garbage":
        path.write_bytes(b"RIFF" + bytes(2000))
    elif what == "directory":
        path.mkdir()
    result = run_cli("scan-video", str(path), "--json")
    assert result.code == 1
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("pser-desk: ")


def test_cameras_lists_what_opens(run_cli: RunCli) -> None:
    result = run_cli("cameras", "--json")
    assert result.code == 0
    cameras = json.loads(result.out)["cameras"]
    assert isinstance(cameras, list)
    for cam in cameras:
        assert list(cam) == ["index", "width", "height"]
    assert run_cli("cameras", "--max-index", "0").code == 1
