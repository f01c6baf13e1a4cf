"""The slip a token describes (slip_model): where it says each signed value is printed is
where the slip's PDF prints it, and rows of unsigned text only ever move signed rows up."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import numpy as np
import pytest

from bench.slip_pictures import sample_slip
from pser_desk.documents.slip import render_slip
from pser_desk.documents.slip_model import (
    SCALE,
    SIGNED_V2,
    draw_glyphs,
    layout_model,
    placeholder_data,
    units,
)
from pser_desk.documents.slip_picture import _likelier, check_picture
from pser_desk.documents.slip_token import SlipClaims, decode_payload, split_versioned


def _claims(token: str) -> SlipClaims:
    payload, _signature, version = split_versioned(token)
    return decode_payload(payload, version)


def _words(pdf: bytes, tmp_path: Path) -> list[tuple[str, float, float, float]]:
    """(word, xMin, xMax, yMax) of every word pdftotext finds, in points from the top."""
    source = tmp_path / "slip.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(source), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout  # fmt: skip
    words = []
    for line in html.splitlines():
        if "<word " in line:
            attrs = dict(
                part.split("=", 1) for part in line.split("<word ")[1].split(">")[0].split()
            )
            text = line.split(">", 1)[1].rsplit("<", 1)[0]
            words.append((text, *(float(attrs[k].strip('"')) for k in ("xMin", "xMax", "yMax"))))
    return words


@pytest.mark.parametrize("paper", ["a4", "80mm"])
def test_each_signed_value_is_where_the_pdf_prints_it(paper: str, tmp_path: Path) -> None:
    slip = sample_slip(5, paper)  # type: ignore[arg-type]
    model = layout_model(slip.data, slip.paper, slip.token, SIGNED_V2)
    words = _words(render_slip(slip.data, slip.paper, slip.token), tmp_path)
    assert len(model.values) == 8
    for value in model.values:
        box = value.box()
        first, last = value.text.split()[0], value.text.split()[-1]
        left, right = box.x0 / SCALE, box.x1 / SCALE
        starts = [w for w in words if w[0] == first and abs(w[1] - left) < 0.5]
        ends = [w for w in words if w[0] == last and abs(w[2] - right) < 0.5]
        assert starts, (value.field, value.urdu, value.text, left)
        assert ends, (value.field, value.urdu, value.text, right)
        baseline = value.baseline / SCALE
        assert any(abs(w[3] - baseline) < 0.35 * value.size for w in starts), value.text


@pytest.mark.parametrize("paper", ["a4", "80mm"])
def test_unsigned_rows_move_signed_rows_up_never_down(paper: str) -> None:
    slip = sample_slip(9, paper)  # type: ignore[arg-type]
    data = dataclasses.replace(
        slip.data, centre_name="Government Girls Higher Secondary School Number 2, Shah Rukn",
        head_name="محمد اسلم خان ولد غلام رسول چوہدری", tracking_id=None, reprint=True,
    )  # fmt: skip
    real = layout_model(data, slip.paper, slip.token, SIGNED_V2)
    rebuilt = layout_model(placeholder_data(_claims(slip.token)), slip.paper, slip.token,
                           SIGNED_V2)  # fmt: skip
    for mine, theirs in zip(rebuilt.values, real.values, strict=True):
        assert (mine.field, mine.urdu, mine.text) == (theirs.field, theirs.urdu, theirs.text)
        from_qr_rebuilt = rebuilt.qr.y0 - mine.baseline
        from_qr_real = real.qr.y0 - theirs.baseline
        assert from_qr_real >= from_qr_rebuilt - 0.01
        assert abs(mine.anchor - theirs.anchor) < 0.01  # columns do not move sideways


def test_a_value_drawn_with_another_digit_is_told_apart() -> None:
    slip = sample_slip(3, "a4")
    model = layout_model(slip.data, "a4", slip.token, SIGNED_V2)
    value = next(v for v in model.values if v.field == "cnic" and not v.urdu)
    start, end, choices = next(units(value))
    window = value.box().grown(4)
    signed = draw_glyphs(value.glyphs(), value.font, value.size, value.baseline, window, 1.0)
    other_char = next(c for c in choices if c != value.text[start:end])
    other = draw_glyphs(value.glyphs_with(start, end, other_char), value.font, value.size,
                        value.baseline, window, 1.0)  # fmt: skip
    rng = np.random.default_rng(1)
    noisy = (0.7 * signed + 0.1 + rng.normal(0, 0.02, signed.shape)).astype(np.float32)
    t, error = _likelier(noisy, signed, other, 1.0)
    assert abs(t) < 0.1
    assert error < 0.1
    noisy = (0.7 * other + 0.1 + rng.normal(0, 0.02, other.shape)).astype(np.float32)
    t, error = _likelier(noisy, signed, other, 1.0)
    assert abs(t - 1) < 0.1
    assert error < 0.1


@pytest.mark.parametrize("paper", ["a4", "80mm"])
def test_the_fixed_part_of_the_page_starts_under_the_last_row(paper: str) -> None:
    slip = sample_slip(5, paper)  # type: ignore[arg-type]
    model = layout_model(slip.data, slip.paper, slip.token, SIGNED_V2)
    tracking_rows_bottom = max(v.baseline for v in model.values) + 2 * model.values[0].em
    assert model.fixed.y0 > tracking_rows_bottom  # under the tracking rows, the last of all
    assert model.fixed.y0 < model.qr.y0


@pytest.mark.parametrize(
    ("corners", "reason"),
    [([(10, 10), (60, 10), (60, 60), (10, 60)], "too small"),
     ([(10, 10), (400, 400), (800, 800), (1200, 1200)], "lined up")],
    ids=["tiny-qr", "collinear-corners"],
)  # fmt: skip
def test_a_picture_that_cannot_be_lined_up_is_unclear_in_every_field(
    corners: list[tuple[float, float]], reason: str
) -> None:
    slip = sample_slip(3, "a4")
    picture = np.full((1400, 1400), 235, np.uint8)
    checked = check_picture(picture, corners, _claims(slip.token), slip.token)
    assert len(checked.fields) == 8
    assert {f.outcome for f in checked.fields} == {"unclear"}
    assert all(reason in (f.reason or "") for f in checked.fields)
