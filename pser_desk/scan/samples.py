"""The sample cards in resources/samples/ (fake data): the demo's camera and the self-test."""

from __future__ import annotations

import json
from pathlib import Path

from pser_desk import paths
from pser_desk.scan.pipeline import ScanPipeline
from pser_desk.scan.service import scan_image_file
from pser_desk.scan.sources import ImageFolderSource


def samples_dir() -> Path:
    return paths.resource("samples")


def simulated_camera(realtime: bool = True) -> ImageFolderSource:
    """A looping 15 fps "camera" showing a card slide into view (for ``--demo``)."""
    return ImageFolderSource(samples_dir() / "camera", fps=15, realtime=realtime, loop=True)


def self_test() -> list[str]:
    """Read every sample card; the problems found (empty when decoding works)."""
    manifest_path = samples_dir() / "samples.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"scan samples missing or unreadable ({exc.__class__.__name__})"]
    pipeline = ScanPipeline()
    problems = []
    for name, cnic in manifest.get("cards", {}).items():
        scan = scan_image_file(str(samples_dir() / "cards" / name), pipeline)
        if scan.error is not None or scan.result is None or scan.result.cnic != cnic:
            problems.append(f"sample card {name} not read ({scan.error or 'wrong number'})")
    return problems
