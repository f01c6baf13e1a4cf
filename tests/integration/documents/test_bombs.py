"""Decompression bombs: a tiny file that declares a huge picture or page is refused by its
declared size before decoding, in seconds and well under 1 GB (issue 13 item 8). The
commands run as real processes with their address space capped at 1 GiB."""

from __future__ import annotations

import resource
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

LIMIT = 1 << 30
# verify-slip needs a key to check with; any will do (the file never gets that far)
KEY = ["--device-key", "A" * 43]


def _png_bomb(path: Path, side: int) -> Path:
    """A valid greyscale PNG of side x side zero pixels, a few hundred KB on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    packer = zlib.compressobj(9)
    row = b"\0" * (side + 1)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
                     + chunk(b"IEND", b""))  # fmt: skip
    return path


def _pdf_with_a_huge_page(path: Path) -> Path:
    canvas = Canvas(str(path), pagesize=(14400, 14400))  # 200 x 200 inches: 5 m a side
    canvas.drawString(100, 100, "PSER1.NOT.A.SLIP")
    canvas.showPage()
    canvas.save()
    return path


def _capped(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT * 2, LIMIT * 2))  # Python + numpy + Qt-free

    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pser_desk", *args], capture_output=True,
                          text=True, timeout=120, check=False, preexec_fn=cap)  # fmt: skip
    return done, time.perf_counter() - started


@pytest.fixture(scope="module")
def png_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _png_bomb(tmp_path_factory.mktemp("bomb") / "bomb.png", 20_000)  # 400 megapixels


def test_the_bomb_is_small_and_declares_hundreds_of_megapixels(png_bomb: Path) -> None:
    data = png_bomb.read_bytes()
    assert len(data) < 2_000_000
    assert struct.unpack(">II", data[16:24]) == (20_000, 20_000)


@pytest.mark.parametrize("command", [["scan-image", "--json"], ["verify-slip", *KEY]])
def test_an_image_declaring_hundreds_of_megapixels_is_refused_before_decoding(
    png_bomb: Path, command: list[str]
) -> None:
    done, took = _capped(*command, str(png_bomb))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "too large" in lines[0]
    assert "Traceback" not in done.stderr
    assert took < 20


def test_a_tiny_pdf_with_a_huge_page_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    pdf = _pdf_with_a_huge_page(tmp_path / "huge-page.pdf")
    assert pdf.stat().st_size < 5_000
    done, took = _capped("verify-slip", *KEY, str(pdf))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "pser-desk: unreadable: huge-page.pdf has a page too large to be a slip (5080 x 5080 mm)"
    ]
    assert took < 20
