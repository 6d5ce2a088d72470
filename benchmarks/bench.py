"""``make bench``: warraq's speed and memory, measured side by side in one run (issue 7).

Prints a table and writes it as JSON to ``build/bench.json``. Every figure is
the median of ``--runs`` runs (3 by default); every ratio is the median of the
ratios of runs made one after the other, so both sides see the same load.
Builds run as subprocesses (``python -m warraq``), so that wall time and peak
RSS are those of a real command. benchmarks/README.md says how each figure is
taken and records the last results.

    python benchmarks/bench.py [--runs 3] [--pages 300] [--json build/bench.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # run as a script: measure this checkout's warraq
    sys.path[:0] = [str(REPO / "src"), str(REPO)]

from benchmarks.book import Book, copy_sample, generate_book  # noqa: E402
from warraq.catalogs import load_translation  # noqa: E402
from warraq.config import load_project  # noqa: E402
from warraq.document.model import Paragraph  # noqa: E402
from warraq.document.structure import load_document  # noqa: E402
from warraq.translate import ENGINES, TranslateOptions, translate  # noqa: E402
from warraq.translate.engine import Batch  # noqa: E402

TARGET_NOOP_SECONDS = 1.0
TARGET_BATCH_SPEEDUP = 3.0
TARGET_OVERHEAD = 0.15
TARGET_PEAK_MB = 350.0
TARGET_PAGES = 300
MAX_DECODING_LENGTH = 48
"""Tokens every hypothesis decodes in the translation comparison, in both paths.

The sample's segments, as the engine gets them, are 36 tokens long at the
median (63 at most), and a translation is about as long as its source.
"""


PARTS = ("sample", "book", "chunks", "translation")
"""The benchmark's parts, for ``--only``: 1-3, 4, 6 and 5."""


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and why."""


def say(message: str) -> None:
    """Progress, as it happens."""
    print(message, flush=True)


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages."""
    one, five, fifteen = os.getloadavg()
    return round(one, 2), round(five, 2), round(fifteen, 2)


# Running and measuring commands --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Measured:
    """One finished command: wall time, peak RSS of its largest process, what it printed."""

    seconds: float
    peak_mb: float
    stdout: str
    stderr: str


