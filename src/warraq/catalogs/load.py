"""Loading: read a PO or POT file, and a document's catalog as a :class:`Translation`."""

from __future__ import annotations

from pathlib import Path

from warraq.catalogs.entries import message_status
from warraq.catalogs.paths import babel_locale, catalog_path
from warraq.catalogs.pofile import PoCatalog, parse_po
from warraq.catalogs.translation import Rendering, Status, Translation
from warraq.config import Project
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
    if not path.is_file():
        return Translation(language)
    catalog = read_catalog(path, locale=language)
    entries: dict[str, Rendering] = {}
    for message in catalog.messages():
        if not isinstance(message.id, str):
            continue
        status = message_status(message)
        if status is not Status.MISSING:
            entries[message.id] = Rendering(str(message.string), status)
    return Translation(language, entries)
