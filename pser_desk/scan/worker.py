"""The scan worker: runs a frame source and the pipeline off the GUI thread.

Two plain threads: a reader that pulls frames as fast as the source gives them into a
one-frame mailbox (a newer frame replaces an unread one: counted as dropped, never a
backlog), and a decoder that always takes the latest frame. Results and errors go to
callbacks, called on the decoder thread; the GUI's thin Qt adapter turns them into
signals. ``stop()`` ends both threads and releases the source.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pser_desk.scan.pipeline import FrameResult, ScanPipeline
from pser_desk.scan.sources import Frame, FrameSource, SourceError
from pser_desk.scan.stable import StableRead, StableReadFilter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanStats:
    frames_read: int
    frames_decoded: int
    frames_dropped: int


@dataclass(frozen=True)
class ScanUpdate:
    """One decoded frame: where it was, what it held, and the stable read so far."""

    frame_index: int
    t: float
    result: FrameResult
    stable: StableRead | None
    stats: ScanStats


class _Mailbox:
    """Holds at most one frame; ``put`` replaces an unread frame and says so."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._closed = False

    def put(self, frame: Frame) -> bool:
        with self._cond:
            replaced = self._frame is not None
            self._frame = frame
            self._cond.notify()
            return replaced

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def take(self, timeout: float = 0.1) -> Frame | None:
        """The latest frame; None when closed and empty, or after *timeout* with none."""
        with self._cond:
            if self._frame is None and not self._closed:
                self._cond.wait(timeout)
            frame, self._frame = self._frame, None
            return frame

    @property
    def finished(self) -> bool:
        with self._cond:
            return self._closed and self._frame is None


class ScanWorker:
    """``ScanWorker(source, pipeline, on_result, on_error).start()``; ``stop(timeout)``."""

    def __init__(
        self,
        source: FrameSource,
        pipeline: ScanPipeline,
        on_result: Callable[[ScanUpdate], None],
        on_error: Callable[[str], None],
        stable_filter: StableReadFilter | None = None,
        on_finished: Callable[[ScanStats], None] | None = None,
    ) -> None:
        self.source = source
        self.pipeline = pipeline
        self.on_result = on_result
        self.on_error = on_error
        self.on_finished = on_finished
        self.stable_filter = stable_filter or StableReadFilter()
        self._mailbox = _Mailbox()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._counts = [0, 0, 0]  # read, decoded, dropped
        self._reader = threading.Thread(target=self._read_loop, name="scan-reader", daemon=True)
        self._decoder = threading.Thread(target=self._decode_loop, name="scan-decoder", daemon=True)
        self.source_released = threading.Event()

    @property
    def stats(self) -> ScanStats:
        with self._lock:
            return ScanStats(*self._counts)

    @property
    def running(self) -> bool:
        return self._reader.is_alive() or self._decoder.is_alive()

    def start(self) -> None:
        self._reader.start()
        self._decoder.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask both threads to end and wait up to *timeout*; True when they have."""
        self._stop.set()
        self._mailbox.close()
        for thread in (self._reader, self._decoder):
            if thread.ident is not None and thread is not threading.current_thread():
                thread.join(timeout)
        return not self.running

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the source to end by itself (a file or folder); True when it has."""
        self._decoder.join(timeout)
        return not self._decoder.is_alive()

    def _count(self, slot: int) -> None:
        with self._lock:
            self._counts[slot] += 1

    def _read_loop(self) -> None:
        try:
            while not self._stop.is_set():
                frame = self.source.read()
                if frame is None:
                    break
                self._count(0)
                if self._mailbox.put(frame):
                    self._count(2)
        except SourceError as exc:
            self._report_error(str(exc))
        except Exception as exc:  # a camera driver failing in a way nobody foresaw
            log.exception("frame source failed")
            self._report_error(f"the camera failed ({exc.__class__.__name__})")
        finally:
            self._release_source()
            self._mailbox.close()

    def _release_source(self) -> None:
        try:
            self.source.close()
        except Exception:
            log.exception("releasing the frame source failed")
        self.source_released.set()

    def _report_error(self, message: str) -> None:
        if self._stop.is_set():
            return
        try:
            self.on_error(message)
        except Exception:
            log.exception("on_error callback failed")

    def _decode_loop(self) -> None:
        try:
            while not self._stop.is_set():
                frame = self._mailbox.take()
                if frame is None:
                    if self._mailbox.finished:
                        break
                    continue
                self._decode(frame)
        finally:
            if self.on_finished is not None:
                self.on_finished(self.stats)

    def _decode(self, frame: Frame) -> None:
        result = self.pipeline.scan(frame.image)
        best = result.best
        cnic = None if result.conflicting or best is None else best.cnic
        consistent = bool(best and best.self_consistent and not result.conflicting)
        stable = self.stable_filter.observe(frame.t, cnic, consistent)
        self._count(1)
        update = ScanUpdate(frame.index, frame.t, result, stable, self.stats)
        try:
            self.on_result(update)
        except Exception:
            log.exception("on_result callback failed")
