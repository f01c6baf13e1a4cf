"""A photo or scan of a slip against what its token signs (issue 13 item 6).

A picture has no text layer, but the slip's layout is ours: the slip the token describes
is rebuilt (``slip_model``) and the picture is lined up with it, then only the places
where signed values are printed are compared, each with the value the token signs and
with every value a forger could have printed instead, drawn the same way:

1. The QR code's corners (zxing-cpp) give a first homography from the rebuilt slip to the
   picture; ECC (OpenCV) refines it on the part of the page that sits at a fixed place
   from the QR code (the rule under the rows, the next steps, the QR code, the hints).
   Both papers are tried; the better fit is the slip's paper. The same fit tells how
   blurred the picture is (the blur that makes the rebuilt page most like it).
2. Each group of signed rows (receipt and date; CNIC and members) is found by its
   labels, at the place the layout gives or higher up (rows of unsigned text above the QR
   code may be taller on the real slip than in the rebuilt one).
3. Each character of a value a forger could change is compared with the value as signed
   and with the value holding each other character in its place (the month as a whole in
   the English date), drawn at the picture's blur: least squares on the ink tell where
   the picture lies between the two drawings (:func:`_likelier`). Clearly nearer another
   character is a difference; clearly nearer the signed one against every other, an
   agreement; anything else (blur, glare, shadow, a fold) cannot be told from this
   picture. Beside the member count, on its label's side, "nothing" is compared with
   every digit there (a count made longer: 3 made 13).

The outcome of a field is "agrees", "differs" (FORGED) or "unclear" (the command then
asks for the field to be compared by eye and exits with its own code). The thresholds
were chosen with ``bench/slip_picture_calibrate.py`` and measured on other pictures by
``bench/slip_picture_bench.py`` (docs/performance.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pser_desk.documents.slip import PAPERS
from pser_desk.documents.slip_model import (
    PX_PER_MM,
    Box,
    Image,
    PrintedValue,
    SlipModel,
    build_model,
    draw_glyphs,
    signed_fields,
    thin_ink,
    units,
)
from pser_desk.documents.slip_token import SlipClaims

log = logging.getLogger(__name__)

# Below these the picture cannot tell a digit from another.
MIN_PX_PER_MM = 3.0
DOWNSCALE_TO = 1.25 * PX_PER_MM
A4_QR_SYMBOL_MM = 62.0 * 49 / 57  # the largest QR symbol a slip prints (version 8 on A4)
# How well the fixed part of the page must fit before anything is compared.
FIT_MIN = 0.40
# Labels: the best place must be this good and this much better than any other row.
LABEL_MIN = 0.45
LABEL_MARGIN = 0.06
# Characters: the ink must look like text (a drawing matches it this well, with this much
# contrast); then it is another character than the signed one only when the picture is
# nearer the other drawing (t >= T_OTHER) by Z_DIFFERS standard errors, and the signed
# one only when nearer it (t <= T_SIGNED) by Z_AGREES standard errors against every other.
# A standard error counts one independent sample an area BLUR_AREA * sigma^2 of the blur.
# Chosen by bench/slip_picture_calibrate.py (195 pictures): with half that area and
# Z_DIFFERS 2.5, hard photos already gave false differences.
GLYPH_MIN = 0.40
MIN_GAIN = 0.15
T_OTHER = 0.65
T_SIGNED = 0.35
Z_DIFFERS = 3.0
Z_AGREES = 2.5
BLUR_AREA = 4 * np.pi
NOISE_SIGMA = 0.7  # both the picture and the templates are smoothed by this much (px)
BLURS = (0.0, 0.6, 1.0, 1.5, 2.0, 2.8, 3.8)
SEARCH_UP_MM = 55.0
SEARCH_DOWN_MM = 2.0
SEARCH_SIDE_MM = 2.0
VALUE_SHIFT_PX = 5
MIN_GLYPHS_TO_ALIGN = 6  # and to tell its own blur, among these multiples of the page's
BLUR_STEPS = (0.8, 1.0, 1.25, 1.55)
GLYPH_SHIFT_PX = 1

AGREES, DIFFERS, UNCLEAR = "agrees", "differs", "unclear"
FIELD_NAMES = {"receipt_no": "receipt number", "date": "date", "cnic": "CNIC",
               "members": "members"}  # fmt: skip

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class FieldCheck:
    field: str  # receipt_no, date, cnic, members
    urdu: bool
    outcome: str  # agrees, differs, unclear
    signed: str  # the value as the token signs it (as printed)
    seen: str | None = None  # what the picture seems to print instead (? where unsure)
    reason: str | None = None  # why a field is unclear

    @property
    def name(self) -> str:
        return f"{FIELD_NAMES[self.field]} ({'Urdu' if self.urdu else 'English'})"

    def describe(self) -> str:
        if self.outcome == DIFFERS and self.seen is not None:
            return f"{self.name}: the slip prints {self.seen}; the code signs {self.signed}"
        if self.outcome == DIFFERS:
            return f"{self.name}: {self.reason}; the code signs {self.signed}"
        if self.outcome == UNCLEAR:
            return f"{self.name}: {self.reason}; compare by eye with {self.signed}"
        return f"{self.name}: {self.signed}"

    def as_json(self) -> dict[str, object]:
        return {"field": self.field, "column": "urdu" if self.urdu else "english",
                "outcome": self.outcome, "signed": self.signed, "seen": self.seen,
                "reason": self.reason, "text": self.describe()}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PictureCheck:
    paper: str | None
    fields: tuple[FieldCheck, ...]
    fit: float  # how well the page lined up (normalised cross-correlation)

    @property
    def differences(self) -> list[FieldCheck]:
        return [f for f in self.fields if f.outcome == DIFFERS]

    @property
    def unclear(self) -> list[FieldCheck]:
        return [f for f in self.fields if f.outcome == UNCLEAR]

    def as_json(self) -> dict[str, object]:
        return {"paper": self.paper, "fit": round(self.fit, 3),
                "fields": [f.as_json() for f in self.fields]}  # fmt: skip


@dataclass
class _Fit:
    model: SlipModel
    homography: Matrix  # canonical -> picture
    score: float
    blur: float


def check_picture(
    gray: npt.NDArray[np.uint8], corners: Sequence[tuple[float, float]], claims: SlipClaims,
    token: str,
) -> PictureCheck:  # fmt: skip
    """Compare the picture *gray* of a slip whose QR code (*token*, a genuine one) has
    *corners* (top-left, top-right, bottom-right, bottom-left, in the symbol's own
    orientation) with what the token signs. Never raises for what a picture holds: a
    picture that cannot be lined up (a degenerate QR position, a token whose values our
    layout cannot print on one line) is unclear in every field."""
    import cv2

    try:
        return _check(gray, corners, claims, token)
    except (cv2.error, np.linalg.LinAlgError, ValueError) as exc:
        log.info("a slip picture could not be compared (%s)", exc.__class__.__name__)
        return _all_unclear(claims, token, "the slip could not be lined up with its QR code")


def _check(
    gray: npt.NDArray[np.uint8], corners: Sequence[tuple[float, float]], claims: SlipClaims,
    token: str,
) -> PictureCheck:  # fmt: skip
    import cv2

    points = np.asarray(corners, np.float64).reshape(4, 2)
    side = float(np.mean([np.linalg.norm(points[i] - points[(i + 1) % 4]) for i in range(4)]))
    px_per_mm = side / A4_QR_SYMBOL_MM
    if px_per_mm < MIN_PX_PER_MM:
        return _all_unclear(claims, token, "the picture is too small to read it")
    if px_per_mm > DOWNSCALE_TO:
        factor = DOWNSCALE_TO / px_per_mm
        gray = np.asarray(cv2.resize(gray, None, fx=factor, fy=factor,
                                     interpolation=cv2.INTER_AREA), dtype=np.uint8)  # fmt: skip
        points = points * factor
        px_per_mm = DOWNSCALE_TO
    dark = darkness(gray, px_per_mm)
    fits = [_fit(build_model(claims, token, paper), dark, points, ECC_COARSE) for paper in PAPERS]
    best = max(fits, key=lambda fit: fit.score)
    best = _fit(best.model, dark, points, ECC_FINE, best.homography)
    if best.score < FIT_MIN:
        return _all_unclear(claims, token, "the slip could not be lined up with its QR code",
                            best.score)  # fmt: skip
    best.blur = _blur_of(best, dark)
    return _compare(best, dark)


def darkness(gray: npt.NDArray[np.uint8], px_per_mm: float) -> Image:
    """Ink darkness 0..1 against the paper's own brightness nearby (uneven light, shadow)."""
    import cv2

    size = max(3, int(4 * px_per_mm) | 1)
    paper = cv2.dilate(gray, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    paper = cv2.blur(paper.astype(np.float32), (size, size))
    ink = 1.0 - gray.astype(np.float32) / np.maximum(paper, 1.0)
    return thin_ink(np.clip(ink, 0.0, 1.0).astype(np.float32), px_per_mm)


def _all_unclear(
    claims: SlipClaims, token: str, reason: str, fit: float = 0.0
) -> PictureCheck:  # fmt: skip
    import cv2

    try:
        values = build_model(claims, token, "a4").values
    except (ValueError, cv2.error):
        values = []
    fields = tuple(FieldCheck(v.field, v.urdu, UNCLEAR, v.text, None, reason) for v in values)
    if not fields:
        fields = tuple(FieldCheck(f, False, UNCLEAR, "?", None, reason)
                       for f in signed_fields(claims))  # fmt: skip
    return PictureCheck(None, fields, fit)


# ---------------------------------------------------------------- lining up


def _qr_points(box: Box) -> npt.NDArray[np.float32]:
    return np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]],
                    np.float32)  # fmt: skip


