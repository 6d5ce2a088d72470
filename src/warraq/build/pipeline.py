"""Build: read the catalogs and render every configured edition. Never translates.

The whole build is :func:`build`, one step a line: select the documents and
languages, load the documents, load the translations, plan one job per output
file, refuse incomplete translations (unless ``draft``), refuse check errors,
find the outdated outputs, refuse characters no edition can hold or draw, then
render each job, write it atomically and record what it was built from. With
``--chunks``, the processes that typeset the chapters are started first, so
that they get ready while the book is read.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import datetime as dt
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from warraq.build.state import BuildState, job_digest
from warraq.catalogs import catalog_path, catalog_segments, load_translation
from warraq.catalogs.translation import Status, Translation
from warraq.checks.translations import CHECKS, configured_entries, run_checks
from warraq.config import Format, Project, output_stem
from warraq.document.model import Document
from warraq.document.structure import load_document
from warraq.errors import WarraqError
from warraq.glossary import project_glossary
from warraq.render import RENDERERS, preload
from warraq.render.characters import check_characters
from warraq.render.glyphs import check_glyphs
from warraq.render.job import EditionJob
from warraq.selection import Selection, select
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
    chunks: bool = False  # PDFs typeset chapter by chapter, cached (warraq.render.pdf.chunks)


Report = Callable[[str], None]


def build(project: Project, options: BuildOptions, report: Report = lambda _: None) -> list[Path]:
    """Build the editions ``options`` select; return the paths written."""
    selection = select(project, options.documents, options.languages)
    with chapter_workers(options) as workers:
        documents = load_documents(project, selection)
        translations = load_translations(project, edition_pairs(project, selection))
        jobs = plan_jobs(project, documents, translations, options)
        marked = refuse_incomplete(project, documents, translations, options)
        if marked:
            report(f"draft: {marked} translations missing or out of date, marked in the editions")
        if not options.draft:
            refuse_check_errors(project, documents, translations)
        folders = sorted({j.output.parent for j in jobs})
        states = {folder: BuildState.load(folder) for folder in folders}
        digests = {job.output: job_digest(job) for job in jobs}
        pending = find_outdated(jobs, states, digests, force=options.force, report=report)
        refuse_unprintable(pending)
        return render_and_record(pending, states, digests, options.jobs, report, workers)


@contextlib.contextmanager
def chapter_workers(options: BuildOptions) -> Iterator[concurrent.futures.Executor | None]:
    """The processes that typeset chunked PDFs' chapters (``None`` without ``--chunks``).

    Forked before the book is read: they import WeasyPrint while this process
    reads and checks the book, and inherit none of it. Even on one process the
    chapters are typeset in a worker: this process holds the whole book, and a
    layout on top of it would add the two.
    """
    if not options.chunks or "pdf" not in (options.formats or ("pdf",)):
        yield None
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=options.jobs or os.cpu_count() or 1,
        mp_context=multiprocessing.get_context("fork" if fork else None),
        initializer=start_chapter_worker,
        initargs=(os.getpid(),),
    )
    pool.submit(os.getpid)  # forks the workers now, without waiting for them
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def start_chapter_worker(parent: int) -> None:
    """In a chapter worker: end with the build (:func:`exit_with_parent`), import WeasyPrint."""
    exit_with_parent(parent)
    preload({"pdf"})


def load_documents(project: Project, selection: Selection) -> dict[str, Document]:
    """The selected documents, read and structured, by name."""
    return {config.name: load_document(project, config) for config in selection.documents}


def edition_pairs(project: Project, selection: Selection) -> list[tuple[str, str]]:
    """Every (document, language) some edition prints, within ``selection``, in order."""
    pairs: dict[tuple[str, str], None] = {}
    for edition in project.editions:
        for name in edition.documents:
            if name in selection.names:
                for language in edition.languages:
                    if language in selection.languages:
                        pairs[(name, language)] = None
    return list(pairs)


def load_translations(
    project: Project, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], Translation]:
    """The catalog of each (document, language) pair, as translations."""
    return {(name, lang): load_translation(project, name, lang) for name, lang in pairs}


def find_outdated(
    jobs: list[EditionJob],
    states: dict[Path, BuildState],
    digests: dict[Path, str],
    *,
    force: bool,
    report: Report,
) -> list[EditionJob]:
    """The jobs whose output is missing, changed or built from other inputs (all, with force)."""
    pending = [
        job
        for job in jobs
        if force or not states[job.output.parent].is_current(job.output, digests[job.output])
    ]
    for output in sorted({job.output for job in jobs} - {job.output for job in pending}):
        report(f"up to date: {output}")
    for job in pending:
        if job.format not in RENDERERS:
            raise WarraqError(f"no renderer for format '{job.format}' in this version of warraq")
    return pending


def refuse_unprintable(jobs: list[EditionJob]) -> None:
    """Refuse, before any edition is written, a character no edition can hold or draw."""
    for job in jobs:
        check_characters(job)
    check_glyphs(jobs)


def render_and_record(
    jobs: list[EditionJob],
    states: dict[Path, BuildState],
    digests: dict[Path, str],
    workers: int | None,
    report: Report,
    chapters: concurrent.futures.Executor | None = None,
) -> list[Path]:
    """Render ``jobs``, write each atomically and record its inputs; return the paths written.

    ``workers`` is the number of processes; ``chapters`` the pool of
    :func:`chapter_workers` that typesets chunked PDFs' chapters.
    """
    for job in jobs:
        report(f"typesetting {job.output.name} …")
    for name in sorted({j.edition.name for j in jobs if j.edition.layout == "facing-pages"}):
        if any(j.format == "epub" and j.edition.name == name for j in jobs):
            report(
                f"edition '{name}': facing pages are for print; its EPUB is the side-by-side EPUB"
            )
    written: list[Path] = []
    try:
        for output, size, seconds in render_jobs(jobs, workers, report, chapters):
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


def render_jobs(
    jobs: list[EditionJob],
    workers: int | None,
    report: Report = lambda _: None,
    chapters: concurrent.futures.Executor | None = None,
) -> Iterator[tuple[Path, int, float]]:
    """Render ``jobs``, in parallel processes (one per core by default) when there are several.

    Yields each finished output as it completes; the first failure is raised
    after the jobs already running have finished. Outputs already written are
    complete files. Chunked PDFs go first, one at a time, each spreading its
    chapters over the processes of ``chapters`` (:func:`render_chunked_jobs`).
    """
    chunked = [job for job in jobs if chunkable(job, report)]
    if chunked:
        if chapters is None:
            raise ValueError("chunked PDFs are typeset by the pool of chapter_workers")
        yield from render_chunked_jobs(chunked, workers, report, chapters)
    jobs = [job for job in jobs if job not in chunked]
    if not jobs:
        return
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count <= 1:
        for job in jobs:
            yield render_job(job)
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        preload({job.format for job in jobs})  # forked workers inherit the imports
    context = multiprocessing.get_context("fork" if fork else None)
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        futures = [pool.submit(render_job, job) for job in jobs]
        try:
            for future in concurrent.futures.as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def chunkable(job: EditionJob, report: Report) -> bool:
    """True when ``job`` is a PDF to typeset in chunks; says so when it must be one pass."""
    if not job.chunked or job.format != "pdf":
        return False
    from warraq.render.pdf.chunks import one_pass_reason

    reason = one_pass_reason(job)
    if reason is not None:
        report(f"{job.output.name}: typeset in one pass, not in chunks: {reason}")
    return reason is None


def render_chunked_jobs(
    jobs: list[EditionJob],
    workers: int | None,
    report: Report,
    pool: concurrent.futures.Executor,
) -> Iterator[tuple[Path, int, float]]:
    """Render chunked PDF ``jobs`` one after another, their chapters in ``pool``'s processes."""
    from warraq.build.state import environment_digest
    from warraq.render.pdf.chunks import Task, render_chunked, typeset_task

    parallel = (workers or os.cpu_count() or 1) > 1

    def typeset_all(tasks: Sequence[Task]) -> list[tuple[bytes, float]]:
        futures = [pool.submit(typeset_task, task) for task in tasks]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    for job in jobs:
        started = time.perf_counter()
        salt = environment_digest(job.project)
        data = render_chunked(job, salt, typeset_all, parallel=parallel, report=report)
        write_bytes_atomic(job.output, data)
        yield job.output, len(data), time.perf_counter() - started


