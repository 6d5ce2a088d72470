"""Level baselines: the padding that puts two columns' first lines on one baseline."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from warraq.render.pdf.faces import FontFace


@functools.cache
def _vertical_metrics(path: Path) -> tuple[float, float]:
    """Ascent and descent of a font file, in ems, as HarfBuzz (and so WeasyPrint) reads them."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        units = font["head"].unitsPerEm
        os2 = font.get("OS/2", None)
        if os2 is not None and os2.fsSelection & (1 << 7):  # USE_TYPO_METRICS
            return os2.sTypoAscender / units, -os2.sTypoDescender / units
        hhea = font["hhea"]
        return hhea.ascent / units, -hhea.descent / units


def first_baseline(path: Path, size: float, leading: float) -> float:
    """Where the first baseline of a block falls below its top, in points.

    The line box is ``leading`` high; the glyphs' ascent and descent are
    centred in it (CSS half-leading).
    """
    ascent, descent = _vertical_metrics(path)
    return leading / 2 + (ascent - descent) * size / 2


Level = Callable[[float, float, float, float], dict[str, str]]
"""``level(source_size, source_leading, target_size, target_leading) -> paddings``."""


def baseline_padding(faces: Sequence[FontFace], source_family: str, target_family: str) -> Level:
    """A template function: padding-tops that put two columns' first baselines level.

    ``level(source_size, source_leading, target_size, target_leading)`` (points)
    returns ``{"source": "0pt", "target": "2.87pt"}``: the padding for the top
    of each cell, so that a pair's first lines stand on one baseline.
    """
    regular = {
        face.family: face.path for face in faces if face.weight == 400 and face.style == "normal"
    }

    def level(
        source_size: float, source_leading: float, target_size: float, target_leading: float
    ) -> dict[str, str]:
        source = first_baseline(regular[source_family], source_size, source_leading)
        target = first_baseline(regular[target_family], target_size, target_leading)
        return {
            "source": f"{max(target - source, 0):.2f}pt",
            "target": f"{max(source - target, 0):.2f}pt",
        }

    return level
