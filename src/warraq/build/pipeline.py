"""Build: read the catalogs and render every configured edition. Never translates.

The whole build, top to bottom: load each document, plan one job per output
file, refuse missing or stale translations (unless ``draft``), render each job
and write it atomically.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import os
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warraq.build.state import BuildState, job_digest
from warraq.catalogs import catalog_path, catalog_segments, load_translation
from warraq.catalogs.translation import Status, Translation
from warraq.checks.translations import configured_entries, run_checks
from warraq.config import Format, Project, output_stem
from warraq.document.model import Document
from warraq.document.structure import load_document
from warraq.errors import WarraqError
from warraq.glossary import project_glossary
from warraq.render import RENDERERS, preload
from warraq.render.fonts import ARABIC_FAMILY, LATIN_FAMILY, find_faces, missing_glyphs
from warraq.render.job import EditionJob
from warraq.render.typography import apply_conventions
from warraq.render.view import job_view
from warraq.render.words import word
from warraq.util.clock import source_date_epoch
from warraq.util.files import write_bytes_atomic


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build; ``None`` means everything the configuration lists."""

    formats: tuple[Format, ...] | None = None
    languages: tuple[str, ...] | None = None
    documents: tuple[str, ...] | None = None
    output_dir: Path | None = None
    draft: bool = False
    reviewed_only: bool = False
    pdf_variant: str | None = None
    force: bool = False  # render even the outputs whose inputs did not change
    jobs: int | None = None  # parallel rendering processes; None: one per core


Report = Callable[[str], None]


def build(project: Project, options: BuildOptions, report: Report = lambda _: None) -> list[Path]:
    """Build the editions ``options`` select; return the paths written."""
    documents = {
        config.name: load_document(project, config)
        for config in project.documents
        if options.documents is None or config.name in options.documents
    }
    if options.documents:
        for name in options.documents:
            project.document(name)  # an unknown name is an error naming the known ones
    translations: dict[tuple[str, str], Translation] = {}
    jobs = plan_jobs(project, documents, translations, options)
    if not jobs:
        raise WarraqError(
            "nothing to build: no edition matches the given --format, --to, --document"
        )
    check_translations(project, documents, translations, options)
    if not options.draft:
        check_quality(project, documents, translations)
    output_dirs = sorted({job.output.parent for job in jobs})
    states = {folder: BuildState.load(folder) for folder in output_dirs}
    digests = {job.output: job_digest(job) for job in jobs}
    pending = [
        job
        for job in jobs
        if options.force
        or not states[job.output.parent].is_current(job.output, digests[job.output])
    ]
    current = {job.output for job in jobs} - {job.output for job in pending}
    for output in sorted(current):
        report(f"up to date: {output}")
    for job in pending:
        if job.format not in RENDERERS:
            raise WarraqError(f"no renderer for format '{job.format}' in this version of warraq")
    check_glyphs(pending)
    for job in pending:
        report(f"typesetting {job.output.name} …")
    for name in sorted({j.edition.name for j in pending if j.edition.layout == "facing-pages"}):
        if any(j.format == "epub" and j.edition.name == name for j in pending):
            report(
                f"edition '{name}': facing pages are for print; its EPUB is the side-by-side EPUB"
            )
    written: list[Path] = []
    try:
        for output, size, seconds in render_jobs(pending, options.jobs):
            states[output.parent].record(output, digests[output])
            written.append(output)
            report(f"wrote {output} ({size / 1024:.0f} KB, {seconds:.1f} s)")
    finally:
        for state in states.values():
            if state.outputs:
                state.save()
    return written


def edition_texts(job: EditionJob) -> Iterator[tuple[str, str]]:
    """Every text ``job``'s edition prints, as ``(where, text)``: where names the file and place."""
    project, config, document = job.project, job.document_config, job.document
    source_name = str(config.source)
    catalog = catalog_path(project, config.name, job.language)
    try:
        catalog_name = str(catalog.relative_to(project.root))
    except ValueError:
        catalog_name = str(catalog)
    view = job_view(job)
    source, target = document.meta.language, job.language
    yield "the title page (title)", view.title[0].text + view.title[1].text
    if view.author:
        yield "the title page (author)", view.author[0] + view.author[1]
    yield "the title page (date)", view.date[0] + view.date[1]
    for key in ("contents", "draft", "missing", "bilingual", "translated"):
        for language in (source, target):
            yield "the edition's headings", word(key, language, source=source, target=target)
    for block in document.text_blocks():
        for segment in block.segments:
            if job.edition.bilingual:
                yield f"{source_name} line {block.line} ({segment.id})", segment.text
            rendering = job.translation.lookup(segment.text)
            if rendering.text:
                text = apply_conventions(rendering.text, job.language)
                yield f"{catalog_name} ({segment.id})", text


def check_glyphs(jobs: list[EditionJob]) -> None:
    """Refuse to render an edition holding a character its fonts cannot draw.

    The error lists each character, its code point and name, and where it occurs.
    """
    faces = find_faces()
    problems: dict[str, list[str]] = {}
    checked: set[tuple[str, str, str, bool]] = set()
    for job in jobs:
        key = (job.document_config.name, job.language, job.edition.layout, job.draft)
        if key in checked:
            continue
        checked.add(key)
        for char, places in missing_glyphs(edition_texts(job), faces).items():
            known = problems.setdefault(char, [])
            known.extend(place for place in places if place not in known)
    if not problems:
        return
    lines = []
    for char, places in sorted(problems.items()):
        name = unicodedata.name(char, "unnamed character")
        shown = ", ".join(places[:5]) + (f" and {len(places) - 5} more" if len(places) > 5 else "")
        lines.append(f"  U+{ord(char):04X} {char!r} {name}: {shown}")
    raise WarraqError(
        f"{len(problems)} characters have no glyph in the edition's fonts "
        f"({ARABIC_FAMILY}, {LATIN_FAMILY}); replace them in the source or the catalogs "
        "(nothing was written):\n" + "\n".join(lines)
    )


