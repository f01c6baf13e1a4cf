"""One key per option and type-ahead on any word, in both scripts (domain/typeahead.py)."""

from __future__ import annotations

import pytest

from pser_desk.domain.form import load_form
from pser_desk.domain.typeahead import (
    Choice,
    TypeAhead,
    code_of,
    fold,
    index_of_code,
    matches,
    romanised_prefix_match,
)


def _choices(field_id: str, language: str) -> list[Choice]:
    form = load_form()
    field_ = form.field(field_id) if "." not in field_id else form.field(field_id)
    return [Choice(o.label.text(language), o.label.en) for o in field_.options]


def test_the_first_ten_options_have_a_digit_each_then_none() -> None:
    assert [code_of(i) for i in range(11)] == [*"1234567890", None]
    assert index_of_code("1") == 0
    assert index_of_code("0") == 9
    assert index_of_code("۳") == 2  # Urdu digit
    assert index_of_code("٣") == 2  # Arabic-Indic digit
    assert index_of_code("a") is None
    assert index_of_code("12") is None


def test_any_word_matches_and_first_words_come_first() -> None:
    choices = _choices("highest_education", "en")
    found = matches("p", choices)
    labels = [choices[i].shown for i in found]
    assert labels[0] == "Primary (class 5)"
    assert "Below primary" in labels  # a later word
    assert labels.index("Primary (class 5)") < labels.index("Below primary")


def test_a_repeated_letter_cycles_through_the_five_flush_toilets() -> None:
    choices = _choices("toilet", "en")
    typing = TypeAhead()
    seen = []
    current = -1
    for n in range(7):
        current = typing.key("f", n * 0.2, choices, current)
        seen.append(choices[current].shown)
    assert seen[:5] == [
        "Flush to piped sewer", "Flush to septic tank", "Flush to pit latrine",
        "Flush to open drain", "Flush, don't know where",
    ]  # fmt: skip
    assert seen[5] == "No facility (bush or field)"  # a later word ("field") comes after
    assert seen[6] == "Flush to piped sewer"  # and round again


def test_letters_close_together_make_a_prefix_and_a_pause_starts_again() -> None:
    choices = _choices("work_type", "en")
    typing = TypeAhead()
    current = typing.key("d", 0.0, choices, -1)
    assert choices[current].shown == "Daily-wage labourer"
    current = typing.key("o", 0.3, choices, current)
    assert choices[current].shown == "Domestic worker"
    current = typing.key("p", 5.0, choices, current)  # after a pause: a new search
    assert choices[current].shown == "Private employee"


def test_a_letter_that_matches_nothing_changes_nothing() -> None:
    choices = _choices("gender", "en")
    typing = TypeAhead()
    assert typing.key("x", 0.0, choices, 1) is None
    assert typing.key("m", 0.1, choices, 1) == 0


def test_a_letter_that_does_not_go_on_the_prefix_starts_a_new_search() -> None:
    choices = _choices("gender", "en")
    typing = TypeAhead()
    assert typing.key("f", 0.0, choices, -1) == 1  # Female
    assert typing.key("m", 0.1, choices, 1) == 0  # "fm" is nothing: "m" is Male


def test_urdu_letters_match_urdu_labels_whatever_the_keyboard_sends() -> None:
    choices = _choices("highest_education", "ur")
    found = matches("م", choices)
    assert [choices[i].shown for i in found][:2] == ["مڈل (جماعت ہشتم)", "میٹرک / او لیول"]
    # Arabic kaf (U+0643) from another keyboard layout finds the Urdu keheh (U+06A9)
    assert [choices[i].shown for i in matches("ك", choices)][0] == "کبھی اسکول نہیں گئے"
    assert fold("ي") == fold("ی")


@pytest.mark.parametrize(
    ("typed", "field_id", "expected"),
    [
        ("m", "gender", "مرد"),
        ("mard", "gender", "مرد"),
        ("aurat", "gender", "عورت"),
        ("f", "gender", "عورت"),  # Female: the English label
        ("kh", "gender", "خواجہ سرا"),
        ("beti", "members.relation", "بیٹا"),  # son and daughter share the consonants
        ("y", "yes_no_field", "ہاں"),
        ("h", "yes_no_field", "ہاں"),
        ("n", "yes_no_field", "نہیں"),
    ],
)
def test_latin_letters_find_urdu_options_by_transliteration(
    typed: str, field_id: str, expected: str
) -> None:
    if field_id == "yes_no_field":
        choices = [Choice("ہاں", "Yes"), Choice("نہیں", "No")]
    else:
        choices = _choices(field_id, "ur")
    found = matches(typed, choices)
    assert found, typed
    assert choices[found[0]].shown == expected


def test_transliteration_is_honest_about_consonants() -> None:
    assert romanised_prefix_match("beti", "بیٹی")
    assert romanised_prefix_match("school", "اسکول") is False  # starts with a vowel in Urdu
    assert romanised_prefix_match("iskool", "اسکول")
    assert not romanised_prefix_match("z", "مرد")
