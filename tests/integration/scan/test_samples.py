"""The shipped sample cards read, and the simulated camera reaches a stable CNIC."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pser_desk.scan.pipeline import ScanPipeline
from pser_desk.scan.samples import samples_dir, self_test, simulated_camera
from pser_desk.scan.stable import StableReadFilter


def test_self_test_reads_every_sample_card() -> None:
    assert self_test() == []


def test_self_test_reports_a_broken_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "samples"
    shutil.copytree(samples_dir(), copy)
    (copy / "cards" / "snic-qr.jpg").write_bytes(b"not a jpeg")
    monkeypatch.setattr("pser_desk.scan.samples.samples_dir", lambda: copy)
    assert self_test() == ["sample card snic-qr.jpg not read (unreadable_image)"]


def test_simulated_camera_gives_a_stable_cnic() -> None:
    expected = json.loads((samples_dir() / "samples.json").read_text())["camera"]["cnic"]
    camera = simulated_camera(realtime=False)
    pipeline, rule = ScanPipeline(), StableReadFilter()
    try:
        for _ in range(20):
            frame = camera.read()
            assert frame is not None  # it loops
            result = pipeline.scan(frame.image)
            if rule.observe(frame.t, result.cnic) is not None:
                break
    finally:
        camera.close()
    assert rule.stable is not None
    assert rule.stable.cnic == expected
