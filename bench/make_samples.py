"""Write resources/samples/: fake card photos and a simulated camera's frames.

Run: ``.venv/bin/python -m bench.make_samples``. Fake data only (bench/cards.py);
deterministic, so re-running gives the same CNICs (``samples.json``).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import cv2

from bench.cards import FRAME_H, FRAME_W, SceneParams, background_frame, card_for, render_scene

OUT = Path(__file__).resolve().parent.parent / "resources" / "samples"
JPEG = [cv2.IMWRITE_JPEG_QUALITY, 72]


def main() -> None:
    cards_dir, camera_dir = OUT / "cards", OUT / "camera"
    for folder in (cards_dir, camera_dir):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.jpg"):
            old.unlink()
    manifest: dict[str, object] = {"fake_data": True, "cards": {}, "camera": {}}
    held = SceneParams(
        angle=-12.0, card_width=660, perspective=0.03, noise_sigma=3.0, blur_sigma=0.4
    )
    for kind, seed in (("snic-qr", 101), ("cnic-pdf417", 102)):
        card, cnic = card_for(kind, seed)
        name = f"{kind}.jpg"
        cv2.imwrite(str(cards_dir / name), render_scene(card, held, seed), JPEG)
        manifest["cards"][name] = cnic  # type: ignore[index]
    card, cnic = card_for("snic-qr", 103)
    frames = [background_frame(103), background_frame(104)]
    for i, x in enumerate((FRAME_W * 0.95, FRAME_W * 0.7, FRAME_W / 2, FRAME_W / 2, FRAME_W / 2)):
        params = dataclasses.replace(
            held, center=(x, FRAME_H / 2), angle=8.0, blur_sigma=1.4 if i < 2 else 0.4
        )
        frames.append(render_scene(card, params, 200 + i))
    for i, frame in enumerate(frames):
        cv2.imwrite(str(camera_dir / f"frame-{i:02d}.jpg"), frame, JPEG)
    manifest["camera"] = {"cnic": cnic, "frames": len(frames)}
    (OUT / "samples.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
