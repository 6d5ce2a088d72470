"""Chunked PDF: an edition typeset chapter by chapter, in parallel, cached, then assembled.

The edition's HTML (:func:`~warraq.render.pdf.renderer.render_html`, the
templates unchanged) is cut at its top-level section headings: the front
matter (title page, imprint, contents) is one chunk, and each chapter of the
text another (the first also carries the text's opening title). Each chunk is
a complete HTML document with the book's stylesheet, typeset by WeasyPrint on
its own (in parallel processes), cached under a digest of everything that
goes into it, and typeset again only when that changes. pikepdf then joins the
pages and makes what belongs to the whole book once: the bookmarks, the named
destinations the links point to, the metadata and the document ID.

How a chunk is typeset independently of the page it starts on: it is not,
quite, and that is the design. Folios and running heads are WeasyPrint's own
margin boxes, so each chunk is typeset knowing its first page number
(``@page :first { counter-reset: page N }``) and side (a chapter that starts on
a left page gets one throw-away lead page before it, a right page two; the lead
pages also carry the book's opening invisibly, so that ``:nth(1 of text)`` and
the running-head strings behave as in one pass). A chunk therefore depends on
the earlier chunks through their page *counts* only: the page count is a
property of a chunk's content alone (the text block has the same width on
either side), recorded under a digest of that content, so after an edit only
the edited chapter is typeset again, plus the later ones only if its page
count changed (a renumbering). Stamping folios after assembly would make
chunks fully independent, but it means drawing text into the PDF outside
WeasyPrint with the embedded subset fonts (Arabic-Indic digits right-aligned
in Amiri, old-style figures in EB Garamond); and typesetting the folios as a
separate WeasyPrint document costs about 27 ms a page (8 s for 300 empty
pages, measured), more than the renumbering it would save. The price of this
choice is the cold build: without recorded page counts, chunks are typeset
with estimated first pages (the front matter's length guessed from its
contents entries) and those that guessed wrong are typeset again (see
benchmarks/README.md for the figures).

The chunks are typeset in the build's worker processes
(:func:`warraq.build.pipeline.chapter_workers`), forked before the book is
read. The book's stylesheet is the same in every chunk, so it is taken out of
the chunks' HTML and parsed, its fonts loaded, once a worker
(:func:`~warraq.render.pdf.renderer.shared_stylesheet`), where it cascades as
it would inside (:func:`cut`).

The table of contents is typeset last, with the page numbers known from the
chunks: ``target-counter(attr(href), page, style)`` in the stylesheet becomes
``counter(warraq-toc, style)`` and each link sets that counter to its
target's page, so the theme's (or a project's) contents styling is kept.

Fonts: WeasyPrint subsets each chunk's faces keeping the original glyph ids,
so after assembly every face's subsets are replaced by one subset of the
original file holding the union of the glyphs (:func:`merge_fonts`, HarfBuzz
with WeasyPrint's own settings; cached by glyph set): one embedded program a
face, as in a one-pass build, instead of one a chunk (the 40-page test book:
964 KB with a copy a chunk, 323 KB merged, 290 KB in one pass).

What differs from a one-pass build, by design: every chapter starts on a new
page (at most one partly empty page more per chapter). PDF/A, PDF/UA, PDF/X,
bleed and crop marks, and facing pages are not chunked (the build says so in
one line; facing pages are typeset in parts by :mod:`warraq.render.facing`,
which joins them with :func:`assemble`). Links from one chapter to an anchor
in another are dropped by WeasyPrint (the anchor is not in the chunk); the
contents' links work.
"""

from __future__ import annotations

import copy
import hashlib
import io
import itertools
import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warraq.config import length_mm
from warraq.errors import WarraqError
from warraq.render.job import EditionJob
from warraq.util.files import write_bytes_atomic, write_text_atomic

CACHE_DIR = ".warraq-chunks"
"""Folder (beside the outputs) of the typeset chunks, one subfolder per output."""

MAX_ROUNDS = 6
"""Rounds of typesetting before giving up on page numbers that keep moving."""