def child_environment() -> dict[str, str]:
    """The environment of measured commands: this checkout's warraq first on the path."""
    env = dict(os.environ)
    paths = [str(REPO / "src"), str(REPO)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def run_measured(args: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> Measured:
    """Run ``args`` in ``cwd``; its wall time and peak resident set size.

    The peak comes from ``wait4``'s resource usage: on Linux, the largest
    resident set of the process and of every descendant it waited for (the
    largest single process, not their sum).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(args), cwd=cwd, env=dict(env or child_environment()), stdout=out, stderr=err
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise BenchError(
            f"{' '.join(args)} (in {cwd}) exited with {process.returncode}:\n{stderr}{stdout}"
        )
    return Measured(seconds, usage.ru_maxrss / 1024, stdout, stderr)


def warraq(*args: str) -> list[str]:
    """The command line running this checkout's warraq with ``args``."""
    return [sys.executable, "-m", "warraq", *args]


# The table --------------------------------------------------------------------------


@dataclass
class Figure:
    """One line of the table."""

    key: str
    label: str
    unit: str
    runs: list[float]
    target: str = ""
    passed: bool | None = None
    note: str = ""
    value: float | None = None  # when not the median of ``runs``

    @property
    def median(self) -> float:
        """The figure: the median of the runs unless given."""
        return self.value if self.value is not None else statistics.median(self.runs)


@dataclass
class Report:
    """Everything measured, and how the machine was while it was measured."""

    runs: int
    started: str
    machine: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    load: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, figure: Figure) -> Figure:
        """Add ``figure`` and print it."""
        self.figures.append(figure)
        say(
            f"  -> {figure.label}: {_number(figure.median, figure.unit)} {figure.unit}"
            + _verdict(figure)
        )
        return figure


def _number(value: float, unit: str = "") -> str:
    """``value`` as the table shows it: counts whole, ratios to 2 decimals, others to 3 digits."""
    if unit in ("segments", "pages"):
        return f"{value:.0f}"
    if unit == "ratio":
        return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def _verdict(figure: Figure) -> str:
    if figure.passed is None:
        return ""
    return f"  [{'PASS' if figure.passed else 'FAIL'}: {figure.target}]"


def table(report: Report) -> str:
    """The figures as a plain-text table."""
    header = ("#", "measure", "median", "unit", f"runs ({report.runs})", "target", "")
    rows = [header]
    for figure in report.figures:
        runs = ", ".join(_number(value, figure.unit) for value in figure.runs)
        verdict = "" if figure.passed is None else ("PASS" if figure.passed else "FAIL")
        rows.append(
            (
                figure.key,
                figure.label,
                _number(figure.median, figure.unit),
                figure.unit,
                runs,
                figure.target,
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines += [f"note ({figure.label}): {figure.note}" for figure in report.figures if figure.note]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for name in ("weasyprint", "argostranslate", "ctranslate2", "pydyf", "fonttools"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


# 1-3: the sample -----------------------------------------------------------------------


def bench_sample(report: Report, folder: Path) -> float:
    """Full build, no-op rebuild; returns the median full build time."""
    say("[1-2] the sample: full build of all editions (warraq build --force) and no-op rebuild")
    sample = copy_sample(folder / "sample")
    run_measured(warraq("build", "--force"), sample)  # warm-up: bytecode, font caches
    full: list[Measured] = []
    noop: list[Measured] = []
    for run in range(1, report.runs + 1):
        full.append(run_measured(warraq("build", "--force"), sample))
        noop.append(run_measured(warraq("build"), sample))
        rebuilt = [line for line in noop[-1].stdout.splitlines() if line.startswith("wrote")]
        if rebuilt:
            raise BenchError(f"a build with nothing changed rebuilt: {rebuilt}")
        say(
            f"  run {run}/{report.runs}: full {full[-1].seconds:.2f} s, "
            f"no-op {noop[-1].seconds:.2f} s"
        )
    outputs = [line for line in full[0].stdout.splitlines() if line.startswith("wrote")]
    report.details["sample_outputs"] = len(outputs)
    report.add(
        Figure(
            "1",
            f"sample: full build, {len(outputs)} outputs (--force)",
            "s",
            [m.seconds for m in full],
        )
    )
    report.add(Figure("1", "sample: full build, peak RSS", "MiB", [m.peak_mb for m in full]))
    noop_seconds = [m.seconds for m in noop]
    report.add(
        Figure(
            "2",
            "sample: rebuild, nothing changed",
            "s",
            noop_seconds,
            target=f"< {TARGET_NOOP_SECONDS:g} s",
            passed=statistics.median(noop_seconds) < TARGET_NOOP_SECONDS,
        )
    )
    report.add(
        Figure(
            "2",
            "sample: no-op rebuild / full build",
            "ratio",
            [n.seconds / f.seconds for n, f in zip(noop, full, strict=True)],
        )
    )
    return statistics.median(m.seconds for m in full)


class CountingEngine:
    """A translation engine that records every text it is given.

    It answers each text with ``replies[language]``: the edited sentence's
    previous translation, so that the catalogs stay correct and the build
    after the edit passes warraq's checks.
    """

    name = "bench-counting"

    def __init__(self, replies: Mapping[str, str]) -> None:
        self.replies = replies
        self.received: dict[str, list[str]] = {}

    def itself(self) -> CountingEngine:
        """This engine: its own factory, for the engine registry."""
        return self

    def pair(self, source: str, target: str) -> CountingPair:
        """A recording translator into ``target``."""
        return CountingPair(self, target)


class CountingPair:
    """The counting engine's translator for one language."""

    provenance = "benchmark counting engine (answers with the previous translation)"

    def __init__(self, engine: CountingEngine, target: str) -> None:
        self.engine = engine
        self.target = target

    def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
        """Record ``texts``; answer every one with the reply for this language."""
        self.engine.received.setdefault(self.target, []).extend(texts)
        yield [(index, self.engine.replies[self.target]) for index in range(len(texts))]


EDIT = " أيضاً"
"""Inserted before the final full stop of the edited sentence ("also")."""


def edited_sentences(sample: Path, count: int) -> list[tuple[str, dict[str, str]]]:
    """``count`` sentences of the sample's paragraphs, spread over the text, with translations."""
    project = load_project(sample)
    config = project.documents[0]
    document = load_document(project, config)
    translations = {
        language: load_translation(project, config.name, language)
        for language in project.target_languages
    }
    source = project.path(config.source).read_text(encoding="utf-8")
    candidates = [
        segment.text
        for block in document.text_blocks()
        if isinstance(block, Paragraph)
        for segment in block.segments
        if segment.text.endswith(".") and source.count(segment.text) == 1
    ]
    step = max(len(candidates) // count, 1)
    chosen = candidates[step // 2 :: step][:count]
    return [
        (text, {language: t.lookup(text).text for language, t in translations.items()})
        for text in chosen
    ]


def bench_edit(report: Report, folder: Path, full_build: float) -> None:
    """Edit one sentence, translate, rebuild; ``runs`` times, a different sentence each time."""
    say("[3] the sample: one sentence edited, then warraq translate and warraq build")
    sample = folder / "sample"
    project = load_project(sample)
    source_path = project.path(project.documents[0].source)
    counts: dict[str, list[float]] = {language: [] for language in project.target_languages}
    rebuilds: list[Measured] = []
    translate_seconds: list[float] = []
    for run, (sentence, replies) in enumerate(edited_sentences(sample, report.runs), start=1):
        text = source_path.read_text(encoding="utf-8")
        source_path.write_text(text.replace(sentence, sentence[:-1] + EDIT + "."), encoding="utf-8")
        engine = CountingEngine(replies)
        ENGINES[engine.name] = engine.itself
        try:
            start = time.perf_counter()
            summaries = translate(load_project(sample), TranslateOptions(engine=engine.name))
            translate_seconds.append(time.perf_counter() - start)
        finally:
            del ENGINES[engine.name]
        for language in counts:
            counts[language].append(len(engine.received.get(language, [])))
        rebuilds.append(run_measured(warraq("build"), sample))
        written = [line for line in rebuilds[-1].stdout.splitlines() if line.startswith("wrote")]
        say(
            f"  run {run}/{report.runs}: engine received "
            + ", ".join(f"{len(engine.received.get(lang, []))} [{lang}]" for lang in counts)
            + f"; summaries: {'; '.join(s.line() for s in summaries)}; rebuild "
            f"{rebuilds[-1].seconds:.2f} s ({len(written)} outputs)"
        )
    for language, values in counts.items():
        report.add(
            Figure(
                "3",
                f"sample, 1 sentence edited: segments sent to the model [{language}]",
                "segments",
                values,
                target="exactly 1 in every run",
                passed=all(value == 1 for value in values),
            )
        )
    report.add(
        Figure("3", "sample, 1 sentence edited: rebuild", "s", [m.seconds for m in rebuilds])
    )
    report.add(
        Figure(
            "3",
            "sample, 1 sentence edited: rebuild / full build",
            "ratio",
            [m.seconds / full_build for m in rebuilds],
            note="every edition holds the source, so every output is rebuilt",
        )
    )
    report.details["edit_translate_seconds"] = translate_seconds


# 4: the long book ----------------------------------------------------------------------


def book_html(book: Book, output: Path) -> str:
    """Write the PDF edition's HTML (as warraq makes it) to ``output``; return its base URL."""
    from warraq.build.pipeline import BuildOptions, plan_jobs
    from warraq.render.pdf import render_html

    project = load_project(book.root)
    documents = {config.name: load_document(project, config) for config in project.documents}
    options = BuildOptions(formats=("pdf",), languages=("en",))
    job = plan_jobs(project, documents, {}, options)[0]
    html, base = render_html(job)
    output.write_text(html, encoding="utf-8")
    return base.as_uri() + "/"


def count_pages(path: Path) -> int:
    """Pages in a PDF file, counted with PyMuPDF."""
    import pymupdf

    open_pdf: Any = pymupdf.open  # untyped
    with open_pdf(path) as document:
        return int(document.page_count)


def bench_book(report: Report, folder: Path, pages: int) -> None:
    """The long book: PDF (warraq against WeasyPrint alone) and EPUB, time and peak RSS."""

    def judged(met: bool) -> bool | None:
        # The targets are set for a book of TARGET_PAGES pages: on a shorter one, warraq's
        # fixed costs (start-up, checks) weigh more and memory is lower.
        return met if pages >= TARGET_PAGES else None

    say(f"[4] a {pages}-page bilingual book generated from the sample")
    book = generate_book(folder / "book", pages)
    say(
        f"  generated {book.chapters} chapters, {book.paragraphs} paragraphs, "
        f"{book.sentences} sentences, with reviewed fr and en catalogs"
    )
    html = folder / "book.html"
    base = book_html(book, html)
    raw_output = folder / "raw.pdf"
    stem = f"{book.document}.ar-en"
    pdf: list[Measured] = []
    raw: list[Measured] = []
    epub: list[Measured] = []
    for run in range(1, report.runs + 1):
        pdf.append(
            run_measured(
                warraq("build", "--force", "--format", "pdf", "--to", "en", "--jobs", "1"),
                book.root,
            )
        )
        raw.append(
            run_measured(
                [
                    sys.executable,
                    str(REPO / "benchmarks" / "raw_pdf.py"),
                    str(html),
                    base,
                    str(book.root),
                    str(raw_output),
                ],
                book.root,
            )
        )
        epub.append(
            run_measured(
                warraq("build", "--force", "--format", "epub", "--to", "en", "--jobs", "1"),
                book.root,
            )
        )
        say(
            f"  run {run}/{report.runs}: warraq PDF {pdf[-1].seconds:.1f} s "
            f"({pdf[-1].peak_mb:.0f} MiB), WeasyPrint alone {raw[-1].seconds:.1f} s "
            f"({raw[-1].peak_mb:.0f} MiB), EPUB {epub[-1].seconds:.1f} s "
            f"({epub[-1].peak_mb:.0f} MiB)"
        )
    warraq_pages = count_pages(book.root / "build" / f"{stem}.pdf")
    raw_pages = count_pages(raw_output)
    report.details["book"] = {
        "chapters": book.chapters,
        "paragraphs": book.paragraphs,
        "sentences": book.sentences,
        "pdf_pages": warraq_pages,
        "raw_pdf_pages": raw_pages,
        "epub_kb": (book.root / "build" / f"{stem}.epub").stat().st_size / 1024,
    }
    report.add(
        Figure(
            "4",
            "book: pages of the ar-en PDF (PyMuPDF)",
            "pages",
            [warraq_pages],
            note=f"WeasyPrint alone: {raw_pages}",
        )
    )
    report.add(Figure("4", "book: warraq build, ar-en PDF", "s", [m.seconds for m in pdf]))
    report.add(Figure("4", "book: WeasyPrint alone, same HTML", "s", [m.seconds for m in raw]))
    ratios = [w.seconds / r.seconds for w, r in zip(pdf, raw, strict=True)]
    report.add(
        Figure(
            "4",
            "book: warraq PDF build / WeasyPrint alone",
            "ratio",
            ratios,
            target=f"< {1 + TARGET_OVERHEAD:.2f} (overhead < {TARGET_OVERHEAD:.0%})",
            passed=judged(statistics.median(ratios) < 1 + TARGET_OVERHEAD),
        )
    )
    pdf_peak = [m.peak_mb for m in pdf]
    report.add(
        Figure(
            "4",
            "book: warraq build, ar-en PDF, peak RSS",
            "MiB",
            pdf_peak,
            target=f"< {TARGET_PEAK_MB:g} MiB",
            passed=judged(statistics.median(pdf_peak) < TARGET_PEAK_MB),
        )
    )
    report.add(Figure("4", "book: WeasyPrint alone, peak RSS", "MiB", [m.peak_mb for m in raw]))
    report.add(Figure("4", "book: warraq build, ar-en EPUB", "s", [m.seconds for m in epub]))
    epub_peak = [m.peak_mb for m in epub]
    report.add(
        Figure(
            "4",
            "book: warraq build, ar-en EPUB, peak RSS",
            "MiB",
            epub_peak,
            target=f"< {TARGET_PEAK_MB:g} MiB",
            passed=judged(statistics.median(epub_peak) < TARGET_PEAK_MB),
        )
    )


# 6: chunked PDF ------------------------------------------------------------------------

TARGET_CHUNKED_RATIO = 0.65
TARGET_CHUNKED_EDIT = 0.15
TARGET_CHUNKED_PEAK_MB = 200.0
_CHUNK_TIMES = re.compile(
    r"(\d+) chunks typeset \(the book has (\d+)\), ([\d.]+) s in all, the longest ([\d.]+) s"
)


def _chunk_times(output: str) -> tuple[int, float, float]:
    """(chunks typeset, seconds in all, longest) from a chunked build's report."""
    match = _CHUNK_TIMES.search(output)
    if match is None:
        return 0, 0.0, 0.0
    return int(match.group(1)), float(match.group(3)), float(match.group(4))


def bench_chunks(report: Report, folder: Path, pages: int) -> None:
    """Chunked PDF (``--chunks``): cold builds on 1 and 2 processes, an edit, against WeasyPrint."""
    say(f"[6] chunked PDF of the {pages}-page book (--chunks)")
    book = generate_book(folder / "chunks-book", pages)
    root = book.root
    html = folder / "chunks-book.html"
    base = book_html(book, html)
    document = load_project(root).documents[0].name
    output = root / "build" / f"{document}.ar-en.pdf"
    cache = root / "build" / ".warraq-chunks"
    catalog = root / "locales" / "en" / "LC_MESSAGES" / f"{document}.po"
    chunked = ("build", "--format", "pdf", "--to", "en", "--chunks")
    cold2: list[Measured] = []
    cold1: list[Measured] = []
    raw: list[Measured] = []
    edit: list[Measured] = []
    times: list[tuple[int, float, float]] = []
    edited_chapters: list[int] = []
    for run in range(1, report.runs + 1):
        shutil.rmtree(cache, ignore_errors=True)
        output.unlink(missing_ok=True)
        cold2.append(run_measured(warraq(*chunked, "--jobs", "2"), root))
        raw.append(
            run_measured(
                [
                    sys.executable,
                    str(REPO / "benchmarks" / "raw_pdf.py"),
                    str(html),
                    base,
                    str(root),
                    str(folder / "raw.pdf"),
                ],
                root,
            )
        )
        # One sentence of one chapter edited (another chapter each run): its translation.
        text = catalog.read_text(encoding="utf-8")
        chapter = 3 + 7 * (run - 1)
        pattern = rf'(msgstr "\({chapter}-5\) [^"]*)\."'
        edited = re.sub(pattern, r'\1, indeed."', text, count=1)
        if edited == text:
            raise BenchError(f"no sentence (chapter {chapter}) to edit in {catalog}")
        catalog.write_text(edited, encoding="utf-8")
        edit.append(run_measured(warraq(*chunked, "--jobs", "2"), root))
        typeset = re.findall(r"typesetting chapter (\d+)/", edit[-1].stdout)
        if typeset != [str(chapter)]:
            raise BenchError(f"edit in chapter {chapter}: typeset chapters {typeset}")
        edited_chapters.append(chapter)
        shutil.rmtree(cache, ignore_errors=True)
        output.unlink(missing_ok=True)
        cold1.append(run_measured(warraq(*chunked, "--jobs", "1"), root))
        times.append(_chunk_times(cold1[-1].stdout))
        say(
            f"  run {run}/{report.runs}: cold --jobs 2 {cold2[-1].seconds:.1f} s "
            f"({cold2[-1].peak_mb:.0f} MiB), WeasyPrint alone {raw[-1].seconds:.1f} s, "
            f"edit (chapter {chapter}) {edit[-1].seconds:.1f} s, "
            f"cold --jobs 1 {cold1[-1].seconds:.1f} s"
        )
    report.details["chunks"] = {
        "pdf_pages": count_pages(output),
        "pdf_kb": output.stat().st_size / 1024,
        "raw_pdf_kb": (folder / "raw.pdf").stat().st_size / 1024,
        "chunk_times": times,
        "edited_chapters": edited_chapters,
    }
    ratio = [c.seconds / r.seconds for c, r in zip(cold2, raw, strict=True)]
    report.add(
        Figure(
            "6",
            "chunked: pages (PyMuPDF)",
            "pages",
            [count_pages(output)],
            note=f"{output.stat().st_size / 1024:.0f} KB, WeasyPrint alone "
            f"{(folder / 'raw.pdf').stat().st_size / 1024:.0f} KB",
        )
    )
    report.add(Figure("6", "chunked: full build, --jobs 2", "s", [m.seconds for m in cold2]))
    report.add(Figure("6", "chunked: full build, --jobs 1", "s", [m.seconds for m in cold1]))
    report.add(Figure("6", "chunked: WeasyPrint alone, same book", "s", [m.seconds for m in raw]))
    report.add(
        Figure(
            "6",
            "chunked: full build --jobs 2 / WeasyPrint alone",
            "ratio",
            ratio,
            target=f"<= {TARGET_CHUNKED_RATIO}",
            passed=statistics.median(ratio) <= TARGET_CHUNKED_RATIO,
        )
    )
    edits = [e.seconds / c.seconds for e, c in zip(edit, cold2, strict=True)]
    report.add(Figure("6", "chunked: 1 sentence edited, rebuild", "s", [m.seconds for m in edit]))
    report.add(
        Figure(
            "6",
            "chunked: 1 sentence edited / full build",
            "ratio",
            edits,
            target=f"<= {TARGET_CHUNKED_EDIT}",
            passed=statistics.median(edits) <= TARGET_CHUNKED_EDIT,
        )
    )
    peak = [m.peak_mb for m in (*cold2, *cold1, *edit)]
    report.add(
        Figure(
            "6",
            "chunked: peak RSS of the largest process",
            "MiB",
            peak,
            target=f"<= {TARGET_CHUNKED_PEAK_MB:g} MiB",
            passed=max(peak) <= TARGET_CHUNKED_PEAK_MB,
            value=max(peak),
        )
    )
    report.add(Figure("6", "chunked: typesetting, sum of chunk times", "s", [t[1] for t in times]))
    report.add(Figure("6", "chunked: typesetting, longest chunk", "s", [t[2] for t in times]))
    overhead = [c.seconds - t[1] for c, t in zip(cold1, times, strict=True)]
    for cores in (4, 8):
        projected = [o + max(t[1] / cores, t[2]) for o, t in zip(overhead, times, strict=True)]
        report.add(
            Figure(
                "6",
                f"chunked: projected full build on {cores} cores",
                "s",
                projected,
                note="--jobs 1 wall time less its chunk times, plus max(sum / cores, longest)",
            )
        )


# 5: translation ------------------------------------------------------------------------


def bench_translation(report: Report, folder: Path) -> None:
    """warraq's batched argos engine against argostranslate's translate(), in a child process."""
    say(
        "[5] translation throughput: random transformer-base model, warraq batched "
        "against argostranslate.translate() per sentence"
    )
    home = folder / "home"
    env = child_environment()
    for variable, name in (
        ("XDG_DATA_HOME", "share"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(home / name)
    packages = folder / "argos-packages"
    env["ARGOS_PACKAGES_DIR"] = str(packages)
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "translation.py"),
            str(report.runs),
            str(MAX_DECODING_LENGTH),
            str(packages),
        ],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"the translation benchmark exited with {result.returncode}")
    data = json.loads(result.stdout)
    report.details["translation"] = data
    segments = data["segments"]
    batched = [segments / seconds for seconds in data["batched"]["seconds"]]
    threads = data["threads"]
    settings = threads["argos_settings"]
    layout = threads["warraq"]
    report.add(
        Figure(
            "5",
            f"translation: warraq batched ({layout['parallel_batches']} batches at once, "
            f"{layout['intra_threads']} thread each)",
            "segments/s",
            batched,
        )
    )
    for name, label in (
        (
            "default",
            f"argos's threads: inter {settings['inter_threads']}, "
            f"intra {settings['intra_threads']}",
        ),
        ("one_thread", "one thread"),
    ):
        single = [segments / seconds for seconds in data["per_sentence"][name]["seconds"]]
        report.add(
            Figure(
                "5",
                f"translation: argostranslate per sentence ({label})",
                "segments/s",
                single,
            )
        )
        ratios = [b / s for b, s in zip(batched, single, strict=True)]
        report.add(
            Figure(
                "5",
                f"translation: batched / per sentence ({label})",
                "ratio",
                ratios,
                target=f">= {TARGET_BATCH_SPEEDUP:g}",
                passed=statistics.median(ratios) >= TARGET_BATCH_SPEEDUP,
            )
        )


# Main -----------------------------------------------------------------------------------


def run_all(options: argparse.Namespace) -> Report:
    """Run every section; return the report."""
    started = time.perf_counter()
    report = Report(
        runs=options.runs,
        started=dt.datetime.now(tz=dt.UTC).replace(microsecond=0).isoformat(),
        machine=machine(),
    )
    say(
        f"warraq benchmark: {options.runs} runs per figure, {report.machine['cores']} cores, "
        f"Python {report.machine['python']}, WeasyPrint {report.machine['versions']['weasyprint']}"
    )
    folder = Path(tempfile.mkdtemp(prefix="warraq-bench-"))
    try:
        report.load["start"] = load_average()
        say(f"load average at start: {report.load['start']}")
        parts = set(options.only or PARTS)
        if "sample" in parts:
            full = bench_sample(report, folder)
            bench_edit(report, folder, full)
        if "book" in parts:
            report.load["book"] = load_average()
            bench_book(report, folder, options.pages)
        if "chunks" in parts:
            report.load["chunks"] = load_average()
            bench_chunks(report, folder, options.pages)
        if "translation" in parts:
            report.load["translation"] = load_average()
            bench_translation(report, folder)
        report.load["end"] = load_average()
    finally:
        if options.keep:
            say(f"kept the benchmark's files in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def write_json(report: Report, path: Path) -> None:
    """The report as JSON."""
    data = dataclasses.asdict(report)
    for figure, original in zip(data["figures"], report.figures, strict=True):
        figure["median"] = original.median
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--pages", type=int, default=300, help="pages of the long book")
    parser.add_argument("--json", type=Path, default=REPO / "build" / "bench.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="run only this part (repeatable; default: all of them)",
    )
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        report = run_all(options)
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    say("")
    say(table(report))
    say("")
    say(
        "load average (1, 5, 15 min): "
        + "; ".join(f"{when} {values}" for when, values in report.load.items())
    )
    failed = [figure.label for figure in report.figures if figure.passed is False]
    say(f"targets: {'all met' if not failed else 'FAILED: ' + '; '.join(failed)}")
    say(f"benchmark took {report.seconds:.0f} s; JSON written to {options.json}")
    write_json(report, options.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
