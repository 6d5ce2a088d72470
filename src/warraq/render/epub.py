"""EPUB 3: a bilingual (or translation-only) e-book from jinja2 templates, zipped by hand.

The book is split at top-level headings: the title page and any text before the
first heading make the first content document, then one per top-level section.
Every block carries ``lang``, ``xml:lang`` and ``dir`` (readers ignore the
package's direction); pairs sit side by side on wide screens, Arabic on the
right, and stack, Arabic first, on narrow ones. The fonts of the PDF are
embedded, subset to the characters the book uses. Two builds with the same
inputs and ``SOURCE_DATE_EPOCH`` give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import jinja2
from markupsafe import Markup

from warraq import __version__
from warraq.catalogs.translation import Status
from warraq.config import BILINGUAL_LAYOUTS
from warraq.document.model import Block, Document, ListBlock, Quote
from warraq.document.text import has_arabic, has_latin, text_direction
from warraq.errors import WarraqError
from warraq.render.fonts import (
    ARABIC_FAMILY,
    LATIN_FAMILY,
    Face,
    find_faces,
    font_cmap,
    needs_glyph,
)
from warraq.render.job import EditionJob
from warraq.render.subset import characters_to_keep, subset_font
from warraq.render.templates import template_environment
from warraq.render.view import EditionView, Row, Side, job_view

MEDIA_TYPE = "application/epub+zip"
TEMPLATES = ("container.xml", "package.opf", "nav.xhtml", "section.xhtml", "book.css")
"""The theme's EPUB templates, under ``epub/``; a project overrides one by
putting a file of the same name in ``templates/epub/``."""

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
# Identifiers are UUIDs derived from the edition's name, under this namespace.
IDENTIFIER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:warraq:epub-identifier")

_FONT_MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf"}
# Zip timestamps cannot be before 1980 or after 2107.
_ZIP_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_ZIP_LATEST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
_RLI, _LRI, _PDI = "\u2067", "\u2066", "\u2069"

# Words the book itself needs, in each language it may be written in.
WORDS: dict[str, dict[str, str]] = {
    "contents": {"ar": "المحتويات", "fr": "Table des matières", "en": "Contents"},
    "landmarks": {"ar": "معالم الكتاب", "fr": "Repères", "en": "Landmarks"},
    "titlepage": {"ar": "صفحة العنوان", "fr": "Page de titre", "en": "Title page"},
    "start": {"ar": "بداية النص", "fr": "Début du texte", "en": "Start of the text"},
    "draft": {
        "ar": "مسودة: الترجمات المعلَّمة ناقصة أو قديمة.",
        "fr": "Brouillon : les traductions signalées manquent ou sont à revoir.",
        "en": "Draft: the marked translations are missing or out of date.",
    },
}


def word(key: str, language: str) -> str:
    """The book word ``key`` in ``language``, in English when warraq does not know it.

    >>> word("contents", "fr"), word("contents", "de")
    ('Table des matières', 'Contents')
    """
    words = WORDS[key]
    return words.get(language.split("-")[0], words["en"])


# The book's structure, as the templates see it ---------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A text in one language: what it says, its language and its direction."""

    text: str
    language: str
    direction: str

    @property
    def attributes(self) -> Markup:
        """``lang``, ``xml:lang`` and ``dir`` for the element holding this text."""
        return _attributes(self.language, self.direction)

    @property
    def isolated(self) -> str:
        """The text between Unicode isolates, for readers that show it as plain text."""
        return f"{_RLI if self.direction == 'rtl' else _LRI}{self.text}{_PDI}"


@dataclass(frozen=True, slots=True)
class Node:
    """One thing in a content document: a row, a list of rows, or a quotation."""

    kind: Literal["row", "list", "quote"]
    id: str = ""
    row: Row | None = None
    children: tuple[Node, ...] = ()
    ordered: bool = False
    start: int = 1

    @property
    def first_row(self) -> Row:
        """The first row inside: its language is the group's."""
        if self.row is not None:
            return self.row
        return self.children[0].first_row