def exit_with_parent(parent: int) -> None:
    """In a rendering worker: end when the build that started it ends, even by SIGKILL.

    Linux's ``PR_SET_PDEATHSIG`` sends the worker SIGTERM when its parent
    dies; if the parent is already gone (it died before this ran), exit now.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own checks remain
        pass
    if os.getppid() != parent:
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def plan_jobs(
    project: Project,
    documents: dict[str, Document],
    translations: dict[tuple[str, str], Translation],
    options: BuildOptions,
) -> list[EditionJob]:
    """One job per output file the configuration and ``options`` ask for.

    ``translations`` holds the catalogs already loaded; any other is read here.
    """
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
                translation = translations.get((name, language))
                if translation is None:  # a caller that loaded none: read the catalog here
                    translation = load_translation(project, name, language)
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
                            translation=translation,
                            format=fmt,
                            output=output_dir / f"{stem}.{fmt}",
                            date=publication_date(project, config.date, config.source, timestamp),
                            timestamp=timestamp,
                            draft=options.draft,
                            pdf_variant=options.pdf_variant,
                            chunked=options.chunks and fmt == "pdf",
                        )
                    )
    if not jobs:
        raise WarraqError(
            "nothing to build: no edition of warraq.toml has the format, language and "
            "document asked for; see [[editions]] (formats, languages, documents)"
        )
    return jobs


def refuse_incomplete(
    project: Project,
    documents: dict[str, Document],
    translations: dict[tuple[str, str], Translation],
    options: BuildOptions,
) -> int:
    """Refuse to build while a segment is missing or stale, unless ``options.draft``.

    With ``options.reviewed_only``, unreviewed machine translation is refused too.
    Returns how many translations a draft marks.
    """
    refused = {Status.MISSING, Status.FUZZY}
    if options.reviewed_only:
        refused.add(Status.MACHINE)
    problems: list[str] = []
    catalogs: list[Path] = []
    for (name, language), translation in sorted(translations.items()):
        seen: set[str] = set()
        document = documents[name]
        for segment in catalog_segments(project.document(name), document, language):
            status = translation.lookup(segment.text).status
            if status in refused and segment.text not in seen:
                seen.add(segment.text)
                if not catalogs or catalogs[-1] != catalog_path(project, name, language):
                    catalogs.append(catalog_path(project, name, language))
                start = segment.text if len(segment.text) <= 40 else segment.text[:40] + "…"
                problems.append(f"  {name} [{language}] {segment.id} ({status}): {start}")
    if problems and not (options.draft and not options.reviewed_only):
        what = "not reviewed" if options.reviewed_only else "missing or out of date"
        advice = (
            "review them (remove the fuzzy flag) or build without --reviewed-only"
            if options.reviewed_only
            else _where_to_translate(project, catalogs)
        )
        shown = problems[:20]
        more = [f"  … and {len(problems) - 20} more"] if len(problems) > 20 else []
        raise WarraqError(
            f"{len(problems)} translations are {what}; {advice}:\n" + "\n".join(shown + more)
        )
    return len(problems)


def _where_to_translate(project: Project, catalogs: list[Path]) -> str:
    """The advice for missing translations: the catalogs to fill in, and how to write them."""
    names = ", ".join(str(project.shown(path)) for path in catalogs)
    if all(path.is_file() for path in catalogs):
        return (
            f"translate them in {names} (by hand, or with warraq translate and a model), "
            "or build with --draft"
        )
    return (
        f"write the catalogs with warraq translate (or, with no model, warraq translate "
        f"--update-only) and translate them in {names}, or build with --draft"
    )


def refuse_check_errors(
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
        if finding.level == "error" and not CHECKS[finding.check].completeness
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
