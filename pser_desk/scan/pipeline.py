"""The decoding pipeline chosen by measurement (docs/performance.md, "Scanning").

1. zxing-cpp on the whole frame (QR, Micro QR, PDF417, Code 128; LocalAverage binarizer):
   reads smart-card QRs at any angle and upright PDF417s, in a few ms.
2. Only when that found no CNIC: the bar-region locator straightens the largest regions of
   parallel bars (tilted or in perspective) and zxing-cpp reads each as a PDF417, then
   the same sharpened, enlarged, and straightened at twice the size and sharpened hard.
3. Only when still nothing: zxing-cpp again with the GlobalHistogram binarizer (it reads
   a few photographs the LocalAverage one misses).

pyzbar and OpenCV's QR detector add no read on the corpus or the card scenes, so they are
not in it (the benchmark keeps measuring them).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp

from pser_desk.scan.decoders import Barcode, Decoder, ZxingDecoder, to_gray
from pser_desk.scan.locate import BarRegion, find_bar_regions, rectify
from pser_desk.scan.payload import Extraction, extract

_PDF417_ONLY = "PDF417"


@dataclass(frozen=True)
class FrameResult:
    """Every barcode found in a frame, what each says, and the CNIC read (if any)."""

    barcodes: tuple[Barcode, ...]
    extractions: tuple[Extraction, ...]
    stage: str | None
    elapsed_ms: float
    frame_shape: tuple[int, ...] = field(default=())

    @property
    def best(self) -> Extraction | None:
        """The CNIC read: the self-consistent old card first, then the first valid read."""
        found = [e for e in self.extractions if e.cnic is not None]
        found.sort(key=lambda e: not e.self_consistent)
        return found[0] if found else None

    @property
    def cnic(self) -> str | None:
        best = self.best
        return best.cnic if best else None

    @property
    def conflicting(self) -> bool:
        """Two barcodes in one frame naming different CNICs (nobody's CNIC is then read)."""
        return len({e.cnic for e in self.extractions if e.cnic}) > 1


def sharpen(gray: np.ndarray, sigma: float = 1.5, amount: float = 0.8) -> np.ndarray:
    """Unsharp mask: undoes some of a webcam's blur before binarizing."""
    blurred = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1 + amount, blurred, -amount, 0)


def enlarge(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=1.6, fy=1.6, interpolation=cv2.INTER_CUBIC)


Stage = Callable[[np.ndarray], list[Barcode]]
_Key = tuple[str, bytes]


class ScanPipeline:
    """``scan(frame)`` -> :class:`FrameResult`; stops at the first stage that reads a CNIC.

    ``stop_on_any=True`` stops at the first barcode of any content instead (the corpus
    benchmark, whose photographs hold no CNIC).
    """

    def __init__(
        self,
        stages: list[tuple[str, Stage]] | None = None,
        stop_on_any: bool = False,
    ) -> None:
        self.stages = stages if stages is not None else default_stages()
        self.stop_on_any = stop_on_any

    def scan(self, frame: np.ndarray) -> FrameResult:
        start = time.perf_counter()
        gray = to_gray(frame)
        barcodes: dict[tuple[str, bytes], Barcode] = {}
        extractions: dict[tuple[str, bytes], Extraction] = {}
        stage_hit: str | None = None
        for name, stage in self.stages:
            for barcode in stage(gray):
                key = (barcode.format, barcode.raw)
                if key not in barcodes:
                    barcodes[key] = barcode
                    extractions[key] = extract(barcode.raw, barcode.format)
            if self._done(barcodes, extractions):
                stage_hit = name
                break
        elapsed = (time.perf_counter() - start) * 1000
        return FrameResult(
            tuple(barcodes.values()), tuple(extractions.values()), stage_hit, elapsed, gray.shape
        )

    def _done(
        self, barcodes: Mapping[_Key, Barcode], extractions: Mapping[_Key, Extraction]
    ) -> bool:
        if self.stop_on_any:
            return bool(barcodes)
        return any(e.cnic is not None for e in extractions.values())


def whole_frame(decoder: Decoder) -> Stage:
    return decoder.decode


def rectified_pdf417(max_regions: int = 2) -> Stage:
    decoder = ZxingDecoder(formats=_PDF417_ONLY, name="zxing-rectified")

    def stage(gray: np.ndarray) -> list[Barcode]:
        for region in find_bar_regions(gray)[:max_regions]:
            for variant in _variants(gray, region):
                found = decoder.decode(variant)
                if found:  # corners in frame pixels: the region's outline
                    corners = tuple((int(x), int(y)) for x, y in region.quad)
                    return [dataclasses.replace(b, corners=corners) for b in found]
        return []

    return stage


def _variants(gray: np.ndarray, region: BarRegion) -> Iterator[np.ndarray]:
    """The straightened region as is, sharpened, enlarged, then at 2x strongly sharpened."""
    crop = rectify(gray, region)
    if crop.size == 0:
        return
    yield crop
    yield sharpen(crop)
    yield enlarge(crop)
    yield sharpen(rectify(gray, region, scale=2.0), sigma=2.5, amount=1.5)


def default_stages() -> list[tuple[str, Stage]]:
    return [
        ("zxing", whole_frame(ZxingDecoder())),
        ("pdf417-rectified", rectified_pdf417()),
        ("zxing-globalhistogram", whole_frame(ZxingDecoder(zxingcpp.Binarizer.GlobalHistogram))),
    ]
