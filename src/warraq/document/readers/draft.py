"""What a reader produces: blocks of unsegmented text with their source lines."""

from __future__ import annotations

from dataclasses import dataclass

from warraq.document.inline import Syntax
from warraq.document.model import Omission


@dataclass(frozen=True, slots=True)
class RawHeading:
    """A heading as read, before segmentation."""

    level: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class RawParagraph:
    """A paragraph as read, before segmentation."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class RawItem:
    """A list item as read, before segmentation."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class RawList:
    """A list as read."""

    ordered: bool
    start: int
    items: tuple[RawItem, ...]
    line: int


@dataclass(frozen=True, slots=True)
class RawQuote:
    """A block quotation as read."""

    blocks: tuple[RawBlock, ...]
    line: int


@dataclass(frozen=True, slots=True)
class RawFigure:
    """An image alone in its paragraph: path as written, alt text, optional caption."""

    path: str
    alt: str
    caption: str | None
    line: int


RawBlock = RawHeading | RawParagraph | RawList | RawQuote | RawFigure


@dataclass(frozen=True, slots=True)
class RawNote:
    """A note's definition as read: its label and body blocks."""

    label: str
    blocks: tuple[RawBlock, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Draft:
    """A source read by a reader: blocks, metadata it declared, and what it left out."""

    source: str
    markup: Syntax
    blocks: tuple[RawBlock, ...]
    omitted: tuple[Omission, ...] = ()
    title: str | None = None
    title_line: int = 0
    author: str | None = None
    language: str | None = None
    notes: tuple[RawNote, ...] = ()