_CHARS_PER_PAGE = 2050
"""Characters of text a page, for a first guess at unmeasured chunks (the benchmark's book)."""
_ENTRIES_PER_PAGE = 9.0
"""Contents entries a page, for a first guess at the front matter's length: the theme's
contents (one bilingual row an entry, wrapped) after the title page and imprint."""

_TARGET_COUNTER = re.compile(
    r"target-counter\(\s*attr\(\s*href\s*\)\s*,\s*page\s*(,\s*[A-Za-z-]+\s*)?\)"
)

Report = Callable[[str], None]


def guess_front_pages(entries: int) -> int:
    """The front matter's pages guessed from its contents' ``entries``."""
    return 2 + math.ceil(entries / _ENTRIES_PER_PAGE)


@dataclass(frozen=True, slots=True)
class Task:
    """One chunk document to typeset: the HTML, where it resolves, and the added CSS."""

    html: str
    base: Path
    templates: Path
    variant: str | None
    name: str
    css: str
    images: tuple[Path, ...] = ()  # the figures the HTML may load
    stylesheet: str = ""  # the book's stylesheet when taken out of the HTML (see cut)


Typeset = Callable[[Sequence[Task]], list[tuple[bytes, float]]]
"""``typeset(tasks) -> [(pdf, seconds)]``: typeset every task (in processes or not), in order."""


def typeset_task(task: Task) -> tuple[bytes, float]:
    """Typeset one chunk (in a worker process): its PDF bytes and the seconds it took."""
    from warraq.render.pdf.renderer import typeset

    started = time.perf_counter()
    data = typeset(
        task.html,
        task.base,
        task.templates,
        task.variant,
        task.name,
        (task.css,),
        task.images,
        stylesheet=task.stylesheet,
    )
    return data, time.perf_counter() - started


def typeset_here(tasks: Sequence[Task]) -> list[tuple[bytes, float]]:
    """Typeset ``tasks`` one after the other in this process."""
    return [typeset_task(task) for task in tasks]


def one_pass_reason(job: EditionJob) -> str | None:
    """Why ``job`` must be typeset in one pass (a short phrase), or ``None``."""
    if job.pdf_variant is not None:
        return f"{job.pdf_variant} is validated on a whole-book file"
    if job.edition.crop_marks or length_mm(job.edition.bleed) > 0:
        return "bleed and crop marks are finished on a whole-book file"
    if job.edition.layout == "facing-pages":
        return "facing pages are paired across the whole book"
    if job.edition.arabic_justification == "kashida":
        return "kashida justification lays the whole book out again"
    return None


# Cutting the HTML ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chunk:
    """One chapter of the text (or the text's beginning), ready to place on a page."""

    label: str
    content: Any  # the lxml elements for the split container
    first_id: str | None


