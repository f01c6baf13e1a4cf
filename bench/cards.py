"""Generated CNIC card scenes: fake data only, deterministic per seed.

- A smart NIC's back with a QR (13-digit number plus more numeric data).
- An old CNIC's back with a PDF417 (CR-separated fields; Urdu name, father's name and
  address stored as the low byte of each U+06xx code point).
- Either card placed in a 1280x720 webcam-like scene: rotation up to 30 degrees,
  perspective, blur, noise, low light, glare and JPEG compression.

Used by the benchmark (bench/scan_bench.py), the tests and ``resources/samples/``.
Needs ``segno`` (runtime) and ``pdf417gen`` (test extra).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass

import cv2
import numpy as np
import pdf417gen
import segno

FRAME_W, FRAME_H = 1280, 720
CARD_W, CARD_H = 856, 540  # 10 px per mm in card coordinates

_NAMES = ["محمد", "علی", "احمد", "حسن", "فاطمہ", "عائشہ", "زینب", "عمر", "بلال", "نسرین", "کریم"]
_SURNAMES = ["خان", "بی بی", "اسلم", "رضا", "چوہدری", "بٹ", "قریشی", "ملک", "شیخ"]
_PLACES = ["لاہور", "ملتان", "فیصل آباد", "راولپنڈی", "گوجرانوالہ", "ساہیوال", "بہاولپور"]
_URDU_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


@dataclass(frozen=True)
class FakePerson:
    cnic: str
    family_no: str
    dob: dt.date
    issued: dt.datetime
    name_ur: str
    father_ur: str
    address_ur: str


def fake_cnic(rng: random.Random) -> str:
    """A valid-looking fake number: province 3 (Punjab), gender digit never 0."""
    body = "".join(str(rng.randrange(10)) for _ in range(11))
    return f"3{body}{rng.choice('123456789')}"


def fake_person(rng: random.Random) -> FakePerson:
    dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))
    issued = dt.datetime(2003, 1, 1) + dt.timedelta(minutes=rng.randrange(5_000_000))
    house = "".join(_URDU_DIGITS[int(d)] for d in str(rng.randrange(1, 999)))
    return FakePerson(
        cnic=fake_cnic(rng),
        family_no=f"{rng.randrange(10**6, 10**7)}{rng.choice('ABCDEFGH')}",
        dob=dob,
        issued=max(issued, dt.datetime.combine(dob, dt.time()) + dt.timedelta(days=6600)),
        name_ur=f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}",
        father_ur=f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}",
        address_ur=f"مکان نمبر {house} گلی {_URDU_DIGITS[rng.randrange(1, 10)]} {rng.choice(_PLACES)}",
    )


def urdu_low_bytes(text: str) -> bytes:
    """Each U+06xx character as its low byte; a space stays 0x20."""
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if ch == " ":
            out.append(0x20)
        elif 0x0600 <= code <= 0x06FF:
            out.append(code - 0x0600)
        else:
            raise ValueError(f"not in the Arabic block: U+{code:04X}")
    return bytes(out)


def old_card_payload(p: FakePerson) -> bytes:
    tracking = f"{random.Random(p.cnic).randrange(10**7, 10**8)}{p.issued:%Y%m%d%H%M%S}"
    fields = [
        tracking.encode(),
        p.cnic.encode(),
        p.family_no.encode(),
        f"{p.dob:%d%m%Y}".encode(),
        urdu_low_bytes(p.name_ur),
        urdu_low_bytes(p.father_ur),
        urdu_low_bytes(p.address_ur),
        urdu_low_bytes(p.address_ur.split()[-1]),
    ]
    return b"\r".join(fields)


def snic_payload(p: FakePerson, rng: random.Random) -> bytes:
    extra = "".join(str(rng.randrange(10)) for _ in range(rng.choice([0, 8, 12])))
    return (p.cnic + extra).encode()


def qr_image(payload: bytes, size_px: int) -> np.ndarray:
    qr = segno.make(payload, error="m", micro=False, boost_error=False)
    matrix = np.array(qr.matrix, dtype=np.uint8)
    img = np.where(matrix > 0, 0, 255).astype(np.uint8)
    img = cv2.copyMakeBorder(img, 4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255)
    return cv2.resize(img, (size_px, size_px), interpolation=cv2.INTER_NEAREST)


def pdf417_image(payload: bytes, width_px: int, height_px: int, columns: int = 10) -> np.ndarray:
    codes = pdf417gen.encode(payload, columns=columns, security_level=4)
    pil = pdf417gen.render_image(codes, scale=1, ratio=3, padding=0)
    img = np.array(pil.convert("L"), dtype=np.uint8)
    img = cv2.resize(img, (width_px, height_px), interpolation=cv2.INTER_NEAREST)
    return cv2.copyMakeBorder(img, 16, 16, 16, 16, cv2.BORDER_CONSTANT, value=255)


def _card_base(rng: random.Random, tint: tuple[int, int, int]) -> np.ndarray:
    card = np.zeros((CARD_H, CARD_W, 3), np.uint8)
    card[:] = tint
    ramp = np.linspace(0, 25, CARD_W, dtype=np.float32)[None, :, None]
    card = np.clip(card.astype(np.float32) - ramp, 0, 255).astype(np.uint8)
    for i in range(rng.randrange(3, 6)):
        y = 60 + i * 45
        cv2.putText(
            card,
            "XXXX XXXXXX XXX"[: rng.randrange(6, 15)],
            (40, y),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.9,
            (60, 70, 60),
            2,
        )
    return card


def smart_card(payload: bytes, rng: random.Random) -> np.ndarray:
    """The back of a fake smart NIC with its QR on the right."""
    card = _card_base(rng, (205, 228, 215))
    size = rng.randrange(150, 200)
    qr = cv2.cvtColor(qr_image(payload, size), cv2.COLOR_GRAY2BGR)
    x, y = CARD_W - size - 40, CARD_H - size - 40
    card[y : y + size, x : x + size] = qr
    return card


def old_card(payload: bytes, rng: random.Random) -> np.ndarray:
    """The back of a fake old CNIC with its PDF417 across the lower half."""
    card = _card_base(rng, (215, 225, 230))
    code = cv2.cvtColor(pdf417_image(payload, 760, 170), cv2.COLOR_GRAY2BGR)
    h, w = code.shape[:2]
    x, y = (CARD_W - w) // 2, CARD_H - h - 20
    card[y : y + h, x : x + w] = code
    return card


@dataclass(frozen=True)
class SceneParams:
    angle: float = 0.0
    card_width: float = 640.0
    center: tuple[float, float] = (FRAME_W / 2, FRAME_H / 2)
    perspective: float = 0.0  # corner jitter as a fraction of the card width
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    light: float = 1.0  # 1 = normal, 0.35 = a dim room
    glare: float = 0.0  # peak added brightness of a glare spot, 0 = none
    jpeg_quality: int = 90


def random_params(rng: random.Random, max_angle: float = 30.0) -> SceneParams:
    return SceneParams(
        angle=rng.uniform(-max_angle, max_angle),
        card_width=rng.uniform(560, 760),
        center=(rng.uniform(480, 800), rng.uniform(300, 420)),
        perspective=rng.uniform(0, 0.06),
        blur_sigma=rng.choice([0.0, rng.uniform(0.3, 1.2)]),
        noise_sigma=rng.uniform(2, 7),
        light=rng.choice([1.0, rng.uniform(0.4, 1.0)]),
        glare=rng.choice([0.0, rng.uniform(60, 150)]),
        jpeg_quality=rng.randrange(60, 92),
    )


def _background(rng: random.Random) -> np.ndarray:
    nprng = np.random.default_rng(rng.randrange(2**32))
    small = nprng.integers(60, 170, size=(9, 16, 3), dtype=np.uint8)
    bg = cv2.resize(small, (FRAME_W, FRAME_H), interpolation=cv2.INTER_CUBIC)
    for _ in range(6):
        x, y = rng.randrange(FRAME_W), rng.randrange(FRAME_H)
        color = tuple(rng.randrange(30, 220) for _ in range(3))
        cv2.rectangle(
            bg, (x, y), (x + rng.randrange(40, 300), y + rng.randrange(20, 200)), color, -1
        )
    return bg


def background_frame(seed: int) -> np.ndarray:
    """A 1280x720 desk scene with no card (the frames before a card is shown)."""
    rng = random.Random(f"background-{seed}")
    return degrade(_background(rng), random_params(rng), rng)


def _card_quad(p: SceneParams, rng: random.Random) -> np.ndarray:
    scale = p.card_width / CARD_W
    w, h = CARD_W * scale, CARD_H * scale
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    jitter = np.array([[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(4)])
    corners = corners + jitter * p.perspective * w
    theta = np.deg2rad(p.angle)
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    return (corners @ rot.T + np.array(p.center)).astype(np.float32)


def render_scene(
    card: np.ndarray, p: SceneParams, seed: int, background: np.ndarray | None = None
) -> np.ndarray:
    """*card* (card coordinates) placed in a 1280x720 BGR frame with the degradations of *p*."""
    rng = random.Random(seed)
    frame = _background(rng) if background is None else background.copy()
    src = np.array([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]], np.float32)
    quad = _card_quad(p, rng)
    homography = cv2.getPerspectiveTransform(src, quad)
    warped = cv2.warpPerspective(card, homography, (FRAME_W, FRAME_H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(
        np.full(card.shape[:2], 255, np.uint8), homography, (FRAME_W, FRAME_H)
    )
    np.copyto(frame, warped, where=(mask > 127)[:, :, None])
    return degrade(frame, p, rng, quad)


def degrade(
    frame: np.ndarray, p: SceneParams, rng: random.Random, quad: np.ndarray | None = None
) -> np.ndarray:
    """Blur, glare, low light, sensor noise and JPEG compression, as a webcam adds them."""
    img = cv2.GaussianBlur(frame, (0, 0), p.blur_sigma) if p.blur_sigma > 0 else frame
    img = img.astype(np.float32)
    if p.glare > 0:
        cv2.add(img, _glare(p, rng, quad), dst=img)
    noise = np.empty(img.shape, np.float32)
    cv2.setRNGSeed(rng.randrange(2**31))
    cv2.randn(noise, 0.0, p.noise_sigma)
    cv2.scaleAdd(img, p.light, noise, dst=img)
    out = cv2.convertScaleAbs(np.maximum(img, 0, out=img))
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, p.jpeg_quality])
    assert ok
    return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)


def _glare(p: SceneParams, rng: random.Random, quad: np.ndarray | None) -> np.ndarray:
    if quad is None:
        cx, cy = rng.uniform(0, FRAME_W), rng.uniform(0, FRAME_H)
    else:
        a, b = rng.random(), rng.random()
        top = quad[0] + (quad[1] - quad[0]) * a
        bottom = quad[3] + (quad[2] - quad[3]) * a
        cx, cy = top + (bottom - top) * b
    radius = rng.uniform(50, 120)
    step = 4  # computed on a coarse grid, then enlarged: a glare spot is smooth
    yy, xx = np.mgrid[0:FRAME_H:step, 0:FRAME_W:step].astype(np.float32)
    spot = p.glare * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2))
    spot = cv2.resize(spot.astype(np.float32), (FRAME_W, FRAME_H), interpolation=cv2.INTER_LINEAR)
    return cv2.merge([spot, spot, spot])


@dataclass(frozen=True)
class CardScene:
    kind: str  # "snic-qr" | "cnic-pdf417"
    cnic: str
    seed: int
    params: SceneParams
    frame: np.ndarray = dataclasses.field(repr=False)


def card_for(kind: str, seed: int) -> tuple[np.ndarray, str]:
    """The card image (card coordinates) of *kind* for *seed*, and its CNIC."""
    rng = random.Random(f"card-{kind}-{seed}")
    person = fake_person(rng)
    if kind == "snic-qr":
        return smart_card(snic_payload(person, rng), rng), person.cnic
    if kind == "cnic-pdf417":
        return old_card(old_card_payload(person), rng), person.cnic
    raise ValueError(f"unknown card kind {kind!r}")


def card_scene(
    kind: str, seed: int, params: SceneParams | None = None, max_angle: float = 30.0
) -> CardScene:
    card, cnic = card_for(kind, seed)
    rng = random.Random(f"scene-{kind}-{seed}")
    params = params or random_params(rng, max_angle)
    return CardScene(kind, cnic, seed, params, render_scene(card, params, seed))


def card_video_frames(
    kind: str, seed: int, n_move: int = 18, n_hold: int = 22
) -> tuple[list[np.ndarray], str]:
    """Frames of a card sliding into view from the right (``n_move`` frames), then held."""
    card, cnic = card_for(kind, seed)
    rng = random.Random(f"video-{kind}-{seed}")
    base = random_params(rng, max_angle=15.0)
    base = dataclasses.replace(
        base, glare=0.0, light=max(base.light, 0.7), blur_sigma=min(base.blur_sigma, 0.6)
    )
    background = _background(rng)
    end_x, y = FRAME_W / 2, FRAME_H / 2
    start_x = FRAME_W + base.card_width / 2
    frames = []
    for i in range(n_move + n_hold):
        a = min(1.0, i / n_move)
        moving = i < n_move
        params = dataclasses.replace(
            base,
            center=(start_x + (end_x - start_x) * a, y),
            blur_sigma=base.blur_sigma + (1.5 if moving else 0.0),
        )
        frames.append(render_scene(card, params, seed * 1000 + i, background))
    return frames, cnic


def write_video(frames: list[np.ndarray], path: str, fps: float = 15.0) -> None:
    """An MJPG .avi (what a webcam delivers; it plays back through cv2.VideoCapture)."""
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise OSError(f"cannot write video {path}")
    try:
        for frame in frames:
            writer.write(frame)
    finally:
        writer.release()