@dataclass(frozen=True, slots=True)
class Chapter:
    """One XHTML content document: the front matter, or one top-level section."""

    id: str
    heading: Row | None
    nodes: tuple[Node, ...]
    title: str
    titlepage: bool = False

    @property
    def href(self) -> str:
        """Its path relative to the package document."""
        return f"text/{self.id}.xhtml"


@dataclass(frozen=True, slots=True)
class NavEntry:
    """One entry of the table of contents, with its labels in each language."""

    href: str
    labels: tuple[Text, ...]
    children: tuple[NavEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Font:
    """An embedded face: its CSS description and the subset's bytes."""

    family: str
    weight: int
    style: str
    href: str
    media_type: str
    data: bytes
    id: str


@dataclass(frozen=True, slots=True)
class Accessibility:
    """What the package tells about the book's accessibility."""

    features: tuple[str, ...]
    summary: str
    conformance: str | None
    certified_by: str | None


@dataclass(frozen=True, slots=True)
class Book:
    """Everything the EPUB templates need."""

    view: EditionView
    bilingual: bool
    languages: tuple[str, ...]  # the primary language first
    identifier: str
    modified: str
    date: str
    titles: tuple[Text, ...]
    title_sides: tuple[Side, ...]  # for the title page, with inline markup
    title_segments: tuple[str, ...]  # the title's segment id, when the document has one
    subjects: tuple[Text, ...]
    authors: tuple[Text, ...]  # the author's name as written in each language, primary first
    dates: tuple[Text, ...]  # for the title page
    chapters: tuple[Chapter, ...]
    nav: tuple[NavEntry, ...]
    accessibility: Accessibility
    draft: bool
    start_href: str | None
    fonts: tuple[Font, ...] = ()
    words: Mapping[str, tuple[Text, ...]] = field(default_factory=dict)
    interleaved: bool = False  # each passage above its translation on every screen

    @property
    def language(self) -> str:
        """The primary language: it leads the metadata and sets the page direction."""
        return self.languages[0]

    @property
    def direction(self) -> str:
        """The primary language's direction, and so the page-progression direction."""
        return text_direction(self.language)

    @property
    def attributes(self) -> Markup:
        """``lang``, ``xml:lang`` and ``dir`` of the primary language."""
        return _attributes(self.language, self.direction)


# Rendering -----------------------------------------------------------------------


def render_epub(job: EditionJob) -> bytes:
    """The EPUB 3 file of ``job``, as bytes."""
    check_characters(job)
    view = job_view(job, xml=True)
    project_templates = job.project.path(job.project.templates_dir)
    environment = template_environment(project_templates)
    overridden = [name for name in TEMPLATES if (project_templates / "epub" / name).is_file()]
    book = plan_book(job, view, overridden=overridden)
    files: dict[str, bytes] = {}
    files["META-INF/container.xml"] = _render(environment, "container.xml", book=book)
    documents = {"EPUB/nav.xhtml": _render(environment, "nav.xhtml", book=book, root="")}
    for chapter in book.chapters:
        documents[f"EPUB/{chapter.href}"] = _render(
            environment, "section.xhtml", book=book, chapter=chapter, root="../"
        )
    trees = [
        _check_well_formed(
            name, data, "nav.xhtml" if name.endswith("nav.xhtml") else "section.xhtml"
        )
        for name, data in documents.items()
    ]
    planned = plan_fonts(styled_characters(trees), find_faces(), exact="book.css" not in overridden)
    fonts = tuple(_embed(face, characters) for face, characters in planned)
    stylesheet = _render(environment, "book.css", book=book, fonts=fonts)
    package = _render(environment, "package.opf", book=book, fonts=fonts)
    _check_well_formed("EPUB/package.opf", package, "package.opf")
    _check_well_formed("META-INF/container.xml", files["META-INF/container.xml"], "container.xml")
    files["EPUB/package.opf"] = package
    files["EPUB/css/book.css"] = stylesheet
    files.update(documents)
    for font in fonts:
        files[f"EPUB/{font.href}"] = font.data
    return zip_epub(files, _zip_time(job))


def _render(environment: jinja2.Environment, name: str, **context: object) -> bytes:
    try:
        template = environment.get_template(f"epub/{name}")
        return template.render(**context).encode("utf-8")
    except jinja2.TemplateError as error:
        where = getattr(error, "filename", None) or f"epub/{name}"
        line = getattr(error, "lineno", None)
        at = f", line {line}" if line else ""
        raise WarraqError(f"{where}{at}: template error: {error}") from None


def _check_well_formed(name: str, data: bytes, template: str) -> ET.Element:
    """``data`` parsed; malformed XML (from a project's own template) is an error naming it."""
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise WarraqError(
            f"{name}: the template epub/{template} produced malformed XML ({error}); "
            f"fix templates/epub/{template} or remove it to use the theme's"
        ) from None


# Planning the book ---------------------------------------------------------------


def plan_book(job: EditionJob, view: EditionView, *, overridden: Iterable[str] = ()) -> Book:
    """Lay out the book: languages, metadata, content documents and navigation."""
    bilingual = job.edition.layout in BILINGUAL_LAYOUTS
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
    modified = _modified(job)
    identifier = uuid.uuid5(
        IDENTIFIER_NAMESPACE,
        "/".join((job.document_config.name, source, target, job.edition.layout, job.edition.name)),
    )
    rows = [row for chapter in chapters for row in _chapter_rows(chapter)]
    return Book(
        view=view,
        bilingual=bilingual,
        languages=languages,
        identifier=f"urn:uuid:{identifier}",
        modified=modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
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
        start_href=_start_href(chapters),
        words={
            key: tuple(Text(word(key, lang), lang, text_direction(lang)) for lang in languages)
            for key in WORDS
        },
        interleaved=job.edition.layout == "interleaved",
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


def _modified(job: EditionJob) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set; else midnight (UTC) of the publication date.

    Never the clock: a build must not change because it ran later.
    """
    if job.timestamp is not None:
        return job.timestamp.astimezone(dt.UTC)
    return dt.datetime.combine(job.date, dt.time(0), tzinfo=dt.UTC)


def _zip_time(job: EditionJob) -> dt.datetime:
    return min(max(_modified(job), _ZIP_EARLIEST), _ZIP_LATEST)


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
    chapters = [Chapter("front", None, _nest(groups[0], contexts), title_side.text, True)]
    for rows in groups[1:]:
        heading = rows[0]
        side = heading.source if heading.source.language == language else heading.target
        if not bilingual:
            side = heading.target
        chapters.append(Chapter(heading.id, heading, _nest(rows[1:], contexts), side.text))
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


def _chapter_rows(chapter: Chapter) -> Iterator[Row]:
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
    chapter_of = {row.id: chapter for chapter in chapters for row in _chapter_rows(chapter)}
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


def plan_accessibility(
    job: EditionJob,
    view: EditionView,
    rows: list[Row],
    *,
    bilingual: bool,
    overridden: tuple[str, ...],
) -> Accessibility:
    """Accessibility metadata that says what this edition is, and claims only what holds.

    Conformance is claimed only for what warraq's own theme makes and its tests
    check: not for a draft (untranslated or stale passages), and not when the
    project overrides the EPUB templates (warraq cannot vouch for those).
    """
    source = _language_name(view.source_language)
    target = _language_name(view.target_language)
    if bilingual:
        summary = [
            f"A bilingual edition: each {source} passage is followed by its {target} "
            "translation, side by side on wide screens and one after the other on narrow ones.",
        ]
    else:
        summary = [f"The {target} translation of a text written in {source}."]
    summary.append(
        "The text is reflowable, with no images, audio or video. Every passage is marked "
        "with its language and direction, so that text-to-speech can switch voices."
    )
    summary.append(
        "Headings give the structure, and the table of contents is in "
        + (f"both {source} and {target}." if bilingual else f"{target}.")
    )
    machine = sum(1 for row in rows if row.status is Status.MACHINE)
    if machine:
        summary.append(
            f"Part of the {target} text is machine translation no person has reviewed yet."
        )
    reasons = []
    if job.draft:
        reasons.append("it is a draft, with missing or out-of-date translations marked")
    if overridden:
        reasons.append("its templates were customised (" + ", ".join(overridden) + ")")
    if reasons:
        conformance = None
        summary.append("No accessibility conformance is claimed: " + "; ".join(reasons) + ".")
        certified_by = None
    else:
        conformance = CONFORMANCE
        certified_by = f"warraq {__version__} (self-declared)"
        summary.append(
            "Conformance to EPUB Accessibility 1.1 and WCAG 2.1 AA is declared by the "
            "software that made this edition, from the design and tests of its theme; "
            "no independent evaluator has reviewed it."
        )
    return Accessibility(
        features=(
            "displayTransformability",
            "readingOrder",
            "structuralNavigation",
            "tableOfContents",
        ),
        summary=" ".join(summary),
        conformance=conformance,
        certified_by=certified_by,
    )


def _language_name(language: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name("en")
    except (ValueError, UnknownLocaleError):
        return language
    return name or language


# Fonts ---------------------------------------------------------------------------


_BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th"})
_ITALIC_TAGS = frozenset({"em", "i", "cite"})
StyleKey = tuple[str, int, str]
"""A font family, weight and style, as CSS asks for them."""


def styled_characters(documents: Iterable[ET.Element]) -> dict[StyleKey, set[str]]:
    """The characters of each family, weight and style, as the theme's stylesheet sets them.

    This follows the theme's rules: right-to-left elements in Amiri, left-to-right
    ones in EB Garamond except Latin runs of undetermined language (which keep
    their Arabic parent's font); headings and ``strong`` bold; ``em`` italic.
    """
    found: dict[StyleKey, set[str]] = {}

    def add(key: StyleKey, text: str | None) -> None:
        if text:
            found.setdefault(key, set()).update(text)

    def walk(element: ET.Element, key: StyleKey) -> None:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "head":
            return
        family, weight, style = key
        direction = element.get("dir")
        language = element.get("lang") or ""
        if direction == "rtl":
            family = ARABIC_FAMILY
        elif direction == "ltr" and not (language == "und" or language.startswith("und-")):
            family = LATIN_FAMILY
        if tag in _BOLD_TAGS:
            weight = 700
        if tag in _ITALIC_TAGS:
            style = "italic"
        inner = (family, weight, style)
        add(inner, element.text)
        for child in element:
            walk(child, inner)
            add(inner, child.tail)

    for root in documents:
        walk(root, (LATIN_FAMILY, 400, "normal"))
    return found


def plan_fonts(
    styled: Mapping[StyleKey, set[str]], faces: Iterable[Face], *, exact: bool = True
) -> list[tuple[Face, frozenset[str]]]:
    """Which faces to embed, each with the characters its subset must hold.

    A character EB Garamond lacks (an Arabic digit in French text) is drawn by
    Amiri, the next font in the stack. A bold or italic face that lacks a
    character it would have to draw is left out, so the browser synthesises it
    from the regular face rather than mixing two fonts inside a word. With
    ``exact`` false (a project's own stylesheet, whose rules warraq cannot
    follow) every face gets every character of the book.
    """
    faces = tuple(faces)
    if not exact:
        everything = characters_to_keep("".join(chars) for chars in styled.values())
        return [(face, everything) for face in faces]
    regular = {
        face.family: font_cmap(face.path)
        for face in faces
        if face.weight == 400 and face.style == "normal"
    }
    wanted: dict[StyleKey, set[str]] = {}
    for (family, weight, style), chars in sorted(styled.items()):
        drawn = {char for char in chars if needs_glyph(char)}
        if family == LATIN_FAMILY and ARABIC_FAMILY in regular:
            covered = regular.get(LATIN_FAMILY, frozenset())
            fallback = {char for char in drawn if ord(char) not in covered}
            drawn -= fallback
            if fallback:
                wanted.setdefault((ARABIC_FAMILY, weight, style), set()).update(fallback)
        if drawn:
            wanted.setdefault((family, weight, style), set()).update(drawn)
    chosen: dict[Face, set[str]] = {}
    for (family, weight, style), chars in sorted(wanted.items()):
        covered = regular.get(family, frozenset())
        needed = {char for char in chars if ord(char) in covered}
        candidates = sorted(
            (face for face in faces if face.family == family),
            key=lambda face: (face.style != style, abs(face.weight - weight)),
        )
        for face in candidates:
            if all(ord(char) in font_cmap(face.path) for char in needed):
                chosen.setdefault(face, set()).update(needed)
                break
    order = {face: index for index, face in enumerate(faces)}
    return [
        (face, characters_to_keep(chars))
        for face, chars in sorted(chosen.items(), key=lambda item: order[item[0]])
    ]


def _font_href(face: Face) -> str:
    return f"fonts/{face.path.name}"


def _embed(face: Face, characters: frozenset[str]) -> Font:
    suffix = face.path.suffix.lower()
    media_type = _FONT_MEDIA_TYPES.get(suffix)
    if media_type is None:
        raise WarraqError(f"font {face.path}: only .ttf and .otf fonts can be embedded")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", face.path.stem).strip("-").lower()
    return Font(
        family=face.family,
        weight=face.weight,
        style=face.style,
        href=_font_href(face),
        media_type=media_type,
        data=subset_font(face.path, characters),
        id=f"font-{stem}",
    )


# Characters XML cannot hold ------------------------------------------------------


def _forbidden(char: str) -> bool:
    """True for a character an XHTML document cannot contain.

    XML 1.0 excludes C0 controls (but tab, line feed, carriage return),
    surrogates and U+FFFE/U+FFFF; HTML also forbids C1 controls and noncharacters.
    """
    code = ord(char)
    if code < 0x20:
        return char not in "\t\n\r"
    return (
        0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE
    )


def _describe(char: str) -> str:
    name = unicodedata.name(char, "a control character")
    return f"U+{ord(char):04X} ({name.lower()})"


def check_characters(job: EditionJob) -> None:
    """Refuse text an EPUB cannot hold, naming the segment (or key) and the file to fix."""
    document = job.document
    source_file = job.document_config.source
    lines = {
        segment.id: block.line for block in document.text_blocks() for segment in block.segments
    }
    catalog = f"locales/{job.language}/LC_MESSAGES/{job.document_config.name}.po"
    for segment in document.segments():
        where = f"line {lines[segment.id]}, " if lines.get(segment.id) else ""
        bad = next((char for char in segment.text if _forbidden(char)), None)
        if bad is not None:
            raise WarraqError(
                f"{source_file}: segment {segment.id} ({where}{_preview(segment.text)}) "
                f"contains {_describe(bad)}, which an EPUB cannot hold; remove it from the source"
            )
        translated = job.translation.lookup(segment.text).text
        bad = next((char for char in translated if _forbidden(char)), None)
        if bad is not None:
            raise WarraqError(
                f"{catalog}: the translation of segment {segment.id} "
                f"({_preview(translated)}) contains {_describe(bad)}, which an EPUB cannot "
                "hold; remove it from the msgstr"
            )
    author = document.meta.author or ""
    bad = next((char for char in author if _forbidden(char)), None)
    if bad is not None:
        raise WarraqError(
            f"{source_file}: the author ({_preview(author)}) contains {_describe(bad)}, "
            "which an EPUB cannot hold; remove it from the front matter"
        )
    config = job.document_config
    for key, mapping in (
        ("title", config.titles),
        ("author", config.authors),
        ("subject", config.subjects),
    ):
        for language, value in mapping.items():
            bad = next((char for char in value if _forbidden(char)), None)
            if bad is not None:
                raise WarraqError(
                    f"warraq.toml: documents '{config.name}' {key}.{language} contains "
                    f"{_describe(bad)}, which an EPUB cannot hold; remove it"
                )


def _preview(text: str) -> str:
    shown = "".join("�" if _forbidden(char) else char for char in text)
    return shown if len(shown) <= 40 else shown[:40] + "…"


# The container -------------------------------------------------------------------


def zip_epub(files: Mapping[str, bytes], when: dt.datetime) -> bytes:
    """Zip an EPUB: ``mimetype`` first and stored, then ``files`` in the order given.

    Every entry gets the same timestamp, permissions and creator system, so the
    archive depends only on its contents and ``when``.
    """
    date_time = when.astimezone(dt.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entries = [("mimetype", MEDIA_TYPE.encode("ascii")), *files.items()]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = 3  # Unix, whatever system builds it
            info.external_attr = 0o100644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, data)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def _attributes(language: str, direction: str) -> Markup:
    return Markup(f'lang="{language}" xml:lang="{language}" dir="{direction}"')