@dataclass(slots=True)
class Book:
    """The edition's HTML cut up: the parts every chunk shares, the front matter, the chunks."""

    root: Any
    front: list[Any]
    path: list[Any]  # main down to the element whose children are the sections
    prelude: list[Any]
    chunks: list[Chunk]
    stylesheet: str = ""  # the head's stylesheet, when cut took it out of the documents

    def _shell(self) -> tuple[Any, Any]:
        from lxml import etree

        html = etree.Element(self.root.tag, dict(self.root.attrib))
        head = self.root.find("head")
        if head is not None:
            html.append(copy.deepcopy(head))
        body = etree.SubElement(html, "body", dict(self.root.find("body").attrib))
        return html, body

    def _chain(self, kids: Sequence[Any], first: bool, last: bool) -> list[Any]:
        """Copies of the path below ``main`` around ``kids``, as children for ``main``."""
        from lxml import etree

        nodes = list(kids)
        for depth in range(len(self.path) - 1, 0, -1):
            element = self.path[depth]
            parent = self.path[depth - 1]
            clone = etree.Element(element.tag, dict(element.attrib))
            clone.text = element.text
            clone.extend(nodes)
            holder = etree.Element(parent.tag, dict(parent.attrib))
            holder.text = parent.text
            seen = False
            for child in parent:
                if child is element:
                    seen = True
                    clone.tail = child.tail
                    holder.append(clone)
                elif _structural(child) or (last if seen else first):
                    holder.append(copy.deepcopy(child))
            nodes = list(holder)
        return nodes

    def body_html(self, index: int, lead: int) -> str:
        """Chunk ``index`` as a document with ``lead`` throw-away pages before it."""
        from lxml import etree

        html, body = self._shell()
        main = self.path[0]
        clone = etree.SubElement(body, main.tag, dict(main.attrib))
        clone.text = main.text
        for _ in range(lead - 1):
            etree.SubElement(clone, "div", {"style": "break-after: page; height: 1pt"})
        if lead:
            hidden = etree.SubElement(
                clone, "div", {"style": "break-after: page; visibility: hidden"}
            )
            prelude = [copy.deepcopy(element) for element in self.prelude]
            for element in prelude:
                for node in element.iter():
                    for attribute in ("id", "data-bookmark"):
                        node.attrib.pop(attribute, None)
            hidden.extend(self._chain(prelude, first=False, last=False))
        chunk = self.chunks[index]
        content = [copy.deepcopy(element) for element in chunk.content]
        clone.extend(self._chain(content, first=index == 0, last=index == len(self.chunks) - 1))
        return _serialise(html)

    def front_html(self, pages: dict[str, int]) -> str:
        """The front matter as a document, its contents showing ``pages`` (by link target)."""
        from lxml import etree

        html, body = self._shell()
        for element in self.front:
            body.append(copy.deepcopy(element))
        targets: dict[str, None] = {}
        for link in body.iter("a"):
            href = link.get("href", "")
            if href.startswith("#") and len(href) > 1:
                target = href[1:]
                targets[target] = None
                style = link.get("style", "")
                number = pages.get(target, 0)
                link.set("style", f"{style}; counter-reset: warraq-toc {number}".lstrip("; "))
        # Stand-ins for the link targets, so that WeasyPrint keeps the links (the
        # assembled book's destinations replace them).
        anchors = etree.SubElement(body, "div", {"style": "height: 0; overflow: hidden"})
        for target in targets:
            etree.SubElement(anchors, "span", {"id": target})
        for style in html.iter("style"):
            style.text = contents_counters(style.text or "")
        return _serialise(html)

    def front_stylesheet(self) -> str:
        """:attr:`stylesheet` for the front matter (see :meth:`front_html`)."""
        return contents_counters(self.stylesheet)


def contents_counters(stylesheet: str) -> str:
    """``stylesheet`` with the contents' page references turned into counters the
    front matter's links set (:meth:`Book.front_html`)."""
    return _TARGET_COUNTER.sub(
        lambda match: f"counter(warraq-toc{match.group(1) or ''})", stylesheet
    )


def _structural(element: Any) -> bool:
    """Table parts every piece of a split table needs (column widths, header)."""
    return isinstance(element.tag, str) and element.tag in ("colgroup", "col", "thead")


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def _serialise(html: Any) -> str:
    from lxml import etree

    text: str = etree.tostring(html, encoding="unicode", method="html")
    return "<!DOCTYPE html>\n" + text


def cut(html: str, *, apart: bool = False) -> Book | None:
    """The edition's HTML cut at its top-level headings; ``None`` if it has no ``<main>``.

    With ``apart``, the head's stylesheet is taken out of the documents into
    :attr:`Book.stylesheet`, for a worker to parse once for all its chunks
    (:func:`~warraq.render.pdf.renderer.shared_stylesheet`), when that cascades
    as it would inside: it is the document's only stylesheet and no ``style``
    attribute is ``!important``.
    """
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    body = root.find("body")
    mains = root.findall(".//main")
    if body is None or len(mains) != 1 or mains[0].getparent() is not body:
        return None
    stylesheet = _take_stylesheet(root) if apart else ""
    main = mains[0]
    front = [element for element in body if element is not main]
    headings = [
        element
        for element in main.iter()
        if isinstance(element.tag, str)
        and {"heading", "level-1"} <= _classes(element)
        and "quote" not in _classes(element)
    ]
    parents = {id(heading.getparent()) for heading in headings}
    if not headings or len(parents) != 1:
        return Book(root, front, [main], [], [Chunk("", list(main), None)], stylesheet)
    container = headings[0].getparent()
    path = [container]
    while path[0] is not main:
        path.insert(0, path[0].getparent())
    children = list(container)
    starts = [children.index(heading) for heading in headings]
    prelude = children[: starts[0]]
    bounds = [0, *starts[1:], len(children)]
    chunks = [
        Chunk(
            label=_label(headings[number]),
            content=children[start:end],
            first_id=headings[number].get("id"),
        )
        for number, (start, end) in enumerate(itertools.pairwise(bounds))
    ]
    return Book(root, front, path, prelude, chunks, stylesheet)


