"""The document model: immutable blocks of segmented text, and its JSON form.

A :class:`Document` is a title, a list of blocks and a report of what the reader
left out. Every piece of translatable text is a tuple of :class:`Segment`; the
segments of a block joined with :data:`SEGMENT_SEPARATOR` give back the block's
normalised text. Notes are blocks of their own, kept beside the text
(:attr:`Document.notes`); their calls stay in the segment text as inline markup
(``[^label]``, see :mod:`warraq.document.inline`). Images are :class:`Figure`
blocks whose alt text and caption are segments. Ids are derived from content
plus a tie-breaker for repeats, so they survive edits elsewhere in the document.
Nothing here does I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from warraq.document.inline import Syntax

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1: no notes, no figures
SEGMENT_SEPARATOR = " "


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of translation: a sentence, or a heading whole."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; ``level`` 1 is the highest."""

    id: str
    level: int
    segments: tuple[Segment, ...]
    line: int = 0
    type: Literal["heading"] = field(default="heading", init=False)

    @property
    def text(self) -> str:
        """The heading's text."""
        return join_segments(self.segments)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of one or more sentences."""

    id: str
    segments: tuple[Segment, ...]
    line: int = 0
    type: Literal["paragraph"] = field(default="paragraph", init=False)

    @property
    def text(self) -> str:
        """The paragraph's normalised text."""
        return join_segments(self.segments)


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list."""

    id: str
    segments: tuple[Segment, ...]
    line: int = 0
    type: Literal["item"] = field(default="item", init=False)

    @property
    def text(self) -> str:
        """The item's normalised text."""
        return join_segments(self.segments)


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bulleted (``ordered=False``) or numbered list, numbered from ``start``."""

    id: str
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1
    line: int = 0
    type: Literal["list"] = field(default="list", init=False)


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation holding paragraphs, lists or headings."""

    id: str
    blocks: tuple[Block, ...]
    line: int = 0
    type: Literal["quote"] = field(default="quote", init=False)


@dataclass(frozen=True, slots=True)
class Figure:
    """An image: ``path`` as the source wrote it (relative to the source file), its alt text
    and optional caption."""

    id: str
    path: str
    alt: Segment
    caption: Segment | None = None
    line: int = 0
    type: Literal["figure"] = field(default="figure", init=False)

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The alt text, then the caption."""
        return (self.alt,) if self.caption is None else (self.alt, self.caption)


NoteKind = Literal["author", "translator"]


@dataclass(frozen=True, slots=True)
class Note:
    """A note: its call is ``[^label]`` in a segment's text, its body is blocks.

    An ``author`` note belongs to the source; a ``translator`` note exists in one
    translation only and is never translated.
    """

    id: str
    label: str
    blocks: tuple[Block, ...]
    kind: NoteKind = "author"
    line: int = 0

    def text_blocks(self) -> Iterator[TextBlock]:
        """The headings, paragraphs and items of the body, quotes entered."""
        yield from _text_blocks(self.blocks)


Block = Heading | Paragraph | ListBlock | Quote | Figure
TextBlock = Heading | Paragraph | ListItem
"""A block that holds segments directly: the unit a bilingual edition pairs."""


@dataclass(frozen=True, slots=True)
class Omission:
    """Source text the reader left out of the document, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Meta:
    """What a document says about itself.

    ``markup`` tells how to read inline markup in segment text: ``"text"``
    (every character literal) or ``"markdown"`` (see :mod:`warraq.document.inline`).
    """

    language: str
    source: str
    markup: Syntax = "text"
    title: Segment | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A structured, segmented source document."""

    meta: Meta
    blocks: tuple[Block, ...]
    omitted: tuple[Omission, ...] = ()
    notes: tuple[Note, ...] = ()

    def text_blocks(self) -> Iterator[TextBlock]:
        """Every heading, paragraph and list item, in reading order, quotes entered."""
        yield from _text_blocks(self.blocks)

    def segments(self) -> Iterator[Segment]:
        """Every segment in reading order: the title, the text with its figures, the notes."""
        for segment, _line, _what in self.located_segments():
            yield segment

    def located_segments(self) -> Iterator[tuple[Segment, int, str]]:
        """Every segment with its source line and what it is (``title``, ``heading``,
        ``list item``, ``paragraph``, ``image alt``, ``caption``, ``footnote``), in
        reading order: the title, the text with its figures, then the notes."""
        if self.meta.title is not None:
            yield self.meta.title, 0, "title"
        yield from _located(self.blocks, "")
        for note in self.notes:
            yield from _located(note.blocks, "footnote")

    def figures(self) -> Iterator[Figure]:
        """Every figure of the text, quotes entered."""
        yield from _figures(self.blocks)

    def note(self, label: str) -> Note | None:
        """The note called ``[^label]``, if there is one."""
        return next((note for note in self.notes if note.label == label), None)

    def headings(self) -> Iterator[Heading]:
        """Every heading in reading order, quotes entered."""
        for block in self.text_blocks():
            if isinstance(block, Heading):
                yield block


def _text_blocks(blocks: tuple[Block, ...]) -> Iterator[TextBlock]:
    for block in blocks:
        if isinstance(block, ListBlock):
            yield from block.items
        elif isinstance(block, Quote):
            yield from _text_blocks(block.blocks)
        elif not isinstance(block, Figure):
            yield block


def _figures(blocks: tuple[Block, ...]) -> Iterator[Figure]:
    for block in blocks:
        if isinstance(block, Figure):
            yield block
        elif isinstance(block, Quote):
            yield from _figures(block.blocks)


def _located(blocks: tuple[Block, ...], what: str) -> Iterator[tuple[Segment, int, str]]:
    for block in blocks:
        if isinstance(block, Figure):
            yield block.alt, block.line, "image alt"
            if block.caption is not None:
                yield block.caption, block.line, "caption"
        elif isinstance(block, ListBlock):
            for item in block.items:
                for segment in item.segments:
                    yield segment, item.line, what or "list item"
        elif isinstance(block, Quote):
            yield from _located(block.blocks, what)
        else:
            kind = "heading" if isinstance(block, Heading) else "paragraph"
            for segment in block.segments:
                yield segment, block.line, what or kind


def join_segments(segments: tuple[Segment, ...]) -> str:
    """The text of a block, from its segments."""
    return SEGMENT_SEPARATOR.join(segment.text for segment in segments)


class IdMaker:
    """Derives stable ids from content; repeats of the same content get -2, -3...

    >>> ids = IdMaker()
    >>> ids.make("s", "نعم"), ids.make("s", "نعم"), ids.make("s", "لا")
    ('s-eaf98a7678', 's-eaf98a7678-2', 's-698695a29b')
    """

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()

    def make(self, prefix: str, text: str) -> str:
        """An id for ``text``; ``prefix`` says what kind of thing it names."""
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()
        base = f"{prefix}-{digest}"
        self._seen[base] += 1
        count = self._seen[base]
        return base if count == 1 else f"{base}-{count}"


# JSON form -------------------------------------------------------------------


class SchemaError(ValueError):
    """A JSON document that does not follow the model's schema."""


