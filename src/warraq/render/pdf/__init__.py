"""PDF editions: the bilingual view through jinja2 templates, typeset by WeasyPrint.

The theme's ``pdf/book.html.j2`` and ``pdf/book.css.j2`` (a project's
``templates/pdf/`` overrides either) make one HTML document: title page,
imprint, table of contents, then one table row per pair of blocks, Arabic on
the right. WeasyPrint fetches only through the fetcher of :mod:`.fetcher`: the
font files :mod:`warraq.render.fonts` located, and files inside the project's
templates folder and the package theme. Nothing from the network.

The modules: :mod:`.geometry` (lengths, the page), :mod:`.baselines` (level
first lines), :mod:`.context` (what the templates are filled from),
:mod:`.fetcher`, :mod:`.passes` (layout passes) and :mod:`.renderer`.
WeasyPrint itself is imported only when a PDF is rendered.
"""

from __future__ import annotations

from warraq.config import length_mm
from warraq.render.pdf.baselines import baseline_padding, first_baseline
from warraq.render.pdf.context import HtmlContext, Metadata, PdfContext, shorten, template_context
from warraq.render.pdf.faces import FAMILY_ALIASES, FontFace, css_string, font_faces
from warraq.render.pdf.fetcher import make_fetcher
from warraq.render.pdf.geometry import PageGeometry, page_geometry, running_head_chars
from warraq.render.pdf.passes import (
    MAX_LAYOUT_PASSES,
    forced_breaks_css,
    rows_started_unlevel,
    short_rows,
)
from warraq.render.pdf.renderer import (
    CSS_TEMPLATE,
    HTML_TEMPLATE,
    PDF_VARIANTS,
    render_html,
    render_pdf,
)
from warraq.render.pdf.typesizes import TYPE_SIZES, PairSizes, TypeSize

__all__ = [
    "CSS_TEMPLATE",
    "FAMILY_ALIASES",
    "HTML_TEMPLATE",
    "MAX_LAYOUT_PASSES",
    "PDF_VARIANTS",
    "TYPE_SIZES",
    "FontFace",
    "HtmlContext",
    "Metadata",
    "PageGeometry",
    "PairSizes",
    "PdfContext",
    "TypeSize",
    "baseline_padding",
    "css_string",
    "first_baseline",
    "font_faces",
    "forced_breaks_css",
    "length_mm",
    "make_fetcher",
    "page_geometry",
    "render_html",
    "render_pdf",
    "rows_started_unlevel",
    "running_head_chars",
    "short_rows",
    "shorten",
    "template_context",
]