def _translation(dx: float, dy: float) -> Matrix:
    return np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1]], np.float64)


def _fit(
    model: SlipModel, dark: Image, corners: npt.NDArray[np.float64],
    steps: Sequence[tuple[float, int]], start: Matrix | None = None,
) -> _Fit:  # fmt: skip
    """The rebuilt slip lined up with the picture by ECC *steps*, from the QR code's
    corners (or *start*), and how well: the normalised cross-correlation of the fixed part
    of the page, at half scale. ECC's answer is kept only if it fits better."""
    first = _homography(_qr_points(model.qr), corners)
    x0, y0, x1, y1 = model.fixed.whole()
    template = model.image[y0:y1, x0:x1]
    guess = first if start is None else start
    warp = _ecc(template, dark, guess @ _translation(x0, y0), steps)
    refined = warp @ _translation(-x0, -y0)
    candidates = [guess] + ([refined] if _near(refined, first, model.qr) else [])
    scored = [(_fit_score(model, dark, h), i, h) for i, h in enumerate(candidates)]
    score, _, homography = max(scored, key=lambda item: (item[0], item[1]))
    return _Fit(model, homography, score, 0.0)


def _fit_score(model: SlipModel, dark: Image, homography: Matrix) -> float:
    import cv2

    x0, y0, x1, y1 = model.fixed.whole()
    half = np.diag([0.5, 0.5, 1.0])
    size = ((x1 - x0) // 2, (y1 - y0) // 2)
    seen = _f32(cv2.warpPerspective(dark, homography @ _translation(x0, y0) @ np.linalg.inv(half),
                                    size, flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP))  # fmt: skip
    small = _f32(cv2.resize(model.image[y0:y1, x0:x1], size, interpolation=cv2.INTER_AREA))
    return _ncc(_smooth(small, 0.5), _smooth(seen, 0.5))


def _blur_of(fit: _Fit, dark: Image) -> float:
    """How blurred the picture is, in canonical pixels: the blur that makes the rebuilt
    QR code and the text under it most like the picture's."""
    import cv2

    qr, fixed = fit.model.qr, fit.model.fixed
    x0, y0, x1, y1 = Box(qr.x0 - 2 * PX_PER_MM, qr.y0 - 2 * PX_PER_MM, qr.x1 + 2 * PX_PER_MM,
                         fixed.y1).whole()  # fmt: skip
    template = fit.model.image[y0:y1, x0:x1]
    seen = _f32(cv2.warpPerspective(dark, fit.homography @ _translation(x0, y0),
                                    (x1 - x0, y1 - y0),
                                    flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP))  # fmt: skip
    seen = _smooth(seen, NOISE_SIGMA)
    scores = [(_ncc(_smooth(template, float(np.hypot(b, NOISE_SIGMA))), seen), b) for b in BLURS]
    return max(scores)[1]


# (scale, iterations): each paper coarsely, then the better one finer
ECC_COARSE = ((0.25, 50),)
ECC_FINE = ((0.5, 12),)


def _ecc(template: Image, dark: Image, warp: Matrix, steps: Sequence[tuple[float, int]]) -> Matrix:
    """Refine *warp* (template -> picture) by ECC *steps*; *warp* if it fails."""
    import cv2

    result = warp
    for factor, iterations in steps:
        scale = np.diag([factor, factor, 1.0])
        small_t = _f32(
            cv2.resize(template, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        )
        small_d = _f32(cv2.resize(dark, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA))
        guess = (scale @ result @ np.linalg.inv(scale)).astype(np.float32)
        criteria = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, iterations, 1e-4)
        try:
            _, found = cv2.findTransformECC(small_t, small_d, guess, cv2.MOTION_HOMOGRAPHY,
                                            criteria, None, 3)  # type: ignore[call-overload]  # fmt: skip
        except cv2.error:
            return result
        result = np.linalg.inv(scale) @ np.asarray(found, dtype=np.float64) @ scale
    return result


def _near(homography: Matrix, first: Matrix, qr: Box) -> bool:
    """ECC stayed with the QR code: its corners moved by less than a tenth of its side."""
    import cv2

    points = _qr_points(qr).reshape(-1, 1, 2)
    a = cv2.perspectiveTransform(points, homography)
    b = cv2.perspectiveTransform(points, first)
    side = float(np.linalg.norm(b[1, 0] - b[0, 0]))
    return bool(np.max(np.linalg.norm(a - b, axis=2)) < side / 10)


def _f32(image: object) -> Image:
    return np.asarray(image, dtype=np.float32)


def _homography(source: npt.NDArray[np.float32], target: npt.NDArray[np.float64]) -> Matrix:
    import cv2

    return np.asarray(cv2.getPerspectiveTransform(source, target.astype(np.float32)),
                      dtype=np.float64)  # fmt: skip


def _smooth(image: Image, sigma: float) -> Image:
    import cv2

    if sigma <= 0.05:
        return image
    return _f32(cv2.GaussianBlur(image, (0, 0), sigma))


def _ncc(a: Image, b: Image) -> float:
    a = a - a.mean()
    b = b - b.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denominator) if denominator > 1e-9 else 0.0


