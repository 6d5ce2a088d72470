"""Chunked PDF editions: cut at chapters, typeset apart, assembled into the same book."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmarks.book import generate_book
from warraq.build.pipeline import BuildOptions, build, chunkable, plan_jobs
from warraq.checks.outputs import verify_outputs
from warraq.config import length_mm, load_project
from warraq.document.structure import load_document
from warraq.render.pdf.chunks import CACHE_DIR, cut

HTML = """<!DOCTYPE html>
<html lang="en"><head><style>
a::after { content: leader(". ") target-counter(attr(href), page, arabic-indic); }
</style></head><body>
<nav class="contents"><a href="#h1">One</a><a href="#h2">Two</a></nav>
<main class="text"><table class="parallel"><colgroup><col></colgroup><tbody>
<tr class="opening"><td>Title</td></tr>
<tr id="h1" class="heading level-1"><td>One</td></tr>
<tr id="p1" class="paragraph"><td>a</td></tr>
<tr id="q1" class="heading level-1 quote"><td>quoted</td></tr>
<tr id="h2" class="heading level-1"><td>Two</td></tr>
<tr id="p2" class="paragraph"><td>b</td></tr>
</tbody></table></main></body></html>"""


def test_cut_splits_at_top_level_headings_and_keeps_the_table_structure() -> None:
    book = cut(HTML)
    assert book is not None
    assert [chunk.first_id for chunk in book.chunks] == ["h1", "h2"]
    first, second = book.body_html(0, 0), book.body_html(1, 1)
    assert "Title" in first and 'id="p1"' in first and 'id="q1"' in first
    assert 'id="p2"' not in first and "nav" not in first
    assert 'id="p2"' in second and 'id="p1"' not in second
    assert "<colgroup>" in second  # column widths in every piece of the table
    # The lead page carries the opening, invisibly and without ids.
    assert "visibility: hidden" in second and second.count("Title") == 1
    assert 'id="h1"' not in second


def test_front_matter_prints_the_page_numbers_it_is_given() -> None:
    book = cut(HTML)
    assert book is not None
    front = book.front_html({"h1": 7, "h2": 12})
    assert "target-counter" not in front
    assert "counter(warraq-toc, arabic-indic)" in front
    assert "counter-reset: warraq-toc 7" in front and "counter-reset: warraq-toc 12" in front
    assert '<span id="h1"></span>' in front  # WeasyPrint keeps links with a target
    assert "<main" not in front


@pytest.mark.parametrize(
    ("change", "apart"),
    [
        ("", True),
        # Another stylesheet, or an important style attribute, would cascade
        # differently beside a stylesheet of WeasyPrint's user origin.
        ('</style><link rel="stylesheet" href="more.css">', False),
        ("</style><style>p { color: red }</style>", False),
        ('<tr id="p2" style="color: red !important"', False),
    ],
)
def test_the_stylesheet_is_taken_apart_only_where_it_cascades_the_same(
    change: str, apart: bool
) -> None:
    source = HTML
    if change.startswith("</style>"):
        source = HTML.replace("</style>", change, 1)
    elif change:
        source = HTML.replace('<tr id="p2"', change, 1)
    book = cut(source, apart=True)
    assert book is not None
    assert bool(book.stylesheet) is apart
    assert ("target-counter" in book.stylesheet) is apart
    assert ("<style>" in book.body_html(1, 1)) is not apart
    if apart:
        assert "counter(warraq-toc, arabic-indic)" in book.front_stylesheet()
        assert "<style>" not in book.front_html({"h1": 3})
    inline = cut(source)
    assert inline is not None and "<style>" in inline.body_html(0, 0)


def test_a_chunk_typeset_with_its_stylesheet_apart_is_the_same_pages(tmp_path: Path) -> None:
    """The stylesheet parsed once a process (user origin) draws what it draws inline."""
    import subprocess

    from warraq.render.pdf.chunks import Task, typeset_task
    from warraq.render.pdf.renderer import render_html

    book = generate_book(tmp_path / "book", pages=12)
    project = load_project(book.root)
    documents = {c.name: load_document(project, c) for c in project.documents}
    options = BuildOptions(formats=("pdf",), languages=("en",), chunks=True)
    (job,) = plan_jobs(project, documents, {}, options)
    html, base = render_html(job)
    templates = project.path(project.templates_dir).resolve()
    pages = []
    for apart in (False, True):
        cut_book = cut(html, apart=apart)
        assert cut_book is not None and len(cut_book.chunks) >= 2
        assert bool(cut_book.stylesheet) is apart
        css = "@page :first { counter-reset: page 9 }"
        task = Task(
            cut_book.body_html(1, 2), base, templates, None, "x", css, (), cut_book.stylesheet
        )
        pdf = tmp_path / f"apart-{apart}.pdf"
        pdf.write_bytes(typeset_task(task)[0])
        folder = tmp_path / f"pages-{apart}"
        folder.mkdir()
        subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(folder / "p")], check=True)
        pages.append([path.read_bytes() for path in sorted(folder.glob("p-*.pgm"))])
    assert len(pages[0]) >= 3 and pages[0] == pages[1]


def test_a_book_without_chapters_is_one_chunk() -> None:
    book = cut(HTML.replace("level-1", "level-2"))
    assert book is not None and len(book.chunks) == 1
    assert 'id="p2"' in book.body_html(0, 0)


def test_variants_and_print_finishing_fall_back_to_one_pass(tmp_path: Path) -> None:
    book = generate_book(tmp_path / "book", pages=3)
    project = load_project(book.root)
    documents = {c.name: load_document(project, c) for c in project.documents}
    notes: list[str] = []
    for variant, expected in ((None, True), ("pdf/a-3b", False), ("pdf/ua-1", False)):
        options = BuildOptions(
            formats=("pdf",), languages=("en",), pdf_variant=variant, chunks=True
        )
        (job,) = plan_jobs(project, documents, {}, options)
        assert chunkable(job, notes.append) is expected
    assert len(notes) == 2 and all("one pass" in note for note in notes)
    assert "pdf/a-3b" in notes[0]


def _pdf(path: Path) -> Any:
    import pymupdf

    return pymupdf.open(path)


def _body_text(path: Path, top: float, bottom: float) -> tuple[str, str]:
    """Each column's text inside the text block of every page (no heads, folios), bare.

    Bare: without spaces, digits or hyphens, so that other line and page
    breaks (and so other hyphenation) compare equal.
    """
    columns: dict[bool, list[str]] = {True: [], False: []}
    with _pdf(path) as document:
        for page in document:
            middle = page.rect.width / 2
            blocks = sorted(page.get_text("blocks"), key=lambda block: block[1])
            for x0, y0, _x1, y1, text, *_ in blocks:
                if top < (y0 + y1) / 2 < page.rect.height - bottom:
                    columns[x0 >= middle - 5].append(text)
    bare = re.compile(r"[\s0-9٠-٩\-\u2010\u00ad()]")
    # Extractors misorder Arabic lines around page breaks and split its words
    # at other places (see NOTES.md): its letters are compared as a multiset,
    # the translation's text in order.
    arabic = sorted(bare.sub("", "".join(columns[True])))
    return "".join(arabic), bare.sub("", "".join(columns[False]))


def _contents_numbers(path: Path, pages: int) -> tuple[list[int], set[int]]:
    """The page numbers the contents print (after their leaders, Western digits), in order,
    and the pages the contents' links go to; ``pages`` is the front matter's length."""
    printed: list[int] = []
    linked: set[int] = set()
    with _pdf(path) as document:
        for number in range(pages):
            page = document[number]
            words = page.get_text("words")
            for before, word in itertools.pairwise(words):
                if word[4].isascii() and word[4].isdigit() and before[4].strip() == ".":
                    printed.append(int(word[4]))
            linked.update(link["page"] + 1 for link in page.get_links() if "nameddest" in link)
    return printed, linked


def _font_programs(path: Path) -> set[tuple[int, int]]:
    """The embedded font files of a PDF (one a face when subsets are merged)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return {
            obj[key].objgen
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
            for key in ("/FontFile2", "/FontFile3")
            if key in obj
        }


