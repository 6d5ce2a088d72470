"""Translation memory: every catalog of the project and its compendia, recalled by source text.

The memory of one language is every translated entry of the project's
catalogs in that language (all documents, obsolete entries too) plus the
compendia: the PO and TMX files in ``locales/compendia/`` (where
``warraq tm import`` puts them) and those ``[translate] memory`` names in
``warraq.toml``. A stale entry (its source changed since it was translated)
is not remembered.

An exact match (the same source text after warraq's normalisation: Unicode
NFC, whitespace collapsed) fills an entry without the engine: provenance
``translation memory: <origin>``, reviewed only if the origin was (a TMX
unit counts as reviewed: TMX is what translators exchange; an unreviewed
origin's machine-translation comment is carried along, so the entry stays
unreviewed machine output). Reviewed memories win over unreviewed ones,
then the project's catalogs over compendia, then the first found.

A similar source (at least :data:`SIMILARITY_THRESHOLD` percent alike,
rapidfuzz's normalised Indel ratio on the normalised texts) is not applied:
the best one is written as an automatic comment beside the machine
translation, for the reviewer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Message

from warraq.catalogs import (
    MACHINE_COMMENT_PREFIX,
    MEMORY_COMMENT_PREFIX,
    babel_locale,
    catalog_path,
    message_status,
    read_catalog,
    record_machine_translation,
)
from warraq.catalogs.pofile import PoCatalog, render_po
from warraq.catalogs.tmx import read_tmx, same_language, write_tmx
from warraq.catalogs.translation import Status
from warraq.config import COMPENDIUM_SUFFIXES, Project
from warraq.document.text import normalise_spaces
from warraq.errors import WarraqError
from warraq.util.clock import now, po_date
from warraq.util.files import write_bytes_atomic

SIMILARITY_THRESHOLD = 75.0
"""How alike (percent) a remembered source must be to be suggested for a new one."""

COMPENDIA_DIR = "compendia"
"""The folder, inside the locales folder, whose PO and TMX files are compendia."""


def memory_key(text: str) -> str:
    """The form two source texts must share to match exactly.

    >>> memory_key("نعم،\\u00a0 هذا") == memory_key(" نعم، هذا\\n")
    True
    """
    return normalise_spaces(unicodedata.normalize("NFC", text))


@dataclass(frozen=True, slots=True)
class Recollection:
    """One remembered translation, and where it comes from."""

    source: str
    text: str
    reviewed: bool
    origin: str  # the file, relative to the project when inside it
    machine: tuple[str, ...] = ()  # the origin's machine-translation comments, if unreviewed


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A remembered translation of a similar source, for the reviewer."""

    recollection: Recollection
    score: float

    def comment(self) -> str:
        """``translation memory suggests (82% alike, <origin>): <source> => <translation>``."""
        remembered = self.recollection
        return (
            f"{MEMORY_COMMENT_PREFIX} suggests ({self.score:.0f}% alike, {remembered.origin}): "
            f"{normalise_spaces(remembered.source)} => {normalise_spaces(remembered.text)}"
        )


@dataclass
class TranslationMemory:
    """The remembered translations into one language, by normalised source text."""

    language: str
    _exact: dict[str, Recollection] = field(default_factory=dict)

    def add(self, recollection: Recollection) -> None:
        """Remember ``recollection``, unless a better one of the same source is known."""
        key = memory_key(recollection.source)
        if not key or not recollection.text.strip():
            return
        known = self._exact.get(key)
        if known is None or (recollection.reviewed and not known.reviewed):
            self._exact[key] = recollection

    def __len__(self) -> int:
        return len(self._exact)

    def exact(self, source: str) -> Recollection | None:
        """The remembered translation of ``source`` itself, if any."""
        return self._exact.get(memory_key(source))

    def similar(self, source: str) -> Suggestion | None:
        """The remembered translation of the source most like ``source`` (not itself)."""
        from rapidfuzz import fuzz, process

        key = memory_key(source)
        best = process.extractOne(
            key,
            self._exact.keys(),
            scorer=fuzz.ratio,
            score_cutoff=SIMILARITY_THRESHOLD,
            processor=None,
        )
        if best is None:
            return None
        if best[0] == key:  # the same text is an exact match, not a suggestion
            return None
        return Suggestion(self._exact[best[0]], float(best[1]))