# ---------------------------------------------------------------- comparing


@dataclass
class _Frame:
    """The picture warped onto the rebuilt slip's pixels, with room above the page."""

    image: Image  # darkness, smoothed by NOISE_SIGMA
    inside: npt.NDArray[np.bool_]  # pixels that come from inside the picture
    top: int  # canonical y of row 0
    blur: float  # the templates' smoothing (the picture's blur and NOISE_SIGMA)

    def crop(self, box: tuple[int, int, int, int]) -> tuple[Image, bool] | None:
        """The frame's pixels in *box* (canonical) and whether all lie in the picture."""
        x0, y0, x1, y1 = box
        y0, y1 = y0 - self.top, y1 - self.top
        if x0 < 0 or y0 < 0 or x1 > self.image.shape[1] or y1 > self.image.shape[0]:
            return None
        return self.image[y0:y1, x0:x1], bool(self.inside[y0:y1, x0:x1].all())


def _frame(fit: _Fit, dark: Image) -> _Frame:
    import cv2

    top = -int(2 * SEARCH_UP_MM * PX_PER_MM)
    model = fit.model
    size = (model.width, model.height - top)
    matrix = fit.homography @ _translation(0, top)
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    image = _f32(cv2.warpPerspective(dark, matrix, size, flags=flags))
    inside = cv2.warpPerspective(np.full(dark.shape, 255, np.uint8), matrix, size,
                                 flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP)  # fmt: skip
    return _Frame(
        _smooth(image, NOISE_SIGMA), inside > 0, top, float(np.hypot(fit.blur, NOISE_SIGMA))
    )


