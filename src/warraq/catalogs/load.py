"""Loading: read a PO or POT file, and a document's catalog as a :class:`Translation`."""

from __future__ import annotations

from pathlib import Path

from warraq.catalogs.entries import message_status
from warraq.catalogs.paths import babel_locale, catalog_path, notes_path
from warraq.catalogs.pofile import PoCatalog, parse_po
from warraq.catalogs.translation import Rendering, Status, Translation
from warraq.config import Project
from warraq.document.model import Note
from warraq.document.readers import read_source_text
from warraq.document.readers.markdown import read_note_definitions
from warraq.document.structure import structure_notes
from warraq.errors import WarraqError


def read_catalog(path: Path, *, locale: str | None = None) -> PoCatalog:
    """Read a PO or POT file; a syntax error names the file and line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WarraqError(f"{path}: cannot read ({error.strerror})") from None
    return parse_po(data, path, locale=babel_locale(locale) if locale else None)


def load_translation(project: Project, document: str, language: str) -> Translation:
    """The translations of ``document`` into ``language``; empty when there is no catalog."""
    path = catalog_path(project, document, language)
    notes = load_translator_notes(project, document, language)
    if not path.is_file():
        return Translation(language, notes=notes)
    catalog = read_catalog(path, locale=language)
    entries: dict[str, Rendering] = {}
    for message in catalog.messages():
        if not isinstance(message.id, str):
            continue
        status = message_status(message)
        if status is not Status.MISSING:
            entries[message.id] = Rendering(str(message.string), status)
    return Translation(language, entries, notes)


def load_translator_notes(project: Project, document: str, language: str) -> tuple[Note, ...]:
    """The translator's notes of ``document`` in ``language`` (see :func:`notes_path`)."""
    path = notes_path(project, document, language)
    if not path.is_file():
        return ()
    display = (
        str(path.relative_to(project.root)) if path.is_relative_to(project.root) else str(path)
    )
    raw = read_note_definitions(read_source_text(path, display), source=display)
    return structure_notes(raw, kind="translator")
