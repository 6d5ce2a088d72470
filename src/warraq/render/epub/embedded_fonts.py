"""The fonts an EPUB embeds: which faces, each subset to the characters it draws."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

from warraq.errors import WarraqError
from warraq.render.epub.book import (
    Font,
)
from warraq.render.fonts import (
    ARABIC_FAMILY,
    LATIN_FAMILY,
    Face,
    font_cmap,
    needs_glyph,
)
from warraq.render.subset import characters_to_keep, subset_font

_FONT_MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf"}


_BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th"})
_ITALIC_TAGS = frozenset({"em", "i", "cite"})
StyleKey = tuple[str, int, str]
"""A font family, weight and style, as CSS asks for them."""


def styled_characters(documents: Iterable[ET.Element]) -> dict[StyleKey, set[str]]:
    """The characters of each family, weight and style, as the theme's stylesheet sets them.

    This follows the theme's rules: right-to-left elements in Amiri, left-to-right
    ones in EB Garamond except Latin runs of undetermined language (which keep
    their Arabic parent's font); headings and ``strong`` bold; ``em`` italic.
    """
    found: dict[StyleKey, set[str]] = {}

    def add(key: StyleKey, text: str | None) -> None:
        if text:
            found.setdefault(key, set()).update(text)

    def walk(element: ET.Element, key: StyleKey) -> None:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "head":
            return
        family, weight, style = key
        direction = element.get("dir")
        language = element.get("lang") or ""
        if direction == "rtl":
            family = ARABIC_FAMILY
        elif direction == "ltr" and not (language == "und" or language.startswith("und-")):
            family = LATIN_FAMILY
        if tag in _BOLD_TAGS:
            weight = 700
        if tag in _ITALIC_TAGS:
            style = "italic"
        inner = (family, weight, style)
        add(inner, element.text)
        for child in element:
            walk(child, inner)
            add(inner, child.tail)

    for root in documents:
        walk(root, (LATIN_FAMILY, 400, "normal"))
    return found


def plan_fonts(
    styled: Mapping[StyleKey, set[str]], faces: Iterable[Face], *, exact: bool = True
) -> list[tuple[Face, frozenset[str]]]:
    """Which faces to embed, each with the characters its subset must hold.

    A character EB Garamond lacks (an Arabic digit in French text) is drawn by
    Amiri, the next font in the stack. A bold or italic face that lacks a
    character it would have to draw is left out, so the browser synthesises it
    from the regular face rather than mixing two fonts inside a word. With
    ``exact`` false (a project's own stylesheet, whose rules warraq cannot
    follow) every face gets every character of the book.
    """
    faces = tuple(faces)
    if not exact:
        everything = characters_to_keep("".join(chars) for chars in styled.values())
        return [(face, everything) for face in faces]
    regular = {
        face.family: font_cmap(face.path)
        for face in faces
        if face.weight == 400 and face.style == "normal"
    }
    wanted: dict[StyleKey, set[str]] = {}
    for (family, weight, style), chars in sorted(styled.items()):
        drawn = {char for char in chars if needs_glyph(char)}
        if family == LATIN_FAMILY and ARABIC_FAMILY in regular:
            covered = regular.get(LATIN_FAMILY, frozenset())
            fallback = {char for char in drawn if ord(char) not in covered}
            drawn -= fallback
            if fallback:
                wanted.setdefault((ARABIC_FAMILY, weight, style), set()).update(fallback)
        if drawn:
            wanted.setdefault((family, weight, style), set()).update(drawn)
    chosen: dict[Face, set[str]] = {}
    for (family, weight, style), chars in sorted(wanted.items()):
        covered = regular.get(family, frozenset())
        needed = {char for char in chars if ord(char) in covered}
        candidates = sorted(
            (face for face in faces if face.family == family),
            key=lambda face: (face.style != style, abs(face.weight - weight)),
        )
        for face in candidates:
            if all(ord(char) in font_cmap(face.path) for char in needed):
                chosen.setdefault(face, set()).update(needed)
                break
    order = {face: index for index, face in enumerate(faces)}
    return [
        (face, characters_to_keep(chars))
        for face, chars in sorted(chosen.items(), key=lambda item: order[item[0]])
    ]


def _font_href(face: Face) -> str:
    return f"fonts/{face.path.name}"


def embed_font(face: Face, characters: frozenset[str]) -> Font:
    suffix = face.path.suffix.lower()
    media_type = _FONT_MEDIA_TYPES.get(suffix)
    if media_type is None:
        raise WarraqError(f"font {face.path}: only .ttf and .otf fonts can be embedded")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", face.path.stem).strip("-").lower()
    return Font(
        family=face.family,
        weight=face.weight,
        style=face.style,
        href=_font_href(face),
        media_type=media_type,
        data=subset_font(face.path, characters),
        id=f"font-{stem}",
    )
