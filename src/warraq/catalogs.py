"""Catalogs: where each document's gettext catalogs live, and reading them into translations.

A catalog entry's status follows the gettext conventions a translator's tool
shows: an entry without the ``fuzzy`` flag was written or reviewed by a person;
a ``fuzzy`` entry whose automatic comments record a machine translation is
unreviewed machine output; any other ``fuzzy`` entry is stale (its source
changed since it was translated).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from warraq.config import Project
from warraq.errors import WarraqError
from warraq.translation import Rendering, Status, Translation

MACHINE_COMMENT_PREFIX = "machine translation"
"""Automatic comments (``#.``) starting with this mark machine-translated entries."""


def template_path(project: Project, document: str) -> Path:
    """``locales/<document>.pot``."""
    return project.path(project.locales_dir) / f"{document}.pot"


def catalog_path(project: Project, document: str, language: str) -> Path:
    """``locales/<language>/LC_MESSAGES/<document>.po``."""
    return project.path(project.locales_dir) / language / "LC_MESSAGES" / f"{document}.po"


def read_catalog(path: Path, *, locale: str | None = None) -> Catalog:
    """Read a PO or POT file; a syntax error names the file and line."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale, abort_invalid=True)
    except PoFileError as error:
        line = getattr(error, "lineno", None)
        where = f"{path}, line {line}" if line else str(path)
        raise WarraqError(
            f"{where}: not a valid PO file ({error}); fix it by hand (msgfmt --check {path} "
            "shows the problem) — warraq will not overwrite it"
        ) from None
    except UnicodeDecodeError as error:
        raise WarraqError(
            f"{path}: not UTF-8 (byte offset {error.start}); save it as UTF-8"
        ) from None


def entry_status(message_flags: set[str], auto_comments: list[str]) -> Status:
    """The status of a non-empty entry, from its flags and automatic comments."""
    if "fuzzy" not in message_flags:
        return Status.REVIEWED
    if any(comment.startswith(MACHINE_COMMENT_PREFIX) for comment in auto_comments):
        return Status.MACHINE
    return Status.FUZZY


def load_translation(project: Project, document: str, language: str) -> Translation:
    """The translations of ``document`` into ``language``; empty when there is no catalog."""
    path = catalog_path(project, document, language)
    if not path.is_file():
        return Translation(language)
    catalog = read_catalog(path, locale=language)
    entries: dict[str, Rendering] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        text = message.string if isinstance(message.string, str) else ""
        if not text:
            continue
        entries[message.id] = Rendering(
            text, entry_status(set(message.flags), list(message.auto_comments))
        )
    return Translation(language, entries)
