"""Characters an XHTML document cannot hold: refused before anything is rendered."""

from __future__ import annotations

import unicodedata

from warraq.catalogs import catalog_path
from warraq.errors import WarraqError
from warraq.render.job import EditionJob


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
    catalog = job.project.shown(catalog_path(job.project, job.document_config.name, job.language))
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
