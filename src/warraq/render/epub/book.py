"""The book's structure as the EPUB templates see it: texts, chapters, navigation, fonts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup

from warraq.document.text import text_direction
from warraq.render.view import EditionView, NoteView, Row, Side

_RLI, _LRI, _PDI = "\u2067", "\u2066", "\u2069"


@dataclass(frozen=True, slots=True)
class Text:
    """A text in one language: what it says, its language and its direction."""

    text: str
    language: str
    direction: str

    @property
    def attributes(self) -> Markup:
        """``lang``, ``xml:lang`` and ``dir`` for the element holding this text."""
        return xml_attributes(self.language, self.direction)

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
    notes: tuple[NoteView, ...] = ()  # the notes its rows call: asides after the text

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
    modes: tuple[str, ...] = ("textual",)  # schema:accessMode
    sufficient: tuple[str, ...] = ("textual",)  # schema:accessModeSufficient, each a set


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
    layout: str = "side-by-side"  # the edition's; a facing-pages edition's EPUB is side by side

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
        return xml_attributes(self.language, self.direction)


def xml_attributes(language: str, direction: str) -> Markup:
    """``lang``, ``xml:lang`` and ``dir`` attributes for an XHTML element."""
    return Markup(f'lang="{language}" xml:lang="{language}" dir="{direction}"')
