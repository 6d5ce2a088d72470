"""``make bench``: warraq's speed and memory, measured side by side in one run (issue 7).

Prints a table and writes it as JSON to ``build/bench.json``. Every figure is
the median of ``--runs`` runs (3 by default); every ratio is the median of the
ratios of runs made one after the other, so both sides see the same load.
Builds run as subprocesses (``python -m warraq``), so that wall time and peak
RSS are those of a real command. benchmarks/README.md says how each figure is
taken and records the last results.

    python benchmarks/bench.py [--runs 3] [--pages 300] [--json build/bench.json]
        [--only sample|edit|book|translation|cluster|memory|facing|kashida|chunks ...]
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # run as a script: measure this checkout's warraq
    sys.path[:0] = [str(REPO / "src"), str(REPO)]

from benchmarks.book import BOOK_DOCUMENT, Book, copy_sample, generate_book  # noqa: E402
from warraq.catalogs import load_translation  # noqa: E402
from warraq.config import load_project  # noqa: E402
from warraq.document.model import Paragraph  # noqa: E402
from warraq.document.structure import load_document  # noqa: E402
from warraq.translate import ENGINES, TranslateOptions, translate  # noqa: E402
from warraq.translate.fake import FakeEngine  # noqa: E402

TARGET_NOOP_SECONDS = 1.0
TARGET_BATCH_SPEEDUP = 3.0
TARGET_OVERHEAD = 0.15
TARGET_PEAK_MB = 350.0
TARGET_PAGES = 300
TARGET_FACING_RATIO = 2.0
TARGET_FACING_PEAK_MB = 400.0
MAX_DECODING_LENGTH = 48
"""Tokens every hypothesis decodes in the translation comparison, in both paths.

The sample's segments, as the engine gets them, are 36 tokens long at the
median (63 at most), and a translation is about as long as its source.
"""


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


def counting_engine(replies: Mapping[str, str]) -> FakeEngine:
    """A fake engine that records every text it is given (:attr:`FakeEngine.received`).

    It answers each text with ``replies[language]``: the edited sentence's
    previous translation, so that the catalogs stay correct and the build
    after the edit passes warraq's checks.
    """
    return FakeEngine(
        name="bench-counting",
        answer=lambda target, text, index: replies[target],
        delay=0.0,
        provenance="benchmark counting engine (answers with the previous translation)",
    )


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
        engine = counting_engine(replies)
        ENGINES[engine.name] = engine
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


_BOOKS: dict[Path, Book] = {}


def the_book(folder: Path, pages: int) -> Book:
    """The long book, generated in ``folder`` the first time a part asks for it."""
    if folder not in _BOOKS:
        book = generate_book(folder / "book", pages)
        say(
            f"  generated a {pages}-page book: {book.chapters} chapters, {book.paragraphs} "
            f"paragraphs, {book.sentences} sentences, with reviewed fr and en catalogs"
        )
        _BOOKS[folder] = book
    return _BOOKS[folder]


def bench_book(report: Report, folder: Path, pages: int) -> None:
    """The long book: PDF (warraq against WeasyPrint alone) and EPUB, time and peak RSS."""

    def judged(met: bool) -> bool | None:
        # The targets are set for a book of TARGET_PAGES pages: on a shorter one, warraq's
        # fixed costs (start-up, checks) weigh more and memory is lower.
        return met if pages >= TARGET_PAGES else None

    say(f"[4] a {pages}-page bilingual book generated from the sample")
    book = the_book(folder, pages)
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


# 8: the long book as facing pages ---------------------------------------------------------


def variant_project(book: Book, target: Path, old: str, new: str) -> Path:
    """A copy of the generated book's project with ``old`` replaced by ``new`` in its config."""
    shutil.copytree(book.root, target, ignore=shutil.ignore_patterns("build", ".warraq*"))
    config = target / "warraq.toml"
    text = config.read_text(encoding="utf-8")
    if old not in text:
        raise BenchError(f"{config}: no {old!r} to replace")
    config.write_text(text.replace(old, new), encoding="utf-8")
    return target


