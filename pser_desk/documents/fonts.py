"""The fonts of slips and reports, registered with reportlab once per process.

Urdu is set in Noto Nastaliq Urdu and shaped by HarfBuzz (reportlab's ``shapeStr``);
Latin runs, digits and codes are set in Noto Sans. The files are looked for in the
application's ``resources/fonts`` first (a frozen Windows bundle ships them there),
then in the usual system folders (Debian's ``fonts-noto-core``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from pser_desk import paths

log = logging.getLogger(__name__)

URDU = "PserNastaliq"
LATIN = "PserSans"
LATIN_BOLD = "PserSansBold"
MONO = "Courier"  # a PDF base font: nothing to embed

FONT_FILES: dict[str, str] = {
    URDU: "NotoNastaliqUrdu-Regular.ttf",
    LATIN: "NotoSans-Regular.ttf",
    LATIN_BOLD: "NotoSans-Bold.ttf",
}

SYSTEM_FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto"),
    Path("/usr/local/share/fonts"),
    Path("C:/Windows/Fonts"),
)

_lock = threading.Lock()
_registered = False


class FontMissingError(RuntimeError):
    """A font a slip needs is not installed (install fonts-noto-core or bundle it)."""


@dataclass(frozen=True, slots=True)
class FontSet:
    urdu: str = URDU
    latin: str = LATIN
    latin_bold: str = LATIN_BOLD
    mono: str = MONO


FONTS = FontSet()


def font_dirs() -> list[Path]:
    return [paths.resource("fonts"), *SYSTEM_FONT_DIRS]


def find_font(file_name: str) -> Path:
    for folder in font_dirs():
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    raise FontMissingError(f"font {file_name} not found (install fonts-noto-core)")


def register_fonts() -> FontSet:
    """Register the slip fonts with reportlab (once; later calls return at once)."""
    global _registered
    if _registered:
        return FONTS
    with _lock:
        if not _registered:
            for name, file_name in FONT_FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(find_font(file_name))))
            log.debug("slip fonts registered")
            _registered = True
    return FONTS