def _compare(fit: _Fit, dark: Image) -> PictureCheck:
    frame = _frame(fit, dark)
    model = fit.model
    checks: list[FieldCheck] = []
    up, down = int(SEARCH_UP_MM * PX_PER_MM), int(SEARCH_DOWN_MM * PX_PER_MM)
    lowest, highest = down, -up
    for group in model.groups:  # bottom first: rows above are at least as far up
        found = _find_group(group, model, frame, lowest, highest)
        if isinstance(found, str):
            checks += [FieldCheck(v.field, v.urdu, UNCLEAR, v.text, None, found) for v in group]
            continue
        shift_x, shift_y = found
        lowest, highest = shift_y + down, shift_y - up
        blur = frame.blur  # a short value (members) takes the one of the row above
        for value in group:
            check, blur = _check_value(value, frame, shift_x, shift_y, blur)
            checks.append(check)
    order = {(v.field, v.urdu): i for i, v in enumerate(model.values)}
    checks.sort(key=lambda c: order[(c.field, c.urdu)])
    return PictureCheck(model.paper, tuple(checks), fit.score)


def _template(model: SlipModel, box: tuple[int, int, int, int], blur: float) -> Image:
    x0, y0, x1, y1 = box
    pad = int(3 * blur) + 2
    part = model.image[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    part = _smooth(np.ascontiguousarray(part), blur)
    oy, ox = y0 - max(0, y0 - pad), x0 - max(0, x0 - pad)
    return np.ascontiguousarray(part[oy : oy + y1 - y0, ox : ox + x1 - x0])


def _find_group(
    group: list[PrintedValue], model: SlipModel, frame: _Frame, lowest: int, highest: int
) -> tuple[int, int] | str:
    """Where the rows of *group* are: (x shift, y shift) in pixels, the y shift between
    *highest* and *lowest* (negative: higher on the page); or why they were not found."""
    import cv2

    side = int(SEARCH_SIDE_MM * PX_PER_MM)
    highest = max(highest, frame.top - min(v.label.whole()[1] for v in group) + side)
    maps = []
    for value in group:
        box = value.label.grown(PX_PER_MM * 0.5).whole()
        template = _template(model, box, frame.blur)
        x0, y0, x1, y1 = box
        region = frame.crop((x0 - side, y0 + highest, x1 + side, y1 + lowest))
        if region is None or lowest < highest or float(template.std()) < 1e-4:
            return "the slip is cut off there"
        maps.append(cv2.matchTemplate(region[0], template, cv2.TM_CCOEFF_NORMED))
    joint = np.mean(maps, axis=0)
    row, col = np.unravel_index(int(np.argmax(joint)), joint.shape)
    best = float(joint[row, col])
    shift_x, shift_y = int(col) - side, int(row) + highest
    if best < LABEL_MIN:
        return "the row was not found in the picture (blurred, dark or cut off)"
    away = int(group[0].em * 0.9)
    others = joint.copy()
    others[max(0, row - away) : row + away + 1, :] = -1.0
    if others.size and best - float(others.max()) < LABEL_MARGIN:
        return "the row cannot be told from the others in this picture"
    for value in group:
        x0, y0, x1, y1 = value.label.whole()
        placed = frame.crop((x0 + shift_x, y0 + shift_y, x1 + shift_x, y1 + shift_y))
        if placed is None or not placed[1]:
            return "the slip is cut off there"
    return shift_x, shift_y


def _check_value(
    value: PrintedValue, frame: _Frame, shift_x: int, shift_y: int, blur: float
) -> tuple[FieldCheck, float]:  # fmt: skip
    """The field's outcome, and the blur its picture showed (*blur* for a short value)."""
    import cv2

    def unclear(reason: str) -> tuple[FieldCheck, float]:
        return FieldCheck(value.field, value.urdu, UNCLEAR, value.text, None, reason), blur

    around = value.box().grown(value.em * 0.3)
    x0, y0, x1, y1 = around.whole()
    s = VALUE_SHIFT_PX
    region = frame.crop((x0 + shift_x - s, y0 + shift_y - s, x1 + shift_x + s, y1 + shift_y + s))
    if region is None or not region[1]:
        return unclear("the slip is cut off there")
    if len(value.text) >= MIN_GLYPHS_TO_ALIGN:  # a changed character cannot pull it aside
        best = (-2.0, 0, 0, blur)
        for candidate in (blur * step for step in BLUR_STEPS):
            expected = draw_glyphs(value.glyphs(), value.font, value.size, value.baseline,
                                   around, candidate)  # fmt: skip
            scores = cv2.matchTemplate(region[0], expected, cv2.TM_CCOEFF_NORMED)
            _, top, _, (dx, dy) = cv2.minMaxLoc(scores)
            best = max(best, (top, dx, dy, candidate))
        _, dx, dy, blur = best
        shift_x, shift_y = shift_x + int(dx) - s, shift_y + int(dy) - s
    seen = list(value.text)
    verdicts = []
    for start, end, choices in reversed(list(units(value))):  # right to left: seen's indices hold
        verdict, other = _compare_unit(value, frame, shift_x, shift_y, blur, start, end,
                                       choices)  # fmt: skip
        verdicts.append(verdict)
        if verdict == DIFFERS:
            seen[start:end] = [other] + [""] * (end - start - 1)
        elif verdict == UNCLEAR:
            seen[start:end] = ["?"] + [""] * (end - start - 1)
    if DIFFERS in verdicts:
        return FieldCheck(value.field, value.urdu, DIFFERS, value.text, "".join(seen)), blur
    if UNCLEAR in verdicts:
        return unclear("the picture does not show it clearly enough (blurred, glare or shadow)")
    return FieldCheck(value.field, value.urdu, AGREES, value.text), blur


def _compare_unit(
    value: PrintedValue, frame: _Frame, shift_x: int, shift_y: int, blur: float, start: int,
    end: int, choices: tuple[str, ...],
) -> tuple[str, str]:  # fmt: skip
    """(verdict, the likeliest other choice) for text[start:end]."""
    signed = value.text[start:end]
    spans = [value.span(start, end, choice) for choice in choices]
    top, bottom = value.band()
    pad = value.em * 0.25
    around = Box(min(s[0] for s in spans) - pad, top - 2, max(s[1] for s in spans) + pad,
                 bottom + 2)  # fmt: skip
    x0, y0, x1, y1 = around.whole()
    r = GLYPH_SHIFT_PX
    region = frame.crop((x0 + shift_x - r, y0 + shift_y - r, x1 + shift_x + r, y1 + shift_y + r))
    if region is None:
        return UNCLEAR, "?"
    near = (around.x0 - value.em * 2, around.x1 + value.em * 2)
    drawn = {}
    for choice in choices:
        glyphs = [g for g in value.glyphs_with(start, end, choice) if near[0] < g[1] < near[1]]
        drawn[choice] = draw_glyphs(glyphs, value.font, value.size, value.baseline, around,
                                    blur)  # fmt: skip
    seen = _best_place(region[0], list(drawn.values()))
    if seen is None:
        return UNCLEAR, "?"
    likely = {c: _likelier(seen, drawn[signed], t, blur)
              for c, t in drawn.items() if c != signed}  # fmt: skip
    verdicts = {c: _decide(*tested) for c, tested in likely.items()}
    differing = [c for c, verdict in verdicts.items() if verdict == DIFFERS]
    if differing:  # what the slip seems to print: the drawing nearest the picture
        return DIFFERS, max(differing, key=lambda c: _ncc(seen, drawn[c]))
    if all(v == AGREES for v in verdicts.values()):
        return AGREES, signed
    return UNCLEAR, max(likely, key=lambda c: likely[c][0])


def _best_place(region: Image, templates: list[Image]) -> Image | None:
    """The part of *region* that best matches any of *templates* (all one size)."""
    import cv2

    best, place = -2.0, (0, 0)
    for template in templates:
        if float(template.std()) < 1e-4:
            continue
        scores = cv2.matchTemplate(region, template, cv2.TM_CCOEFF_NORMED)
        _, top, _, (x, y) = cv2.minMaxLoc(scores)
        if top > best:
            best, place = top, (x, y)
    if best < GLYPH_MIN:
        return None
    h, w = templates[0].shape
    return region[place[1] : place[1] + h, place[0] : place[0] + w]


def _likelier(seen: Image, signed: Image, other: Image, blur: float) -> tuple[float, float]:
    """How far *seen* is from the *signed* drawing towards the *other* one (0: signed,
    1: other), by least squares on ink = gain * (signed + t * (other - signed)) + offset;
    and t's standard error (infinite when the picture shows too little contrast)."""
    columns = np.stack([signed.ravel(), (other - signed).ravel(), np.ones(signed.size)], axis=1)
    target = seen.ravel().astype(np.float64)
    normal = columns.T @ columns
    try:
        inverse = np.linalg.inv(normal)
    except np.linalg.LinAlgError:
        return 0.5, float("inf")
    fitted = inverse @ (columns.T @ target)
    gain, toward = float(fitted[0]), float(fitted[1])
    if gain < MIN_GAIN:
        return 0.5, float("inf")
    residual = target - columns @ fitted
    # Neighbouring pixels of a blurred picture are not independent: count one sample an
    # area of the blur.
    samples = target.size / max(1.0, BLUR_AREA * blur * blur)
    sigma = float(np.sqrt(residual @ residual / max(1.0, target.size - 3)))
    error = sigma * float(np.sqrt(inverse[1, 1] * target.size / samples)) / gain
    return toward / gain, error


def _decide(t: float, error: float) -> str:
    if t >= T_OTHER and t - 0.5 >= Z_DIFFERS * error:
        return DIFFERS
    if t <= T_SIGNED and 0.5 - t >= Z_AGREES * error:
        return AGREES
    return UNCLEAR
