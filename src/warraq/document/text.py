"""Character-level facts about Arabic and Latin text, and whitespace normalisation.

Normalisation here never changes a letter: it unifies line endings and spaces,
trims, and strips a leading byte-order mark. Diacritics, tatweel, joiners,
directional marks and both digit systems are kept exactly as written.
"""

from __future__ import annotations

import re
import unicodedata

# Languages whose text is written in Arabic script: a source in one of these
# must contain Arabic letters, and its text runs right to left.
ARABIC_SCRIPT_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug"})
RTL_LANGUAGES = ARABIC_SCRIPT_LANGUAGES | frozenset({"he", "yi", "dv"})

_BOM = "\ufeff"
# The Unicode blocks of the Arabic script (code point ranges, inclusive).
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
# Every Unicode space separator plus tab, vertical tab and form feed; not the
# zero-width joiners and marks (category Cf), which change how Arabic joins.
_SPACES = re.compile(r"[\t\x0b\x0c \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
EXTENDED_ARABIC_INDIC_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGIT_TABLE = str.maketrans(ARABIC_INDIC_DIGITS + EXTENDED_ARABIC_INDIC_DIGITS, "0123456789" * 2)


def text_direction(language: str) -> str:
    """Return ``"rtl"`` or ``"ltr"`` for a BCP 47 language tag.

    >>> text_direction("ar"), text_direction("fr-CA")
    ('rtl', 'ltr')
    """
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def normalise_newlines(text: str) -> str:
    """Strip a leading BOM and turn every line ending into ``\\n``.

    >>> normalise_newlines("\\ufeffa\\r\\nb\\rc")
    'a\\nb\\nc'
    """
    if text.startswith(_BOM):
        text = text[1:]
    return _LINE_BREAKS.sub("\n", text)


def normalise_spaces(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space, and trim.

    >>> normalise_spaces("  a\\u00a0\\u00a0b\\n c\\t")
    'a b c'
    """
    return _SPACES.sub(" ", text.replace("\n", " ")).strip(" ")


def is_arabic_letter(char: str) -> bool:
    """True for a letter of the Arabic script (not its digits or punctuation)."""
    return char in _ARABIC_LETTERS


def arabic_letters(text: str) -> set[str]:
    """The Arabic letters ``text`` contains (see :func:`is_arabic_letter`).

    >>> sorted(arabic_letters("Qatar (قطر), 2024 ٢٠٢٤"))
    ['ر', 'ط', 'ق']
    """
    return set(_ARABIC_LETTER.findall(text))


def is_latin_letter(char: str) -> bool:
    """True for a letter of the Latin script."""
    return unicodedata.category(char).startswith("L") and "LATIN" in unicodedata.name(char, "")


# Sets made once: the checks ask about every character of every translation.
_ARABIC_CHARS = frozenset(
    char for low, high in _ARABIC_BLOCKS for char in map(chr, range(low, high + 1))
) - {_BOM}
_ARABIC_LETTERS = frozenset(c for c in _ARABIC_CHARS if unicodedata.category(c).startswith("L"))
_ARABIC_LETTER = re.compile("[" + "".join(sorted(_ARABIC_LETTERS)) + "]")


def is_arabic_char(char: str) -> bool:
    """True for any character of the Arabic blocks: letters, marks, digits, punctuation."""
    return char in _ARABIC_CHARS


def has_arabic(text: str) -> bool:
    """True when ``text`` contains at least one Arabic letter.

    >>> has_arabic("Qatar قطر"), has_arabic("Thank you!")
    (True, False)
    """
    return _ARABIC_LETTER.search(text) is not None


def has_latin(text: str) -> bool:
    """True when ``text`` contains at least one Latin letter."""
    return any(is_latin_letter(c) for c in text)


def western_digits(text: str) -> str:
    """Replace Arabic-Indic and Eastern Arabic-Indic digits with 0-9.

    >>> western_digits("عام ٢٠٢٣ و۱۴")
    'عام 2023 و14'
    """
    return text.translate(_DIGIT_TABLE)


def count_letters(word: str) -> int:
    """Count the letters in ``word``, ignoring combining marks such as harakat."""
    return sum(1 for c in word if unicodedata.category(c).startswith("L"))


# XML 1.0 excludes C0 controls (but tab, line feed, carriage return),
# surrogates and U+FFFE/U+FFFF; HTML also forbids DEL, C1 controls and the
# noncharacters (U+FDD0-U+FDEF and the last two code points of every plane).
_FORBIDDEN_RANGES = (
    (0x00, 0x08),
    (0x0B, 0x0C),
    (0x0E, 0x1F),
    (0x7F, 0x9F),
    (0xD800, 0xDFFF),
    (0xFDD0, 0xFDEF),
    *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)),
)
_FORBIDDEN = re.compile(
    "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _FORBIDDEN_RANGES) + "]"
)


def is_forbidden_character(char: str) -> bool:
    """True for a character an XHTML document cannot contain, so no edition can print it.

    >>> [is_forbidden_character(c) for c in ("\\x01", "\\t", "\\x85", "\\ufffe", "ي")]
    [True, False, True, True, False]
    """
    return _FORBIDDEN.fullmatch(char) is not None


def first_forbidden_character(text: str) -> str | None:
    """The first character of ``text`` no edition can hold (see :func:`is_forbidden_character`)."""
    match = _FORBIDDEN.search(text)
    return match.group() if match else None


def describe_character(char: str) -> str:
    """``U+0001 (start of heading)``: a character named for an error message."""
    name = unicodedata.name(char, "a control character")
    return f"U+{ord(char):04X} ({name.lower()})"
