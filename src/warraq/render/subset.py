"""Font subsetting for embedding: only the glyphs a book uses, with its shaping features.

An EPUB carries its fonts, so each face is cut down with fontTools to the
characters the book contains. The OpenType layout features that Arabic needs
(joining forms, mandatory ligatures, mark positioning, cursive attachment) are
kept, and every glyph they can reach is kept with them, so text shapes as it
does with the full font. The result is deterministic: the same font and the
same characters always give the same bytes (no timestamp is recalculated).
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Iterable
from pathlib import Path

# Features a shaping engine applies to Arabic text, beyond fontTools' defaults
# (which include most of them): kept explicitly so that a change of defaults
# cannot break joining.
ARABIC_SHAPING_FEATURES = (
    "ccmp",
    "locl",
    "isol",
    "init",
    "medi",
    "fina",
    "med2",
    "fin2",
    "fin3",
    "rlig",
    "calt",
    "liga",
    "clig",
    "mset",
    "curs",
    "kern",
    "mark",
    "mkmk",
    "rtlm",
)
# Figures: proportional and old-style numerals, should a stylesheet ask for them.
FIGURE_FEATURES = ("pnum", "tnum", "onum", "lnum")

# Name records kept: family, style, full and PostScript names, version,
# copyright (0) and the licence text and address (13, 14) the OFL asks to keep.
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)

# A shaping engine draws a bracket inside right-to-left text with the glyph of
# its mirror image ("(" as ")"), so a subset needs both halves of each pair.
_MIRRORS = dict(
    zip(
        "()[]{}<>«»‹›⁅⁆⁽⁾₍₎≤≥",
        ")(][}{><»«›‹⁆⁅⁾⁽₎₍≥≤",
        strict=True,
    )
)
# Characters a browser may draw that are not in the text: hyphens inserted by
# automatic hyphenation, and the spaces and joiners around runs.
_ALWAYS = " \u00a0-\u2010\u00ad\u200c\u200d"


def characters_to_keep(text: Iterable[str]) -> frozenset[str]:
    """The characters of ``text``, with bracket mirrors and the always-needed few.

    >>> chars = characters_to_keep(["(ب"])
    >>> ")" in chars, "ب" in chars, " " in chars
    (True, True, True)
    """
    chars = set(_ALWAYS)
    for part in text:
        chars.update(part)
    chars.update(_MIRRORS[char] for char in list(chars) if char in _MIRRORS)
    return frozenset(chars)


def subset_font(path: Path, characters: frozenset[str]) -> bytes:
    """The font at ``path`` cut down to ``characters``, as font-file bytes.

    TrueType stays TrueType and CFF stays CFF (an ``.otf`` in gives an ``.otf``
    out). Glyphs reachable through the kept layout features are kept too.
    """
    return _subset(path, "".join(sorted(characters)))


@functools.lru_cache(maxsize=64)
def _subset(path: Path, characters: str) -> bytes:
    from fontTools import subset  # imported here: only EPUB builds need it
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = sorted(
        {*options.layout_features, *ARABIC_SHAPING_FEATURES, *FIGURE_FEATURES}
    )
    options.name_IDs = list(NAME_IDS)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.recalc_timestamp = False
    # FontForge's private table: nothing reads it, and fontTools cannot subset it.
    options.drop_tables = [*options.drop_tables, "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in characters])
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)  # fontTools logs every table it drops at WARNING
    try:
        with TTFont(path, recalcTimestamp=False) as font:
            subsetter.subset(font)
            buffer = io.BytesIO()
            font.save(buffer, reorderTables=True)
    finally:
        logger.setLevel(level)
    return buffer.getvalue()
