"""Translate: update each document's template and catalogs, then machine-translate what needs it.

The whole stage, top to bottom, under a lock on the project's catalogs:
extract the template from the current source; merge it into each language's
catalog (a changed sentence becomes stale, keeping its previous msgid and
translation); check that the engine can translate every pair needed, before
writing anything; save the template and the merged catalogs; then translate
exactly the entries that are empty or stale, each distinct sentence once,
saving each catalog after every batch, so that an interrupted run loses
nothing it finished. Entries a person wrote or reviewed are never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from warraq.catalogs import (
    CatalogFile,
    catalog_path,
    catalog_segments,
    extract_template,
    merge_catalog,
    message_status,
    needs_translation,
    read_catalog,
    record_machine_translation,
    settle_template,
    template_path,
    template_segments,
)
from warraq.catalogs.pofile import PoCatalog, render_po
from warraq.catalogs.translation import Status
from warraq.config import Project
from warraq.document.structure import load_document
from warraq.document.text import has_arabic, normalise_spaces
from warraq.errors import WarraqError
from warraq.glossary import project_glossary
from warraq.translate.argos import ArgosEngine
from warraq.translate.engine import Engine, EngineFactory, PairTranslator, Processor
from warraq.translate.fake import FakeEngine
from warraq.translate.protect import GlossaryShield
from warraq.util.files import write_bytes_atomic
from warraq.util.lock import exclusive_lock
from warraq.util.progress import NoProgress, Progress

ENGINES: dict[str, EngineFactory] = {
    "argos": ArgosEngine,
    "fake": FakeEngine,
}
"""Machine-translation engines by name (``--engine``, ``[translate] engine``)."""

LOCK_NAME = ".warraq.lock"

Report = Callable[[str], None]

__all__ = [
    "ENGINES",
    "CatalogSummary",
    "Engine",
    "PairTranslator",
    "Processor",
    "TranslateOptions",
    "translate",
]


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """What to translate; ``None`` means the project's setting or everything."""

    languages: tuple[str, ...] | None = None
    documents: tuple[str, ...] | None = None
    engine: str | None = None
    wait: bool = False
    update_only: bool = False  # update template and catalogs, translate nothing
    processors: tuple[Processor, ...] = ()


@dataclass
class CatalogSummary:
    """What one run did to one document's catalog in one language (counts of entries)."""

    document: str
    language: str
    path: Path
    translated: int = 0  # by the engine, in this run
    kept: int = 0  # already translated (reviewed or machine), left as they were
    fuzzy: int = 0  # still stale: the source changed and no new translation was made
    missing: int = 0  # still without a translation
    refused: list[str] = field(default_factory=list)  # engine output rejected (empty, the source)

    def line(self) -> str:
        """``france-qatar-security [fr]: 3 translated, 54 kept, 0 fuzzy, 0 missing``."""
        text = (
            f"{self.document} [{self.language}]: {self.translated} translated, {self.kept} kept, "
            f"{self.fuzzy} fuzzy, {self.missing} missing"
        )
        if self.refused:
            text += f" ({len(self.refused)} machine translations refused: empty or the source text)"
        return text


@dataclass
class _CatalogWork:
    """One document's catalog in one language, and the entries to translate in it."""

    summary: CatalogSummary
    file: CatalogFile
    todo: list[str]  # msgids, in reading order
    wanted: list[str]  # msgids that need a translation into this language


def translate(
    project: Project,
    options: TranslateOptions,
    *,
    progress: Progress | None = None,
    report: Report = lambda _: None,
) -> list[CatalogSummary]:
    """Update the catalogs ``options`` select and machine-translate what needs it."""
    languages = _languages(project, options.languages)
    names = _documents(project, options.documents)
    engine_name = options.engine or project.engine
    factory = ENGINES.get(engine_name)
    if factory is None:
        raise WarraqError(
            f"no translation engine named '{engine_name}'; known: {', '.join(sorted(ENGINES))}"
        )
    progress = progress or NoProgress()
    lock = project.path(project.locales_dir) / LOCK_NAME
    with exclusive_lock(lock, wait=options.wait, on_wait=report):
        templates, jobs = _prepare(project, names, languages)
        translators: dict[str, PairTranslator] = {}
        if not options.update_only:
            engine = factory()
            for language in languages:
                if any(job.todo for job in jobs if job.summary.language == language):
                    translators[language] = engine.pair(project.source_language, language)
        for path, data in templates:
            write_bytes_atomic(path, data)
        for job in jobs:
            job.file.save()
        try:
            glossary = project_glossary(project)
            processors = {
                language: (*options.processors, GlossaryShield(glossary, language))
                if glossary.terms
                else options.processors
                for language in languages
            }
            _run(jobs, translators, processors, progress)
        finally:
            progress.finish()
        for job in jobs:
            _count(job)
    return [job.summary for job in jobs]


