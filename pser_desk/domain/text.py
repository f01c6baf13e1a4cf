"""Text that is shown in a table, a log or a single line: no control or bidi characters.

A name with a line break or a tab forges extra rows in ``operator list`` and in logs; a
bidi override (U+202E...) makes a table show something other than what is stored. Such
characters are refused in new values (:func:`unsafe_characters`) and escaped when an old
value is shown (:func:`one_line`). The zero-width joiner and non-joiner stay: Urdu
spelling needs them.
"""

from __future__ import annotations

import unicodedata

# Format characters a name may hold: the zero-width non-joiner and joiner (Urdu spelling).
_ALLOWED_FORMAT = frozenset("\u200c\u200d")
# Categories refused: controls, format (bidi embeddings, overrides, isolates, marks, BOM,
# invisible operators), line and paragraph separators, surrogates, private use, unassigned.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def unsafe_characters(text: str) -> list[str]:
    """Each refused character of *text* as ``U+XXXX`` (empty: safe to show on one line)."""
    found: list[str] = []
    for char in text:
        if char in _ALLOWED_FORMAT:
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def one_line(text: str) -> str:
    """*text* with every refused character written as an escape (``\\n``, ``\\u202e``)."""
    out: list[str] = []
    for char in text:
        if char not in _ALLOWED_FORMAT and unicodedata.category(char) in _REFUSED_CATEGORIES:
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)