def document_to_dict(document: Document) -> dict[str, Any]:
    """The JSON-ready form of ``document``."""
    meta = document.meta
    return {
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "language": meta.language,
            "source": meta.source,
            "markup": meta.markup,
            "title": _segment_to_dict(meta.title) if meta.title else None,
            "author": meta.author,
        },
        "blocks": [_block_to_dict(block) for block in document.blocks],
        "omitted": [{"line": o.line, "text": o.text, "reason": o.reason} for o in document.omitted],
        "notes": [
            {
                "id": note.id,
                "label": note.label,
                "kind": note.kind,
                "line": note.line,
                "blocks": [_block_to_dict(block) for block in note.blocks],
            }
            for note in document.notes
        ],
    }


def _segment_to_dict(segment: Segment) -> dict[str, Any]:
    return {"id": segment.id, "text": segment.text}


def _block_to_dict(block: Block | ListItem) -> dict[str, Any]:
    data: dict[str, Any] = {"id": block.id, "type": block.type, "line": block.line}
    if isinstance(block, Heading):
        data["level"] = block.level
    if isinstance(block, ListBlock):
        data["ordered"] = block.ordered
        data["start"] = block.start
        data["items"] = [_block_to_dict(item) for item in block.items]
    elif isinstance(block, Quote):
        data["blocks"] = [_block_to_dict(child) for child in block.blocks]
    elif isinstance(block, Figure):
        data["path"] = block.path
        data["alt"] = _segment_to_dict(block.alt)
        data["caption"] = _segment_to_dict(block.caption) if block.caption else None
    else:
        data["segments"] = [_segment_to_dict(segment) for segment in block.segments]
    return data


def document_to_json(document: Document) -> str:
    """Serialise ``document`` as indented JSON, non-ASCII characters kept readable."""
    return json.dumps(document_to_dict(document), ensure_ascii=False, indent=2) + "\n"


