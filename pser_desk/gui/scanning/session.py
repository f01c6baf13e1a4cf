"""The thin Qt adapter around :class:`pser_desk.scan.worker.ScanWorker`.

The worker calls back on its decoder thread; :class:`ScanSession` re-emits each callback
as a Qt signal, which Qt queues to the GUI thread. The live picture is taken by a tap on
the frame source: the reader thread keeps only the latest frame, shrunk for the screen,
and the GUI takes it at its own pace (a newer frame replaces an unseen one: no backlog).
Opening the camera can take seconds, so it happens on a short-lived thread too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from pser_desk.desk.settings import SIMULATED_CAMERA
from pser_desk.scan.pipeline import ScanPipeline
from pser_desk.scan.sources import CameraSource, Frame, FrameSource, SourceError
from pser_desk.scan.worker import ScanStats, ScanUpdate, ScanWorker

log = logging.getLogger(__name__)

SIMULATED = SIMULATED_CAMERA  # the demo's camera (desk.settings)
PREVIEW_WIDTH = 640
STOP_TIMEOUT_S = 10.0
SourceFactory = Callable[[], FrameSource]
# Sessions being stopped stay referenced until their threads have ended.
_LIVE: set[ScanSession] = set()


def open_camera(setting: str) -> FrameSource:
    """The source the settings name: ``simulated``, a camera index, or "" (camera 0)."""
    choice = setting.strip().lower()
    if choice == SIMULATED:
        from pser_desk.scan.samples import simulated_camera

        return simulated_camera()
    if choice and not choice.isdigit():
        raise SourceError(f"no camera called {choice!r}")
    return CameraSource(int(choice or "0"))


@dataclass(frozen=True)
class Preview:
    """A frame shrunk for the screen, the full frame's (width, height), and its index."""

    image: QImage
    size: tuple[int, int]
    index: int


class PreviewTap:
    """A frame source that also keeps a small copy of the latest frame for the screen."""

    def __init__(self, source: FrameSource, width: int = PREVIEW_WIDTH) -> None:
        self.source = source
        self.name = source.name
        self._width = width
        self._lock = threading.Lock()
        self._latest: Preview | None = None
        self.frames_shown = 0
        self.frames_skipped = 0

    def read(self) -> Frame | None:
        frame = self.source.read()
        if frame is not None:
            self._keep(frame.image, frame.index)
        return frame

    def _keep(self, image: np.ndarray, index: int) -> None:
        height, width = image.shape[:2]
        scale = min(1.0, self._width / max(width, 1))
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB if small.ndim == 3 else cv2.COLOR_GRAY2RGB)
        h, w = rgb.shape[:2]
        qimage = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        with self._lock:
            if self._latest is not None:
                self.frames_skipped += 1
            self._latest = Preview(qimage, (width, height), index)

    def take(self) -> Preview | None:
        """The latest frame not yet shown, or None."""
        with self._lock:
            latest, self._latest = self._latest, None
        if latest is not None:
            self.frames_shown += 1
        return latest

    def close(self) -> None:
        self.source.close()


class ScanSession(QObject):
    """Opens the source, runs the worker; signals arrive on the GUI thread."""

    opened = Signal()
    updated = Signal(object)  # ScanUpdate
    failed = Signal(str)  # "no_camera" | "camera_lost"
    finished = Signal(object)  # ScanStats
    stopped = Signal()  # the worker's threads have ended and the source is released

    def __init__(
        self, factory: SourceFactory, pipeline: ScanPipeline | None = None,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._factory = factory
        self._pipeline = pipeline or ScanPipeline()
        self._lock = threading.Lock()
        self._stopping = False
        self.tap: PreviewTap | None = None
        self.worker: ScanWorker | None = None
        self._opener = threading.Thread(target=self._open, name="scan-open", daemon=True)
        self.stopped_event = threading.Event()
        self.stopped.connect(self._on_stopped)

    def start(self) -> None:
        self._opener.start()

    def _open(self) -> None:
        try:
            source = self._factory()
        except SourceError as exc:
            log.info("no camera: %s", exc.__class__.__name__)
            self._emit_failed("no_camera")
            return
        except Exception:
            log.exception("opening the camera failed")
            self._emit_failed("no_camera")
            return
        self._start_worker(PreviewTap(source))

    def _start_worker(self, tap: PreviewTap) -> None:
        with self._lock:
            if self._stopping:  # closed while the camera was opening
                tap.close()
                return
            self.tap = tap
            self.worker = ScanWorker(
                tap, self._pipeline, self._on_result, self._on_error,
                on_finished=self._on_finished,
            )  # fmt: skip
            self.worker.start()
        self.opened.emit()

    def _emit_failed(self, code: str) -> None:
        if not self._stopping:
            self.failed.emit(code)

    def _on_result(self, update: ScanUpdate) -> None:
        if not self._stopping:
            self.updated.emit(update)

    def _on_error(self, _message: str) -> None:
        log.info("the camera stopped delivering frames")
        self._emit_failed("camera_lost")

    def _on_finished(self, stats: ScanStats) -> None:
        if not self._stopping:
            self.finished.emit(stats)

    def take_preview(self) -> Preview | None:
        tap = self.tap
        return tap.take() if tap is not None else None

    def stop(self) -> None:
        """Ask everything to end; never waits. ``stopped`` follows once the camera is free."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
        _LIVE.add(self)
        threading.Thread(target=self._finish_stop, name="scan-stop", daemon=True).start()

    def _finish_stop(self) -> None:
        if self._opener.ident is not None:
            self._opener.join(STOP_TIMEOUT_S)
        worker = self.worker
        if worker is not None and not worker.stop(STOP_TIMEOUT_S):
            log.warning("the scan worker did not stop within %.0f s", STOP_TIMEOUT_S)
        self.stopped_event.set()
        self.stopped.emit()

    def wait_stopped(self, timeout: float | None = None) -> bool:
        return self.stopped_event.wait(timeout)

    def _on_stopped(self) -> None:
        _LIVE.discard(self)

    @property
    def running(self) -> bool:
        worker = self.worker
        return self._opener.is_alive() or (worker is not None and worker.running)

    @property
    def source_released(self) -> bool:
        worker = self.worker
        return worker is not None and worker.source_released.is_set()