def _languages(project: Project, requested: tuple[str, ...] | None) -> tuple[str, ...]:
    if requested is None:
        return project.target_languages
    for language in requested:
        if language not in project.target_languages:
            raise WarraqError(
                f"--to: '{language}' is not a target language of this project "
                f"({', '.join(project.target_languages)}); add it to target_languages in "
                "warraq.toml"
            )
    return requested


def _documents(project: Project, requested: tuple[str, ...] | None) -> list[str]:
    if not requested:
        return [document.name for document in project.documents]
    for name in requested:
        project.document(name)  # an unknown name is an error naming the known ones
    return list(dict.fromkeys(requested))


def _prepare(
    project: Project, names: list[str], languages: tuple[str, ...]
) -> tuple[list[tuple[Path, bytes]], list[_CatalogWork]]:
    """Extract and merge everything in memory: a bad catalog stops the run before any write."""
    templates: list[tuple[Path, bytes]] = []
    jobs: list[_CatalogWork] = []
    for name in names:
        config = project.document(name)
        document = load_document(project, config)
        segments = template_segments(config, document, project.target_languages)
        template = extract_template(document, name, project.source_language, segments=segments)
        pot = template_path(project, name)
        settle_template(template, _previous_template(pot))
        data = render_po(template)
        if not pot.is_file() or pot.read_bytes() != data:
            templates.append((pot, data))
        for language in languages:
            path = catalog_path(project, name, language)
            old = read_catalog(path, locale=language) if path.exists() else None
            entries = [s.text for s in catalog_segments(config, document, language)]
            catalog, _ = merge_catalog(old, template, language, name, entries=set(entries))
            wanted = list(dict.fromkeys(entries))
            todo = [text for text in wanted if needs_translation(catalog[text])]
            jobs.append(
                _CatalogWork(
                    CatalogSummary(name, language, path),
                    CatalogFile(path, catalog, old),
                    todo,
                    wanted,
                )
            )
    return templates, jobs


def _previous_template(path: Path) -> PoCatalog | None:
    """The template on disk, if readable; it is derived data, so a broken one is replaced."""
    if not path.is_file():
        return None
    try:
        return read_catalog(path)
    except WarraqError:
        return None


def _run(
    jobs: list[_CatalogWork],
    translators: dict[str, PairTranslator],
    processors: dict[str, tuple[Processor, ...]],
    progress: Progress,
) -> None:
    """Translate every job's entries, saving each catalog after every batch."""
    progress.start(sum(len(job.todo) for job in jobs if job.summary.language in translators))
    done = 0
    for job in jobs:
        translator = translators.get(job.summary.language)
        if translator is None or not job.todo:
            continue
        label = f"{job.summary.document} [{job.summary.language}]"
        progress.update(done, label)
        chain = processors[job.summary.language]
        prepared = [_before(text, chain) for text in job.todo]
        for batch in translator.translate(prepared):
            for index, output in batch:
                source = job.todo[index]
                text = _after(source, output, chain)
                if _is_refused(source, text):
                    job.summary.refused.append(source)
                    continue
                record_machine_translation(job.file.catalog[source], text, translator.provenance)
                job.summary.translated += 1
            job.file.save()
            done += len(batch)
            progress.update(done, label)


def _before(text: str, processors: Sequence[Processor]) -> str:
    for processor in processors:
        text = processor.before(text)
    return text


def _after(source: str, text: str, processors: Sequence[Processor]) -> str:
    for processor in reversed(processors):
        text = processor.after(source, text)
    return text


def _is_refused(source: str, translation: str) -> bool:
    """Output that must not pass for a translation: nothing, or the Arabic source itself."""
    cleaned = normalise_spaces(translation)
    return not cleaned or (has_arabic(source) and cleaned == normalise_spaces(source))


def _count(job: _CatalogWork) -> None:
    """Fill in the summary's kept, fuzzy and missing counts from the catalog as saved."""
    summary = job.summary
    todo = set(job.todo)
    for text in job.wanted:
        status = message_status(job.file.catalog[text])
        if status is Status.MISSING:
            summary.missing += 1
        elif status is Status.FUZZY:
            summary.fuzzy += 1
        elif text not in todo:
            summary.kept += 1
