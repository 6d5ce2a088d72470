"""Planning the book: its languages, metadata, content documents and table of contents."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from warraq.document.model import Block, Document, ListBlock, Quote
from warraq.document.text import has_arabic, has_latin, text_direction
from warraq.render.epub.accessibility import plan_accessibility
from warraq.render.epub.book import (
    Book,
    Chapter,
    NavEntry,
    Node,
    Text,
)
from warraq.render.job import EditionJob
from warraq.render.view import EditionView, NoteView, Row
from warraq.render.words import WORDS, word

# Identifiers are UUIDs derived from the edition's name, under this namespace.
IDENTIFIER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:warraq:epub-identifier")


def plan_book(job: EditionJob, view: EditionView, *, overridden: Iterable[str] = ()) -> Book:
    """Lay out the book: languages, metadata, content documents and navigation."""
    bilingual = job.edition.bilingual
    source, target = view.source_language, view.target_language
    if not bilingual:
        languages: tuple[str, ...] = (target,)
    elif job.edition.primary_language == "translation":
        languages = (target, source)
    else:
        languages = (source, target)
    chapters = plan_chapters(job.document, view, languages[0], bilingual)
    config = job.document_config
    title_sides = {side.language: side for side in view.title}
    titles = tuple(
        _titled(title_sides[language].text, language)
        for language in languages
        if language in title_sides
    )
    if not titles:  # translation-only with no translated title: the source title
        titles = (_titled(view.title[0].text, source),)
    title_page_sides = tuple(
        title_sides[language] for language in languages if language in title_sides
    ) or (view.title[0],)
    if view.title_marker is not None:  # a draft whose title is not translated yet: say so
        title_page_sides = (*title_page_sides, view.title_marker)
    names: list[Text] = []
    if view.author is not None:
        for language in languages:
            name = view.author[0] if language == source else view.author[1]
            text = _guess_text(name, config.authors, language, source)
            if all(text.text != other.text for other in names):
                names.append(text)
    subjects: list[Text] = []
    for language in languages:
        subject = config.subject(language)
        if subject and all(subject != other.text for other in subjects):
            subjects.append(_guess_text(subject, config.subjects, language, source))
    date_texts = {source: view.date[0], target: view.date[1]}
    dates = tuple(
        Text(date_texts[language], language, text_direction(language)) for language in languages
    )
    identifier = uuid.uuid5(
        IDENTIFIER_NAMESPACE,
        "/".join((job.document_config.name, source, target, job.edition.layout, job.edition.name)),
    )
    rows = [row for chapter in chapters for row in chapter_rows(chapter)]
    return Book(
        view=view,
        bilingual=bilingual,
        languages=languages,
        identifier=f"urn:uuid:{identifier}",
        modified=job.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        date=job.date.isoformat(),
        titles=titles,
        title_sides=title_page_sides,
        title_segments=(job.document.meta.title.id,) if job.document.meta.title else (),
        subjects=tuple(subjects),
        authors=tuple(names),
        dates=dates if bilingual else dates[:1],
        chapters=chapters,
        nav=plan_nav(chapters, view, languages, bilingual, titles),
        accessibility=plan_accessibility(
            job, view, rows, bilingual=bilingual, overridden=tuple(overridden)
        ),
        draft=job.draft,
        layout="interleaved" if job.edition.layout == "interleaved" else "side-by-side",
        start_href=_start_href(chapters),
        words={
            key: tuple(
                Text(word(key, lang, source=source, target=target), lang, text_direction(lang))
                for lang in languages
            )
            for key in WORDS
        },
    )


def _titled(text: str, language: str) -> Text:
    """A title in ``language``; a fallback title (the document's file name) in Latin
    letters is not tagged as Arabic."""
    if text_direction(language) == "rtl" and not has_arabic(text):
        return Text(text, "und-Latn" if has_latin(text) else "und", "ltr")
    return Text(text, language, text_direction(language))


def _guess_text(text: str, given: Mapping[str, str], language: str, source: str) -> Text:
    """``text`` with its language: as configured when the configuration says, else by script."""
    languages = [lang for lang, value in given.items() if value == text]
    if len(languages) == 1 or (language in languages and len(set(given.values())) > 1):
        found = languages[0] if len(languages) == 1 else language
    elif has_arabic(text):
        found = source
    else:
        found = "und-Latn" if has_latin(text) else "und"
    return Text(text, found, "rtl" if has_arabic(text) else "ltr")


def _block_contexts(blocks: tuple[Block, ...]) -> dict[str, tuple[str | None, ListBlock | None]]:
    """For every text block id: the quotation it is in and the list it belongs to."""
    contexts: dict[str, tuple[str | None, ListBlock | None]] = {}

    def walk(blocks: tuple[Block, ...], quote: str | None) -> None:
        for block in blocks:
            if isinstance(block, Quote):
                walk(block.blocks, quote or block.id)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    contexts[item.id] = (quote, block)
            else:
                contexts[block.id] = (quote, None)

    walk(blocks, None)
    return contexts


def plan_chapters(
    document: Document, view: EditionView, language: str, bilingual: bool
) -> tuple[Chapter, ...]:
    """Split the rows at top-level headings: the front (title page and intro), then sections."""
    contexts = _block_contexts(document.blocks)
    groups: list[list[Row]] = [[]]
    for row in view.rows:
        quote, _ = contexts[row.id]
        if row.kind == "heading" and row.level == 1 and quote is None:
            groups.append([row])
        else:
            groups[-1].append(row)
    title_side = next((side for side in view.title if side.language == language), view.title[0])

    def notes(rows: list[Row]) -> tuple[NoteView, ...]:
        called = [note for row in rows for note in row.notes]
        if not bilingual:  # only the translation is printed
            return tuple(note for note in called if note.side == "target")
        return tuple(sorted(called, key=lambda note: note.side != "source"))

    front = Chapter("front", None, _nest(groups[0], contexts), title_side.text, True)
    chapters = [replace(front, notes=notes(groups[0]))]
    for rows in groups[1:]:
        heading = rows[0]
        side = heading.source if heading.source.language == language else heading.target
        if not bilingual:
            side = heading.target
        chapters.append(
            Chapter(heading.id, heading, _nest(rows[1:], contexts), side.text, notes=notes(rows))
        )
    return tuple(chapters)


def _nest(
    rows: list[Row], contexts: Mapping[str, tuple[str | None, ListBlock | None]]
) -> tuple[Node, ...]:
    """Group consecutive rows into quotations, and list items into lists."""
    nodes: list[Node] = []
    index = 0
    while index < len(rows):
        quote, list_block = contexts[rows[index].id]
        end = index + 1
        if quote is not None:
            while end < len(rows) and contexts[rows[end].id][0] == quote:
                end += 1
            inner = {row.id: (None, contexts[row.id][1]) for row in rows[index:end]}
            nodes.append(Node("quote", id=quote, children=_nest(rows[index:end], inner)))
        elif list_block is not None:
            while end < len(rows) and contexts[rows[end].id] == (None, list_block):
                end += 1
            nodes.append(
                Node(
                    "list",
                    id=list_block.id,
                    children=tuple(Node("row", row=row) for row in rows[index:end]),
                    ordered=list_block.ordered,
                    start=list_block.start,
                )
            )
        else:
            nodes.append(Node("row", id=rows[index].id, row=rows[index]))
        index = end
    return tuple(nodes)


def chapter_rows(chapter: Chapter) -> Iterator[Row]:
    if chapter.heading is not None:
        yield chapter.heading
    yield from _node_rows(chapter.nodes)


def _node_rows(nodes: tuple[Node, ...]) -> Iterator[Row]:
    for node in nodes:
        if node.row is not None:
            yield node.row
        yield from _node_rows(node.children)


def _start_href(chapters: tuple[Chapter, ...]) -> str | None:
    """Where the text itself begins: the intro after the title page, else the first section."""
    if chapters[0].nodes:
        return f"{chapters[0].href}#start"
    if len(chapters) > 1:
        return chapters[1].href
    return None


def plan_nav(
    chapters: tuple[Chapter, ...],
    view: EditionView,
    languages: tuple[str, ...],
    bilingual: bool,
    titles: tuple[Text, ...],
) -> tuple[NavEntry, ...]:
    """The table of contents: the front (under the book's title), then every heading.

    Entries nest by heading level; a heading below the top level that comes
    before the first top-level heading nests under the front.
    """
    chapter_of = {row.id: chapter for chapter in chapters for row in chapter_rows(chapter)}
    shown = languages if bilingual else (view.target_language,)

    def labels(texts: Mapping[str, str]) -> tuple[Text, ...]:
        return tuple(Text(texts[lang], lang, text_direction(lang)) for lang in shown)

    front = _NavDraft(chapters[0].href, titles, 1)
    top = [front]
    stack = [front]
    for section in view.sections:
        chapter = chapter_of[section.id]
        is_chapter = chapter.heading is not None and chapter.heading.id == section.id
        href = chapter.href if is_chapter else f"{chapter.href}#{section.id}"
        texts = {view.source_language: section.source, view.target_language: section.target}
        entry = _NavDraft(href, labels(texts), section.level)
        while stack and stack[-1].level >= section.level:
            stack.pop()
        (stack[-1].children if stack else top).append(entry)
        stack.append(entry)
    return tuple(entry.freeze() for entry in top)


@dataclass(slots=True)
class _NavDraft:
    href: str
    labels: tuple[Text, ...]
    level: int
    children: list[_NavDraft] = field(default_factory=list)

    def freeze(self) -> NavEntry:
        return NavEntry(self.href, self.labels, tuple(child.freeze() for child in self.children))