def document_from_json(text: str) -> Document:
    """Read a document written by :func:`document_to_json`.

    Raises :class:`SchemaError` naming the offending key.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SchemaError(f"not JSON: {error}") from error
    return document_from_dict(data)


def document_from_dict(data: Any) -> Document:
    """Build a document from its JSON-ready form; the inverse of :func:`document_to_dict`."""
    root = _mapping(data, "document")
    version = root.get("schema_version")
    if version not in READABLE_VERSIONS:
        raise SchemaError(
            f"schema_version is {version!r}; this warraq reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))}"
        )
    meta = _mapping(root.get("meta"), "meta")
    title = meta.get("title")
    markup = meta.get("markup", "text")
    if markup not in ("text", "markdown"):
        raise SchemaError(f"meta.markup must be 'text' or 'markdown', not {markup!r}")
    author = meta.get("author")
    return Document(
        meta=Meta(
            language=_string(meta.get("language"), "meta.language"),
            source=_string(meta.get("source"), "meta.source"),
            markup=cast(Syntax, markup),
            title=_segment_from(title, "meta.title") if title is not None else None,
            author=_string(author, "meta.author") if author is not None else None,
        ),
        blocks=tuple(
            _block_from(block, f"blocks[{i}]")
            for i, block in enumerate(_list(root.get("blocks"), "blocks"))
        ),
        omitted=tuple(
            _omission_from(item, f"omitted[{i}]")
            for i, item in enumerate(_list(root.get("omitted", []), "omitted"))
        ),
        notes=tuple(
            _note_from(item, f"notes[{i}]")
            for i, item in enumerate(_list(root.get("notes", []), "notes"))
        ),
    )


def _note_from(data: Any, where: str) -> Note:
    note = _mapping(data, where)
    kind = note.get("kind", "author")
    if kind not in ("author", "translator"):
        raise SchemaError(f"{where}.kind must be 'author' or 'translator', not {kind!r}")
    return Note(
        id=_string(note.get("id"), f"{where}.id"),
        label=_string(note.get("label"), f"{where}.label"),
        blocks=tuple(
            _block_from(block, f"{where}.blocks[{i}]")
            for i, block in enumerate(_list(note.get("blocks"), f"{where}.blocks"))
        ),
        kind=cast(NoteKind, kind),
        line=_integer(note.get("line", 0), f"{where}.line"),
    )


def _omission_from(data: Any, where: str) -> Omission:
    omission = _mapping(data, where)
    return Omission(
        line=_integer(omission.get("line"), f"{where}.line"),
        text=_string(omission.get("text"), f"{where}.text"),
        reason=_string(omission.get("reason"), f"{where}.reason"),
    )


def _block_from(data: Any, where: str) -> Block:
    block = _mapping(data, where)
    kind = block.get("type")
    block_id = _string(block.get("id"), f"{where}.id")
    line = _integer(block.get("line", 0), f"{where}.line")
    if kind == "heading":
        return Heading(
            block_id, _integer(block.get("level"), f"{where}.level"), _segments(block, where), line
        )
    if kind == "paragraph":
        return Paragraph(block_id, _segments(block, where), line)
    if kind == "list":
        ordered = block.get("ordered")
        if not isinstance(ordered, bool):
            raise SchemaError(f"{where}.ordered must be true or false")
        items = []
        for i, item_data in enumerate(_list(block.get("items"), f"{where}.items")):
            item = _mapping(item_data, f"{where}.items[{i}]")
            items.append(
                ListItem(
                    _string(item.get("id"), f"{where}.items[{i}].id"),
                    _segments(item, f"{where}.items[{i}]"),
                    _integer(item.get("line", 0), f"{where}.items[{i}].line"),
                )
            )
        start = _integer(block.get("start", 1), f"{where}.start")
        return ListBlock(block_id, ordered, tuple(items), start, line)
    if kind == "quote":
        children = tuple(
            _block_from(child, f"{where}.blocks[{i}]")
            for i, child in enumerate(_list(block.get("blocks"), f"{where}.blocks"))
        )
        return Quote(block_id, children, line)
    if kind == "figure":
        caption = block.get("caption")
        return Figure(
            block_id,
            _string(block.get("path"), f"{where}.path"),
            _segment_from(block.get("alt"), f"{where}.alt"),
            _segment_from(caption, f"{where}.caption") if caption is not None else None,
            line,
        )
    raise SchemaError(
        f"{where}.type is {kind!r}; expected heading, paragraph, list, quote or figure"
    )


def _segments(block: dict[str, Any], where: str) -> tuple[Segment, ...]:
    return tuple(
        _segment_from(segment, f"{where}.segments[{i}]")
        for i, segment in enumerate(_list(block.get("segments"), f"{where}.segments"))
    )


def _segment_from(data: Any, where: str) -> Segment:
    segment = _mapping(data, where)
    return Segment(
        _string(segment.get("id"), f"{where}.id"), _string(segment.get("text"), f"{where}.text")
    )


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SchemaError(f"{where} must be an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise SchemaError(f"{where} must be a list")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise SchemaError(f"{where} must be a string")
    return value


def _integer(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise SchemaError(f"{where} must be an integer")
    return value
