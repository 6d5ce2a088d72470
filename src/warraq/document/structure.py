"""Structure: turn a reader's draft into a segmented document with stable ids."""

from __future__ import annotations

from pathlib import Path

from warraq.config import DocumentConfig, Project
from warraq.document.inline import Syntax
from warraq.document.model import (
    Block,
    Document,
    Figure,
    Heading,
    IdMaker,
    ListBlock,
    ListItem,
    Meta,
    Note,
    NoteKind,
    Paragraph,
    Quote,
    Segment,
)
from warraq.document.readers import ingest
from warraq.document.readers.draft import (
    Draft,
    RawBlock,
    RawFigure,
    RawHeading,
    RawList,
    RawNote,
    RawParagraph,
)
from warraq.document.segment import split_sentences
from warraq.errors import WarraqError


def structure(draft: Draft, *, title: str | None = None, author: str | None = None) -> Document:
    """Segment every text of ``draft`` and give blocks and segments their ids.

    ``title`` and ``author`` (from the project configuration) take precedence
    over what the source declares. Headings and the title are one segment each.
    """
    ids = _Ids(draft.markup)
    title_text = title or draft.title
    meta = Meta(
        language=draft.language or "ar",
        source=draft.source,
        markup=draft.markup,
        title=Segment(ids.segment_id(title_text), title_text) if title_text else None,
        author=author or draft.author,
    )
    blocks = ids.blocks(draft.blocks)
    notes = tuple(ids.note(raw) for raw in draft.notes)
    return Document(meta=meta, blocks=blocks, omitted=draft.omitted, notes=notes)


class _Ids:
    """Assigns content-derived ids in one pass over a document."""

    def __init__(self, markup: Syntax) -> None:
        self.markup = markup
        self.segment_ids = IdMaker()
        self.block_ids = IdMaker()

    def segment_id(self, text: str) -> str:
        return self.segment_ids.make("s", text)

    def segments(self, texts: list[str]) -> tuple[Segment, ...]:
        return tuple(Segment(self.segment_id(text), text) for text in texts)

    def blocks(self, raw_blocks: tuple[RawBlock, ...]) -> tuple[Block, ...]:
        return tuple(self.block(raw) for raw in raw_blocks)

    def note(self, raw: RawNote, kind: NoteKind = "author") -> Note:
        note_id = self.block_ids.make("n" if kind == "author" else "tn", raw.label)
        return Note(note_id, raw.label, self.blocks(raw.blocks), kind, raw.line)

    def block(self, raw: RawBlock) -> Block:
        if isinstance(raw, RawFigure):
            alt = Segment(self.segment_id(raw.alt), raw.alt)
            caption = Segment(self.segment_id(raw.caption), raw.caption) if raw.caption else None
            return Figure(self.block_ids.make("f", raw.path), raw.path, alt, caption, raw.line)
        if isinstance(raw, RawHeading):
            return Heading(
                self.block_ids.make("h", raw.text), raw.level, self.segments([raw.text]), raw.line
            )
        if isinstance(raw, RawParagraph):
            sentences = split_sentences(raw.text, self.markup)
            return Paragraph(self.block_ids.make("p", raw.text), self.segments(sentences), raw.line)
        if isinstance(raw, RawList):
            items = tuple(
                ListItem(
                    self.block_ids.make("i", item.text),
                    self.segments(split_sentences(item.text, self.markup)),
                    item.line,
                )
                for item in raw.items
            )
            list_id = self.block_ids.make("l", "\n".join(item.text for item in raw.items))
            return ListBlock(list_id, raw.ordered, items, raw.start, raw.line)
        children = self.blocks(raw.blocks)
        quote_id = self.block_ids.make("q", "\n".join(_raw_text(child) for child in raw.blocks))
        return Quote(quote_id, children, raw.line)


def structure_notes(raw: tuple[RawNote, ...], *, kind: NoteKind) -> tuple[Note, ...]:
    """Notes read from a notes file, segmented, with their ids."""
    ids = _Ids("markdown")
    return tuple(ids.note(note, kind) for note in raw)


def _raw_text(raw: RawBlock) -> str:
    if isinstance(raw, RawHeading | RawParagraph):
        return raw.text
    if isinstance(raw, RawFigure):
        return raw.path
    if isinstance(raw, RawList):
        return "\n".join(item.text for item in raw.items)
    return "\n".join(_raw_text(child) for child in raw.blocks)


def structure_source(
    path: Path,
    *,
    language: str | None = None,
    title: str | None = None,
    author: str | None = None,
    display: str | None = None,
) -> Document:
    """Ingest the source at ``path`` and structure it: the first two stages together."""
    return structure(ingest(path, language=language, display=display), title=title, author=author)


def check_figures(document: Document, source: Path, root: Path, display: str) -> None:
    """Refuse a figure whose file is missing or lies outside the project ``root``."""
    for figure in document.figures():
        image = (source.parent / figure.path).resolve()
        if not image.is_relative_to(root.resolve()):
            raise WarraqError(
                f"{display}, line {figure.line}: image {figure.path} lies outside the project; "
                "copy it into the project and give its relative path"
            )
        if not image.is_file():
            raise WarraqError(
                f"{display}, line {figure.line}: image {figure.path} not found "
                f"(looked for {image}); check the path, relative to {display}"
            )


def figure_path(project: Project, document: DocumentConfig, figure: Figure) -> Path:
    """Where the file of ``figure`` of ``document`` is."""
    return (project.path(document.source).parent / figure.path).resolve()


def load_document(project: Project, document: DocumentConfig) -> Document:
    """The structured document for one entry of a project's configuration."""
    path = project.path(document.source)
    structured = structure_source(
        path,
        language=project.source_language,
        title=document.titles.get(project.source_language),
        author=document.author(project.source_language),
        display=str(document.source),
    )
    check_figures(structured, path, project.root, str(document.source))
    return structured
