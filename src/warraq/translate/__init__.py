"""Translate: update each document's template and catalogs, then machine-translate what needs it.

The whole stage, top to bottom, under a lock on the project's catalogs:
extract the template from the current source; merge it into each language's
catalog (a changed sentence becomes stale, keeping its previous msgid and
translation); find the engine's translator for every pair needed; save the
template and the merged catalogs; then translate exactly the entries that are
empty or stale, each distinct sentence once, saving each catalog after every
batch, so that an interrupted run loses nothing it finished. Entries a person
wrote or reviewed are never touched. A pair with no model is translated by
nobody: its catalogs are saved all the same (for hand translation) and the
run ends with :class:`ModelsMissing`, naming every such pair and the ways on.

Before the engine, the translation memory (:mod:`warraq.catalogs.memory`)
fills every entry whose exact source it remembers, and notes a similar one
beside the machine translation of the others. With a cluster address
(``--cluster``, ``[translate] cluster``) the engine runs on Dask workers
(:mod:`warraq.translate.cluster`, imported only then); the catalogs are still
merged and saved here, batch by batch, under the same lock.
"""

from __future__ import annotations

import contextlib
import inspect
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
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
from warraq.catalogs.memory import Suggestion, project_memories, recall
from warraq.catalogs.pofile import PoCatalog, render_po
from warraq.catalogs.translation import Status
from warraq.config import Project, check_cluster_address
from warraq.document.structure import load_document
from warraq.document.text import has_arabic, normalise_spaces
from warraq.errors import WarraqError
from warraq.glossary import project_glossary
from warraq.selection import select
from warraq.translate.argos import ArgosEngine
from warraq.translate.engine import (
    Engine,
    EngineFactory,
    MissingModel,
    PairTranslator,
    Processor,
)
from warraq.translate.fake import FakeEngine
from warraq.translate.models import packages_dir
from warraq.translate.protect import GlossaryShield, NoteCallShield
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
    "ModelsMissing",
    "PairTranslator",
    "Processor",
    "TranslateOptions",
    "make_engine",
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
    cluster: str | None = None  # a Dask scheduler's address; None: the project's, else local
    device: str | None = None  # CTranslate2's device; None: the project's, else argos's


@dataclass
class CatalogSummary:
    """What one run did to one document's catalog in one language (counts of entries)."""

    document: str
    language: str
    path: Path
    translated: int = 0  # by the engine, in this run
    recalled: int = 0  # from the translation memory, in this run
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
        if self.recalled:
            text += f", {self.recalled} from translation memory"
        if self.refused:
            text += f" ({len(self.refused)} machine translations refused: empty or the source text)"
        return text


ARGOS_INDEX = "https://www.argosopentech.com/argospm/index/"
"""Where argos models (``.argosmodel`` files) are published."""


class ModelsMissing(WarraqError):
    """Some pairs had no model: the catalogs were updated all the same; ``summaries`` says how."""

    def __init__(self, message: str, summaries: list[CatalogSummary]) -> None:
        super().__init__(message)
        self.summaries = summaries


@dataclass
class _CatalogWork:
    """One document's catalog in one language, and the entries to translate in it."""

    summary: CatalogSummary
    file: CatalogFile
    todo: list[str]  # msgids, in reading order
    wanted: list[str]  # msgids that need a translation into this language
    recalled: list[str] = field(default_factory=list)  # msgids filled from memory
    suggestions: dict[str, Suggestion] = field(default_factory=dict)  # for the reviewer


def translate(
    project: Project,
    options: TranslateOptions,
    *,
    progress: Progress | None = None,
    report: Report = lambda _: None,
) -> list[CatalogSummary]:
    """Update the catalogs ``options`` select and machine-translate what needs it."""
    selection = select(project, options.documents, options.languages)
    languages, names = selection.languages, list(selection.names)
    engine_name = options.engine or project.engine
    if engine_name not in ENGINES:
        raise WarraqError(
            f"no translation engine named '{engine_name}'; known: {', '.join(sorted(ENGINES))}"
        )
    device = options.device or project.device
    address = options.cluster or project.cluster
    if address is not None:
        try:
            check_cluster_address(address)
        except WarraqError as error:
            raise WarraqError(f"--cluster {error}") from None
    progress = progress or NoProgress()
    lock = project.path(project.locales_dir) / LOCK_NAME
    with exclusive_lock(lock, wait=options.wait, on_wait=report), contextlib.ExitStack() as stack:
        templates, jobs = _prepare(project, names, languages)
        translators: dict[str, PairTranslator] = {}
        missing: list[MissingModel] = []
        if not options.update_only:
            _remember(project, jobs, languages)
            needed = [
                language
                for language in languages
                if any(job.todo for job in jobs if job.summary.language == language)
            ]
            if needed and address is not None:
                from warraq.translate.cluster import Cluster

                cluster = stack.enter_context(Cluster(address, engine_name, device))
                for language in needed:
                    translators[language] = cluster.pair(project.source_language, language)
            elif needed:
                engine = make_engine(engine_name, device)
                for language in needed:
                    try:
                        translators[language] = engine.pair(project.source_language, language)
                    except MissingModel as error:
                        # The catalogs are still updated, for translating by hand.
                        missing.append(error)
        for path, data in templates:
            write_bytes_atomic(path, data)
        for job in jobs:
            job.file.save()
        try:
            glossary = project_glossary(project)
            processors = {
                language: (
                    *options.processors,
                    NoteCallShield(),
                    GlossaryShield(glossary, language),
                )
                if glossary.terms
                else (*options.processors, NoteCallShield())
                for language in languages
            }
            _run(jobs, translators, processors, progress)
        finally:
            progress.finish()
        for job in jobs:
            _count(job)
    summaries = [job.summary for job in jobs]
    if missing:
        raise ModelsMissing(_missing_message(project, missing, summaries), summaries)
    return summaries


