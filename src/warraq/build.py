"""Build: read the catalogs and render every configured edition. Never translates.

The whole build, top to bottom: load each document, plan one job per output
file, refuse missing or stale translations (unless ``draft``), render each job
and write it atomically.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warraq.buildstate import BuildState, job_digest
from warraq.catalogs import load_translation
from warraq.check import configured_entries, run_checks
from warraq.config import Format, Project, output_stem
from warraq.errors import WarraqError
from warraq.fsutil import write_bytes_atomic
from warraq.glossary import project_glossary
from warraq.model import Document
from warraq.render import RENDERERS
from warraq.render.job import EditionJob
from warraq.structure import load_document
from warraq.translation import Status, Translation

PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")


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
    force: bool = False
    jobs: int | None = None


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
    for job in jobs:
        if job not in pending:
            report(f"up to date: {job.output}")
    for job in pending:
        if job.format not in RENDERERS:
            raise WarraqError(f"no renderer for format '{job.format}' in this version of warraq")
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


def render_job(job: EditionJob) -> tuple[Path, int, float]:
    """Render one job and write its output atomically; return path, size and seconds."""
    started = time.perf_counter()
    data = RENDERERS[job.format](job)
    write_bytes_atomic(job.output, data)
    return job.output, len(data), time.perf_counter() - started


def render_jobs(jobs: list[EditionJob], workers: int | None) -> Iterator[tuple[Path, int, float]]:
    """Render ``jobs``, in parallel processes (one per core by default) when there are several.

    Yields each finished output as it completes; the first failure is raised
    after the jobs already running have finished.
    """
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count <= 1:
        for job in jobs:
            yield render_job(job)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(render_job, job) for job in jobs]
        for future in concurrent.futures.as_completed(futures):
            yield future.result()


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
        for segment in document.segments():
            if segment is document.meta.title and project.document(name).title(language):
                continue  # the configuration gives this title's translation
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


def source_date_epoch() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC datetime, when set (reproducible builds)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise WarraqError(
            f"SOURCE_DATE_EPOCH is {value!r}; set it to a whole number of seconds since 1970"
        ) from None


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