def facing_project(book: Book, target: Path) -> Path:
    """A copy of the generated book's project whose one edition is a facing-pages PDF."""
    return variant_project(book, target, 'layout = "side-by-side"', 'layout = "facing-pages"')


def kashida_project(book: Book, target: Path) -> Path:
    """A copy of the generated book's project whose edition justifies Arabic with kashida."""
    return variant_project(
        book,
        target,
        'layout = "side-by-side"',
        'layout = "side-by-side"\narabic_justification = "kashida"',
    )


def long_book(folder: Path, pages: int) -> Book:
    """The long book of part 4 if it was generated in ``folder``, else generated now."""
    book_root = folder / "book"
    if (book_root / "warraq.toml").is_file():
        return Book(book_root, BOOK_DOCUMENT, 0, 0, 0)
    return generate_book(book_root, pages)


def paired_builds(
    report: Report, first: Path, second: Path, names: tuple[str, str]
) -> tuple[list[Measured], list[Measured]]:
    """The ar-en PDF of two projects built one right after the other, ``report.runs`` times."""
    command = warraq("build", "--force", "--format", "pdf", "--to", "en", "--jobs", "1")
    ones: list[Measured] = []
    twos: list[Measured] = []
    for run in range(1, report.runs + 1):
        ones.append(run_measured(command, first))
        twos.append(run_measured(command, second))
        say(
            f"  run {run}/{report.runs}: {names[0]} {ones[-1].seconds:.1f} s "
            f"({ones[-1].peak_mb:.0f} MiB), {names[1]} {twos[-1].seconds:.1f} s "
            f"({twos[-1].peak_mb:.0f} MiB)"
        )
    return ones, twos


def bench_facing(report: Report, folder: Path, pages: int) -> None:
    """The long book as facing pages against the same book side by side: time and peak RSS."""
    say(f"[8] the {pages}-page book as facing pages, against the same book side by side")
    book = long_book(folder, pages)
    facing = facing_project(book, folder / "facing-book")
    side, faced = paired_builds(report, book.root, facing, ("side by side", "facing pages"))
    facing_pages = count_pages(facing / "build" / f"{book.document}.ar-en.facing.pdf")
    side_pages = count_pages(book.root / "build" / f"{book.document}.ar-en.pdf")
    judged = pages >= TARGET_PAGES
    report.details["facing"] = {"pdf_pages": facing_pages, "side_by_side_pages": side_pages}
    report.add(
        Figure(
            "8",
            "book as facing pages: pages of the ar-en PDF (PyMuPDF)",
            "pages",
            [facing_pages],
            note=f"side by side: {side_pages}",
        )
    )
    report.add(Figure("8", "book: warraq build, side-by-side PDF", "s", [m.seconds for m in side]))
    report.add(Figure("8", "book: warraq build, facing-pages PDF", "s", [m.seconds for m in faced]))
    ratios = [f.seconds / s.seconds for f, s in zip(faced, side, strict=True)]
    report.add(
        Figure(
            "8",
            "book: facing-pages build / side-by-side build",
            "ratio",
            ratios,
            target=f"<= {TARGET_FACING_RATIO:g}",
            passed=statistics.median(ratios) <= TARGET_FACING_RATIO if judged else None,
        )
    )
    peaks = [m.peak_mb for m in faced]
    report.add(
        Figure(
            "8",
            "book: warraq build, facing-pages PDF, peak RSS",
            "MiB",
            peaks,
            target=f"< {TARGET_FACING_PEAK_MB:g} MiB",
            passed=statistics.median(peaks) < TARGET_FACING_PEAK_MB if judged else None,
        )
    )