def _take_stylesheet(root: Any) -> str:
    """The text of ``root``'s one ``<style>``, removed from it; "" (and ``root`` left
    alone) unless it is the only stylesheet and no style attribute is important."""
    styles = list(root.iter("style"))
    links = [link for link in root.iter("link") if "stylesheet" in (link.get("rel") or "")]
    important = any("!important" in (e.get("style") or "") for e in root.iter())
    if len(styles) != 1 or links or important or styles[0].getparent().tag != "head":
        return ""
    style = styles[0]
    text = style.text or ""
    style.getparent().remove(style)
    return text


def _label(heading: Any) -> str:
    text = " ".join("".join(heading.itertext()).split())
    return text if len(text) <= 60 else text[:59] + "…"


# Typeset chunks, cached -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Piece:
    """A typeset chunk as the cache keeps it."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]  # id -> page index within the chunk's PDF


def _digest(*parts: str) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode()
        hasher.update(f"{len(data)}\0".encode())
        hasher.update(data)
    return hasher.hexdigest()


def _measure(pdf: bytes) -> tuple[int, dict[str, int]]:
    """Pages of a chunk PDF and the page index of each named destination."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        index: dict[Any, int] = {page.objgen: number for number, page in enumerate(document.pages)}
        anchors: dict[str, int] = {}
        names = document.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, destination in pikepdf.NameTree(names.Dests).items():
                target = destination[0] if isinstance(destination, pikepdf.Array) else None
                if target is not None and target.objgen in index:
                    anchors[str(name)] = index[target.objgen]
        return len(document.pages), anchors


