"""EPUB 3: a bilingual (or translation-only) e-book from jinja2 templates, zipped by hand.

The book is split at top-level headings: the title page and any text before the
first heading make the first content document, then one per top-level section.
Every block carries ``lang``, ``xml:lang`` and ``dir`` (readers ignore the
package's direction); pairs sit side by side on wide screens, Arabic on the
right, and stack, Arabic first, on narrow ones. The fonts of the PDF are
embedded, subset to the characters the book uses. Two builds with the same
inputs and ``SOURCE_DATE_EPOCH`` give the same bytes.

The modules, in the order a book is made: :mod:`.characters` (text an XHTML
file cannot hold), :mod:`.plan` (languages, metadata, chapters, navigation,
into the :mod:`.book` structures), :mod:`.accessibility`, :mod:`.embedded_fonts`,
:mod:`.renderer` (the templates) and :mod:`.container` (the zip).
"""

from __future__ import annotations

from warraq.render.characters import check_characters
from warraq.render.epub.accessibility import CONFORMANCE, plan_accessibility
from warraq.render.epub.book import (
    Accessibility,
    Book,
    Chapter,
    Font,
    NavEntry,
    Node,
    Text,
)
from warraq.render.epub.container import MEDIA_TYPE, zip_epub
from warraq.render.epub.embedded_fonts import StyleKey, plan_fonts, styled_characters
from warraq.render.epub.plan import plan_book, plan_chapters, plan_nav
from warraq.render.epub.renderer import TEMPLATES, render_epub

__all__ = [
    "CONFORMANCE",
    "MEDIA_TYPE",
    "TEMPLATES",
    "Accessibility",
    "Book",
    "Chapter",
    "Font",
    "NavEntry",
    "Node",
    "StyleKey",
    "Text",
    "check_characters",
    "plan_accessibility",
    "plan_book",
    "plan_chapters",
    "plan_fonts",
    "plan_nav",
    "render_epub",
    "styled_characters",
    "zip_epub",
]
