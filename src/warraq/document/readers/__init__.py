"""Ingest: read a source file into a draft, with the reader its file type names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from warraq.document.readers.docx import read_docx
from warraq.document.readers.draft import (
    Draft,
    RawBlock,
    RawFigure,
    RawHeading,
    RawList,
    RawParagraph,
    RawQuote,
)
from warraq.document.readers.html import read_html
from warraq.document.readers.markdown import read_markdown
from warraq.document.readers.odt import read_odt
from warraq.document.readers.txt import read_txt
from warraq.document.text import (
    ARABIC_SCRIPT_LANGUAGES,
    describe_character,
    first_forbidden_character,
    has_arabic,
    normalise_newlines,
)
from warraq.errors import WarraqError

Reader = Callable[..., Draft]
"""``reader(text, *, source, language) -> Draft``; ``text`` is decoded, line endings unified."""

READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
}

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""The largest source warraq takes: 2 MiB of text (UTF-8), about 1,300 side-by-side pages.

The file's size for plain text and Markdown; the text found in it for web
pages and word-processor files (their markup, scripts and images do not count).

Chosen by measurement (benchmarks/README.md, "Source size limit"): the PDF's
time and memory grow with the text, and at 2 MiB one edition already takes
4 minutes of CPU and 1.2 GB; a 20 MB source never finished. Past the limit
every command stops before anything is rendered or written.
"""

PLAIN_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
"""Sources whose file is (nearly all) their text: the size limit applies to the file itself."""

FileReader = Callable[..., Draft]
"""``reader(path, *, source, language) -> Draft``: for formats read from the file itself."""

FILE_READERS: dict[str, FileReader] = {
    ".docx": read_docx,
    ".odt": read_odt,
}

__all__ = [
    "FILE_READERS",
    "MAX_SOURCE_BYTES",
    "READERS",
    "Draft",
    "decode_source",
    "ingest",
    "read_source_text",
]


