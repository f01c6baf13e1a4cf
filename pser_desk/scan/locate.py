"""Find tilted bar-code regions and straighten them, for decoders that need them upright.

zxing-cpp finds a QR at any angle but reads a PDF417 tilted by more than a few degrees
almost never. Bars make a region whose gradients are strong and all point the same way:
the structure tensor finds it (energy and coherence), its mean orientation says how far
it is turned, and a perspective warp of its outline gives the decoder an upright,
rectangular symbol.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

_WORK_WIDTH = 640  # the locator works on a downscaled copy
_MIN_AREA_FRACTION = 0.004
_MAX_REGIONS = 2


@dataclass(frozen=True)
class BarRegion:
    """A candidate region in full-frame pixels: its outline (4 corners) and bar angle."""

    quad: np.ndarray  # float32 (4, 2): top-left, top-right, bottom-right, bottom-left
    angle_deg: float  # direction of the gradient across the bars (0 = vertical bars)
    area: float


def _tensor(gray: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    size = (window, window)
    return cv2.blur(gx * gx, size), cv2.blur(gy * gy, size), cv2.blur(gx * gy, size)


def find_bar_regions(gray: np.ndarray) -> list[BarRegion]:
    """Regions of strong, parallel gradients (bars), largest first."""
    scale = min(1.0, _WORK_WIDTH / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    jxx, jyy, jxy = _tensor(small, 9)
    energy = jxx + jyy
    mask = (energy > max(0.2 * float(np.percentile(energy, 99)), 1500.0)).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    min_area = _MIN_AREA_FRACTION * small.shape[0] * small.shape[1]
    regions = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:_MAX_REGIONS]:
        area = cv2.contourArea(contour)
        if area < min_area:
            break
        angle = _mean_angle(contour, small.shape, jxx, jyy, jxy)
        quad = _outline(contour, angle) / scale
        regions.append(BarRegion(quad.astype(np.float32), angle, area / scale**2))
    return regions


def _mean_angle(
    contour: np.ndarray, shape: tuple[int, ...], jxx: np.ndarray, jyy: np.ndarray, jxy: np.ndarray
) -> float:
    inside = np.zeros(shape[:2], np.uint8)
    cv2.drawContours(inside, [contour], -1, 1, -1)
    sel = inside.astype(bool)
    sxx, syy, sxy = float(jxx[sel].sum()), float(jyy[sel].sum()), float(jxy[sel].sum())
    return math.degrees(0.5 * math.atan2(2 * sxy, sxx - syy))


def _outline(contour: np.ndarray, angle_deg: float) -> np.ndarray:
    """The 4 corners of the region, ordered as they are once the bars stand upright."""
    hull = cv2.convexHull(contour).reshape(-1, 2).astype(np.float32)
    quad = _four_corners(hull)
    theta = math.radians(-angle_deg)
    rot = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    upright = quad @ rot.T
    return _order(quad, upright)


def _four_corners(hull: np.ndarray) -> np.ndarray:
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.02, 0.04, 0.06, 0.1):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True).reshape(-1, 2)
        if len(approx) == 4:
            return approx.astype(np.float32)
    return cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)


def _order(quad: np.ndarray, upright: np.ndarray) -> np.ndarray:
    s = upright.sum(axis=1)
    d = upright[:, 0] - upright[:, 1]
    idx = [int(np.argmin(s)), int(np.argmax(d)), int(np.argmax(s)), int(np.argmin(d))]
    if len(set(idx)) < 4:  # degenerate: fall back to the rotated bounding box
        box = cv2.boxPoints(cv2.minAreaRect(quad)).astype(np.float32)
        return box
    return quad[idx]


def rectify(
    gray: np.ndarray, region: BarRegion, margin: float = 0.06, scale: float = 1.0
) -> np.ndarray:
    """The region warped to an upright rectangle (*scale* times its size in the frame)."""
    q = region.quad
    width = max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3]))
    height = max(np.linalg.norm(q[3] - q[0]), np.linalg.norm(q[2] - q[1]))
    w, h = int(round(width * scale)), int(round(height * scale))
    if w < 8 or h < 8:
        return np.zeros((0, 0), np.uint8)
    centre = q.mean(axis=0)
    grown = centre + (q - centre) * (1 + 2 * margin)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(grown.astype(np.float32), dst)
    flags = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_LINEAR
    return cv2.warpPerspective(gray, matrix, (w, h), flags=flags, borderValue=255)


def rotate_upright(gray: np.ndarray, angle_deg: float) -> np.ndarray:
    """The whole frame turned by *angle_deg* so that bars at that angle stand upright."""
    h, w = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
