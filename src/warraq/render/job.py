"""What one edition needs to be rendered: the document, its translation, the settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from warraq.catalogs.translation import Translation
from warraq.config import DocumentConfig, EditionConfig, Format, Project
from warraq.document.model import Document


@dataclass(frozen=True, slots=True)
class EditionJob:
    """One output file to make: a document, in one language, in one edition and format.

    ``date`` is the publication date shown on the title page; ``timestamp`` is
    ``SOURCE_DATE_EPOCH`` when set (see :attr:`modified`).
    """

    project: Project
    document_config: DocumentConfig
    document: Document
    edition: EditionConfig
    translation: Translation
    format: Format
    output: Path
    date: dt.date
    timestamp: dt.datetime | None = None
    draft: bool = False
    pdf_variant: str | None = None
    chunked: bool = False  # PDF typeset chapter by chapter (warraq.render.pdf.chunks)

    @property
    def modified(self) -> dt.datetime:
        """The edition's creation and modification time, for PDF and EPUB metadata alike.

        ``SOURCE_DATE_EPOCH`` when set, else midnight (UTC) of the publication
        date. Never the clock: a build must not change because it ran later.
        """
        if self.timestamp is not None:
            return self.timestamp.astimezone(dt.UTC)
        return dt.datetime.combine(self.date, dt.time(0), tzinfo=dt.UTC)

    @property
    def language(self) -> str:
        """The translation's language."""
        return self.translation.language
