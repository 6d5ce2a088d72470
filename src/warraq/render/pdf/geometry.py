"""Page geometry: lengths as warraq.toml writes them, the trim, margins and print marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from warraq.errors import WarraqError
from warraq.render.job import EditionJob
from warraq.render.pdf.typesizes import head_mm_per_char
from warraq.render.pdfx import css_bleed

_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt)$")
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def length_mm(length: str) -> float:
    """A CSS length as written in ``warraq.toml`` (``15mm``, ``6in``, ``12pt``), in millimetres.

    >>> round(length_mm("6in"), 2), length_mm("1.5cm")
    (152.4, 15.0)
    """
    match = _LENGTH.match(length)
    if match is None:
        raise WarraqError(f"'{length}' is not a length such as '15mm', '6in' or '12pt'")
    return float(match.group(1)) * _MM_PER_UNIT[match.group(2)]


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """The trim size, margins and print marks of an edition, as CSS lengths."""

    width: str
    height: str
    top: str
    bottom: str
    inner: str
    outer: str
    bleed: str | None
    crop_marks: bool
    content_height: str  # the height of the text block, for the title page

    @property
    def size(self) -> str:
        """``size`` for ``@page``."""
        return f"{self.width} {self.height}"


def page_geometry(job: EditionJob) -> PageGeometry:
    """The page of ``job``'s edition: trim, mirrored margins, bleed and crop marks."""
    edition = job.edition
    width, height = edition.page_size
    margins = edition.margins
    content = length_mm(height) - length_mm(margins.top) - length_mm(margins.bottom)
    bleed = css_bleed(length_mm(edition.bleed), edition.crop_marks)  # warraq.render.pdfx
    return PageGeometry(
        width=width,
        height=height,
        top=margins.top,
        bottom=margins.bottom,
        inner=margins.inner,
        outer=margins.outer,
        bleed=bleed,
        crop_marks=edition.crop_marks,
        content_height=f"{content:.2f}mm",
    )


def running_head_chars(geometry: PageGeometry) -> dict[str, int]:
    """How many characters of a section title fit in half the running head, per side.

    A rough count from average glyph widths at the running heads' type sizes
    (:data:`~warraq.render.pdf.typesizes.TYPE_SIZES`); the stylesheet's
    ``text-overflow`` catches what it misses.
    """
    text_width = length_mm(geometry.width) - length_mm(geometry.inner) - length_mm(geometry.outer)
    half = text_width * 0.47
    return {side: int(half / head_mm_per_char(side)) for side in ("target", "source")}
