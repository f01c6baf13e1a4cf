"""Pictures of slips for the verify-slip tests: genuine and doctored, scanned or
photographed (bench/slip_pictures.py, fake data), written as the files a checker has."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import pytest

from bench.slip_pictures import SampleSlip, Shot, sample_slip, slip_picture
from pser_desk.documents.slip import SlipData
from pser_desk.security.envelope import b64u_encode

# A phone photo a checker could take: tilted, a little perspective, uneven light, JPEG.
PHONE = Shot(dpi=200, rotation=12.0, perspective=0.04, blur=0.8, noise=4.0, jpeg=85,
             light=0.7, paper_gray=235, ink_gray=35)  # fmt: skip
# A flatbed scan at 150 dpi, straight, saved as PNG.
SCAN = Shot(dpi=150, rotation=-2.0, blur=0.4, noise=2.0)
# Glare over the rows: the QR code reads, the printed details do not.
GLARE = Shot(dpi=200, rotation=5.0, perspective=0.02, blur=0.8, noise=3.0, jpeg=85,
             glare=(0.5, 0.25, 0.35))  # fmt: skip

WritePicture = Callable[..., Path]


def device_key_option(slip: SampleSlip) -> str:
    return f"--device-key={b64u_encode(slip.public_key)}"


@pytest.fixture
def write_picture(tmp_path: Path) -> WritePicture:
    """``write_picture(slip, shot, name, printed=None)``: the picture of *slip* (or of the
    doctored *printed* data around its genuine QR code) in tmp_path/name (.png or .jpg)."""

    def write(slip: SampleSlip, shot: Shot, name: str, printed: SlipData | None = None) -> Path:
        path = tmp_path / name
        picture = slip_picture(slip, shot, seed=7, data=printed)
        params = [cv2.IMWRITE_JPEG_QUALITY, shot.jpeg] if shot.jpeg else []
        assert cv2.imwrite(str(path), picture, params)
        return path

    return write


@pytest.fixture(params=["a4", "80mm"])
def paper_slip(request: pytest.FixtureRequest) -> SampleSlip:
    """A genuine slip (version 2 token, its own device key) on each paper."""
    return sample_slip(41, request.param)
