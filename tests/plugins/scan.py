"""Generated card images and videos for the scanning tests (fake data, bench/cards.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import pytest

from bench.cards import (
    SceneParams,
    card_for,
    card_scene,
    card_video_frames,
    render_scene,
    write_video,
)


@dataclass(frozen=True)
class CardFile:
    path: Path
    cnic: str


@pytest.fixture
def card_image(tmp_path: Path) -> Callable[..., CardFile]:
    """``card_image(kind, seed, params=None)`` -> a JPEG of a card scene and its CNIC."""

    def make(kind: str, seed: int, params: SceneParams | None = None) -> CardFile:
        if params is None:
            scene = card_scene(kind, seed)
            frame, cnic = scene.frame, scene.cnic
        else:
            card, cnic = card_for(kind, seed)
            frame = render_scene(card, params, seed)
        path = tmp_path / f"{kind}-{seed}.jpg"
        assert cv2.imwrite(str(path), frame)
        return CardFile(path, cnic)

    return make


@dataclass(frozen=True)
class CardVideo:
    path: Path
    cnic: str
    frames: int


@pytest.fixture(scope="session")
def card_video(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., CardVideo]:
    """``card_video(kind, seed)`` -> a 15 fps MJPG .avi of a card sliding into view.

    Made once per session for each set of arguments (rendering frames takes a while);
    tests only read the file.
    """
    folder = tmp_path_factory.mktemp("card-videos")
    made: dict[tuple[str, int, int, int], CardVideo] = {}

    def make(kind: str = "snic-qr", seed: int = 0, n_move: int = 18, n_hold: int = 22) -> CardVideo:
        key = (kind, seed, n_move, n_hold)
        if key not in made:
            frames, cnic = card_video_frames(kind, seed, n_move, n_hold)
            path = folder / f"{kind}-{seed}-{n_move}-{n_hold}.avi"
            write_video(frames, str(path))
            made[key] = CardVideo(path, cnic, len(frames))
        return made[key]

    return make
