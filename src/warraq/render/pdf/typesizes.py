"""The PDF theme's type sizes: one table the stylesheet prints and the layout estimates read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TypeSize:
    """A font size and its leading (line height), in points."""

    size: float
    leading: float

    @property
    def font_size(self) -> str:
        """``size`` for CSS, e.g. ``11.5pt``."""
        return f"{self.size:g}pt"

    @property
    def line_height(self) -> str:
        """``leading`` for CSS, e.g. ``17.6pt``."""
        return f"{self.leading:g}pt"


@dataclass(frozen=True, slots=True)
class PairSizes:
    """The sizes of the two columns of a pair: the source (Arabic) and the translation."""

    source: TypeSize
    target: TypeSize


TYPE_SIZES: dict[str, PairSizes] = {
    # Amiri is set larger than EB Garamond so the two read at one size; three
    # Arabic lines take the height of four translated ones.
    "body": PairSizes(TypeSize(11.5, 17.6), TypeSize(10.25, 13.2)),
    "opening": PairSizes(TypeSize(18, 28), TypeSize(15, 19)),
    "heading": PairSizes(TypeSize(13, 20), TypeSize(11.5, 14.5)),
    "quote": PairSizes(TypeSize(10.5, 16.5), TypeSize(9.5, 12.375)),
    # Running heads: one line each, so their leading is not used.
    "running_head": PairSizes(TypeSize(10, 12), TypeSize(8.5, 10.2)),
}
"""The theme's ``book.css.j2`` prints these (``sizes.body.source.font_size``);
:mod:`warraq.render.pdf.passes` and the running heads estimate line lengths from them."""

# Characters per millimetre of line, measured on the sample edition at the size
# given: Amiri (right to left) and EB Garamond (left to right) body type.
_BODY_DENSITY = {"rtl": (0.67, 11.5), "ltr": (0.81, 10.25)}
# Millimetres per character of a running head, measured at the size given:
# Amiri 10pt over the source column, EB Garamond italic 8.5pt over the translation.
_HEAD_WIDTH = {"source": (1.45, 10.0), "target": (1.3, 8.5)}


def body_chars_per_mm(direction: str, sizes: dict[str, PairSizes] = TYPE_SIZES) -> float:
    """Characters per millimetre of a body line in ``direction`` (``rtl`` is the source)."""
    density, measured = _BODY_DENSITY[direction]
    side = sizes["body"].source if direction == "rtl" else sizes["body"].target
    return density * (measured / side.size)


def head_mm_per_char(side: str, sizes: dict[str, PairSizes] = TYPE_SIZES) -> float:
    """Millimetres per character of the running head over column ``side``."""
    width, measured = _HEAD_WIDTH[side]
    pair = sizes["running_head"]
    size = pair.source.size if side == "source" else pair.target.size
    return width * (size / measured)
