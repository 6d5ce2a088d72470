"""The bilingual view of an edition: rows pairing each source block with its translation.

Both renderers (PDF and EPUB) fill their templates from this one view, so the
pairing, the inline HTML, the draft marks, the table of contents and the
title-page texts are decided once. So are the notes: their marks (numbered
through the book or per chapter, Arabic-Indic on an Arabic side when the
edition's page numbers are; a translator's note is lettered a, b, c so the
author's notes keep the same numbers on both sides) and their HTML at the call.
A PDF view (``xml`` false) puts the whole note at its call, as a
``span.footnote`` for WeasyPrint's ``float: footnote``; an EPUB view (``xml``
true) puts a ``noteref`` link there, and each row lists its notes for the
asides that follow the chapter.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from babel.dates import format_date
from markupsafe import Markup, escape

from warraq.catalogs.translation import Rendering, Status, Translation
from warraq.config import DocumentConfig, EditionConfig
from warraq.document.inline import plain_text
from warraq.document.model import (
    Block,
    Document,
    Figure,
    Heading,
    ListBlock,
    ListItem,
    Note,
    NoteKind,
    Paragraph,
    Quote,
    Segment,
)
from warraq.document.text import ARABIC_INDIC_DIGITS, text_direction
from warraq.render.html import NoteHtml, inline_html
from warraq.render.job import EditionJob
from warraq.render.typography import apply_conventions
from warraq.render.words import word

RowKind = Literal["heading", "paragraph", "item", "figure"]
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
class NoteView:
    """One note on one side: its mark, its body, the ids that link its call and its body."""

    id: str
    call_id: str
    label: str
    mark: str
    kind: NoteKind
    body: Side  # html: one element per paragraph of the note
    paragraphs: tuple[Markup, ...] = ()  # the inline HTML of each paragraph

    @property
    def side(self) -> Literal["source", "target"]:
        """Which side of the row calls it."""
        return "target" if self.id.endswith("-t") else "source"


@dataclass(frozen=True, slots=True)
class FigureView:
    """An image: its file, its name inside an EPUB package, alt text and caption per side."""

    id: str
    file: Path | None
    href: str
    alt: tuple[Side, Side]
    caption: tuple[Side, Side] | None

    @property
    def media_type(self) -> str:
        """``image/png``, ``image/jpeg``…, from the file name."""
        return mimetypes.guess_type(self.href)[0] or "application/octet-stream"


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
    notes: tuple[NoteView, ...] = ()  # the notes called in this row, source side first
    figure: FigureView | None = None  # kind "figure": the image (source and target are its alt)


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
    def notes(self) -> tuple[NoteView, ...]:
        """Every note called in the edition, in the order of the rows."""
        return tuple(note for row in self.rows for note in row.notes)

    @property
    def figures(self) -> tuple[FigureView, ...]:
        """Every image of the edition."""
        return tuple(row.figure for row in self.rows if row.figure is not None)

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
        images=job.project.path(job.document_config.source).parent,
    )


@dataclass(frozen=True, slots=True)
class SegmentSide:
    """One segment alone on each side, its notes' calls (full footnotes) in its HTML."""

    source: Side
    target: Side
    notes: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # note ids, source and target