class Cache:
    """Typeset chunks of one output, by digest, and the page counts of chunk contents."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        try:
            counts = json.loads((folder / "counts.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            counts = {}
        self.counts: dict[str, int] = counts if isinstance(counts, dict) else {}

    def get(self, digest: str) -> Piece | None:
        try:
            pdf = (self.folder / f"{digest}.pdf").read_bytes()
            meta = json.loads((self.folder / f"{digest}.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        self.used.add(digest)
        return Piece(pdf, int(meta["pages"]), dict(meta["anchors"]))

    def put(self, digest: str, pdf: bytes) -> Piece:
        pages, anchors = _measure(pdf)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(self.folder / f"{digest}.pdf", pdf)
        meta = {"pages": pages, "anchors": anchors}
        write_text_atomic(self.folder / f"{digest}.json", json.dumps(meta, sort_keys=True))
        self.used.add(digest)
        return Piece(pdf, pages, anchors)

    def font(self, path: Path, glyphs: frozenset[int]) -> bytes:
        """The subset of ``path`` with ``glyphs`` (ids kept), made once and kept."""
        digest = _digest(str(path), ",".join(map(str, sorted(glyphs))))
        self.used.add(digest)
        cached = self.folder / f"{digest}.font"
        try:
            return cached.read_bytes()
        except FileNotFoundError:
            data = subset_glyphs(path, glyphs)
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(cached, data)
            return data

    def save(self) -> None:
        """Record the page counts and drop the chunks this build did not use."""
        if not self.folder.is_dir():
            return
        write_text_atomic(self.folder / "counts.json", json.dumps(self.counts, sort_keys=True))
        for path in self.folder.iterdir():
            stale = path.suffix in (".pdf", ".json", ".font") and path.stem not in self.used
            if stale and path.name != "counts.json":
                path.unlink()


# The whole edition ------------------------------------------------------------------------


def render_chunked(
    job: EditionJob,
    salt: str,
    typeset_all: Typeset = typeset_here,
    parallel: bool = False,
    report: Report = lambda _: None,
) -> bytes:
    """Typeset ``job`` chunk by chunk (reusing cached chunks) and assemble the book.

    ``salt`` digests what the chunks' HTML does not show (warraq's code, the
    fonts); ``typeset_all`` typesets a batch of chunks; with ``parallel``, each
    round hands it every chunk to typeset at once, otherwise one at a time in
    book order (so that first pages are known, not guessed).
    """
    from warraq.render.pdf.renderer import render_html

    html, base = render_html(job)
    book = cut(html, apart=True)
    if book is None:
        from warraq.render.pdf.renderer import typeset

        report(f"{job.output.name}: no <main> in the HTML; typeset in one pass")
        templates = job.project.path(job.project.templates_dir).resolve()
        return typeset(
            html, base, templates, job.pdf_variant, job.output.name, images=_images(job), job=job
        )
    templates = job.project.path(job.project.templates_dir).resolve()
    cache = Cache(job.output.parent / CACHE_DIR / job.output.name)
    salt = _digest(salt, job.pdf_variant or "", str(base), book.stylesheet)
    contents = [_digest(salt, book.body_html(i, 0)) for i in range(len(book.chunks))]
    front_key = "front:" + _digest(salt, book.front_html({}))
    measured = {
        i: cache.counts[key]
        for i, key in enumerate(contents)
        if isinstance(cache.counts.get(key), int)
    }
    sizes = [sum(len("".join(e.itertext())) for e in chunk.content) for chunk in book.chunks]
    front_pages: int | None = cache.counts.get(front_key)
    entries = {a.get("href") for element in book.front for a in element.iter("a")}
    front_guess = guess_front_pages(len(entries))
    if front_pages is None and parallel:
        # Cold, in parallel: the chapters start after the front matter's guessed
        # length, and the front matter is typeset once, last, with its contents'
        # page numbers known (typesetting it first to count its pages as well
        # cost the 300-page book 4.4 s of its 30-page contents). A wrong guess
        # costs a second round of the chapters, as a wrong chapter guess does.
        front_pages = front_guess
    done: dict[int, tuple[int, Piece]] = {}  # chunk -> (first page typeset at, result)
    front: tuple[dict[str, int], Piece] | None = None
    total = len(book.chunks)
    seconds: list[float] = []

    def task(index: int, first: int) -> tuple[str, Task]:
        lead = 0 if index == 0 else (1 if first % 2 == 0 else 2)
        source = book.body_html(index, lead)
        css = f"@page :first {{ counter-reset: page {first - lead} }}"
        return _digest(salt, source, css), Task(
            source,
            base,
            templates,
            job.pdf_variant,
            job.output.name,
            css,
            _images(job),
            book.stylesheet,
        )

    for _ in range(MAX_ROUNDS + 2 * total):
        guess = front_pages if front_pages is not None else front_guess
        first = guess + 1 + guess % 2  # the text starts on a recto
        starts: list[int] = []
        exact = front_pages is not None
        exacts: list[bool] = []
        for index in range(total):
            starts.append(first)
            exacts.append(exact)
            if index in measured:
                first += measured[index]
            else:
                first += max(1, round(sizes[index] / _CHARS_PER_PAGE))
                exact = False
        pages = _page_numbers(done, starts)
        body: list[tuple[int, str, Task]] = []
        for index in range(total):
            if index in done and done[index][0] == starts[index]:
                continue
            digest, chunk_task = task(index, starts[index])
            cached = cache.get(digest)
            if cached is not None:
                done[index] = (starts[index], cached)
                measured[index] = cached.pages - _lead(index, starts[index])
                continue
            body.append((index, digest, chunk_task))
        pages = _page_numbers(done, starts)
        front_wanted: list[tuple[int, str, Task]] = []
        if front is None or front[0] != pages:
            front_source = book.front_html(pages)
            front_digest = _digest(salt, front_source)
            cached = cache.get(front_digest)
            if cached is not None and not body:
                front = (pages, cached)
                front_pages = cached.pages
            else:
                task_ = _front_task(front_source, base, templates, job, book)
                front_wanted = [(-1, front_digest, task_)]
        if front_pages is None:  # one at a time, cold: the front matter first, to count it
            wanted = front_wanted
        elif body:
            # One at a time (not parallel), in book order: the first chapter whose
            # first page is exact, so that no chapter is typeset on a guess.
            wanted = body if parallel else ([w for w in body if exacts[w[0]]] or body)[:1]
        elif front_wanted:
            wanted = front_wanted
        else:
            assert front is not None
            if front[1].pages == front_pages:
                break
            front_pages = front[1].pages
            continue
        for index, _, _ in wanted:
            if index >= 0:
                label = book.chunks[index].label
                report(
                    f"{job.output.name}: typesetting chapter {index + 1}/{total}"
                    + (f" ({label})" if label else "")
                    + f" from page {starts[index]}"
                )
        results = typeset_all([w[2] for w in wanted])
        seconds.extend(took for _, took in results)
        for (index, digest, _task), (pdf, _took) in zip(wanted, results, strict=True):
            result = cache.put(digest, pdf)
            if index == -1:
                front = (pages, result)
                front_pages = result.pages
                cache.counts[front_key] = result.pages
            else:
                done[index] = (starts[index], result)
                measured[index] = result.pages - _lead(index, starts[index])
                cache.counts[contents[index]] = measured[index]
    else:
        raise RuntimeError(f"{job.output.name}: page numbers did not settle")
    assert front is not None
    pieces = [(done[i][1].pdf, _lead(i, done[i][0])) for i in range(total)]
    data = assemble(front[1].pdf, pieces, cache.font)
    cache.counts = {key: cache.counts[key] for key in [*contents, front_key] if key in cache.counts}
    cache.save()
    if seconds:
        report(
            f"{job.output.name}: {len(seconds)} chunks typeset (the book has {total + 1}), "
            f"{sum(seconds):.2f} s in all, the longest {max(seconds):.2f} s"
        )
    else:
        report(f"{job.output.name}: all {total + 1} chunks reused")
    return data


def _lead(index: int, first: int) -> int:
    return 0 if index == 0 else (1 if first % 2 == 0 else 2)


def _front_task(source: str, base: Path, templates: Path, job: EditionJob, book: Book) -> Task:
    return Task(
        source,
        base,
        templates,
        job.pdf_variant,
        job.output.name,
        "",
        _images(job),
        book.front_stylesheet(),
    )


def _images(job: EditionJob) -> tuple[Path, ...]:
    """The figures of ``job``'s document, which its chunks may load."""
    from warraq.document.structure import figure_path

    return tuple(figure_path(job.project, job.document_config, f) for f in job.document.figures())


