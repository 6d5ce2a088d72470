"""Page geometry: lengths as warraq.toml writes them, the trim, margins and print marks."""

from __future__ import annotations

from dataclasses import dataclass

from warraq.config import length_mm
from warraq.render.job import EditionJob
from warraq.render.pdf.typesizes import head_mm_per_char
from warraq.render.pdfx import css_bleed


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


def text_width_mm(geometry: PageGeometry) -> float:
    """The width of the text block: the page less its inner and outer margins."""
    return length_mm(geometry.width) - length_mm(geometry.inner) - length_mm(geometry.outer)


def running_head_chars(geometry: PageGeometry, share: float = 0.47) -> dict[str, int]:
    """How many characters of a section title fit in ``share`` of the running head, per side.

    Side by side, each language's head has about half the line; on facing
    pages, nearly all of it. A rough count from average glyph widths at the
    running heads' type sizes (:data:`~warraq.render.pdf.typesizes.TYPE_SIZES`);
    the stylesheet's ``text-overflow`` catches what it misses.
    """
    room = text_width_mm(geometry) * share
    return {side: int(room / head_mm_per_char(side)) for side in ("target", "source")}
