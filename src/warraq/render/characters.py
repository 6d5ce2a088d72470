"""Characters an XHTML document cannot hold: refused before anything is rendered."""

from __future__ import annotations

from warraq.catalogs import catalog_path
from warraq.document.text import (
    describe_character,
    first_forbidden_character,
    is_forbidden_character,
)
from warraq.errors import WarraqError
from warraq.render.job import EditionJob


def check_characters(job: EditionJob) -> None:
    """Refuse translations and settings an EPUB cannot hold, naming the segment or key.

    The source's own text was refused when read (:func:`warraq.document.readers.ingest`).
    """
    document = job.document
    catalog = job.project.shown(catalog_path(job.project, job.document_config.name, job.language))
    for segment in document.segments():
        translated = job.translation.lookup(segment.text).text
        bad = first_forbidden_character(translated)
        if bad is not None:
            raise WarraqError(
                f"{catalog}: the translation of segment {segment.id} "
                f"({_preview(translated)}) contains {describe_character(bad)}, which an EPUB "
                "cannot hold; remove it from the msgstr"
            )
    config = job.document_config
    for key, mapping in (
        ("title", config.titles),
        ("author", config.authors),
        ("subject", config.subjects),
    ):
        for language, value in mapping.items():
            bad = first_forbidden_character(value)
            if bad is not None:
                raise WarraqError(
                    f"warraq.toml: documents '{config.name}' {key}.{language} contains "
                    f"{describe_character(bad)}, which an EPUB cannot hold; remove it"
                )


def _preview(text: str) -> str:
    shown = "".join("�" if is_forbidden_character(char) else char for char in text)
    return shown if len(shown) <= 40 else shown[:40] + "…"