def bench_kashida(report: Report, folder: Path, pages: int) -> None:
    """The long book with kashida justification against spaces only: time and peak RSS."""
    say(f"[9] the {pages}-page book with kashida justification, against spaces only")
    book = long_book(folder, pages)
    kashida = kashida_project(book, folder / "kashida-book")
    spaces, stretched = paired_builds(report, book.root, kashida, ("spaces", "kashida"))
    output = f"{book.document}.ar-en.pdf"
    report.add(
        Figure(
            "9",
            "book with kashida: pages of the ar-en PDF (PyMuPDF)",
            "pages",
            [count_pages(kashida / "build" / output)],
            note=f"spaces only: {count_pages(book.root / 'build' / output)}",
        )
    )
    report.add(Figure("9", "book: PDF, spaces only", "s", [m.seconds for m in spaces]))
    report.add(Figure("9", "book: PDF, kashida", "s", [m.seconds for m in stretched]))
    report.add(
        Figure(
            "9",
            "book: kashida build / spaces-only build",
            "ratio",
            [k.seconds / s.seconds for k, s in zip(stretched, spaces, strict=True)],
        )
    )
    report.add(Figure("9", "book: PDF, kashida, peak RSS", "MiB", [m.peak_mb for m in stretched]))


# 10: chunked PDF ------------------------------------------------------------------------

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
    say(f"[10] chunked PDF of the {pages}-page book (--chunks)")
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
            "10",
            "chunked: pages (PyMuPDF)",
            "pages",
            [count_pages(output)],
            note=f"{output.stat().st_size / 1024:.0f} KB, WeasyPrint alone "
            f"{(folder / 'raw.pdf').stat().st_size / 1024:.0f} KB",
        )
    )
    report.add(Figure("10", "chunked: full build, --jobs 2", "s", [m.seconds for m in cold2]))
    report.add(Figure("10", "chunked: full build, --jobs 1", "s", [m.seconds for m in cold1]))
    report.add(Figure("10", "chunked: WeasyPrint alone, same book", "s", [m.seconds for m in raw]))
    report.add(
        Figure(
            "10",
            "chunked: full build --jobs 2 / WeasyPrint alone",
            "ratio",
            ratio,
            target=f"<= {TARGET_CHUNKED_RATIO}",
            passed=statistics.median(ratio) <= TARGET_CHUNKED_RATIO,
        )
    )
    edits = [e.seconds / c.seconds for e, c in zip(edit, cold2, strict=True)]
    report.add(Figure("10", "chunked: 1 sentence edited, rebuild", "s", [m.seconds for m in edit]))
    report.add(
        Figure(
            "10",
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
            "10",
            "chunked: peak RSS of the largest process",
            "MiB",
            peak,
            target=f"<= {TARGET_CHUNKED_PEAK_MB:g} MiB",
            passed=max(peak) <= TARGET_CHUNKED_PEAK_MB,
            value=max(peak),
        )
    )
    report.add(Figure("10", "chunked: typesetting, sum of chunk times", "s", [t[1] for t in times]))
    report.add(Figure("10", "chunked: typesetting, longest chunk", "s", [t[2] for t in times]))
    overhead = [c.seconds - t[1] for c, t in zip(cold1, times, strict=True)]
    for cores in (4, 8):
        projected = [o + max(t[1] / cores, t[2]) for o, t in zip(overhead, times, strict=True)]
        report.add(
            Figure(
                "10",
                f"chunked: projected full build on {cores} cores",
                "s",
                projected,
                note="--jobs 1 wall time less its chunk times, plus max(sum / cores, longest)",
            )
        )


# 5: translation ------------------------------------------------------------------------


