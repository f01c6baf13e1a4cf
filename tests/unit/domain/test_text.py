"""Text shown on one line: control and bidi characters refused or escaped (issue 13 item 12)."""

from __future__ import annotations

from pser_desk.domain.text import one_line, unsafe_characters


def test_controls_separators_and_bidi_overrides_are_refused() -> None:
    assert unsafe_characters("Ali\nKhan\t\u202e\u2028\x00") == [
        "U+000A", "U+0009", "U+202E", "U+2028", "U+0000",
    ]  # fmt: skip
    assert unsafe_characters("\ufeffAli") == ["U+FEFF"]


def test_urdu_with_its_joiners_is_safe() -> None:
    assert unsafe_characters("محمد\u200cعلی\u200d") == []
    assert unsafe_characters("Zarqoon Head-01") == []


def test_one_line_escapes_what_is_refused() -> None:
    assert one_line("Op\nmgr2\u202e") == "Op\\nmgr2\\u202e"
    assert one_line("محمد\u200cعلی") == "محمد\u200cعلی"
