"""Typographic conventions applied to translated text at render time (French spacing).

French typesetting puts a thin no-break space (U+202F) before ``; : ! ?``,
inside guillemets and between a number and ``%``. Translators and machine
translation often type an ordinary space, a no-break space or none at all;
:func:`french_spacing` brings all of them to the same thin no-break space, so
a question mark never starts a line.
"""

from __future__ import annotations

import re

THIN_NO_BREAK_SPACE = "\u202f"

_SPACE = "[ \u00a0\u2009\u202f]"
# A run of high punctuation after a visible character, followed by the end of
# the text, a space or closing punctuation (so "10:30", "http://" and "a:b" are
# left alone).
_HIGH_PUNCTUATION = re.compile(rf"(?P<before>[^\s]){_SPACE}*(?P<marks>[!?;:]+)(?=$|[\s»)\]”’.,…])")
_PERCENT = re.compile(rf"(?<=\d){_SPACE}+(?=%)")
_AFTER_OPENING_GUILLEMET = re.compile(rf"«{_SPACE}*(?=\S)")
_BEFORE_CLOSING_GUILLEMET = re.compile(rf"(?<=\S){_SPACE}*»")
# After these, a following mark is not separated: "(?)" or "«?» ".
NO_SPACE_AFTER = "([{«“‘"


def _space_marks(match: re.Match[str]) -> str:
    before, marks = match.group("before"), match.group("marks")
    if before in NO_SPACE_AFTER:
        return match.group(0)
    return f"{before}{THIN_NO_BREAK_SPACE}{marks}"


def french_spacing(text: str) -> str:
    """``text`` with French spacing: a thin no-break space before ``; : ! ?`` and inside « ».

    Idempotent: text already spaced comes back unchanged.

    >>> french_spacing("Pourquoi? Parce que: « oui »!") == (
    ...     "Pourquoi\\u202f? Parce que\\u202f: «\\u202foui\\u202f»\\u202f!")
    True
    >>> french_spacing("À 10:30, voir https://example.org ; vraiment ?!") == (
    ...     "À 10:30, voir https://example.org\\u202f; vraiment\\u202f?!")
    True
    >>> french_spacing(french_spacing("«Non» (?)")) == "«\\u202fNon\\u202f» (?)"
    True
    >>> french_spacing("70 % et 5%") == "70\\u202f% et 5%"
    True
    """
    text = _PERCENT.sub(THIN_NO_BREAK_SPACE, text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + THIN_NO_BREAK_SPACE, text)
    text = _BEFORE_CLOSING_GUILLEMET.sub(THIN_NO_BREAK_SPACE + "»", text)
    return _HIGH_PUNCTUATION.sub(_space_marks, text)


def apply_conventions(text: str, language: str) -> str:
    """``text`` with the typographic conventions of ``language`` (French spacing for ``fr``).

    >>> apply_conventions("Why?", "en"), apply_conventions("Pourquoi?", "fr") == "Pourquoi\\u202f?"
    ('Why?', True)
    """
    if language.split("-")[0].lower() == "fr":
        return french_spacing(text)
    return text
