"""The PDF templates' context: the view, page, fonts, labels and metadata they are filled from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from markupsafe import Markup

from warraq import __version__
from warraq.document.text import text_direction
from warraq.render.fonts import ARABIC_FAMILY, LATIN_FAMILY
from warraq.render.job import EditionJob
from warraq.render.pdf.baselines import Level, baseline_padding
from warraq.render.pdf.faces import FAMILY_ALIASES, FontFace, css_string
from warraq.render.pdf.geometry import PageGeometry, page_geometry, running_head_chars
from warraq.render.pdf.passes import (
    short_rows,
)
from warraq.render.pdf.typesizes import TYPE_SIZES, PairSizes
from warraq.render.view import EditionView
from warraq.render.words import word


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis.

    Short words (articles, prepositions) do not end a shortened title.

    >>> shorten("Quels sont les principaux domaines de la coopération\u202f?", 42)
    'Quels sont les principaux domaines…'
    >>> shorten("كيف تؤثر هذه الدبلوماسية على الاستقرار الإقليمي؟", 32)
    'كيف تؤثر هذه الدبلوماسية…'
    >>> shorten("Court", 24)
    'Court'
    """
    if len(text) <= limit:
        return text
    cut = max(limit - 1, 1)
    words = text[:cut].split()
    if len(words) > 1 and not text[cut - 1].isspace() and not text[cut].isspace():
        words.pop()  # the last word was cut in two
    while len(words) > 2 and len(words[-1].strip(",;:.،؛")) <= 3:
        words.pop()
    return " ".join(words).rstrip(" \u00a0\u202f,;:.،؛-–—") + "…"


class Metadata(TypedDict):
    """What the PDF's metadata says (through ``<meta>`` elements WeasyPrint reads)."""

    title: str
    author: str | None
    language: str
    subject: str | None
    keywords: str
    created: str
    generator: str


class PdfContext(TypedDict):
    """The variables of the PDF templates (``pdf/book.css.j2`` and ``pdf/book.html.j2``).

    ``labels.<key>.source`` and ``.target`` are the edition's words in each
    language; ``sizes`` the type sizes and ``levels`` the baseline shifts of
    each pair of sizes; ``level(...)`` the shifts for any other sizes.
    """

    view: EditionView
    layout: str
    side_by_side: bool  # both languages on the title page, contents and page furniture
    page: PageGeometry
    head_chars: dict[str, int]
    short_rows: frozenset[str]
    level: Level
    levels: dict[str, dict[str, str]]
    sizes: dict[str, PairSizes]
    fonts: tuple[FontFace, ...]
    families: dict[str, str]
    numbers: dict[str, str]
    labels: dict[str, dict[str, str]]
    meta: Metadata


class HtmlContext(PdfContext):
    """The book template's variables: those of the stylesheet, and the stylesheet itself."""

    stylesheet: Markup


def template_context(job: EditionJob, view: EditionView, faces: Sequence[FontFace]) -> PdfContext:
    """What the PDF templates are filled from."""
    source, target = view.source_language, view.target_language
    languages = {"source": source, "target": target}
    side_by_side = job.edition.bilingual  # the text block is the layout's: see ``layout``
    edition = "bilingual" if side_by_side else "translated"
    level = baseline_padding(faces, FAMILY_ALIASES[ARABIC_FAMILY], FAMILY_ALIASES[LATIN_FAMILY])
    geometry = page_geometry(job)
    return PdfContext(
        view=view,
        layout=job.edition.layout,
        side_by_side=side_by_side,
        page=geometry,
        head_chars=running_head_chars(geometry),
        short_rows=short_rows(view, geometry),
        level=level,
        levels={
            name: level(
                pair.source.size, pair.source.leading, pair.target.size, pair.target.leading
            )
            for name, pair in TYPE_SIZES.items()
        },
        sizes=TYPE_SIZES,
        fonts=tuple(faces),
        families={
            "arabic": css_string(FAMILY_ALIASES[ARABIC_FAMILY]),
            "latin": css_string(FAMILY_ALIASES[LATIN_FAMILY]),
        },
        numbers={
            "source": "arabic-indic"
            if job.edition.page_numbers == "arabic-indic" and text_direction(source) == "rtl"
            else "decimal",
            "target": "decimal",
        },
        labels={
            key: {
                side: word(name, language, source=source, target=target)
                for side, language in languages.items()
            }
            for key, name in (
                ("contents", "contents"),
                ("draft", "draft"),
                ("missing", "missing"),
                ("edition", edition),
            )
        },
        meta=Metadata(
            title=view.title[1].text,
            author=view.author[1] if view.author else None,
            language=target,
            subject=view.subject,
            keywords=", ".join(
                [word(edition, target, source=source, target=target), view.title[0].text]
            ),
            created=job.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
            generator=f"warraq {__version__}",
        ),
    )
