"""Decoder benchmark: each decoder alone and the chosen pipeline, on one core.

Run: ``.venv/bin/python -m bench.scan_bench`` (``--scenes 30`` for a quick run).
Writes ``bench/results/scan.json``; the figures are quoted in docs/performance.md.

- The shared corpus (../shared/data/barcodes): per folder, images read correctly (the
  expected text or bytes, byte-exact), misreads, and the median ms per 1280x720 frame
  (the image pasted on a grey canvas, scaled down when larger).
- Generated card scenes (bench/cards.py): QR and PDF417 cards at up to 30 degrees with
  perspective, blur, noise, low light, glare and JPEG: correct CNICs, wrong CNICs, ms.
- 15 fps videos of a card sliding into view: time from the first frame the pipeline reads
  to the stable CNIC.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import zxingcpp

from bench.cards import (
    FRAME_H,
    FRAME_W,
    SceneParams,
    background_frame,
    card_for,
    card_scene,
    card_video_frames,
    random_params,
    render_scene,
    write_video,
)
from pser_desk.scan.decoders import (
    Barcode,
    OpenCvQrDecoder,
    PyzbarDecoder,
    ZxingDecoder,
    to_gray,
)
from pser_desk.scan.payload import extract
from pser_desk.scan.pipeline import ScanPipeline
from pser_desk.scan.service import scan_video_file

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "data" / "barcodes"
RESULTS = REPO / "bench" / "results" / "scan.json"
Decode = Callable[[np.ndarray], list[Barcode]]


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cv2.setNumThreads(1)


def decoders(for_cards: bool) -> dict[str, Decode]:
    pipeline = ScanPipeline(stop_on_any=not for_cards)
    return {
        "pyzbar": PyzbarDecoder().decode,
        "opencv-qr": OpenCvQrDecoder().decode,
        "zxing-cpp": ZxingDecoder().decode,
        "zxing-cpp-globalhistogram": ZxingDecoder(zxingcpp.Binarizer.GlobalHistogram).decode,
        "pipeline": lambda gray: list(pipeline.scan(gray).barcodes),
    }


def canvas(gray: np.ndarray) -> np.ndarray:
    h, w = gray.shape
    factor = min(1.0, (FRAME_W - 40) / w, (FRAME_H - 40) / h)
    if factor < 1.0:
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        h, w = gray.shape
    frame = np.full((FRAME_H, FRAME_W), 128, np.uint8)
    y, x = (FRAME_H - h) // 2, (FRAME_W - w) // 2
    frame[y : y + h, x : x + w] = gray
    return frame


def timed(decode: Decode, gray: np.ndarray) -> tuple[list[Barcode], float]:
    start = time.perf_counter()
    found = decode(gray)
    return found, (time.perf_counter() - start) * 1000


def expected_of(image: Path) -> tuple[bytes, str | None]:
    txt, binary = image.with_suffix(".txt"), image.with_suffix(".bin")
    if txt.exists():
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        return text.encode("utf-8"), text
    return binary.read_bytes(), None


def corpus(decs: dict[str, Decode]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        images = sorted(p for p in folder.iterdir() if p.suffix in (".png", ".jpg"))
        rows = {name: {"correct": 0, "misread": 0, "ms": []} for name in decs}
        read_by: dict[str, set[str]] = {name: set() for name in decs}
        for image in images:
            gray = to_gray(cv2.imread(str(image), cv2.IMREAD_GRAYSCALE))
            want_bytes, want_text = expected_of(image)
            frame = canvas(gray)
            for name, decode in decs.items():
                found = decode(gray)
                ok = any(
                    b.raw == want_bytes or (want_text is not None and b.text == want_text)
                    for b in found
                )
                rows[name]["correct"] += ok
                rows[name]["misread"] += bool(found) and not ok
                rows[name]["ms"].append(timed(decode, frame)[1])
                if ok:
                    read_by[name].add(image.name)
        _add_extra_reads(rows, read_by)
        out[folder.name] = {"images": len(images), **{n: _summary(r) for n, r in rows.items()}}
        print(folder.name, {n: out[folder.name][n]["correct"] for n in decs}, flush=True)
    return out


def _add_extra_reads(rows: dict[str, dict[str, Any]], read_by: dict[str, set[str]]) -> None:
    """For each decoder: how many images it read that the pipeline did not."""
    for name, row in rows.items():
        row["read_not_by_pipeline"] = len(read_by[name] - read_by["pipeline"])


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    ms = row.pop("ms")
    return {**row, "median_ms": round(statistics.median(ms), 2) if ms else None}


def scenes(decs: dict[str, Decode], n: int, pipeline: ScanPipeline) -> dict[str, Any]:
    out: dict[str, Any] = {}
    at_once_ms: list[float] = []
    for kind in ("snic-qr", "cnic-pdf417"):
        rows = {name: {"correct": 0, "wrong": 0, "ms": [], "by_angle": [0, 0, 0]} for name in decs}
        read_by: dict[str, set[str]] = {name: set() for name in decs}
        stages: dict[str, int] = {}
        bucket_sizes = [0, 0, 0]
        for seed in range(n):
            scene = card_scene(kind, seed)
            gray = to_gray(scene.frame)
            bucket = _angle_bucket(scene.params.angle)
            bucket_sizes[bucket] += 1
            for name, decode in decs.items():
                found, ms = timed(decode, gray)
                cnics = {extract(b.raw, b.format).cnic for b in found} - {None}
                ok = scene.cnic in cnics
                rows[name]["correct"] += ok
                rows[name]["by_angle"][bucket] += ok
                rows[name]["wrong"] += bool(cnics - {scene.cnic})
                rows[name]["ms"].append(ms)
                if ok:
                    read_by[name].add(str(seed))
            result = pipeline.scan(gray)
            stages[str(result.stage)] = stages.get(str(result.stage), 0) + 1
            if result.stage == "zxing":
                at_once_ms.append(result.elapsed_ms)
        _add_extra_reads(rows, read_by)
        out[kind] = {
            "pipeline_stage_hits": stages,
            "scenes": n,
            "angle_buckets": {
                "0-5": bucket_sizes[0],
                "5-15": bucket_sizes[1],
                "15-30": bucket_sizes[2],
            },
            **{name: _summary(r) for name, r in rows.items()},
        }
        print(kind, {name: out[kind][name]["correct"] for name in decs}, flush=True)
    out["pipeline_ms_read_at_once"] = {
        "frames": len(at_once_ms),
        "median_ms": round(statistics.median(at_once_ms), 2) if at_once_ms else None,
    }
    out["pipeline_ms_empty_frame"] = _empty_frames(pipeline)
    return out


def _empty_frames(pipeline: ScanPipeline, n: int = 20) -> dict[str, Any]:
    """The worst case: a frame with no barcode runs every stage."""
    ms = []
    for seed in range(n):
        frame = background_frame(seed)
        ms.append(pipeline.scan(frame).elapsed_ms)
    return {"frames": n, "median_ms": round(statistics.median(ms), 2)}


def _angle_bucket(angle: float) -> int:
    a = abs(angle)
    return 0 if a < 5 else 1 if a < 15 else 2


STRESS: dict[str, Callable[[random.Random, SceneParams], SceneParams]] = {
    "small card (460-540 px wide)": lambda r, p: dataclasses.replace(
        p, card_width=r.uniform(460, 540)
    ),
    "heavy blur (sigma 1.2-1.8)": lambda r, p: dataclasses.replace(
        p, blur_sigma=r.uniform(1.2, 1.8)
    ),
    "dim (25-40 % light)": lambda r, p: dataclasses.replace(p, light=r.uniform(0.25, 0.4)),
    "strong perspective (6-12 %)": lambda r, p: dataclasses.replace(
        p, perspective=r.uniform(0.06, 0.12)
    ),
}


def stress(n: int) -> dict[str, Any]:
    """Beyond the targets: each condition pushed past the range of the main card scenes."""
    pipeline = ScanPipeline()
    out: dict[str, Any] = {}
    for label, change in STRESS.items():
        row: dict[str, Any] = {}
        for kind in ("snic-qr", "cnic-pdf417"):
            correct = wrong = 0
            for seed in range(500, 500 + n):
                rng = random.Random(seed)
                card, cnic = card_for(kind, seed)
                result = pipeline.scan(render_scene(card, change(rng, random_params(rng)), seed))
                correct += result.cnic == cnic
                wrong += result.cnic not in (None, cnic)
            row[kind] = {"scenes": n, "correct": correct, "wrong": wrong}
        out[label] = row
        print("stress", label, row, flush=True)
    return out


def videos(seeds: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    pipeline = ScanPipeline()
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("snic-qr", "cnic-pdf417"):
            delays, runs = [], []
            for seed in range(seeds):
                frames, cnic = card_video_frames(kind, seed)
                path = os.path.join(tmp, f"{kind}-{seed}.avi")
                write_video(frames, path)
                scan = scan_video_file(path, pipeline)
                got = scan.stable.cnic if scan.stable else None
                delay = None
                if scan.stable and scan.first_read_t is not None:
                    delay = round(scan.stable.at - scan.first_read_t, 3)
                    delays.append(delay)
                runs.append(
                    {
                        "seed": seed,
                        "correct": got == cnic,
                        "first_read_s": scan.first_read_t,
                        "stable_s": scan.stable.at if scan.stable else None,
                        "delay_s": delay,
                    }
                )
            out[kind] = {
                "runs": runs,
                "max_delay_s": max(delays) if delays else None,
                "correct": sum(r["correct"] for r in runs),
                "videos": seeds,
            }
            print(kind, "video delays", delays, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=100, help="card scenes per kind")
    parser.add_argument("--videos", type=int, default=5, help="videos per kind")
    parser.add_argument("--stress", type=int, default=40, help="scenes per stress condition")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    one_core()
    started = time.time()
    result = {
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
            "opencv": cv2.__version__,
            "cores_used": 1,
        },
        "corpus": corpus(decoders(for_cards=False)),
        "scenes": scenes(decoders(for_cards=True), args.scenes, ScanPipeline()),
        "videos": videos(args.videos),
        "stress": stress(args.stress),
    }
    result["seconds"] = round(time.time() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