def _page_numbers(done: dict[int, tuple[int, Piece]], starts: list[int]) -> dict[str, int]:
    """The page number of every anchor of the chunks typeset at their present first page."""
    pages: dict[str, int] = {}
    for index, (first, result) in sorted(done.items()):
        if first != starts[index]:
            continue
        lead = _lead(index, first)
        for name, page in result.anchors.items():
            pages[name] = first + page - lead
    return pages


# Assembly -----------------------------------------------------------------------------------


def assemble(
    front: bytes,
    chunks: Sequence[tuple[bytes, int]],
    subset: Callable[[Path, frozenset[int]], bytes] | None = None,
    *,
    recto: bool = True,
) -> bytes:
    """One PDF: the front matter, a blank page if the text would start on the wrong
    side (it starts on a recto, or with ``recto`` false on a verso), the chunks.

    ``chunks`` are (PDF, lead pages to drop). Bookmarks and named destinations
    are rebuilt for the whole book; a bookmark on a chunk's lead pages (a
    heading the chunk continues) is dropped and the bookmarks under it go on
    under the book's last bookmark of its level. The front matter's metadata
    and catalog are kept. With ``subset(font file, glyph ids) -> font bytes``,
    each face's subsets (one a chunk) are replaced by one subset holding every
    glyph the book uses.
    """
    import pikepdf

    out = pikepdf.open(io.BytesIO(front))
    outline: list[Any] = []
    _graft(outline, _outline(out, out, 0, 0))
    destinations: dict[str, tuple[int, list[Any]]] = _destinations(out, 0, 0)
    sources = []
    if len(out.pages) % 2 == (1 if recto else 0):
        page = out.pages[-1]
        width, height = (float(value) for value in page.obj.MediaBox[2:])
        blank = out.add_blank_page(page_size=(width, height))
        for box in ("/TrimBox", "/BleedBox", "/ArtBox", "/CropBox"):
            if box in page.obj:
                blank.obj[box] = copy.copy(page.obj[box])
    for pdf, lead in chunks:
        source = pikepdf.open(io.BytesIO(pdf))
        sources.append(source)
        offset = len(out.pages)
        out.pages.extend(source.pages[lead:])
        _graft(outline, _outline(source, out, offset, lead))
        destinations.update(_destinations(source, offset, lead))
    with out.open_outline() as tree:
        tree.root.clear()
        tree.root.extend(outline)
    if subset is not None:
        merge_fonts(out, subset)
    if "/Names" in out.Root:
        del out.Root["/Names"]
    if destinations:
        names = pikepdf.NameTree.new(out)
        for name in sorted(destinations, key=lambda n: n.encode("utf-16-be")):
            number, rest = destinations[name]
            names[name] = pikepdf.Array([out.pages[number].obj, *rest])
        out.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    out.close()
    for source in sources:
        source.close()
    return buffer.getvalue()