def translation_environment(folder: Path) -> dict[str, str]:
    """A child's environment whose argos packages, settings and caches are in ``folder``."""
    home = folder / "home"
    env = child_environment()
    for variable, name in (
        ("XDG_DATA_HOME", "share"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(home / name)
    env["ARGOS_PACKAGES_DIR"] = str(folder / "argos-packages")
    return env


def bench_translation(report: Report, folder: Path) -> None:
    """warraq's batched argos engine against argostranslate's translate(), in a child process."""
    say(
        "[5] translation throughput: random transformer-base model, warraq batched "
        "against argostranslate.translate() per sentence"
    )
    env = translation_environment(folder)
    packages = Path(env["ARGOS_PACKAGES_DIR"])
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


# 6: a Dask cluster ---------------------------------------------------------------------


def catalog_save_seconds(root: Path, folder: Path, runs: int = 5) -> float:
    """The median time to save the book's English catalog after one changed entry.

    What the translate stage does after every batch, on a copy of the catalog
    in ``folder`` (``CatalogFile.save``: render, compare, atomic write).
    """
    from warraq.catalogs import CatalogFile, catalog_path, read_catalog

    project = load_project(root)
    original = catalog_path(project, project.documents[0].name, "en")
    path = folder / "save-test.po"
    shutil.copy2(original, path)
    catalog = read_catalog(path, locale="en")
    file = CatalogFile(path, catalog, read_catalog(path, locale="en"))
    message = next(m for m in catalog if m.id)
    times = []
    for run in range(runs):
        message.string = f"{message.string} {run}"
        start = time.perf_counter()
        file.save()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_cluster(report: Report, folder: Path, pages: int) -> None:
    """The book's segments through the argos engine locally and on a 2-worker LocalCluster."""
    say(
        f"[6] the {pages}-page book's distinct segments, random transformer-base model: "
        "the argos engine in one process against a LocalCluster of 2 workers"
    )
    book = the_book(folder, pages)
    own = folder / "cluster"
    own.mkdir(exist_ok=True)
    env = translation_environment(own)
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "cluster.py"),
            str(report.runs),
            str(MAX_DECODING_LENGTH),
            env["ARGOS_PACKAGES_DIR"],
            str(book.root),
        ],
        cwd=own,
        env=env,
        stdout=subprocess.PIPE,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"the cluster benchmark exited with {result.returncode}")
    data = json.loads(result.stdout)
    report.details["cluster"] = data
    segments, workers, batches = data["segments"], data["workers"], data["batches"]
    times = data["seconds"]
    local = [segments / seconds for seconds in times["local"]]
    remote = [segments / seconds for seconds in times["cluster"]]
    report.add(
        Figure(
            "6",
            f"cluster: {segments} segments, argos engine in one process "
            f"({data['local_parallel_batches']} batches at once, 1 thread each)",
            "segments/s",
            local,
        )
    )
    report.add(
        Figure(
            "6",
            f"cluster: the same on a LocalCluster ({workers} workers, 1 thread each)",
            "segments/s",
            remote,
        )
    )
    report.add(
        Figure(
            "6",
            "cluster: LocalCluster / one process",
            "ratio",
            [r / lo for r, lo in zip(remote, local, strict=True)],
        )
    )
    report.add(
        Figure(
            "6",
            f"cluster: scheduling overhead per batch (no-op engine, {data['fake_batches']} "
            "batches)",
            "ms",
            [1000 * seconds / data["fake_batches"] for seconds in times["fake"]],
        )
    )
    save = catalog_save_seconds(book.root, own)
    report.details["cluster"]["catalog_save_seconds"] = save
    report.add(
        Figure(
            "6",
            f"cluster: the client saving the catalog after a batch ({segments} entries)",
            "ms",
            [1000 * save],
            note="median of 5 saves; the same cost with or without a cluster, on the client",
        )
    )
    report.add(
        Figure(
            "6",
            f"cluster: worker time not translating, per batch ({batches} batches)",
            "ms",
            [
                1000 * (workers * seconds - compute) / batches
                for seconds, compute in zip(
                    times["cluster"], data["cluster_compute_seconds"], strict=True
                )
            ],
            note="workers x wall time - task compute time (Dask's task stream), per batch",
        )
    )


# 7: the translation memory --------------------------------------------------------------


def _drop_catalogs(root: Path) -> int:
    """Remove the project's translated catalogs (not the template); how many."""
    paths = sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))
    for path in paths:
        path.unlink()
    return len(paths)


