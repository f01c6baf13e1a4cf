"""Barcode decoders behind one small interface: grayscale frame in, barcodes out.

zxing-cpp is the workhorse (QR, PDF417, Code 128). pyzbar and OpenCV's QR detector are
here so the benchmark can measure them against it (docs/performance.md, "Scanning");
the pipeline keeps only what the figures show adds reads. pyzbar is imported lazily and
is optional (test extra). Every decoder turns its own exceptions into "nothing found".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np
import zxingcpp

log = logging.getLogger(__name__)

Gray = np.ndarray

CARD_FORMATS = "QRCode,MicroQRCode,PDF417,Code128"
_PYZBAR_FORMATS = {"QRCODE": "QRCode", "CODE128": "Code128", "PDF417": "PDF417"}


@dataclass(frozen=True, slots=True)
class Barcode:
    """One barcode found in a frame. ``raw`` is the payload's bytes, ``text`` their text."""

    format: str
    raw: bytes = field(repr=False)
    text: str = field(repr=False)
    decoder: str
    corners: tuple[tuple[int, int], ...] = ()


class Decoder(Protocol):
    name: str

    def decode(self, gray: Gray) -> list[Barcode]: ...


class ZxingDecoder:
    """zxing-cpp with TextMode.Plain (control characters kept) and a chosen binarizer."""

    def __init__(
        self,
        binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
        formats: str = CARD_FORMATS,
        try_invert: bool = False,
        try_downscale: bool = True,
        name: str | None = None,
    ) -> None:
        self.binarizer = binarizer
        self.formats = zxingcpp.barcode_formats_from_str(formats)
        self.try_invert = try_invert
        self.try_downscale = try_downscale
        self.name = name or f"zxing-{binarizer.name}"

    def decode(self, gray: Gray) -> list[Barcode]:
        try:
            found = zxingcpp.read_barcodes(
                gray,
                formats=self.formats,
                text_mode=zxingcpp.TextMode.Plain,
                binarizer=self.binarizer,
                try_invert=self.try_invert,
                try_downscale=self.try_downscale,
            )
        except Exception as exc:  # a decoder bug must not stop the scan
            log.info("zxing-cpp failed on a frame: %s", exc.__class__.__name__)
            return []
        return [
            Barcode(b.format.name, bytes(b.bytes), b.text, self.name, _zx_corners(b))
            for b in found
            if b.valid
        ]


def _zx_corners(b: zxingcpp.Barcode) -> tuple[tuple[int, int], ...]:
    p = b.position
    return tuple((pt.x, pt.y) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))


class PyzbarDecoder:
    """ZBar through pyzbar (QR and 1-D codes; it cannot read PDF417)."""

    name = "pyzbar"

    def __init__(self) -> None:
        from pyzbar import pyzbar  # optional: libzbar0 and the test extra

        self._pyzbar = pyzbar

    def decode(self, gray: Gray) -> list[Barcode]:
        try:
            found = self._pyzbar.decode(gray)
        except Exception as exc:
            log.info("pyzbar failed on a frame: %s", exc.__class__.__name__)
            return []
        out = []
        for d in found:
            raw = bytes(d.data)
            fmt = _PYZBAR_FORMATS.get(d.type, d.type)
            out.append(Barcode(fmt, raw, raw.decode("utf-8", errors="replace"), self.name))
        return out


def pyzbar_available() -> bool:
    try:
        PyzbarDecoder()
    except Exception:  # ImportError, or the library libzbar0 missing
        return False
    return True


class OpenCvQrDecoder:
    """cv2.QRCodeDetector (it raises on some payloads: wrapped)."""

    name = "opencv-qr"

    def __init__(self) -> None:
        self._detector = cv2.QRCodeDetector()

    def decode(self, gray: Gray) -> list[Barcode]:
        try:
            text, points, _ = self._detector.detectAndDecode(gray)
        except Exception as exc:
            log.info("OpenCV QR failed on a frame: %s", exc.__class__.__name__)
            return []
        if not text:
            return []
        return [Barcode("QRCode", text.encode("utf-8"), text, self.name)]


def to_gray(frame: np.ndarray) -> Gray:
    """A grayscale, C-contiguous uint8 view of a BGR/BGRA/gray frame."""
    if frame.ndim == 3 and frame.shape[2] == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    elif frame.ndim == 3:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if frame.dtype != np.uint8:
        peak = float(frame.max()) if frame.size else 0.0
        frame = (frame.astype(np.float32) * (255.0 / peak if peak > 0 else 0.0)).astype(np.uint8)
    return np.ascontiguousarray(frame)