@dataclass(slots=True)
class _Continued:
    """A bookmark on a lead page: what is under it continues under the book's last one."""

    children: list[Any]


def _outline(source: Any, out: Any, offset: int, lead: int) -> list[Any]:
    """``source``'s bookmarks as items of ``out``, pages shifted; those on lead pages
    become :class:`_Continued` (holding what is under them), for :func:`_graft`."""
    import pikepdf

    index = {page.objgen: number for number, page in enumerate(source.pages)}

    def convert(item: Any) -> Any | None:
        destination = item.destination
        if not isinstance(destination, pikepdf.Array) or destination[0].objgen not in index:
            return None
        number = index[destination[0].objgen]
        children = [c for c in (convert(child) for child in item.children) if c is not None]
        if number < lead:
            return _Continued(children) if children else None
        target = pikepdf.Array([out.pages[offset + number - lead].obj, *list(destination)[1:]])
        new = pikepdf.OutlineItem(str(item.title), destination=target)
        new.is_closed = item.is_closed
        new.children.extend(children)
        return new

    with source.open_outline() as tree:
        items = [convert(item) for item in tree.root]
    return [item for item in items if item is not None]


def _graft(tree: list[Any], items: list[Any]) -> None:
    """Add ``items`` to the bookmark list ``tree``; a continued bookmark's children go
    under ``tree``'s last item (or into ``tree`` itself when it is empty)."""
    for item in items:
        if isinstance(item, _Continued):
            _graft(tree[-1].children if tree else tree, item.children)
        else:
            tree.append(item)


def _destinations(source: Any, offset: int, lead: int) -> dict[str, tuple[int, list[Any]]]:
    """``source``'s named destinations: name -> (page in the book, the rest of the array)."""
    import pikepdf

    index = {page.objgen: number for number, page in enumerate(source.pages)}
    names = source.Root.get("/Names")
    found: dict[str, tuple[int, list[Any]]] = {}
    if names is None or "/Dests" not in names:
        return found
    for name, destination in pikepdf.NameTree(names.Dests).items():
        if not isinstance(destination, pikepdf.Array) or destination[0].objgen not in index:
            continue
        number = index[destination[0].objgen]
        if number >= lead:
            found[str(name)] = (offset + number - lead, list(destination)[1:])
    return found


# Fonts ----------------------------------------------------------------------------------------