def bench_memory(report: Report, folder: Path, pages: int) -> None:
    """A translate run where every entry comes from the translation memory (a TMX compendium)."""
    say(
        f"[7] translation memory: the {pages}-page book's catalogs removed, every entry "
        "recalled from its TMX export, against a run with nothing to do"
    )
    book = the_book(folder, pages)
    tmx = folder / "book.tmx"
    exported = run_measured(
        warraq("tm", "export", "--format", "tmx", "--output", str(tmx)), book.root
    )
    recalled = folder / "memory"
    if recalled.exists():
        shutil.rmtree(recalled)
    shutil.copytree(book.root, recalled, ignore=shutil.ignore_patterns("build"))
    _drop_catalogs(recalled)
    run_measured(warraq("tm", "import", str(tmx)), recalled)
    memory: list[Measured] = []
    idle: list[Measured] = []
    sent: list[float] = []
    entries = 0
    for run in range(1, report.runs + 1):
        _drop_catalogs(recalled)
        memory.append(run_measured(warraq("translate", "--engine", "fake"), recalled))
        idle.append(run_measured(warraq("translate", "--engine", "fake"), book.root))
        lines = [line for line in memory[-1].stdout.splitlines() if " translated, " in line]
        sent.append(sum(int(line.split(": ")[1].split(" translated")[0]) for line in lines))
        entries = sum(
            int(line.rsplit(", ", 1)[1].split(" from")[0])
            for line in lines
            if "from translation memory" in line
        )
        say(
            f"  run {run}/{report.runs}: everything from memory {memory[-1].seconds:.2f} s "
            f"({entries} entries recalled, {sent[-1]:.0f} to the engine), nothing to do "
            f"{idle[-1].seconds:.2f} s"
        )
    report.details["memory"] = {
        "tmx_kb": tmx.stat().st_size / 1024,
        "tm_export_seconds": exported.seconds,
        "entries": entries,
    }
    report.add(
        Figure(
            "7",
            f"memory: entries sent to the engine when all {entries} are remembered",
            "segments",
            sent,
            target="0 in every run",
            passed=all(value == 0 for value in sent),
        )
    )
    report.add(
        Figure(
            "7",
            "memory: warraq translate, everything from memory",
            "s",
            [m.seconds for m in memory],
        )
    )
    report.add(
        Figure("7", "memory: warraq translate, nothing to do", "s", [m.seconds for m in idle])
    )
    report.add(
        Figure(
            "7",
            "memory: peak RSS, everything from memory",
            "MiB",
            [m.peak_mb for m in memory],
        )
    )
    report.add(
        Figure(
            "7",
            "memory: cost per recalled entry (from memory - nothing to do)",
            "ms",
            [
                1000 * (m.seconds - i.seconds) / max(entries, 1)
                for m, i in zip(memory, idle, strict=True)
            ],
        )
    )


PARTS = (
    "sample",
    "edit",
    "book",
    "translation",
    "cluster",
    "memory",
    "facing",
    "kashida",
    "chunks",
)
"""The benchmark's parts, in the order they run (``--only``); ``edit`` needs ``sample``."""


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
        parts = options.only or PARTS
        full = 0.0
        if "sample" in parts or "edit" in parts:
            full = bench_sample(report, folder)
        if "edit" in parts:
            bench_edit(report, folder, full)
        for part, run in (
            ("book", lambda: bench_book(report, folder, options.pages)),
            ("translation", lambda: bench_translation(report, folder)),
            ("cluster", lambda: bench_cluster(report, folder, options.pages)),
            ("memory", lambda: bench_memory(report, folder, options.pages)),
            ("facing", lambda: bench_facing(report, folder, options.pages)),
            ("kashida", lambda: bench_kashida(report, folder, options.pages)),
            ("chunks", lambda: bench_chunks(report, folder, options.pages)),
        ):
            if part in parts:
                report.load[part] = load_average()
                run()
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
        help="run only this part (repeatable; default: all; edit runs sample too)",
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
