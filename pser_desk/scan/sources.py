"""Frame sources behind one interface: a webcam by index, a video file, a folder of images.

``read()`` returns the next :class:`Frame`, ``None`` at the end of a file or folder, and
raises :class:`SourceError` when a camera stops delivering (unplugged mid-scan).
``close()`` releases the device; it is safe to call twice.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"})
_CAMERA_FAILURES_BEFORE_ERROR = 15


class SourceError(Exception):
    """The source cannot deliver frames (cannot be opened, or stopped mid-stream)."""


@dataclass(frozen=True)
class Frame:
    image: np.ndarray = field(repr=False)
    t: float  # seconds: position in a video, or time since a camera opened
    index: int


class FrameSource(Protocol):
    name: str

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


def _capture_backend() -> int:
    if os.name == "nt":
        return int(cv2.CAP_DSHOW)
    return int(cv2.CAP_ANY)


class CameraSource:
    """A webcam by index; 1280x720 and MJPG asked for where the camera allows it."""

    def __init__(self, index: int, width: int = 1280, height: int = 720, mjpg: bool = True) -> None:
        self.name = f"camera {index}"
        # Timeouts so that an unplugged camera fails a read instead of hanging the reader.
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 5000, cv2.CAP_PROP_READ_TIMEOUT_MSEC, 2000]
        self._cap = cv2.VideoCapture(index, _capture_backend(), params)
        if not self._cap.isOpened():
            self._cap.release()
            raise SourceError(f"cannot open camera {index}")
        if mjpg:
            self._cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        self._t0 = time.monotonic()
        self._index = 0
        self._failures = 0

    @property
    def resolution(self) -> tuple[int, int]:
        return int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(
            self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)
        )

    def read(self) -> Frame | None:
        while True:
            ok, image = self._cap.read()
            if ok and image is not None:
                break
            self._failures += 1
            if self._failures >= _CAMERA_FAILURES_BEFORE_ERROR:
                raise SourceError(f"{self.name} stopped delivering frames")
            time.sleep(0.01)
        self._failures = 0
        self._index += 1
        return Frame(image, time.monotonic() - self._t0, self._index - 1)

    def close(self) -> None:
        self._cap.release()


class VideoFileSource:
    """A video file; ``realtime=True`` paces frames at the file's rate (a simulated camera)."""

    def __init__(
        self, path: str | os.PathLike[str], realtime: bool = False, loop: bool = False
    ) -> None:
        self.path = Path(path)
        self.name = f"video {self.path.name}"
        if self.path.is_dir():
            raise SourceError(f"{self.path} is a directory, not a video file")
        if not self.path.is_file():
            raise SourceError(f"no such video file: {self.path}")
        self._cap = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            self._cap.release()
            raise SourceError(f"cannot open video {self.path.name}")
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and 1 <= fps <= 240 else 15.0
        self.realtime = realtime
        self.loop = loop
        self._index = 0
        self._pace = _Pacer(self.fps if realtime else 0.0)

    def read(self) -> Frame | None:
        ok, image = self._cap.read()
        if (not ok or image is None) and self.loop and self._index > 0:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._cap.read()
        if not ok or image is None:
            return None
        self._pace.wait()
        frame = Frame(image, self._index / self.fps, self._index)
        self._index += 1
        return frame

    def close(self) -> None:
        self._cap.release()


class ImageFolderSource:
    """The images of a folder in name order, as frames at ``fps`` (for the demo and tests)."""

    def __init__(
        self,
        folder: str | os.PathLike[str],
        fps: float = 15.0,
        realtime: bool = False,
        loop: bool = False,
    ) -> None:
        self.folder = Path(folder)
        self.name = f"folder {self.folder.name}"
        if not self.folder.is_dir():
            raise SourceError(f"no such folder: {self.folder}")
        self._files = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise SourceError(f"no images in {self.folder}")
        self.fps = fps
        self.loop = loop
        self._order = self._cycle()
        self._index = 0
        self._pace = _Pacer(fps if realtime else 0.0)

    def _cycle(self) -> Iterator[Path]:
        while True:
            yield from self._files
            if not self.loop:
                return

    def read(self) -> Frame | None:
        for path in self._order:
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is None:
                log.info("skipping an unreadable image in the frame folder")
                continue
            self._pace.wait()
            frame = Frame(image, self._index / self.fps, self._index)
            self._index += 1
            return frame
        return None

    def close(self) -> None:
        self._order = iter(())


class _Pacer:
    """Sleeps so that frames come out at *fps* (0 = as fast as they can be read)."""

    def __init__(self, fps: float) -> None:
        self.period = 1.0 / fps if fps > 0 else 0.0
        self._next = 0.0

    def wait(self) -> None:
        if not self.period:
            return
        now = time.monotonic()
        if self._next > now:
            time.sleep(self._next - now)
        self._next = max(now, self._next) + self.period


@dataclass(frozen=True)
class CameraInfo:
    index: int
    width: int
    height: int


def list_cameras(max_index: int = 6) -> list[CameraInfo]:
    """The cameras that open and deliver a frame, by index."""
    found = []
    for index in range(max_index):
        if os.name != "nt" and not Path(f"/dev/video{index}").exists():
            continue
        try:
            cam = CameraSource(index)
        except SourceError:
            continue
        try:
            frame = cam.read()
            if frame is not None:
                height, width = frame.image.shape[:2]
                found.append(CameraInfo(index, width, height))
        except SourceError:
            pass
        finally:
            cam.close()
    return found