def _missing_message(
    project: Project, missing: list[MissingModel], summaries: list[CatalogSummary]
) -> str:
    """What to do without a model: the pairs, the catalogs written, hand translation, models."""
    pairs = ", ".join(error.pair for error in missing)
    languages = {error.target for error in missing}
    documents = dict.fromkeys(summary.document for summary in summaries)
    paths = [
        project.shown(path)
        for path in [
            *(template_path(project, name) for name in documents),
            *(summary.path for summary in summaries if summary.language in languages),
        ]
    ]
    needs = "; ".join(f"for {error.pair}, {error.needs}" for error in missing)
    commands = ", ".join(
        f"warraq models install {error.source} {error.target}" for error in missing
    )
    return "\n".join(
        [
            f"no translation model for {pairs}; the catalogs are updated all the same "
            "(as with --update-only), to translate by hand or once models are installed",
            "  catalogs: " + ", ".join(map(str, paths)),
            "  by hand: fill in each msgstr (in Poedit or any PO editor), then warraq build; "
            "meanwhile warraq build --draft builds the editions with what is missing marked",
            f"  models: {needs}; online, {commands} fetches them from the Argos package "
            f"index ({ARGOS_INDEX}); offline, download the .argosmodel files on a connected "
            f"machine and install them with: warraq models install FILE... "
            f"(installed in {packages_dir()})",
            "  warraq translate --update-only updates the catalogs without looking for models",
        ]
    )


def make_engine(name: str, device: str | None = None) -> Engine:
    """The engine registered as ``name``, on CTranslate2 ``device`` when one is given."""
    factory = ENGINES.get(name)
    if factory is None:
        raise WarraqError(
            f"no translation engine named '{name}'; known: {', '.join(sorted(ENGINES))}"
        )
    if device is None:
        return factory()
    if "device" not in inspect.signature(factory).parameters:
        raise WarraqError(
            f"[translate] device: the '{name}' engine runs on no device; remove the setting "
            "or use the argos engine"
        )
    return factory(device=device)


def _remember(project: Project, jobs: list[_CatalogWork], languages: tuple[str, ...]) -> None:
    """Fill each job's entries the memory knows exactly; note similar ones for the rest."""
    if not any(job.todo for job in jobs):
        return
    catalogs = {(job.summary.document, job.summary.language): job.file.catalog for job in jobs}
    memories = project_memories(project, languages, catalogs)
    for job in jobs:
        memory = memories[job.summary.language]
        todo: list[str] = []
        for text in job.todo:
            remembered = memory.exact(text)
            if remembered is not None:
                recall(job.file.catalog[text], remembered)
                job.recalled.append(text)
                continue
            todo.append(text)
            suggestion = memory.similar(text)
            if suggestion is not None:
                job.suggestions[text] = suggestion
        job.todo = todo
        job.summary.recalled = len(job.recalled)


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


class _Interrupt:
    """Ctrl-C while translating: noted, and acted on once the running batch is saved.

    The engine's work on a batch cannot be resumed, so the batch it is on is
    finished and saved first; a second Ctrl-C stops at once.
    """

    def __init__(self) -> None:
        self.requested = False

    def handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def check(self, saved: int) -> None:
        """Stop here if Ctrl-C was pressed: everything translated so far is saved."""
        if self.requested:
            raise KeyboardInterrupt(
                f"{saved} translations saved; run 'warraq translate' again to translate the rest"
            )


@contextlib.contextmanager
def _interrupt_after_batch() -> Iterator[_Interrupt]:
    """Defer SIGINT to the end of the running batch (only the main thread receives signals)."""
    interrupt = _Interrupt()
    if threading.current_thread() is not threading.main_thread():
        yield interrupt
        return
    previous = signal.signal(signal.SIGINT, interrupt.handle)
    try:
        yield interrupt
    finally:
        signal.signal(signal.SIGINT, previous)


def _run(
    jobs: list[_CatalogWork],
    translators: dict[str, PairTranslator],
    processors: dict[str, tuple[Processor, ...]],
    progress: Progress,
) -> None:
    """Translate every job's entries, saving each catalog after every batch.

    Ctrl-C stops the run after the running batch is saved (see :class:`_Interrupt`).
    """
    with _interrupt_after_batch() as interrupt:
        _translate_jobs(jobs, translators, processors, progress, interrupt)


def _translate_jobs(
    jobs: list[_CatalogWork],
    translators: dict[str, PairTranslator],
    processors: dict[str, tuple[Processor, ...]],
    progress: Progress,
    interrupt: _Interrupt,
) -> None:
    progress.start(sum(len(job.todo) for job in jobs if job.summary.language in translators))
    done = 0
    saved = 0
    for job in jobs:
        translator = translators.get(job.summary.language)
        if translator is None or not job.todo:
            continue
        interrupt.check(saved)
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
                message = job.file.catalog[source]
                record_machine_translation(message, text, translator.provenance)
                if source in job.suggestions:
                    message.auto_comments.append(job.suggestions[source].comment())
                job.summary.translated += 1
                saved += 1
            job.file.save()
            done += len(batch)
            progress.update(done, label)
            interrupt.check(saved)


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
    todo = {*job.todo, *job.recalled}
    for text in job.wanted:
        status = message_status(job.file.catalog[text])
        if status is Status.MISSING:
            summary.missing += 1
        elif status is Status.FUZZY:
            summary.fuzzy += 1
        elif text not in todo:
            summary.kept += 1