def read_source_text(path: Path, display: str | None = None) -> str:
    """Read ``path`` as UTF-8, with line endings unified and a leading BOM removed."""
    name = display or str(path)
    if path.is_dir():
        raise WarraqError(f"{name}: is a directory; give the path of a source file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WarraqError(f"{name}: no such file; check the path") from None
    except OSError as error:
        raise WarraqError(f"{name}: cannot be read ({error.strerror})") from None
    return decode_source(data, name)


def decode_source(data: bytes, name: str) -> str:
    """Decode UTF-8 source bytes, naming the offset and line of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise WarraqError(
            f"{name}: not UTF-8 (byte 0x{data[error.start]:02X} at offset {error.start}, "
            f"line {line}); convert it, e.g. iconv -f WINDOWS-1256 -t UTF-8"
        ) from None
    return normalise_newlines(text)


def ingest(path: Path, *, language: str | None = None, display: str | None = None) -> Draft:
    """Read the source at ``path`` into a :class:`Draft`.

    ``language`` is the configured source language; when it is ``None`` the
    language the source declares (Markdown front matter) is used, else ``ar``.
    ``display`` is how messages name the file.
    """
    name = display or str(path)
    if path.is_dir():
        raise WarraqError(f"{name}: is a directory; give the path of a source file")
    if not path.exists():
        raise WarraqError(f"{name}: no such file; check the path")
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None and suffix not in FILE_READERS:
        known = ", ".join(sorted([*READERS, *FILE_READERS]))
        raise WarraqError(f"{name}: unknown source type '{path.suffix}'; warraq reads {known}")
    if reader is None:
        if path.stat().st_size == 0:
            raise WarraqError(f"{name}: the source is empty; write the text to publish in it")
        draft = FILE_READERS[suffix](path, source=name, language=language or "ar")
        text = "\n".join(_texts(draft.blocks))
        _refuse_too_large(name, len(text.encode("utf-8")), "of text")
    else:
        if suffix in PLAIN_SUFFIXES:  # the file is the text: refused before it is even read
            _refuse_too_large(name, path.stat().st_size, "")
        text = read_source_text(path, name)
        if not text.strip():
            raise WarraqError(f"{name}: the source is empty; write the text to publish in it")
        draft = reader(text, source=name, language=language or "ar")
        if suffix not in PLAIN_SUFFIXES:  # a web page: its text, not its markup and scripts
            published = "\n".join(_texts(draft.blocks))
            _refuse_too_large(name, len(published.encode("utf-8")), "of text")
    if reader is not None and language and draft.language and draft.language != language:
        says = "the page's lang" if reader is read_html else "front matter"
        raise WarraqError(
            f"{name}: {says} says language '{draft.language}' but the project's source "
            f"language is '{language}'; make them agree"
        )
    effective = language or draft.language or "ar"
    arabic_script = effective.split("-")[0] in ARABIC_SCRIPT_LANGUAGES
    if arabic_script and not has_arabic(text):
        raise _no_arabic(name, effective)
    if not draft.blocks:
        raise WarraqError(f"{name}: no text to publish was found in the source")
    if arabic_script and not any(has_arabic(text) for text in _texts(draft.blocks)):
        raise _no_arabic(name, effective)
    _refuse_forbidden_characters(draft, name)
    return Draft(
        source=draft.source,
        markup=draft.markup,
        blocks=draft.blocks,
        omitted=draft.omitted,
        title=draft.title,
        title_line=draft.title_line,
        author=draft.author,
        language=effective,
        notes=draft.notes,
    )


def _refuse_too_large(name: str, size: int, what: str) -> None:
    """Past :data:`MAX_SOURCE_BYTES`, stop before anything is rendered or written."""
    if size > MAX_SOURCE_BYTES:
        limit = MAX_SOURCE_BYTES / 1024 / 1024
        raise WarraqError(
            f"{name}: {size / 1024 / 1024:.1f} MiB {what}".rstrip()
            + f" ({size:,} bytes); warraq takes sources up to {limit:g} MiB (about 1,300 "
            "side-by-side pages): split it into several documents in warraq.toml"
        )


def _no_arabic(name: str, language: str) -> WarraqError:
    return WarraqError(
        f"{name}: no Arabic text found, but the source language is '{language}'; "
        "check the file, or set the source language (source_language in warraq.toml)"
    )


def _texts(blocks: tuple[RawBlock, ...]) -> list[str]:
    return [text for _, text in _lined_texts(blocks)]


def _lined_texts(blocks: tuple[RawBlock, ...]) -> list[tuple[int, str]]:
    """Every text of ``blocks`` with its line, in reading order (iterative: quotes nest)."""
    texts: list[tuple[int, str]] = []
    pending: list[RawBlock] = list(reversed(blocks))
    while pending:
        block = pending.pop()
        if isinstance(block, RawHeading | RawParagraph):
            texts.append((block.line, block.text))
        elif isinstance(block, RawList):
            texts.extend((item.line, item.text) for item in block.items)
        elif isinstance(block, RawQuote):
            pending.extend(reversed(block.blocks))
        elif isinstance(block, RawFigure):
            texts.extend((block.line, text) for text in (block.alt, block.caption) if text)
    return texts


def _refuse_forbidden_characters(draft: Draft, name: str) -> None:
    """A control character (or another no edition can hold) stops the run, naming its line."""
    texts = _lined_texts(draft.blocks)
    if draft.title:
        texts.insert(0, (draft.title_line, draft.title))
    for line, text in texts:
        bad = first_forbidden_character(text)
        if bad is not None:
            where = f"{name}, line {line}" if line else name
            raise WarraqError(
                f"{where}: the text contains {describe_character(bad)}, which no edition "
                "can hold; remove it from the source"
            )
    bad = first_forbidden_character(draft.author or "")
    if bad is not None:
        raise WarraqError(
            f"{name}: the author contains {describe_character(bad)}, which no edition "
            "can hold; remove it from the front matter"
        )
