"""Find the slip token in what a checker has: a slip PDF, a photo or scan, or the text.

A PDF's first page is rendered with ``pdftoppm`` and its QR code decoded with zxing-cpp,
since the QR is what a checker photographs; only when no QR can be read is the token
taken from the small text printed under it (``pdftotext``). Where poppler is not
installed (Windows), PDFium (pypdfium2, which printing uses too) renders and reads it.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PIL import Image, UnidentifiedImageError

from pser_desk.documents.slip_token import PREFIX, looks_like_token

log = logging.getLogger(__name__)

RENDER_DPI = 200
TOOL_TIMEOUT_S = 60


class UnreadableError(Exception):
    """No slip token could be found in the input (message safe to show)."""


@dataclass(frozen=True, slots=True)
class FoundToken:
    token: str
    source: str  # "qr", "pdf-text" or "text"


def read_token(source: str) -> FoundToken:
    """The token in *source*: a PDF or image path, or the token text itself."""
    path = Path(source)
    if looks_like_token(source) and not path.exists():
        return FoundToken("".join(source.split()), "text")
    if not path.is_file():
        raise UnreadableError(f"{source} is neither a file nor a slip token ({PREFIX}....)")
    if path.read_bytes()[:5] == b"%PDF-":
        return _from_pdf(path)
    return FoundToken(_from_image(path), "qr")


def decode_qr_tokens(image: Image.Image) -> list[str]:
    """The texts of every QR code in *image* that look like slip tokens."""
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    barcodes = zxingcpp.read_barcodes(image.convert("L"), formats=qr_only)
    return [b.text for b in barcodes if looks_like_token(b.text)]


def _from_image(path: Path) -> str:
    try:
        with Image.open(path) as image:
            tokens = decode_qr_tokens(image)
    except (UnidentifiedImageError, OSError):
        raise UnreadableError(f"{path.name} is not a PDF or an image") from None
    if not tokens:
        raise UnreadableError(f"no slip QR code found in {path.name}")
    return tokens[0]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise UnreadableError(f"{name} is not installed (package poppler-utils)")
    return found


def _from_pdf(path: Path) -> FoundToken:
    if shutil.which("pdftoppm") is None:  # Windows has no poppler: PDFium (bundled) reads it
        return _from_pdf_with_pdfium(path)
    with tempfile.TemporaryDirectory(prefix="pser-slip-") as tmp:
        prefix = Path(tmp) / "page"
        cmd = [_tool("pdftoppm"), "-r", str(RENDER_DPI), "-f", "1", "-l", "1", "-gray", "-png"]
        _run([*cmd, str(path), str(prefix)])
        pages = sorted(Path(tmp).glob("page*.png"))
        if pages:
            with Image.open(pages[0]) as image:
                tokens = decode_qr_tokens(image)
            if tokens:
                return FoundToken(tokens[0], "qr")
    log.info("no readable QR on the slip PDF; falling back to its text layer")
    return FoundToken(_token_from_text(_pdf_text(path)), "pdf-text")


def _run(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=TOOL_TIMEOUT_S, check=False)
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
        if line.upper().startswith(PREFIX + "."):
            parts = [line]
            for follow in lines[i + 1 :]:
                if not follow or " " in follow or not follow.replace(".", "").isalnum():
                    break
                parts.append(follow)
            return "".join(parts)
    raise UnreadableError("no slip QR code or token found in the PDF")


MAX_RENDER_PIXELS = 40_000_000  # an A4 slip at RENDER_DPI is 3.9 million


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
        width, height = page.get_size()  # points: 1/72 inch
        scale = RENDER_DPI / 72
        if width * height * scale * scale > MAX_RENDER_PIXELS:
            raise UnreadableError(f"the first page of {path.name} is far too large for a slip")
        tokens = decode_qr_tokens(page.render(scale=scale, grayscale=True).to_pil())
        if tokens:
            return FoundToken(tokens[0], "qr")
        text = page.get_textpage().get_text_range()
    finally:
        document.close()
    log.info("no readable QR on the slip PDF; falling back to its text layer")
    return FoundToken(_token_from_text(text), "pdf-text")