@pytest.mark.slow
def test_chunked_book_is_the_one_pass_book(tmp_path: Path) -> None:
    book = generate_book(tmp_path / "book", pages=30)
    assert book.chapters == 5
    project = load_project(book.root)
    edition = project.editions[0]
    top, bottom = length_mm(edition.margins.top), length_mm(edition.margins.bottom)
    pt = 72 / 25.4

    def made(folder: str, report: Any = print, **settings: Any) -> Path:
        options = BuildOptions(
            formats=("pdf",), languages=("en",), output_dir=tmp_path / folder, **settings
        )
        (path,) = build(project, options, report)
        return path

    one = made("one", jobs=1)
    lines: list[str] = []
    chunked = made("chunked", lines.append, chunks=True, jobs=2)
    assert sum("typesetting chapter" in line for line in lines) >= 5

    with _pdf(one) as a, _pdf(chunked) as b:
        one_pages, chunked_pages = a.page_count, b.page_count
        one_toc, toc = a.get_toc(), b.get_toc()
        fonts = {font[3] for page in b for font in page.get_fonts()}
        one_fonts = {font[3] for page in a for font in page.get_fonts()}
    assert 30 <= one_pages <= 45
    # Each chapter starts on a new page: at most one page more per chapter.
    assert one_pages <= chunked_pages <= one_pages + book.chapters
    # The same bookmarks, in the same order and at the same levels.
    assert [(level, title) for level, title, _ in toc] == [
        (level, title) for level, title, _ in one_toc
    ]
    assert all(page >= 1 for _, _, page in toc)
    assert any(re.search(r"Amiri", font) for font in fonts)
    assert len(_font_programs(chunked)) == len(_font_programs(one)) == len(one_fonts)
    # The same text in the same order (page furniture and numbers aside).
    assert _body_text(chunked, top * pt, bottom * pt) == _body_text(one, top * pt, bottom * pt)
    # The contents print the page each of its links goes to, and that is the bookmark's page.
    sections = [page for _, _, page in toc[2:]]  # after the title page and the contents
    printed, linked = _contents_numbers(chunked, sections[0] - 1)
    assert printed == sections
    assert linked == set(sections)

    # Byte-reproducible: typeset again from nothing, one chunk at a time.
    data = chunked.read_bytes()
    shutil.rmtree(tmp_path / "chunked")
    again = build(
        project,
        BuildOptions(
            formats=("pdf",),
            languages=("en",),
            output_dir=tmp_path / "chunked",
            chunks=True,
            jobs=1,
        ),
    )[0]
    assert again.read_bytes() == data

    # One sentence edited in chapter 3: only chapter 3 is typeset again.
    catalog = book.root / "locales" / "en" / "LC_MESSAGES" / f"{book.document}.po"
    text = catalog.read_text(encoding="utf-8")
    edited = re.sub(r'(msgstr "\(3-5\) [^"]*)\."', r'\1, indeed."', text, count=1)
    assert edited != text
    catalog.write_text(edited, encoding="utf-8")
    lines.clear()
    made("chunked", lines.append, chunks=True, jobs=2)
    typeset = [line for line in lines if "typesetting chapter" in line]
    assert len(typeset) == 1 and "chapter 3/5" in typeset[0], lines
    assert {p.suffix for p in (tmp_path / "chunked" / CACHE_DIR / chunked.name).iterdir()} == {
        ".pdf",
        ".json",
        ".font",
    }
    # warraq check --outputs finds every segment in the assembled PDF.
    shutil.copytree(tmp_path / "chunked", book.root / "build", dirs_exist_ok=True)
    findings = verify_outputs(load_project(book.root), languages=("en",), formats=("pdf",))
    assert [f for f in findings if f.level == "error"] == []


