"""The typefaces editions use: Amiri for Arabic, EB Garamond for Latin script.

Faces are found by file name through fontconfig, so the PDF and the EPUB embed
exactly the same files (fontconfig alone might pick EB Garamond's 8-point
optical size, or another Arabic font). :func:`missing_glyphs` tells which
characters of a text no configured face can draw.
"""

from __future__ import annotations

import functools
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warraq.errors import WarraqError

ARABIC_FAMILY = "Amiri"
LATIN_FAMILY = "EB Garamond"

# (family, weight, style) -> (file name, Debian package)
FACE_FILES: dict[tuple[str, int, str], tuple[str, str]] = {
    (ARABIC_FAMILY, 400, "normal"): ("Amiri-Regular.ttf", "fonts-hosny-amiri"),
    (ARABIC_FAMILY, 700, "normal"): ("Amiri-Bold.ttf", "fonts-hosny-amiri"),
    (ARABIC_FAMILY, 400, "italic"): ("Amiri-Slanted.ttf", "fonts-hosny-amiri"),
    (ARABIC_FAMILY, 700, "italic"): ("Amiri-BoldSlanted.ttf", "fonts-hosny-amiri"),
    (LATIN_FAMILY, 400, "normal"): ("EBGaramond12-Regular.otf", "fonts-ebgaramond"),
    (LATIN_FAMILY, 700, "normal"): ("EBGaramond12-Bold.otf", "fonts-ebgaramond"),
    (LATIN_FAMILY, 400, "italic"): ("EBGaramond12-Italic.otf", "fonts-ebgaramond"),
}


@dataclass(frozen=True, slots=True)
class Face:
    """One font file and the CSS family, weight and style it serves."""

    family: str
    weight: int
    style: str
    path: Path


@functools.cache
def _installed_files() -> dict[str, Path]:
    try:
        listing = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    return {Path(line).name: Path(line) for line in listing.splitlines() if line}


def find_faces() -> tuple[Face, ...]:
    """Every configured face, located on this machine; a missing one names its package."""
    installed = _installed_files()
    faces = []
    for (family, weight, style), (file_name, package) in FACE_FILES.items():
        path = installed.get(file_name)
        if path is None:
            raise WarraqError(
                f"font file {file_name} ({family}) is not installed; "
                f"install it with: apt-get install {package}"
            )
        faces.append(Face(family, weight, style, path))
    return tuple(faces)


@functools.cache
def font_cmap(path: Path) -> frozenset[int]:
    """The code points the font file at ``path`` has glyphs for (its best ``cmap``)."""
    import uharfbuzz  # imported here: only coverage checks need it

    return frozenset(uharfbuzz.Face(uharfbuzz.Blob(path.read_bytes())).unicodes)


def needs_glyph(char: str) -> bool:
    """False for characters never drawn: format characters (joiners, direction marks), breaks."""
    return unicodedata.category(char) not in ("Cf", "Cc", "Zl", "Zp")


def missing_glyphs(texts: Iterable[tuple[str, str]], faces: Iterable[Face]) -> dict[str, list[str]]:
    """Characters that no regular face in ``faces`` covers, each with where it occurs.

    ``texts`` yields ``(where, text)`` pairs, ``where`` naming the place (a segment
    id, "title", ...). Returns ``{character: [where, ...]}``, empty when all is drawable.
    """
    covered: set[int] = set()
    for face in faces:
        if face.weight == 400 and face.style == "normal":
            covered |= font_cmap(face.path)
    missing: dict[str, list[str]] = {}
    for where, text in texts:
        for char in set(text):
            if ord(char) not in covered and needs_glyph(char):
                places = missing.setdefault(char, [])
                if where not in places:
                    places.append(where)
    return missing
