"""Find the slip token in what a checker has: a slip PDF, a photo or scan, or the text.

A PDF's first page is rendered with ``pdftoppm`` and its QR code decoded with zxing-cpp,
since the QR is what a checker photographs; only when no QR can be read is the token
taken from the small text printed under it (``pdftotext``). Where poppler is not
installed (Windows), PDFium (pypdfium2, which printing uses too) renders and reads it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import zxingcpp
from PIL import Image, UnidentifiedImageError

from pser_desk.documents.slip_token import PREFIX, PREFIXES, looks_like_token

log = logging.getLogger(__name__)

RENDER_DPI = 200
TOOL_TIMEOUT_S = 60
# Refused by what the file declares, before anything is decoded (decompression bombs):
# a slip is A4 or an 80 mm roll; a page over 2 m on a side, or a picture over 200
# megapixels, is not a slip. Rendering is also capped (the longest side, in pixels) and,
# on POSIX, pdftoppm runs with at most 1 GiB of address space.
MAX_PAGE_MM = 2000.0
RENDER_MAX_SIDE = 4000
MAX_IMAGE_PIXELS = 200_000_000
TOOL_MEMORY_BYTES = 1 << 30
_PAGE_SIZE = re.compile(r"^Page\s+1\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)
_ANY_PAGE_SIZE = re.compile(r"^Page size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)


class UnreadableError(Exception):
    """No slip token could be found in the input (message safe to show)."""


Corners = tuple[tuple[float, float], ...]  # top-left, top-right, bottom-right, bottom-left


@dataclass(frozen=True, slots=True)
class SlipPicture:
    """A picture of the slip (grey, bounded in size) and where its QR code is in it."""

    gray: npt.NDArray[np.uint8]
    corners: Corners


@dataclass(frozen=True, slots=True)
class FoundToken:
    token: str
    source: str  # "qr", "pdf-text" or "text"
    printed_text: str | None = None  # a PDF's text layer: what the slip prints
    picture: SlipPicture | None = None  # a photo or scan (or a PDF's page): the QR's picture


def read_token(source: str) -> FoundToken:
    """The token in *source*: a PDF or image path, or the token text itself."""
    path = Path(source)
    if looks_like_token(source) and not path.exists():
        return FoundToken("".join(source.split()), "text")
    if not path.is_file():
        raise UnreadableError(f"{source} is neither a file nor a slip token ({PREFIX}....)")
    with path.open("rb") as handle:
        head = handle.read(5)
    if head == b"%PDF-":
        return _from_pdf(path)
    return _from_image(path)


def decode_qr_tokens(image: Image.Image) -> list[str]:
    """The texts of every QR code in *image* that look like slip tokens."""
    return [token for token, _corners in _decode_qr(image.convert("L"))]


def _decode_qr(gray: Image.Image) -> list[tuple[str, Corners]]:
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = []
    for barcode in zxingcpp.read_barcodes(gray, formats=qr_only):
        if looks_like_token(barcode.text):
            p = barcode.position
            corners = tuple((float(q.x), float(q.y)) for q in
                            (p.top_left, p.top_right, p.bottom_right, p.bottom_left))  # fmt: skip
            found.append((barcode.text, corners))
    return found


def _found_in(gray: Image.Image, source: str, text: str | None = None) -> FoundToken | None:
    decoded = _decode_qr(gray)
    if not decoded:
        return None
    token, corners = decoded[0]
    picture = SlipPicture(np.asarray(gray, dtype=np.uint8), corners)
    return FoundToken(token, source, text, picture)


def _from_image(path: Path) -> FoundToken:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UnreadableError(
                        f"{path.name} declares a picture too large to be a slip "
                        f"({width} x {height} pixels)"
                    )
                found = _found_in(_bounded(image).convert("L"), "qr")
    except Image.DecompressionBombError:
        raise UnreadableError(f"{path.name} declares a picture too large to be a slip") from None
    except (UnidentifiedImageError, OSError):
        raise UnreadableError(f"{path.name} is not a PDF or an image") from None
    if found is None:
        raise UnreadableError(f"no slip QR code found in {path.name}")
    return found


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise UnreadableError(f"{name} is not installed (package poppler-utils)")
    return found


def _bounded(image: Image.Image) -> Image.Image:
    """A photo larger than a slip needs is reduced while decoding (JPEG) or after."""
    side = max(image.size)
    if side <= RENDER_MAX_SIDE:
        return image
    image.draft("L", (RENDER_MAX_SIDE, RENDER_MAX_SIDE))
    if max(image.size) > RENDER_MAX_SIDE:
        image = image.convert("L")
        image.thumbnail((RENDER_MAX_SIDE, RENDER_MAX_SIDE))
    return image


def _check_page_size(path: Path) -> float:
    """Refuse a PDF whose first page is larger than any slip, by its declared size;
    returns its longest side in points."""
    info = _run([_tool("pdfinfo"), "-f", "1", "-l", "1", str(path)])
    match = _PAGE_SIZE.search(info) or _ANY_PAGE_SIZE.search(info)
    if match is None:
        raise UnreadableError(f"{path.name} has no page size (is it a PDF?)")
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in match.groups())
    if max(width_mm, height_mm) > MAX_PAGE_MM:
        raise UnreadableError(
            f"{path.name} has a page too large to be a slip ({width_mm:.0f} x {height_mm:.0f} mm)"
        )
    return max(width_mm, height_mm) * 72 / 25.4


def _from_pdf(path: Path) -> FoundToken:
    if shutil.which("pdftoppm") is None:  # Windows has no poppler: PDFium (bundled) reads it
        return _from_pdf_with_pdfium(path)
    longest_pt = _check_page_size(path)
    text = _pdf_text(path)
    with tempfile.TemporaryDirectory(prefix="pser-slip-") as tmp:
        prefix = Path(tmp) / "page"
        cmd = [_tool("pdftoppm"), "-r", str(RENDER_DPI), "-f", "1", "-l", "1", "-gray", "-png"]
        if longest_pt / 72 * RENDER_DPI > RENDER_MAX_SIDE:
            cmd += ["-scale-to", str(RENDER_MAX_SIDE)]
        _run([*cmd, str(path), str(prefix)])
        pages = sorted(Path(tmp).glob("page*.png"))
        if pages:
            with Image.open(pages[0]) as image:
                found = _found_in(image.convert("L"), "qr", text)
            if found is not None:
                return found
    log.info("no readable QR on the slip PDF; falling back to its text layer")
    return FoundToken(_token_from_text(text), "pdf-text", text)


def _limit_memory() -> None:  # pragma: no cover - runs in the child process
    if sys.platform != "win32":  # only given as preexec_fn on POSIX
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (TOOL_MEMORY_BYTES, TOOL_MEMORY_BYTES))


def _run(cmd: list[str]) -> str:
    try:
        done = subprocess.run(
            cmd, capture_output=True, timeout=TOOL_TIMEOUT_S, check=False,
            preexec_fn=_limit_memory if os.name == "posix" else None,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UnreadableError(f"{Path(cmd[0]).name} failed: {exc.__class__.__name__}") from None
    if done.returncode != 0:
        raise UnreadableError(f"{Path(cmd[0]).name} cannot read the file (is it a PDF?)")
    return done.stdout.decode("utf-8", "replace")


def _pdf_text(path: Path) -> str:
    return _run([_tool("pdftotext"), "-f", "1", "-l", "1", "-layout", str(path), "-"])


def _token_from_text(text: str) -> str:
    """Join the printed token's lines: it starts with PSER1. and is set in fixed lines."""
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if any(line.upper().startswith(prefix + ".") for prefix in PREFIXES):
            parts = [line]
            for follow in lines[i + 1 :]:
                if not follow or " " in follow or not follow.replace(".", "").isalnum():
                    break
                parts.append(follow)
            return "".join(parts)
    raise UnreadableError("no slip QR code or token found in the PDF")


def _from_pdf_with_pdfium(path: Path) -> FoundToken:
    """As :func:`_from_pdf`, with PDFium: the first page's QR, else its text layer."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        raise UnreadableError(f"{path.name} cannot be read (is it a PDF?)") from None
    try:
        if len(document) == 0:
            raise UnreadableError(f"{path.name} has no page")
        page = document[0]
        width, height = page.get_size()  # points: 1/72 inch, as declared by the file
        width_mm, height_mm = width * 25.4 / 72, height * 25.4 / 72
        if max(width_mm, height_mm) > MAX_PAGE_MM:
            raise UnreadableError(
                f"{path.name} has a page too large to be a slip "
                f"({width_mm:.0f} x {height_mm:.0f} mm)"
            )
        scale = min(RENDER_DPI / 72, RENDER_MAX_SIDE / max(width, height))
        text = page.get_textpage().get_text_bounded()
        found = _found_in(page.render(scale=scale, grayscale=True).to_pil().convert("L"), "qr",
                          text)  # fmt: skip
        if found is not None:
            return found
    finally:
        document.close()
    log.info("no readable QR on the slip PDF; falling back to its text layer")
    return FoundToken(_token_from_text(text), "pdf-text", text)
