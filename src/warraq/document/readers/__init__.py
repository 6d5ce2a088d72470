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
from warraq.document.readers.markdown import read_markdown
from warraq.document.readers.odt import read_odt
from warraq.document.readers.txt import read_txt
from warraq.document.text import ARABIC_SCRIPT_LANGUAGES, has_arabic, normalise_newlines
from warraq.errors import WarraqError

Reader = Callable[..., Draft]
"""``reader(text, *, source, language) -> Draft``; ``text`` is decoded, line endings unified."""

READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
}

FileReader = Callable[..., Draft]
"""``reader(path, *, source, language) -> Draft``: for formats read from the file itself."""

FILE_READERS: dict[str, FileReader] = {
    ".docx": read_docx,
    ".odt": read_odt,
}

__all__ = ["FILE_READERS", "READERS", "Draft", "decode_source", "ingest", "read_source_text"]


def read_source_text(path: Path, display: str | None = None) -> str:
    """Read ``path`` as UTF-8, with line endings unified and a leading BOM removed."""
    name = display or str(path)
    if path.is_dir():
        raise WarraqError(f"{name}: is a directory; give the path of a .txt or .md source file")
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
        raise WarraqError(f"{name}: is a directory; give the path of a .txt or .md source file")
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
    else:
        text = read_source_text(path, name)
        if not text.strip():
            raise WarraqError(f"{name}: the source is empty; write the text to publish in it")
        draft = reader(text, source=name, language=language or "ar")
    if reader is not None and language and draft.language and draft.language != language:
        raise WarraqError(
            f"{name}: front matter says language '{draft.language}' but the project's source "
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


def _no_arabic(name: str, language: str) -> WarraqError:
    return WarraqError(
        f"{name}: no Arabic text found, but the source language is '{language}'; "
        "check the file, or set the source language (source_language in warraq.toml)"
    )


def _texts(blocks: tuple[RawBlock, ...]) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, RawHeading | RawParagraph):
            texts.append(block.text)
        elif isinstance(block, RawList):
            texts.extend(item.text for item in block.items)
        elif isinstance(block, RawQuote):
            texts.extend(_texts(block.blocks))
        elif isinstance(block, RawFigure):
            texts.extend(text for text in (block.alt, block.caption) if text)
    return texts
