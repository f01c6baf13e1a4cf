"""Choosing an option from the keyboard: one key per option, type-ahead on any word.

Pure Python, shared by the wizard's choice fields, tick lists and the members grid.

- **Codes**: the first nine options are chosen with ``1``..``9`` and the tenth with
  ``0``; ASCII, Urdu (``۱``) and Arabic-Indic (``١``) digits are the same key. Options
  after the tenth have no code and are reached by type-ahead.
- **Type-ahead** matches the start of *any* word of an option's label (``p`` finds
  "Primary" and "Below primary"; options whose first word matches come first). Letters
  typed within :data:`TYPEAHEAD_TIMEOUT_S` make a prefix; the same letter again moves to
  the next option that matches it (five toilet options start with "Flush").
- **Both scripts**: Urdu letters match the Urdu labels (Arabic and Urdu forms of the same
  letter are one: ``ي``/``ی``, ``ك``/``ک``, ``ه``/``ہ``...). Latin letters typed while the
  labels are Urdu match the English label *and* a romanisation of the Urdu words: the
  first letter by how the Urdu letter is commonly written in Latin (``خ`` kh, ``چ`` ch,
  ``ا`` any vowel...), the rest by its consonants (Urdu writes few vowels), so ``m``
  and ``mard`` find مرد and ``beti`` finds بیٹی (and بیٹا: the same consonants).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pser_desk.domain.digits import to_ascii_digits

TYPEAHEAD_TIMEOUT_S = 1.0
CODED_OPTIONS = 10  # 1..9, then 0
_WORD_SPLIT = re.compile(r"[\s/(),.:;'\"\-–—،؛]+")

# One Arabic-script letter -> the letter it is matched as (keyboards differ on these).
_URDU_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ه": "ہ",
        "ة": "ہ",
        "ۃ": "ہ",
        "ۂ": "ہ",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "ۓ": "ے",
    }
)
# How each Urdu letter is usually written in Latin script (the common romanisation).
_ROMAN = {
    "ا": "a", "ب": "b", "پ": "p", "ت": "t", "ٹ": "t", "ث": "s", "ج": "j", "چ": "ch",
    "ح": "h", "خ": "kh", "د": "d", "ڈ": "d", "ذ": "z", "ر": "r", "ڑ": "r", "ز": "z",
    "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "a",
    "غ": "gh", "ف": "f", "ق": "q", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n",
    "ں": "n", "و": "w", "ہ": "h", "ھ": "h", "ی": "y", "ے": "e", "ء": "",
}  # fmt: skip
# A word's first letter may stand for other Latin initials (a leading alef or ain is any
# vowel, a leading waw or yeh a vowel too, qaf is often written k).
_FIRST_LETTER = {
    "ا": "aeiou", "ع": "aeiou", "و": "wvou", "ی": "yie", "ق": "qk", "ک": "kc", "ج": "jg",
    "ف": "fp", "ز": "z", "ذ": "z", "ض": "z", "ظ": "z", "ش": "s", "چ": "c",
}  # fmt: skip
_LATIN_VOWELS = frozenset("aeiouwy")
_LATIN_SAME = str.maketrans({"q": "k", "c": "k", "v": "w"})


def code_of(index: int) -> str | None:
    """The key that chooses option *index* (0-based): ``1``..``9``, ``0``; None after."""
    if index < 0 or index >= CODED_OPTIONS:
        return None
    return str((index + 1) % 10)


def index_of_code(key: str) -> int | None:
    """The option a typed digit chooses (any script), or None if *key* is not a digit."""
    ascii_key = to_ascii_digits(key)
    if len(ascii_key) != 1 or not ascii_key.isdigit():
        return None
    digit = int(ascii_key)
    return 9 if digit == 0 else digit - 1


def fold(text: str) -> str:
    """Lower case, no diacritics or tatweel, one form per Arabic-script letter."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "ـ")
    return unicodedata.normalize("NFC", kept).translate(_URDU_FOLD).lower()


