"""Scanning a still image or a whole video file: what ``scan-image`` and ``scan-video`` do."""

from __future__ import annotations

import base64
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pser_desk.scan.pipeline import FrameResult, ScanPipeline
from pser_desk.scan.sources import SourceError, VideoFileSource
from pser_desk.scan.stable import StableRead, StableReadFilter

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PIXELS = 12_000_000  # larger photos are scaled down
# Refused by the size the file declares, before anything is decoded: a small file can
# declare a huge picture (a "decompression bomb": 20000 x 20000 pixels are 400 MB even in
# grey). The largest phone cameras make about 200 megapixels.
MAX_DECLARED_PIXELS = 200_000_000


class ImageError(Exception):
    """The file is not an image we can read; the message is one line for the user."""


def load_image(path: str | os.PathLike[str]) -> np.ndarray:
    """A grayscale image from *path*, scaled to at most :data:`MAX_PIXELS`."""
    path = Path(path)
    if path.is_dir():
        raise ImageError(f"{path} is a directory, not an image")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImageError(f"no such file: {path}") from None
    except OSError as exc:
        raise ImageError(f"cannot read {path}: {exc.__class__.__name__}") from None
    if size > MAX_FILE_BYTES:
        raise ImageError(f"{path} is too large for an image ({size // 2**20} MB)")
    width, height = declared_size(path)
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as exc:
        raise ImageError(f"cannot read {path}: {exc.__class__.__name__}") from None
    image = cv2.imdecode(data, _reduced_flag(width * height)) if data.size else None
    if image is None or image.size == 0:
        raise ImageError(f"{path} is not a readable image (corrupt or unsupported format)")
    return _limit_pixels(image)


def declared_size(path: Path) -> tuple[int, int]:
    """The width and height the image file says it has (read from its header only);
    refuses one over :data:`MAX_DECLARED_PIXELS` before any pixel is decoded."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        raise ImageError(f"{path.name} declares a picture too large to read") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ImageError(
            f"{path} is not a readable image (corrupt or unsupported format)"
        ) from None
    if width * height > MAX_DECLARED_PIXELS:
        raise ImageError(
            f"{path.name} declares a picture too large to read ({width} x {height} pixels; at "
            f"most {MAX_DECLARED_PIXELS // 1_000_000} megapixels)"
        )
    return width, height


def _reduced_flag(pixels: int) -> int:
    """Decode a large JPEG straight at a half, quarter or eighth (libjpeg's DCT scaling)."""
    for factor, flag in ((8, cv2.IMREAD_REDUCED_GRAYSCALE_8), (4, cv2.IMREAD_REDUCED_GRAYSCALE_4),
                         (2, cv2.IMREAD_REDUCED_GRAYSCALE_2)):  # fmt: skip
        if pixels / (factor * factor) >= MAX_PIXELS:
            return flag
    return cv2.IMREAD_GRAYSCALE


def _limit_pixels(image: np.ndarray) -> np.ndarray:
    pixels = image.shape[0] * image.shape[1]
    if pixels <= MAX_PIXELS:
        return image
    factor = (MAX_PIXELS / pixels) ** 0.5
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


@dataclass(frozen=True)
class ImageScan:
    file: str
    result: FrameResult | None
    error: str | None  # None | "no_barcode" | "no_cnic" | "unreadable_image"
    message: str | None = None  # the one-line reason for "unreadable_image"

    def as_json(self, raw: bool = False) -> dict[str, Any]:
        best = self.result.best if self.result and not self.result.conflicting else None
        out: dict[str, Any] = {
            "file": self.file,
            "cnic": best.cnic if best else None,
            "kind": best.kind.value if best and best.kind else None,
            "error": self.error,
        }
        if raw:
            out["barcodes"] = [
                {"format": b.format, "text": b.text, "bytes_b64": base64.b64encode(b.raw).decode()}
                for b in (self.result.barcodes if self.result else ())
            ]
        return out


def scan_image_file(path: str, pipeline: ScanPipeline) -> ImageScan:
    try:
        image = load_image(path)
    except ImageError as exc:
        return ImageScan(path, None, "unreadable_image", str(exc))
    result = pipeline.scan(image)
    for extraction in result.extractions:
        if extraction.cnic is None:
            log.info("barcode without a CNIC: %s", extraction.log_repr())
    if not result.barcodes:
        return ImageScan(path, result, "no_barcode")
    if result.best is None or result.conflicting:
        return ImageScan(path, result, "no_cnic")
    return ImageScan(path, result, None)


@dataclass(frozen=True)
class VideoScan:
    file: str
    stable: StableRead | None
    first_read_t: float | None
    frames: int
    fps: float

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "cnic": self.stable.cnic if self.stable else None,
            "time_s": round(self.stable.at, 3) if self.stable else None,
            "frame": round(self.stable.at * self.fps) if self.stable else None,
            "first_read_s": None if self.first_read_t is None else round(self.first_read_t, 3),
            "frames_scanned": self.frames,
            "error": None if self.stable else "no_cnic",
        }


def scan_video_file(
    path: str, pipeline: ScanPipeline, stable_filter: StableReadFilter | None = None
) -> VideoScan:
    """Every frame of a video through the pipeline until a stable CNIC (raises SourceError)."""
    source = VideoFileSource(path)
    stable_filter = stable_filter or StableReadFilter()
    first_read: float | None = None
    frames = 0
    try:
        while (frame := source.read()) is not None:
            frames += 1
            result = pipeline.scan(frame.image)
            best = None if result.conflicting else result.best
            if best is not None and first_read is None:
                first_read = frame.t
            stable = stable_filter.observe(
                frame.t, best.cnic if best else None, bool(best and best.self_consistent)
            )
            if stable is not None:
                return VideoScan(path, stable, first_read, frames, source.fps)
    finally:
        source.close()
    if frames == 0:
        raise SourceError(f"{Path(path).name} holds no frame that can be decoded")
    return VideoScan(path, None, first_read, frames, source.fps)