@pytest.mark.slow
def test_watch_typesets_again_only_the_edited_chapter(tmp_path: Path) -> None:
    from warraq.build.watch import watch

    book = generate_book(tmp_path / "book", pages=10)
    assert book.chapters >= 2
    catalog = book.root / "locales" / "en" / "LC_MESSAGES" / f"{book.document}.po"
    lines: list[str] = []
    builds = 0
    edited = False

    def report(line: str) -> None:
        nonlocal builds
        lines.append(line)
        builds += "editions rebuilt" in line

    def should_stop() -> bool:
        nonlocal edited
        if builds == 1 and not edited:  # after the first build: edit a sentence of chapter 2
            text = catalog.read_text(encoding="utf-8")
            changed = re.sub(r'(msgstr "\(2-5\) [^"]*)\."', r'\1, indeed."', text, count=1)
            assert changed != text
            catalog.write_text(changed, encoding="utf-8")
            edited = True
            lines.clear()
        return builds >= 2

    options = BuildOptions(formats=("pdf",), languages=("en",), chunks=True, jobs=2)
    watch(lambda: load_project(book.root), options, report, interval=0.1, should_stop=should_stop)
    typeset = [line for line in lines if "typesetting chapter" in line]
    assert len(typeset) == 1 and f"chapter 2/{book.chapters}" in typeset[0], lines
    assert [line for line in lines if line.startswith("changed: ")] == [
        f"changed: {catalog}; rebuilding"
    ], lines