def merge_fonts(out: Any, subset: Callable[[Path, frozenset[int]], bytes]) -> None:
    """One embedded program a face: every chunk's subset replaced by the union of them.

    WeasyPrint subsets keeping glyph ids (HarfBuzz's ``RETAIN_GIDS``), so the
    chunks' fonts share the original's glyph ids and one subset of the original
    file with every glyph any chunk uses (read from each font's ``/W`` widths)
    can stand for all of them. A font warraq did not locate is left as it is.
    """
    import pikepdf

    from warraq.render.fonts import find_faces
    from warraq.render.pdf.faces import FAMILY_ALIASES

    families = {alias: family for family, alias in FAMILY_ALIASES.items()}
    files = {(face.family, face.weight, face.style): face.path for face in find_faces()}
    groups: dict[Path, list[Any]] = {}
    for obj in out.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Subtype") != "/Type0":
            continue
        descendant = obj.DescendantFonts[0]
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is None or not any(key in descriptor for key in _FONT_FILES):
            continue
        family = families.get(str(descriptor.get("/FontFamily", "")))
        name = str(obj.BaseFont).split("+", 1)[-1]
        bold = name.endswith(("-Bold", "-BoldItalic", "-BoldSlanted"))
        italic = bool(int(descriptor.get("/Flags", 0)) & 64) or "Italic" in name
        path = files.get((family or "", 700 if bold else 400, "italic" if italic else "normal"))
        if path is not None:
            groups.setdefault(path, []).append(descendant)
    for path, fonts in groups.items():
        glyphs = {0}
        boxes = []
        for font in fonts:
            glyphs.update(_glyph_ids(font.get("/W", pikepdf.Array())))
            boxes.append([float(v) for v in font.FontDescriptor.FontBBox])
        data = subset(path, frozenset(glyphs))
        key = next(k for k in _FONT_FILES if k in fonts[0].FontDescriptor)
        stream = out.make_stream(data)
        if key == "/FontFile3":
            stream.Subtype = fonts[0].FontDescriptor[key].get("/Subtype", pikepdf.Name.OpenType)
        elif key == "/FontFile2":
            stream.Length1 = len(data)
        box = pikepdf.Array(
            [
                int(min(b[0] for b in boxes)),
                int(min(b[1] for b in boxes)),
                int(max(b[2] for b in boxes)),
                int(max(b[3] for b in boxes)),
            ]
        )
        for font in fonts:
            font.FontDescriptor[key] = stream
            font.FontDescriptor.FontBBox = box


_FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")


def _glyph_ids(widths: Any) -> set[int]:
    """The glyph ids a CID font's ``/W`` array gives widths for."""
    import pikepdf

    found: set[int] = set()
    items = list(widths)
    position = 0
    while position < len(items):
        first = int(items[position])
        following = items[position + 1]
        if isinstance(following, pikepdf.Array):
            found.update(range(first, first + len(following)))
            position += 2
        else:
            found.update(range(first, int(following) + 1))
            position += 3
    return found


def subset_glyphs(path: Path, glyphs: frozenset[int]) -> bytes:
    """The font at ``path`` cut down to ``glyphs``, keeping glyph ids, as WeasyPrint cuts it.

    With HarfBuzz's subsetter (uharfbuzz), the one WeasyPrint subsets with: a
    few milliseconds a face, where fontTools' took about half a second.
    """
    import uharfbuzz

    flags = uharfbuzz.SubsetFlags
    wanted = uharfbuzz.SubsetInput()
    for glyph in sorted(glyphs):
        wanted.glyph_set.add(glyph)
    wanted.flags = (
        flags.RETAIN_GIDS
        | flags.PASSTHROUGH_UNRECOGNIZED
        | flags.DESUBROUTINIZE
        | flags.NOTDEF_OUTLINE
        | flags.NO_HINTING
    )
    for tag in _DROPPED_TABLES:
        wanted.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    face = uharfbuzz.Face(uharfbuzz.Blob(path.read_bytes()))
    subset = uharfbuzz.subset(face, wanted)
    if subset is None:
        raise WarraqError(f"{path}: HarfBuzz could not subset this font; reinstall it")
    return bytes(subset.blob.data)


# What the layout already used and a PDF viewer does not need (WeasyPrint drops the same).
_DROPPED_TABLES = ("BASE", "DSIG", "FFTM", "GPOS", "GSUB", "JSTF", "SVG ")