def render_job(job: EditionJob) -> tuple[Path, int, float]:
    """Render one job and write its output atomically; return path, size and seconds."""
    started = time.perf_counter()
    data = RENDERERS[job.format](job)
    write_bytes_atomic(job.output, data)
    return job.output, len(data), time.perf_counter() - started


def render_jobs(jobs: list[EditionJob], workers: int | None) -> Iterator[tuple[Path, int, float]]:
    """Render ``jobs``, in parallel processes (one per core by default) when there are several.

    Yields each finished output as it completes; the first failure is raised
    after the jobs already running have finished. Outputs already written are
    complete files.
    """
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count <= 1:
        for job in jobs:
            yield render_job(job)
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        preload({job.format for job in jobs})  # forked workers inherit the imports
    context = multiprocessing.get_context("fork" if fork else None)
    with concurrent.futures.ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = [pool.submit(render_job, job) for job in jobs]
        try:
            for future in concurrent.futures.as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def plan_jobs(
    project: Project,
    documents: dict[str, Document],
    translations: dict[tuple[str, str], Translation],
    options: BuildOptions,
) -> list[EditionJob]:
    """One job per output file the configuration and ``options`` ask for."""
    output_dir = options.output_dir or project.path(project.build_dir)
    timestamp = source_date_epoch()
    jobs: list[EditionJob] = []
    for edition in project.editions:
        for name in edition.documents:
            if name not in documents:
                continue
            config = project.document(name)
            for language in edition.languages:
                if options.languages is not None and language not in options.languages:
                    continue
                key = (name, language)
                if key not in translations:
                    translations[key] = load_translation(project, name, language)
                for fmt in edition.formats:
                    if options.formats is not None and fmt not in options.formats:
                        continue
                    stem = output_stem(name, project.source_language, language, edition.layout)
                    jobs.append(
                        EditionJob(
                            project=project,
                            document_config=config,
                            document=documents[name],
                            edition=edition,
                            translation=translations[key],
                            format=fmt,
                            output=output_dir / f"{stem}.{fmt}",
                            date=publication_date(project, config.date, config.source, timestamp),
                            timestamp=timestamp,
                            draft=options.draft,
                            pdf_variant=options.pdf_variant,
                        )
                    )
    return jobs


def check_translations(
    project: Project,
    documents: dict[str, Document],
    translations: dict[tuple[str, str], Translation],
    options: BuildOptions,
) -> None:
    """Refuse to build while a segment is missing or stale, unless ``options.draft``.

    With ``options.reviewed_only``, unreviewed machine translation is refused too.
    """
    refused = {Status.MISSING, Status.FUZZY}
    if options.reviewed_only:
        refused.add(Status.MACHINE)
    problems: list[str] = []
    for (name, language), translation in sorted(translations.items()):
        seen: set[str] = set()
        document = documents[name]
        for segment in catalog_segments(project.document(name), document, language):
            status = translation.lookup(segment.text).status
            if status in refused and segment.text not in seen:
                seen.add(segment.text)
                start = segment.text if len(segment.text) <= 40 else segment.text[:40] + "…"
                problems.append(f"  {name} [{language}] {segment.id} ({status}): {start}")
    if problems and not (options.draft and not options.reviewed_only):
        what = "not reviewed" if options.reviewed_only else "missing or out of date"
        advice = (
            "review them (remove the fuzzy flag) or build without --reviewed-only"
            if options.reviewed_only
            else "run 'warraq translate', correct the catalogs, or build with --draft"
        )
        shown = problems[:20]
        more = [f"  … and {len(problems) - 20} more"] if len(problems) > 20 else []
        raise WarraqError(
            f"{len(problems)} translations are {what}; {advice}:\n" + "\n".join(shown + more)
        )


def check_quality(
    project: Project,
    documents: dict[str, Document],
    translations: dict[tuple[str, str], Translation],
) -> None:
    """Refuse to build while ``warraq check`` has an error-level finding."""
    entries = []
    for (name, _language), translation in sorted(translations.items()):
        entries.extend(configured_entries(project.document(name), documents[name], translation))
    errors = [
        finding
        for finding in run_checks(entries, project_glossary(project))
        if finding.level == "error" and finding.check != "missing"
    ]
    if errors:
        shown = [
            f"  {f.document} [{f.language}] {f.segment_id} {f.check}: {f.message}"
            for f in errors[:20]
        ]
        more = [f"  … and {len(errors) - 20} more"] if len(errors) > 20 else []
        raise WarraqError(
            f"{len(errors)} translation errors found by the checks; correct the catalogs "
            "('warraq check' shows them all) or build with --draft:\n" + "\n".join(shown + more)
        )


def publication_date(
    project: Project, configured: str | None, source: Path, timestamp: dt.datetime | None
) -> dt.date:
    """The configured date, else ``SOURCE_DATE_EPOCH``'s, else the source file's date."""
    if configured:
        return dt.date.fromisoformat(configured)
    if timestamp is not None:
        return timestamp.date()
    modified = project.path(source).stat().st_mtime
    return dt.datetime.fromtimestamp(modified, tz=dt.UTC).date()