def _origin(project: Project, path: Path) -> str:
    """``path`` as the provenance comment names it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def compendium_paths(project: Project) -> list[Path]:
    """The compendia: ``[translate] memory`` in its order, then ``locales/compendia/`` by name."""
    configured = [project.path(path) for path in project.memory]
    folder = project.path(project.locales_dir) / COMPENDIA_DIR
    found = (
        sorted(p for p in folder.iterdir() if p.suffix.lower() in COMPENDIUM_SUFFIXES)
        if folder.is_dir()
        else []
    )
    paths: list[Path] = []
    for path in [*configured, *found]:
        if path.resolve() not in {p.resolve() for p in paths}:
            paths.append(path)
    return paths


def _from_catalog(catalog: PoCatalog, origin: str) -> Iterable[Recollection]:
    """The translated, up-to-date entries of ``catalog`` (obsolete ones too)."""
    for message in [*catalog.messages(), *catalog.obsolete.values()]:
        if not isinstance(message.id, str) or not message.id:
            continue
        status = message_status(message)
        if status in (Status.REVIEWED, Status.MACHINE):
            machine = tuple(
                c for c in message.auto_comments if c.startswith(MACHINE_COMMENT_PREFIX)
            )
            yield Recollection(
                message.id,
                str(message.string),
                status is Status.REVIEWED,
                origin,
                () if status is Status.REVIEWED else machine,
            )


def read_compendium(
    project: Project, path: Path, languages: Sequence[str]
) -> dict[str, list[Recollection]]:
    """The translations a compendium holds into each of ``languages``.

    A PO compendium says its language in its ``Language`` header; a TMX file
    in each ``xml:lang``. A file of neither kind is an error naming it.
    """
    origin = _origin(project, path)
    found: dict[str, list[Recollection]] = {language: [] for language in languages}
    if path.suffix.lower() == ".tmx":
        srclang, units = read_tmx(path)
        source_language = project.source_language
        if srclang is not None and not same_language(srclang, source_language):
            raise WarraqError(
                f"{path}: its source language is {srclang!r}, not this project's "
                f"{source_language!r}; export it with {source_language} as the source"
            )
        for unit in units:
            source = next((t for g, t in unit.items() if same_language(g, source_language)), None)
            if source is None:
                continue
            for language in languages:
                text = next((t for g, t in unit.items() if same_language(g, language)), None)
                if text is not None:
                    found[language].append(Recollection(source, text, True, origin))
        return found
    if path.suffix.lower() != ".po":
        raise WarraqError(f"{path}: not a compendium; give a PO (.po) or TMX (.tmx) file")
    catalog = read_catalog(path)
    tag = (catalog.header("Language") or "").replace("_", "-")
    if not tag:
        raise WarraqError(
            f"{path}: no Language header; add one (e.g. 'Language: fr') so that warraq knows "
            "which language its translations are in"
        )
    for language in languages:
        if same_language(tag, language):
            found[language].extend(_from_catalog(catalog, origin))
    return found


def project_memories(
    project: Project, languages: Sequence[str], catalogs: Mapping[tuple[str, str], PoCatalog]
) -> dict[str, TranslationMemory]:
    """The memory of each of ``languages``.

    ``catalogs`` holds catalogs being worked on by (document, language); every
    other document's catalog is read from disk.
    """
    memories = {language: TranslationMemory(language) for language in languages}
    for language in languages:
        memory = memories[language]
        for document in project.documents:
            path = catalog_path(project, document.name, language)
            catalog = catalogs.get((document.name, language))
            if catalog is None and path.is_file():
                catalog = read_catalog(path, locale=language)
            if catalog is not None:
                for recollection in _from_catalog(catalog, _origin(project, path)):
                    memory.add(recollection)
    for path in compendium_paths(project):
        for language, recollections in read_compendium(project, path, languages).items():
            for recollection in recollections:
                memories[language].add(recollection)
    return memories


def recall(message: Message, recollection: Recollection) -> None:
    """Fill ``message`` from memory: its text, its provenance, reviewed if the origin was.

    The same rule as a machine translation (a stale entry's old translation
    kept as a comment), with ``translation memory: <origin>`` as provenance.
    """
    record_machine_translation(message, recollection.text, "")
    notes = list(message.auto_comments)[:-1]
    message.auto_comments = [
        *notes,
        f"{MEMORY_COMMENT_PREFIX}: {recollection.origin}",
        *recollection.machine,
    ]
    if recollection.reviewed:
        message.flags = set(message.flags) - {"fuzzy"}
        message.previous_id = []


# Export and import -------------------------------------------------------------------


def reviewed_translations(project: Project, languages: Sequence[str]) -> dict[str, dict[str, str]]:
    """Every reviewed translation in the project's catalogs: by source text, by language.

    Sources in the order of the documents and their catalogs; the first
    reviewed translation of a source into a language is kept.
    """
    found: dict[str, dict[str, str]] = {}
    for document in project.documents:
        for language in languages:
            path = catalog_path(project, document.name, language)
            if not path.is_file():
                continue
            for message in read_catalog(path, locale=language).messages():
                if isinstance(message.id, str) and message_status(message) is Status.REVIEWED:
                    found.setdefault(message.id, {}).setdefault(language, str(message.string))
    return found


def export_tmx(project: Project) -> tuple[bytes, int]:
    """The project's reviewed translations as TMX 1.4b, and how many units it holds."""
    translations = reviewed_translations(project, project.target_languages)
    units = [
        {
            project.source_language: source,
            **{lang: texts[lang] for lang in project.target_languages if lang in texts},
        }
        for source, texts in translations.items()
    ]
    return write_tmx(units, project.source_language), len(units)


