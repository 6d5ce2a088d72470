"""The bilingual view of an edition: rows pairing each source block with its translation.

Both renderers (PDF and EPUB) fill their templates from this one view, so the
pairing, the inline HTML, the draft marks, the table of contents and the
title-page texts are decided once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from babel.dates import format_date
from markupsafe import Markup, escape

from warraq.catalogs.translation import Rendering, Status, Translation
from warraq.config import DocumentConfig, EditionConfig
from warraq.document.inline import plain_text
from warraq.document.model import Document, Heading, ListBlock, ListItem, Paragraph, Quote, Segment
from warraq.document.text import ARABIC_INDIC_DIGITS, text_direction
from warraq.render.html import inline_html
from warraq.render.job import EditionJob
from warraq.render.typography import apply_conventions
from warraq.render.words import word

RowKind = Literal["heading", "paragraph", "item"]
_STATUS_RANK = {Status.REVIEWED: 0, Status.MACHINE: 1, Status.FUZZY: 2, Status.MISSING: 3}
_TO_ARABIC_INDIC = str.maketrans("0123456789", ARABIC_INDIC_DIGITS)


@dataclass(frozen=True, slots=True)
class Side:
    """One language's side of a row: its language, direction, HTML and plain text."""

    language: str
    direction: str
    html: Markup
    text: str

    @property
    def attributes(self) -> Markup:
        """``lang="…" dir="…"`` for the element holding this side."""
        return Markup(f'lang="{self.language}" dir="{self.direction}"')

    @property
    def xml_attributes(self) -> Markup:
        """``lang``, ``xml:lang`` and ``dir`` for an XHTML element."""
        return Markup(f'lang="{self.language}" xml:lang="{self.language}" dir="{self.direction}"')