def words(label: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(fold(label)) if w]


def is_latin(text: str) -> bool:
    return bool(text) and all("a" <= ch <= "z" for ch in text.lower())


def _skeleton(latin: str) -> str:
    """The consonants of a Latin spelling after its first letter (``mard`` -> ``rd``)."""
    rest = latin[1:].translate(_LATIN_SAME)
    return "".join(ch for ch in rest if ch not in _LATIN_VOWELS and ch != "h")


def romanised_prefix_match(typed: str, urdu_word: str) -> bool:
    """Whether Latin *typed* can be the start of a Latin spelling of *urdu_word*."""
    if not urdu_word or not typed:
        return False
    first = urdu_word[0]
    roman = "".join(_ROMAN.get(ch, "") for ch in urdu_word)
    initials = _FIRST_LETTER.get(first, "") + _ROMAN.get(first, "")[:1]
    if not initials or typed[0] not in initials:
        return False
    typed_rest = _skeleton(typed)
    word_rest = _skeleton(roman)
    return word_rest.startswith(typed_rest)


@dataclass(frozen=True, slots=True)
class Choice:
    """An option as the keyboard sees it: its label in the shown language and in English."""

    shown: str
    english: str = ""


def matches(typed: str, choices: Sequence[Choice]) -> list[int]:
    """Indexes of the options whose label has a word starting with *typed*: options
    whose first word matches first, then the others, each group in list order."""
    key = fold(typed)
    if not key:
        return []
    first: list[int] = []
    later: list[int] = []
    for i, choice in enumerate(choices):
        rank = _rank(key, choice)
        if rank == 0:
            first.append(i)
        elif rank == 1:
            later.append(i)
    return first + later


def _rank(key: str, choice: Choice) -> int | None:
    """0: the first word matches, 1: a later word does, None: no match."""
    shown = words(choice.shown)
    latin_over_urdu = is_latin(key) and not is_latin("".join(shown)) and shown
    best: int | None = None
    candidates = [shown]
    if latin_over_urdu and choice.english:
        candidates.append(words(choice.english))
    for group in candidates:
        for position, word in enumerate(group):
            hit = word.startswith(key) or (
                latin_over_urdu and group is shown and romanised_prefix_match(key, word)
            )
            if hit:
                rank = 0 if position == 0 else 1
                best = rank if best is None else min(best, rank)
    return best


class TypeAhead:
    """The letters typed into one list; :meth:`key` says which option to show next.

    Times are passed in (seconds, monotonic), so the behaviour is testable without
    waiting: letters closer together than :data:`TYPEAHEAD_TIMEOUT_S` make one prefix.
    """

    def __init__(self, timeout_s: float = TYPEAHEAD_TIMEOUT_S) -> None:
        self._timeout = timeout_s
        self._typed = ""
        self._last = float("-inf")

    @property
    def typed(self) -> str:
        return self._typed

    def reset(self) -> None:
        self._typed = ""
        self._last = float("-inf")

    def key(self, text: str, now: float, choices: Sequence[Choice], current: int) -> int | None:
        """The option to move to after *text* was typed (None: nothing matches)."""
        letter = fold(text)
        if not letter or not letter.isalpha():
            return None
        if now - self._last > self._timeout:
            self._typed = ""
        self._last = now
        typed = self._typed + letter
        if len(set(typed)) == 1:  # one letter, maybe repeated: cycle through its matches
            found = matches(letter, choices)
            self._typed = typed if found else ""
            return _next_after(found, current)
        found = matches(typed, choices)
        if not found:  # no option goes on like that: this letter starts a new search
            found = matches(letter, choices)
            self._typed = letter if found else self._typed
            return _next_after(found, current)
        self._typed = typed
        return current if current in found else found[0]


def _next_after(found: list[int], current: int) -> int | None:
    if not found:
        return None
    if current in found:
        return found[(found.index(current) + 1) % len(found)]
    return found[0]