def export_po(project: Project, language: str) -> tuple[bytes, int]:
    """The project's reviewed translations into ``language`` as a compendium PO, and their count."""
    translations = reviewed_translations(project, (language,))
    catalog = PoCatalog(locale=babel_locale(language))
    catalog.header_comments = [
        "Translation memory of a warraq project: its reviewed translations.",
        "Written by `warraq tm export`; import it into another project with `warraq tm import`.",
    ]
    catalog.header_fields = [
        ("Project-Id-Version", "warraq translation memory"),
        ("PO-Revision-Date", po_date(now())),
        ("Language", language),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Source-Language", project.source_language),
    ]
    count = 0
    for source, texts in translations.items():
        if language in texts:
            catalog[source] = Message(source, texts[language])
            count += 1
    return render_po(catalog), count


def export_memory(
    project: Project, format_: str, languages: tuple[str, ...] | None, output: Path | None
) -> tuple[Path, int]:
    """Write ``warraq tm export``'s file (``tmx`` or ``po``); return where, and how many entries.

    The default is ``build/translation-memory.tmx``, or ``.LANG.po``; a PO
    compendium holds one language: ``languages`` must name one unless the
    project has only one.
    """
    if format_ == "tmx":
        data, count = export_tmx(project)
        default = "translation-memory.tmx"
    else:
        chosen = languages or project.target_languages
        if len(chosen) != 1 or chosen[0] not in project.target_languages:
            raise WarraqError(
                "--to: a PO compendium holds one language; give one of "
                f"{', '.join(project.target_languages)}, e.g. --to {project.target_languages[0]}"
            )
        data, count = export_po(project, chosen[0])
        default = f"translation-memory.{chosen[0]}.po"
    path = output or project.path(project.build_dir) / default
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, data)
    return path, count


def import_compendium(
    project: Project, file: Path, *, replace: bool = False
) -> tuple[Path, dict[str, int]]:
    """Copy compendium ``file`` into ``locales/compendia/``; return where, and entries by language.

    The file is read first: a broken one, or one with nothing for this
    project's languages, is refused before anything is written.
    """
    if file.suffix.lower() not in COMPENDIUM_SUFFIXES:
        raise WarraqError(f"{file}: not a compendium; give a PO (.po) or TMX (.tmx) file")
    if not file.is_file():
        raise WarraqError(f"{file}: no such file; give the path of a PO or TMX file")
    counts = {
        language: len(recollections)
        for language, recollections in read_compendium(
            project, file, project.target_languages
        ).items()
    }
    if not any(counts.values()):
        raise WarraqError(
            f"{file}: holds no translation from {project.source_language} into "
            f"{', '.join(project.target_languages)}; nothing to import"
        )
    target = project.path(project.locales_dir) / COMPENDIA_DIR / file.name
    data = file.read_bytes()
    if target.is_file() and target.read_bytes() != data and not replace:
        raise WarraqError(
            f"{target}: another compendium of that name is imported already; rename {file.name} "
            "or give --replace"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_bytes() != data:
        write_bytes_atomic(target, data)
    return target, counts