@dataclass(frozen=True, slots=True)
class Row:
    """A source block beside its translation: one table row in print, one pair in EPUB."""

    id: str
    kind: RowKind
    source: Side
    target: Side
    status: Status
    level: int = 0  # headings: 1 is the document's top section level
    quote: bool = False  # inside a block quotation
    marker: tuple[str, str] | None = None  # list items: the marker in each language
    list_id: str | None = None  # list items: the list they belong to
    segment_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading, for the table of contents, bookmarks and running heads."""

    id: str
    level: int
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class EditionView:
    """Everything a template needs to typeset one edition."""

    source_language: str
    target_language: str
    title: tuple[Side, Side]
    author: tuple[str, str] | None
    date: tuple[str, str]
    subject: str | None
    rows: tuple[Row, ...]
    sections: tuple[Section, ...]
    draft: bool
    page_numbers: str
    title_marker: Side | None = None  # a draft's mark where the untranslated title would be

    @property
    def target_title(self) -> Side | None:
        """The translation's title, else a draft's marker, else None (print the source's once)."""
        if self.title[1].language != self.title[0].language:
            return self.title[1]
        return self.title_marker

    @property
    def source_direction(self) -> str:
        """``rtl`` for an Arabic source."""
        return text_direction(self.source_language)

    @property
    def target_direction(self) -> str:
        """``ltr`` for a French or English translation."""
        return text_direction(self.target_language)


def job_view(job: EditionJob, *, xml: bool = False) -> EditionView:
    """The view of one edition job, the translation set in its language's typographic
    conventions (French spacing); ``xml`` as for :func:`build_view`."""
    return build_view(
        job.document,
        job.translation,
        job.document_config,
        job.edition,
        date=job.date,
        draft=job.draft,
        xml=xml,
        typography=True,
    )


def segment_sides(job: EditionJob) -> dict[str, tuple[Side, Side]]:
    """Each segment's source and translation alone, by segment id, as :func:`job_view`
    sets them: for layouts that split a passage at its sentences (facing pages)."""
    builder = _ViewBuilder(
        job.document, job.translation, job.edition, draft=job.draft, xml=False, typography=True
    )
    language = job.document.meta.language
    return {
        segment.id: (
            builder.side(segment.text, language),
            builder._target((segment,), [job.translation.lookup(segment.text)]),
        )
        for block in job.document.text_blocks()
        for segment in block.segments
    }


def build_view(
    document: Document,
    translation: Translation,
    config: DocumentConfig,
    edition: EditionConfig,
    *,
    date: dt.date,
    draft: bool,
    xml: bool = False,
    typography: bool = False,
) -> EditionView:
    """Pair every block of ``document`` with its translation.

    ``xml`` adds ``xml:lang`` beside ``lang`` on inline runs (for XHTML).
    ``draft`` marks missing and fuzzy translations visibly instead of failing.
    ``typography`` applies the translation language's typographic conventions
    (French spacing, see :mod:`warraq.render.typography`) to the translated texts.
    """
    builder = _ViewBuilder(
        document, translation, edition, draft=draft, xml=xml, typography=typography
    )
    source_language = document.meta.language
    target_language = translation.language
    title_source = config.title(source_language) or (
        document.meta.title.text if document.meta.title else config.name
    )
    title_target = config.title(target_language)
    if title_target is None and document.meta.title is not None:
        title_target = translation.lookup(document.meta.title.text).text or None
    title = (
        builder.side(title_source, source_language),
        builder.side(
            title_target or title_source, target_language if title_target else source_language
        ),
    )
    title_marker = None
    if draft and title_target is None and document.meta.title is not None:
        title_marker = builder.missing(document.meta.title.id)
    author_source = config.author(source_language) or document.meta.author
    author_target = config.author(target_language) or author_source
    source_date = format_date(date, format="long", locale=source_language)
    if edition.page_numbers == "arabic-indic" and text_direction(source_language) == "rtl":
        source_date = source_date.translate(_TO_ARABIC_INDIC)
    rows = builder.rows()
    top_level = min((row.level for row in rows if row.kind == "heading"), default=1)
    rows = tuple(_relevel(row, top_level) if row.kind == "heading" else row for row in rows)
    sections = tuple(
        Section(row.id, row.level, row.source.text, row.target.text)
        for row in rows
        if row.kind == "heading" and not row.quote
    )
    return EditionView(
        source_language=source_language,
        target_language=target_language,
        title=title,
        author=(author_source, author_target) if author_source and author_target else None,
        date=(source_date, format_date(date, format="long", locale=target_language)),
        subject=config.subject(target_language),
        rows=rows,
        sections=sections,
        draft=draft,
        page_numbers=edition.page_numbers,
        title_marker=title_marker,
    )


def _relevel(row: Row, top_level: int) -> Row:
    return replace(row, level=row.level - top_level + 1)


class _ViewBuilder:
    def __init__(
        self,
        document: Document,
        translation: Translation,
        edition: EditionConfig,
        *,
        draft: bool,
        xml: bool,
        typography: bool = False,
    ) -> None:
        self.typography = typography
        self.document = document
        self.translation = translation
        self.edition = edition
        self.draft = draft
        self.xml = xml
        self.markup = document.meta.markup

    def side(self, text: str, language: str) -> Side:
        if self.typography:
            text = apply_conventions(text, language)
        return Side(
            language,
            text_direction(language),
            inline_html(text, self.markup, language, xml=self.xml),
            plain_text(text, self.markup),
        )

    def missing(self, segment_id: str) -> Side:
        """A draft's mark for the missing translation of a segment: no text, only the mark."""
        language = self.translation.language
        html = Markup(
            f'<span class="warraq-missing" data-segment="{segment_id}">'
            f"[{escape(_missing_label(language))}]</span>"
        )
        return Side(language, text_direction(language), html, "")

    def rows(self) -> tuple[Row, ...]:
        rows: list[Row] = []
        self._blocks(self.document.blocks, rows, quote=False)
        return tuple(rows)

    def _blocks(
        self,
        blocks: tuple[Heading | Paragraph | ListBlock | Quote, ...],
        rows: list[Row],
        *,
        quote: bool,
    ) -> None:
        for block in blocks:
            if isinstance(block, Quote):
                self._blocks(block.blocks, rows, quote=True)
            elif isinstance(block, ListBlock):
                for index, item in enumerate(block.items):
                    marker = self._marker(block, index)
                    rows.append(
                        self._row(item, "item", quote=quote, marker=marker, list_id=block.id)
                    )
            elif isinstance(block, Heading):
                rows.append(self._row(block, "heading", quote=quote, level=block.level))
            else:
                rows.append(self._row(block, "paragraph", quote=quote))

    def _marker(self, block: ListBlock, index: int) -> tuple[str, str]:
        if not block.ordered:
            return ("•", "•")
        number = str(block.start + index)
        source_number = number
        if (
            self.edition.page_numbers == "arabic-indic"
            and text_direction(self.document.meta.language) == "rtl"
        ):
            source_number = number.translate(_TO_ARABIC_INDIC)
        return (f"{source_number}.", f"{number}.")

    def _row(
        self,
        block: Heading | Paragraph | ListItem,
        kind: RowKind,
        *,
        quote: bool,
        level: int = 0,
        marker: tuple[str, str] | None = None,
        list_id: str | None = None,
    ) -> Row:
        source_language = self.document.meta.language
        renderings = [self.translation.lookup(segment.text) for segment in block.segments]
        status = max(
            (r.status for r in renderings), key=_STATUS_RANK.__getitem__, default=Status.REVIEWED
        )
        source_text = " ".join(segment.text for segment in block.segments)
        return Row(
            id=block.id,
            kind=kind,
            source=self.side(source_text, source_language),
            target=self._target(block.segments, renderings),
            status=status,
            level=level,
            quote=quote,
            marker=marker,
            list_id=list_id,
            segment_ids=tuple(segment.id for segment in block.segments),
        )

    def _target(self, segments: tuple[Segment, ...], renderings: list[Rendering]) -> Side:
        language = self.translation.language
        html_parts: list[str] = []
        text_parts: list[str] = []
        for segment, rendering in zip(segments, renderings, strict=True):
            if rendering.status is Status.MISSING:
                # Only reachable in a draft: a build without --draft refuses first.
                html_parts.append(str(self.missing(segment.id).html))
                text_parts.append("")
                continue
            text = rendering.text
            if self.typography:
                text = apply_conventions(text, language)
            html = inline_html(text, self.markup, language, xml=self.xml)
            if self.draft and rendering.status is Status.FUZZY:
                html = Markup(
                    f'<span class="warraq-fuzzy" data-segment="{segment.id}">{html}</span>'
                )
            html_parts.append(str(html))
            text_parts.append(plain_text(text, self.markup))
        return Side(
            language,
            text_direction(language),
            Markup(" ".join(html_parts)),
            " ".join(part for part in text_parts if part),
        )


def _missing_label(language: str) -> str:
    return word("missing", language)
