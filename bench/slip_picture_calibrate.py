"""How slip_picture's thresholds were chosen: replay its per-character decisions on a
calibration corpus for other thresholds.

Run: ``.venv/bin/python -m bench.slip_picture_calibrate [--slips 60]`` (about 8 minutes;
writes bench/results/slip_picture_calibration.json).

The corpus (bench/slip_pictures.py, seeds 0 to N-1, none of which the benchmark uses):
for each slip a genuine scan or phone photo, a doctored one (the four kinds in turn), a
hard photo (more blur, JPEG 40, deep shadow) and, for every fourth, an unusable one. Each
picture is checked once; every comparison of a character with another (its ``t`` and
standard error) is recorded, and the outcomes are recomputed for each setting of
``BLUR_AREA`` (the pixels one independent sample of a blurred picture counts for, in
sigma^2), ``Z_DIFFERS`` and ``Z_AGREES``. The setting shipped is the most cautious one
that gave no FORGED on any genuine, hard or unusable picture with a margin of one step,
and found every forgery it could see.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

import pser_desk.documents.slip_picture as sp
from bench.slip_pictures import (
    DOCTORINGS,
    doctor,
    random_shot,
    sample_slip,
    slip_picture,
    unusable_shot,
)
from pser_desk.documents.slip_reader import _found_in
from pser_desk.documents.slip_token import Verified, verify_token

RESULTS = Path(__file__).resolve().parent / "results" / "slip_picture_calibration.json"
AREAS = (1.0, 4.0, 2 * math.pi, 4 * math.pi, 8 * math.pi)
Z_PAIRS = ((2.5, 2.5), (3.0, 2.0), (3.0, 2.5), (3.0, 3.0))


def record(pictures: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Check each picture, keeping every character comparison (t, error, blur)."""
    units: list[dict[str, Any]] = []
    likelier: Callable[..., tuple[float, float]] = sp._likelier
    compare_unit: Callable[..., tuple[str, str]] = sp._compare_unit
    pairs: list[tuple[float, float]] = []

    def likelier_kept(*args: Any) -> tuple[float, float]:
        pairs.append(likelier(*args))
        return pairs[-1]

    def compare_unit_kept(
        value: Any, frame: Any, sx: int, sy: int, blur: float, *rest: Any
    ) -> tuple[str, str]:
        pairs.clear()
        verdict = compare_unit(value, frame, sx, sy, blur, *rest)
        units.append({"field": value.field, "urdu": value.urdu, "blur": blur, "pairs": list(pairs)})
        return verdict

    sp._likelier = likelier_kept  # type: ignore[assignment]
    sp._compare_unit = compare_unit_kept  # type: ignore[assignment]
    out = []
    try:
        for group, (picture, public_key) in pictures:
            found = _found_in(Image.fromarray(picture), "qr")
            if found is None or found.picture is None:
                out.append({"group": group, "unreadable": True})
                continue
            verdict = verify_token(found.token, public_key)
            assert isinstance(verdict, Verified)
            units.clear()
            checked = sp.check_picture(found.picture.gray, found.picture.corners,
                                       verdict.claims, found.token)  # fmt: skip
            fields = [
                {"field": f.field, "urdu": f.urdu, "outcome": f.outcome} for f in checked.fields
            ]
            out.append({"group": group, "fields": fields, "units": list(units)})
            print(group, [f.outcome for f in checked.fields], flush=True)
    finally:
        sp._likelier = likelier  # type: ignore[assignment]
        sp._compare_unit = compare_unit  # type: ignore[assignment]
    return out


def corpus(slips: int) -> list[tuple[str, Any]]:
    pictures: list[tuple[str, Any]] = []
    for i in range(slips):
        rng = random.Random(1000 + i)
        slip = sample_slip(i)
        key = slip.public_key
        pictures.append(
            (
                "genuine",
                (slip_picture(slip, random_shot(rng, rng.choice(["scan", "phone"])), i), key),
            )
        )
        printed = doctor(slip.data, DOCTORINGS[i % 4], rng)
        shot = random_shot(rng, rng.choice(["scan", "phone"]))
        pictures.append(("doctored", (slip_picture(slip, shot, i, printed), key)))
        hard = dataclasses.replace(random_shot(rng, "phone"), blur=rng.uniform(1.6, 2.4), jpeg=40,
                                   light=rng.uniform(0.35, 0.6))  # fmt: skip
        pictures.append(("hard", (slip_picture(slip, hard, i), key)))
        if i % 4 == 0:
            how = ("blurred", "glare", "cut")[(i // 4) % 3]
            pictures.append(("unusable", (slip_picture(slip, unusable_shot(rng, how), i), key)))
    return pictures


def replay(picture: dict[str, Any], area: float, z_differs: float, z_agrees: float) -> str:
    """The picture's outcome had slip_picture used these thresholds."""
    if picture.get("unreadable"):
        return "UNREADABLE"
    per_field: dict[tuple[str, bool], list[str]] = {}
    for unit in picture["units"]:
        blur = unit["blur"]
        scale = math.sqrt(max(1.0, area * blur * blur) / max(1.0, sp.BLUR_AREA * blur * blur))
        verdicts = []
        for t, error in unit["pairs"]:
            error *= scale
            if t >= sp.T_OTHER and t - 0.5 >= z_differs * error:
                verdicts.append(sp.DIFFERS)
            elif t <= sp.T_SIGNED and 0.5 - t >= z_agrees * error:
                verdicts.append(sp.AGREES)
            else:
                verdicts.append(sp.UNCLEAR)
        if not unit["pairs"]:
            verdicts = [sp.UNCLEAR]
        unit_verdict = (sp.DIFFERS if sp.DIFFERS in verdicts
                        else sp.AGREES if set(verdicts) == {sp.AGREES} else sp.UNCLEAR)  # fmt: skip
        per_field.setdefault((unit["field"], unit["urdu"]), []).append(unit_verdict)
    outcomes = []
    for field in picture["fields"]:
        found = per_field.get((field["field"], field["urdu"]))
        if found is None:  # its row was not found or cut off
            outcomes.append(field["outcome"])
        else:
            outcomes.append(sp.DIFFERS if sp.DIFFERS in found
                            else sp.AGREES if set(found) == {sp.AGREES} else sp.UNCLEAR)  # fmt: skip
    if sp.DIFFERS in outcomes:
        return "FORGED"
    return "CANNOT CHECK" if sp.UNCLEAR in outcomes else "GENUINE"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", type=int, default=60)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    recorded = record(corpus(args.slips))
    table = []
    for area in AREAS:
        for z_differs, z_agrees in Z_PAIRS:
            tally: dict[str, Counter[str]] = {}
            for picture in recorded:
                outcome = replay(picture, area, z_differs, z_agrees)
                tally.setdefault(picture["group"], Counter())[outcome] += 1
            shipped = (area, z_differs, z_agrees) == (sp.BLUR_AREA, sp.Z_DIFFERS, sp.Z_AGREES)
            row = {"blur_area": round(area, 2), "z_differs": z_differs, "z_agrees": z_agrees,
                   "shipped": shipped, "outcomes": {g: dict(c) for g, c in sorted(tally.items())}}  # fmt: skip
            table.append(row)
            print(json.dumps(row))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"pictures": len(recorded), "settings": table}, indent=1) + "\n",
                        encoding="utf-8")  # fmt: skip


if __name__ == "__main__":
    main()
