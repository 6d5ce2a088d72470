"""The embedded faces as CSS: ``@font-face`` rules under warraq's private family names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from warraq.render.fonts import ARABIC_FAMILY, LATIN_FAMILY, Face

# CSS family names for the embedded faces: private names, so that fontconfig
# cannot answer a request with an installed face of the same family (EB
# Garamond's 8-point optical size, say) instead of the file warraq chose.
FAMILY_ALIASES = {ARABIC_FAMILY: "warraq Amiri", LATIN_FAMILY: "warraq EB Garamond"}


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string.

    >>> css_string('a "b" \\\\ c')
    '"a \\\\22 b\\\\22  \\\\5c  c"'
    """
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\\n\r\f' or ord(char) < 0x20 else char for char in text
    )
    return f'"{escaped}"'


@dataclass(frozen=True, slots=True)
class FontFace:
    """One ``@font-face`` rule."""

    family: str
    weight: int
    style: str
    url: str
    path: Path

    @property
    def rule(self) -> Markup:
        """The rule, ready to put in a stylesheet."""
        return Markup(
            f"@font-face {{ font-family: {css_string(self.family)}; "
            f"src: url({css_string(self.url)}); "
            f"font-weight: {self.weight}; font-style: {self.style}; }}"
        )


def font_faces(faces: Iterable[Face]) -> tuple[FontFace, ...]:
    """``@font-face`` rules for the located faces, under warraq's private family names."""
    return tuple(
        FontFace(
            FAMILY_ALIASES.get(face.family, face.family),
            face.weight,
            face.style,
            face.path.resolve().as_uri(),
            face.path.resolve(),
        )
        for face in faces
    )
