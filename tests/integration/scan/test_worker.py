"""The scan worker: drops frames instead of queueing, stops cleanly, releases the source."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pser_desk.scan.pipeline import ScanPipeline
from pser_desk.scan.sources import (
    Frame,
    ImageFolderSource,
    SourceError,
    VideoFileSource,
)
from pser_desk.scan.stable import StableReadFilter
from pser_desk.scan.worker import ScanStats, ScanUpdate, ScanWorker
from tests.plugins.scan import CardVideo


class Recorder:
    def __init__(self) -> None:
        self.updates: list[ScanUpdate] = []
        self.errors: list[str] = []
        self.finished: list[ScanStats] = []
        self.first = threading.Event()

    def on_result(self, update: ScanUpdate) -> None:
        self.updates.append(update)
        self.first.set()

    def on_error(self, message: str) -> None:
        self.errors.append(message)

    def on_finished(self, stats: ScanStats) -> None:
        self.finished.append(stats)


def start(source: object, rec: Recorder, **kwargs: object) -> ScanWorker:
    worker = ScanWorker(
        source,
        ScanPipeline(),
        rec.on_result,
        rec.on_error,
        on_finished=rec.on_finished,
        **kwargs,  # type: ignore[arg-type]
    )
    worker.start()
    return worker


def test_video_to_the_end_drops_frames_and_reads_a_stable_cnic(
    card_video: Callable[..., CardVideo],
) -> None:
    video = card_video("snic-qr", 0, n_move=10, n_hold=40)
    rec = Recorder()
    # a fast source: frames come every ~4 ms, decoding takes longer, so frames must be dropped
    worker = start(VideoFileSource(video.path), rec, stable_filter=StableReadFilter(min_agree=2))
    assert worker.wait(timeout=60)
    assert worker.stop(timeout=2)
    stats = worker.stats
    assert stats.frames_read == video.frames
    assert stats.frames_dropped > 0
    assert stats.frames_decoded + stats.frames_dropped == stats.frames_read
    assert rec.finished == [stats]
    assert rec.errors == []
    indexes = [u.frame_index for u in rec.updates]
    assert indexes == sorted(indexes)
    assert len(set(indexes)) == len(indexes)
    stable = [u.stable for u in rec.updates if u.stable is not None]
    assert stable
    assert stable[0].cnic == video.cnic
    assert worker.source_released.is_set()


def test_latest_frame_wins_after_a_slow_decode(
    tmp_path: Path, card_video: Callable[..., CardVideo]
) -> None:
    video = card_video("snic-qr", 1, n_move=4, n_hold=4)
    source = VideoFileSource(video.path, realtime=True, loop=True)  # a 15 fps "camera"
    rec = Recorder()
    slow = threading.Event()

    def on_result(update: ScanUpdate) -> None:
        rec.on_result(update)
        if not slow.is_set():
            slow.set()
            time.sleep(0.6)  # the GUI (or a slow decode) holds the decoder for 9 frame times

    worker = ScanWorker(source, ScanPipeline(), on_result, rec.on_error)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while len(rec.updates) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        assert worker.stop(timeout=3)
    first, second = rec.updates[0], rec.updates[1]
    assert second.frame_index - first.frame_index >= 5  # skipped to the newest frame
    assert worker.stats.frames_dropped >= 4
    assert not source._cap.isOpened()


def test_stop_ends_a_live_source_and_releases_it(card_video: Callable[..., CardVideo]) -> None:
    video = card_video("cnic-pdf417", 2, n_move=4, n_hold=6)
    source = VideoFileSource(video.path, realtime=True, loop=True)
    rec = Recorder()
    worker = start(source, rec)
    assert rec.first.wait(10)
    t0 = time.monotonic()
    assert worker.stop(timeout=2)
    assert time.monotonic() - t0 < 2
    assert not worker.running
    assert worker.source_released.is_set()
    assert not source._cap.isOpened()
    assert rec.errors == []


class DisappearingCamera:
    """A real video source that fails like an unplugged USB camera after *after* frames."""

    def __init__(self, path: Path, after: int) -> None:
        self._inner = VideoFileSource(path, realtime=True, loop=True)
        self.name = "camera 0"
        self.after = after
        self.closed = 0

    def read(self) -> Frame | None:
        if self.after == 0:
            raise SourceError("camera 0 stopped delivering frames")
        self.after -= 1
        return self._inner.read()

    def close(self) -> None:
        self.closed += 1
        self._inner.close()


def test_camera_that_disappears_mid_scan_reports_once_and_ends(
    card_video: Callable[..., CardVideo],
) -> None:
    video = card_video("snic-qr", 3, n_move=4, n_hold=4)
    camera = DisappearingCamera(video.path, after=5)
    rec = Recorder()
    worker = start(camera, rec)
    assert worker.wait(timeout=10)
    assert rec.errors == ["camera 0 stopped delivering frames"]
    assert camera.closed == 1
    assert worker.source_released.is_set()
    assert worker.stats.frames_read == 5
    assert worker.stop(timeout=1)


class ExplodingSource(DisappearingCamera):
    def read(self) -> Frame | None:
        raise RuntimeError("driver bug")


@pytest.mark.allow_log_warnings  # the unexpected failure is logged with its traceback
def test_unexpected_source_failure_is_one_message(card_video: Callable[..., CardVideo]) -> None:
    camera = ExplodingSource(card_video("snic-qr", 3, n_move=2, n_hold=2).path, after=0)
    rec = Recorder()
    worker = start(camera, rec)
    assert worker.wait(timeout=10)
    assert rec.errors == ["the camera failed (RuntimeError)"]
    assert camera.closed == 1


def test_image_folder_source(tmp_path: Path, card_image: Callable[..., object]) -> None:
    for seed in range(3):
        card_image("snic-qr", seed)
    (tmp_path / "notes.txt").write_text("not an image")
    source = ImageFolderSource(tmp_path, fps=15)
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    assert [f.index for f in frames] == [0, 1, 2]
    assert frames[2].t == pytest.approx(2 / 15)
    source.close()


@pytest.mark.parametrize("bad", ["missing.avi", "not-a-video.avi", "folder"])
def test_sources_that_cannot_open_raise_source_error(tmp_path: Path, bad: str) -> None:
    (tmp_path / "not-a-video.avi").write_bytes(b"\x00" * 1000)
    (tmp_path / "folder").mkdir()
    with pytest.raises(SourceError):
        VideoFileSource(tmp_path / bad)
    with pytest.raises(SourceError):
        ImageFolderSource(tmp_path / "folder")