def segment_sides(job: EditionJob) -> dict[str, SegmentSide]:
    """Each segment's source and translation alone, by segment id, as :func:`job_view`
    sets them (notes numbered as there): for layouts that split a passage at its
    sentences (facing pages)."""
    builder = _ViewBuilder(
        job.document, job.translation, job.edition, draft=job.draft, xml=False, typography=True
    )
    builder.record = {}
    builder.images = job.project.path(job.document_config.source).parent
    builder.rows()
    return builder.record


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
    images: Path | None = None,
) -> EditionView:
    """Pair every block of ``document`` with its translation.

    ``xml`` adds ``xml:lang`` beside ``lang`` on inline runs (for XHTML).
    ``draft`` marks missing and fuzzy translations visibly instead of failing.
    ``typography`` applies the translation language's typographic conventions
    (French spacing, see :mod:`warraq.render.typography`) to the translated texts.
    ``images`` is the folder figure paths are relative to (the source's).
    """
    builder = _ViewBuilder(
        document, translation, edition, draft=draft, xml=xml, typography=typography
    )
    builder.images = images
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
        self.images: Path | None = None
        self.top_level = min((h.level for h in document.headings()), default=1)
        self.numbers = {"author": 0, "translator": 0}
        self.marks: dict[str, tuple[str, str]] = {}  # label: (source mark, target mark)
        self.pending: list[NoteView] = []
        self.record: dict[str, SegmentSide] | None = None  # see segment_sides

    def side(self, text: str, language: str, *, calls: bool = False) -> Side:
        if self.typography:
            text = apply_conventions(text, language)
        notes = self._calls(language, "source") if calls else None
        return Side(
            language,
            text_direction(language),
            inline_html(text, self.markup, language, xml=self.xml, notes=notes),
            plain_text(text, self.markup),
        )

    # Notes ------------------------------------------------------------------

    def _mark(self, label: str, kind: NoteKind) -> tuple[str, str]:
        if label not in self.marks:
            self.numbers[kind] += 1
            number = self.numbers[kind]
            if kind == "translator":
                letters = ""
                while number:
                    number, rest = divmod(number - 1, 26)
                    letters = chr(ord("a") + rest) + letters
                self.marks[label] = (letters, letters)
            else:
                western = str(number)
                source = western
                if (
                    self.edition.page_numbers == "arabic-indic"
                    and text_direction(self.document.meta.language) == "rtl"
                ):
                    source = western.translate(_TO_ARABIC_INDIC)
                self.marks[label] = (source, western)
        return self.marks[label]

    def _calls(self, language: str, side: Literal["source", "target"]) -> NoteHtml:
        def call(label: str) -> str:
            note = self.document.note(label)
            if side == "target" and (note is None or label in self.translation_labels):
                note = self.translation.note(label)
            if note is None:
                return ""  # only in a draft: warraq check reports the call
            mark = self._mark(label, note.kind)[0 if side == "source" else 1]
            view = self._note_view(note, language, side, mark)
            self.pending.append(view)
            return self._call_html(view)

        return call

    @property
    def translation_labels(self) -> frozenset[str]:
        return frozenset(note.label for note in self.translation.notes)

    def _note_view(
        self, note: Note, language: str, side: Literal["source", "target"], mark: str
    ) -> NoteView:
        tag = "p" if self.xml else "span"
        html_parts: list[str] = []
        paragraphs: list[Markup] = []
        texts: list[str] = []
        blocks = list(note.text_blocks())
        for index, block in enumerate(blocks):
            if note.kind == "translator" or side == "source":
                body = self.side(block.text, language)
            else:
                renderings = [self.translation.lookup(s.text) for s in block.segments]
                body = self._target(block.segments, renderings)
            html = str(body.html)
            if note.kind == "translator" and index == len(blocks) - 1:
                html += (
                    f' <span class="note-by">({escape(word("translator_note", language))})</span>'
                )
            html_parts.append(f'<{tag} class="note-p">{html}</{tag}>')
            paragraphs.append(Markup(html))
            texts.append(body.text)
        suffix = "s" if side == "source" else "t"
        return NoteView(
            id=f"{note.id}-{suffix}",
            call_id=f"{note.id}-{suffix}-call",
            label=note.label,
            mark=mark,
            kind=note.kind,
            body=Side(
                language, text_direction(language), Markup("".join(html_parts)), " ".join(texts)
            ),
            paragraphs=tuple(paragraphs),
        )

    def _call_html(self, note: NoteView) -> str:
        if self.xml:
            return (
                f'<a class="noteref {note.kind}" epub:type="noteref" role="doc-noteref" '
                f'id="{note.call_id}" href="#{note.id}">{escape(note.mark)}</a>'
            )
        # Each paragraph after the first is a footnote of its own, without call or
        # marker: WeasyPrint never splits a footnote, but defers one that does not
        # fit to the next page, so a long note continues there paragraph by paragraph.
        first, *rest = note.paragraphs or (Markup(""),)
        pieces = [
            f'<span class="footnote {note.kind}" id="{note.id}" data-mark="{escape(note.mark)}" '
            f'data-note="{note.id}" {note.body.attributes}>'
            f'<span class="note-p">{first}</span></span>'
        ]
        pieces.extend(
            f'<span class="footnote more {note.kind}" data-note="{note.id}" '
            f"{note.body.attributes}>"
            f'<span class="note-p">{paragraph}</span></span>'
            for paragraph in rest
        )
        return "".join(pieces)

    def _take_notes(self) -> tuple[NoteView, ...]:
        notes = tuple(sorted(self.pending, key=lambda n: n.side != "source"))
        self.pending.clear()
        return notes

    # Rows -------------------------------------------------------------------
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

    def _blocks(self, blocks: tuple[Block, ...], rows: list[Row], *, quote: bool) -> None:
        for block in blocks:
            if (
                isinstance(block, Heading)
                and block.level == self.top_level
                and not quote
                and self.edition.note_numbering == "chapter"
            ):
                self.numbers = {"author": 0, "translator": 0}
                self.marks = {}
            if isinstance(block, Figure):
                rows.append(self._figure_row(block, quote=quote))
            elif isinstance(block, Quote):
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
        source = self.side(source_text, source_language, calls=True)
        target = self._target(block.segments, renderings, calls=True)
        if self.record is not None:
            self._record(block.segments, renderings)
        return Row(
            id=block.id,
            kind=kind,
            source=source,
            target=target,
            notes=self._take_notes(),
            status=status,
            level=level,
            quote=quote,
            marker=marker,
            list_id=list_id,
            segment_ids=tuple(segment.id for segment in block.segments),
        )

    def _figure_row(self, figure: Figure, *, quote: bool) -> Row:
        source_language = self.document.meta.language
        segments = figure.segments
        renderings = [self.translation.lookup(segment.text) for segment in segments]
        status = max(
            (r.status for r in renderings), key=_STATUS_RANK.__getitem__, default=Status.REVIEWED
        )
        sides = [
            (self.side(segment.text, source_language), self._target((segment,), [rendering]))
            for segment, rendering in zip(segments, renderings, strict=True)
        ]
        if self.record is not None:
            for segment, (source, target) in zip(segments, sides, strict=True):
                self.record[segment.id] = SegmentSide(source, target)
        view = FigureView(
            id=figure.id,
            file=(self.images / figure.path).resolve() if self.images is not None else None,
            href=f"images/{figure.id}{Path(figure.path).suffix.lower()}",
            alt=sides[0],
            caption=sides[1] if len(sides) > 1 else None,
        )
        return Row(
            id=figure.id,
            kind="figure",
            source=sides[0][0],
            target=sides[0][1],
            status=status,
            quote=quote,
            segment_ids=tuple(segment.id for segment in segments),
            figure=view,
        )

    def _record(self, segments: tuple[Segment, ...], renderings: list[Rendering]) -> None:
        """Each segment of a row set alone, its notes' marks the row's (already given)."""
        assert self.record is not None
        kept = list(self.pending)
        language = self.document.meta.language
        for segment, rendering in zip(segments, renderings, strict=True):
            self.pending.clear()
            source = self.side(segment.text, language, calls=True)
            source_notes = tuple(note.id for note in self.pending)
            self.pending.clear()
            target = self._target((segment,), [rendering], calls=True)
            target_notes = tuple(note.id for note in self.pending)
            self.record[segment.id] = SegmentSide(source, target, (source_notes, target_notes))
        self.pending[:] = kept

    def _target(
        self, segments: tuple[Segment, ...], renderings: list[Rendering], *, calls: bool = False
    ) -> Side:
        language = self.translation.language
        notes = self._calls(language, "target") if calls else None
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
            html = inline_html(text, self.markup, language, xml=self.xml, notes=notes)
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
