"""Pictures of genuine and doctored slips: fake data only, deterministic per seed.

A slip is rendered exactly as ``pser-desk slip`` renders it (``render_slip`` with a real
version 2 token signed by a throwaway device key), rasterised by PDFium at a scanner's or
a phone's resolution, put on a table and photographed: perspective, rotation, uneven
light, blur, noise, JPEG; or damaged past reading (heavy blur, a fold of glare, cut off).
A doctored slip keeps the genuine token (its QR code) and prints one thing differently,
in the same font, as someone with the slip's PDF or a good copy of its font would:
one digit of the receipt number, the date changed by a day, an hour or ten minutes,
another masked CNIC, or another member count.

Used by bench/slip_picture_bench.py and by the tests (tests/plugins/slips.py).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import cv2
import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pser_desk.documents.slip import Paper, SlipData, render_slip
from pser_desk.documents.slip_model import render_darkness
from pser_desk.documents.slip_token import issue_token

DOCTORINGS = ("receipt_no", "date", "cnic", "members")
_HEADS = ["Muhammad Aslam", "Zarqoon Bibi", "Ghulam Rasool Chaudhry", "Ayesha Siddiqa Malik",
          "محمد اسلم", "نسرین بی بی", "Allah Ditta", "Rana Muhammad Saleem Akhtar Khan"]  # fmt: skip
_CENTRES = [("LHR-0042", "Model Town"), ("MUL-0107", "Govt Boys High School, Shah Rukn-e-Alam"),
            ("RWP-0100", "Union Council 12"), ("FSD-0031", "Jinnah Colony")]  # fmt: skip


@dataclass(frozen=True)
class SampleSlip:
    data: SlipData
    paper: Paper
    token: str
    public_key: bytes


@dataclass(frozen=True)
class Shot:
    """How a slip is scanned or photographed."""

    dpi: int  # pixels an inch on the paper (before perspective)
    rotation: float = 0.0  # degrees
    perspective: float = 0.0  # corners moved by up to this share of the longer side
    blur: float = 0.0  # Gaussian sigma, picture pixels
    noise: float = 0.0  # gray levels
    jpeg: int | None = None  # quality
    light: float = 1.0  # the darkest corner's brightness (1.0: even light)
    paper_gray: int = 245
    ink_gray: int = 25
    glare: tuple[float, float, float] | None = None  # centre x, y, radius: shares of the page
    keep: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1 kept (shares)


def sample_slip(seed: int, paper: Paper | None = None) -> SampleSlip:
    """A slip with fake but plausible data and a genuine version 2 token."""
    rng = random.Random(seed)
    key = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
    code, centre = rng.choice(_CENTRES)
    when = datetime(2026, 1, 1, 3, tzinfo=UTC) + timedelta(minutes=rng.randrange(500_000))
    receipt = f"{code}-{when:%Y%m%d}-{rng.randrange(1, 2000):04d}"
    digits = "3" + "".join(str(rng.randrange(10)) for _ in range(12))
    masked = f"{digits[:5]}-XXXXXXX-{digits[-1]}"
    members = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14])
    sid = f"{rng.getrandbits(128):032x}"
    sid = f"{sid[:8]}-{sid[8:12]}-4{sid[13:16]}-a{sid[17:20]}-{sid[20:]}"
    token = issue_token(key, receipt_no=receipt, submission_id=sid, cnic_digits=digits,
                        issued_at=when + timedelta(minutes=rng.randrange(0, 600)),
                        device_id=f"dev_{rng.getrandbits(40):010x}", printed_at=when,
                        member_count=members, cnic_masked=masked)  # fmt: skip
    data = SlipData(
        receipt_no=receipt, submission_id=sid, created_at=when, centre_code=code,
        centre_name=centre, operator_id=f"op_{rng.randrange(1, 40)}",
        head_name=rng.choice(_HEADS), cnic_masked=masked, member_count=members,
        tracking_id=rng.choice([None, f"PSER-26-{rng.randrange(10**9):09d}"]),
        reprint=rng.random() < 0.25,
    )  # fmt: skip
    raw = key.public_key().public_bytes_raw()
    return SampleSlip(data, paper or rng.choice(["a4", "80mm"]), token, raw)


def doctor(data: SlipData, kind: str, rng: random.Random) -> SlipData:
    """*data* with one printed detail changed as a forger would (*kind*: DOCTORINGS)."""
    if kind == "receipt_no":
        head, serial = data.receipt_no.rsplit("-", 1)
        i = rng.randrange(len(serial))
        digit = rng.choice([d for d in "0123456789" if d != serial[i]])
        return dataclasses.replace(data, receipt_no=f"{head}-{serial[:i]}{digit}{serial[i + 1 :]}")
    if kind == "date":
        step = rng.choice([timedelta(days=1), timedelta(days=-1), timedelta(hours=1),
                           timedelta(minutes=10), timedelta(days=3)])  # fmt: skip
        return dataclasses.replace(data, created_at=data.created_at + step)
    if kind == "cnic":
        head, _, tail = data.cnic_masked.split("-")
        i = rng.randrange(6)
        digits = head + tail
        new = rng.choice([d for d in "0123456789" if d != digits[i]])
        digits = digits[:i] + new + digits[i + 1 :]
        return dataclasses.replace(data, cnic_masked=f"{digits[:5]}-XXXXXXX-{digits[5]}")
    if kind == "members":
        count = data.member_count + rng.choice([-2, -1, 1, 2, 3])
        return dataclasses.replace(data, member_count=count if count > 0 else count + 4)
    raise ValueError(kind)


def random_shot(rng: random.Random, kind: str = "phone") -> Shot:
    """A usable scan ("scan") or phone photo ("phone")."""
    if kind == "scan":
        return Shot(dpi=rng.choice([150, 200, 300]), rotation=rng.uniform(-4, 4),
                    blur=rng.uniform(0.0, 1.0), noise=rng.uniform(0, 5),
                    jpeg=rng.choice([None, 90, 75]), light=rng.uniform(0.85, 1.0))  # fmt: skip
    return Shot(dpi=rng.choice([150, 200, 250]), rotation=rng.uniform(-25, 25),
                perspective=rng.uniform(0.0, 0.08), blur=rng.uniform(0.3, 1.6),
                noise=rng.uniform(2, 8), jpeg=rng.choice([95, 85, 70, 55]),
                light=rng.uniform(0.55, 1.0), paper_gray=rng.randrange(215, 250),
                ink_gray=rng.randrange(15, 70))  # fmt: skip


def unusable_shot(rng: random.Random, how: str) -> Shot:
    """A picture that cannot show the printed details: "blurred", "glare" or "cut"."""
    base = random_shot(rng, "phone")
    if how == "blurred":
        return dataclasses.replace(base, blur=rng.uniform(2.6, 3.2), dpi=200, perspective=0.02)
    if how == "glare":
        return dataclasses.replace(base, glare=(0.5, rng.uniform(0.2, 0.3), 0.35))
    if how == "cut":  # the QR code and what is under the rows, not the rows themselves
        return dataclasses.replace(base, keep=(0.0, 0.42, 1.0, 1.0), rotation=rng.uniform(-5, 5),
                                   perspective=0.01)  # fmt: skip
    raise ValueError(how)


def photograph(pdf: bytes, shot: Shot, seed: int) -> np.ndarray:
    """The PDF's first page as a grey picture taken as *shot* says (uint8)."""
    rng = np.random.default_rng(seed)
    ink = render_darkness(pdf, shot.dpi / 72)
    page = shot.paper_gray - ink * (shot.paper_gray - shot.ink_gray)
    height, width = page.shape
    if shot.keep is not None:
        x0, y0, x1, y1 = shot.keep
        page = page[int(y0 * height) : int(y1 * height), int(x0 * width) : int(x1 * width)]
        height, width = page.shape
    if shot.glare is not None:
        gx, gy, radius = shot.glare
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        distance = np.hypot(xx - gx * width, yy - gy * height) / (radius * max(width, height))
        page = np.maximum(page, 255 * np.exp(-(distance**2) * 3.0) + page * 0.2)
    pad = int(0.12 * max(height, width))
    table = rng.uniform(40, 140)
    scene = np.full((height + 2 * pad, width + 2 * pad), table, np.float32)
    scene[pad : pad + height, pad : pad + width] = page
    corners = np.float32([[pad, pad], [pad + width, pad], [pad + width, pad + height],
                          [pad, pad + height]])  # fmt: skip
    moved = corners + rng.uniform(-1, 1, (4, 2)).astype(np.float32) * shot.perspective * max(
        height, width
    )
    matrix = cv2.getPerspectiveTransform(corners, moved)
    centre = (scene.shape[1] / 2, scene.shape[0] / 2)
    matrix = np.vstack([cv2.getRotationMatrix2D(centre, shot.rotation, 1.0), [0, 0, 1]]) @ matrix
    placed = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), matrix).reshape(-1, 2)
    low, high = placed.min(axis=0) - pad / 2, placed.max(axis=0) + pad / 2  # the whole page
    matrix = np.array([[1, 0, -low[0]], [0, 1, -low[1]], [0, 0, 1]]) @ matrix
    size = (int(high[0] - low[0]), int(high[1] - low[1]))
    out = cv2.warpPerspective(scene, matrix, size, flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=table)  # fmt: skip
    if shot.light < 1.0:
        yy, xx = np.mgrid[0 : out.shape[0], 0 : out.shape[1]].astype(np.float32)
        angle = rng.uniform(0, 2 * np.pi)
        ramp = (np.cos(angle) * xx / out.shape[1] + np.sin(angle) * yy / out.shape[0] + 1) / 2
        out = out * (shot.light + (1 - shot.light) * ramp)
    if shot.blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), shot.blur)
    if shot.noise > 0:
        out = out + rng.normal(0, shot.noise, out.shape).astype(np.float32)
    picture = np.clip(out, 0, 255).astype(np.uint8)
    if shot.jpeg is not None:
        encoded = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, shot.jpeg])[1]
        picture = cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)
    return picture


def slip_picture(
    slip: SampleSlip, shot: Shot, seed: int, data: SlipData | None = None
) -> np.ndarray:
    """A picture of *slip* (or of *data* printed around its genuine token)."""
    return photograph(render_slip(data or slip.data, slip.paper, slip.token), shot, seed)
