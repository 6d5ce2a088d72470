"""The glyph check: refuse an edition holding a character its fonts cannot draw."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from warraq.errors import WarraqError
from warraq.render.fonts import ARABIC_FAMILY, LATIN_FAMILY, find_faces, missing_glyphs
from warraq.render.job import EditionJob
from warraq.render.texts import edition_texts


def check_glyphs(jobs: Iterable[EditionJob]) -> None:
    """Refuse to render editions holding a character their fonts cannot draw.

    The error lists each character, its code point and name, and where it occurs.
    Editions that print the same texts (a PDF and an EPUB of one edition) are read once.
    """
    faces = find_faces()
    problems: dict[str, list[str]] = {}
    checked: set[tuple[str, str, str, bool]] = set()
    for job in jobs:
        key = (job.document_config.name, job.language, job.edition.layout, job.draft)
        if key in checked:
            continue
        checked.add(key)
        for char, places in missing_glyphs(edition_texts(job), faces).items():
            known = problems.setdefault(char, [])
            known.extend(place for place in places if place not in known)
    if not problems:
        return
    lines = []
    for char, places in sorted(problems.items()):
        name = unicodedata.name(char, "unnamed character")
        shown = ", ".join(places[:5]) + (f" and {len(places) - 5} more" if len(places) > 5 else "")
        lines.append(f"  U+{ord(char):04X} {char!r} {name}: {shown}")
    raise WarraqError(
        f"{len(problems)} characters have no glyph in the edition's fonts "
        f"({ARABIC_FAMILY}, {LATIN_FAMILY}); replace them in the source or the catalogs "
        "(nothing was written):\n" + "\n".join(lines)
    )
