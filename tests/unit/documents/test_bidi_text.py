"""Urdu lines: bidi order, brackets mirrored once, isolates kept left-to-right, shaping."""

from __future__ import annotations

import pytest
from bidi import get_display

from pser_desk.documents.bidi_text import (
    _mirror_brackets,
    has_arabic,
    layout_line,
    ltr,
    wrap,
)
from pser_desk.documents.fonts import FONTS, register_fonts


@pytest.fixture(autouse=True)
def _fonts() -> None:
    register_fonts()


def test_python_bidi_does_not_mirror_by_itself() -> None:
    """If a python-bidi release starts mirroring (rule L4), ours would mirror twice."""
    assert get_display("(مفت)", base_dir="R") == ")تفم("


@pytest.mark.parametrize(
    ("text", "rtl", "visual"),
    [
        (
            "ہیلپ لائن: " + ltr("0800-02345") + " (مفت)",
            True,
            "(تفم) \u20690800-02345\u2066 :نئال پلیہ",
        ),
        ("Ali (علی)", False, "Ali (یلع)"),
        ("مرکز (Model Town)", True, "(Model Town) زکرم"),
        ("Model Town (2)", False, "Model Town (2)"),
    ],
)
def test_brackets_face_the_right_way(text: str, rtl: bool, visual: str) -> None:
    assert get_display(_mirror_brackets(text, rtl), base_dir="R" if rtl else "L") == visual


def test_a_mixed_line_has_runs_in_visual_order_with_two_fonts() -> None:
    line = layout_line("رسید نمبر: " + ltr("LHR-0042-20261124-0017"), 12, rtl=True)
    fonts = [run.font for run in line.runs]
    assert fonts == [FONTS.latin, FONTS.urdu]  # the code at the left, the Urdu label at the right
    assert str(line.runs[0].text).strip() == "LHR-0042-20261124-0017 :"
    assert all(run.width > 0 for run in line.runs)


def test_urdu_is_shaped_into_glyphs_not_drawn_as_letters() -> None:
    run = layout_line("شناختی کارڈ نمبر", 12, rtl=True).runs[0]
    assert run.font == FONTS.urdu
    assert hasattr(run.text, "__shapeData__")  # HarfBuzz output, positioned glyph by glyph
    assert str(run.text) != "شناختی کارڈ نمبر"[::-1]


def test_controls_are_not_drawn() -> None:
    line = layout_line("ارکان: " + ltr(6), 12, rtl=True)
    assert all("\u2066" not in str(r.text) and "\u2069" not in str(r.text) for r in line.runs)


def test_latin_only_text_is_one_run() -> None:
    line = layout_line("Receipt no. LHR-0042", 10, rtl=False)
    assert len(line.runs) == 1
    assert line.runs[0].font == FONTS.latin
    assert not has_arabic("Receipt no. LHR-0042")


def test_wrap_keeps_lines_within_width() -> None:
    text = "آپ کے گھرانے کی تفصیلات رجسٹری کو بھیجی جائیں گی اور ان کی جانچ ہوگی۔ " * 3
    lines = wrap(text, 11, 150, rtl=True)
    assert len(lines) > 3
    assert all(line.width <= 150 for line in lines)
