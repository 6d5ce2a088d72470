"""Facing-page editions: every spread holds the same segments on its two pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest

from benchmarks.book import generate_book
from tests.conftest import EPOCH, REPO, Runner, copy_sample
from warraq.build.pipeline import BuildOptions, build
from warraq.checks.outputs import verify_outputs
from warraq.config import load_project
from warraq.document.model import Heading
from warraq.document.structure import load_document, structure_source

pytestmark = pytest.mark.slow

EDITION = """
[[editions]]
name = "facing"
layout = "facing-pages"
formats = ["pdf"]
languages = ["fr"]
"""


def page_segments(pdf: Path) -> dict[int, dict[str, set[str]]]:
    """``{page: {language: {segment id}}}`` from the PDF's named destinations."""
    listing = subprocess.run(
        ["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages: dict[int, dict[str, set[str]]] = {}
    for page, language, segment in re.findall(
        r'^\s*(\d+) .*"(ar|fr)-(s-[0-9a-f]+(?:-\d+)?)"', listing, re.M
    ):
        pages.setdefault(int(page), {}).setdefault(language, set()).add(segment)
    return pages


def assert_in_step(pdf: Path, segments: set[str]) -> int:
    """Each page of Arabic faces a page of French with the same segments; each segment once."""
    pages = page_segments(pdf)
    spreads = 0
    seen: dict[str, list[str]] = {"ar": [], "fr": []}
    for page, languages in sorted(pages.items()):
        for language, ids in languages.items():
            seen[language].extend(ids)
        if "ar" in languages:
            assert set(languages) == {"ar"}, f"page {page} mixes languages"
            facing = pages.get(page + 1, {})
            assert facing.get("fr") == languages["ar"], f"spread at page {page} out of step"
            spreads += 1
    for language, ids in seen.items():
        assert sorted(ids) == sorted(set(ids)), f"a {language} segment appears twice"
        assert set(ids) == segments, f"{language}: segments missing or extra"
    return spreads


def destination_pages(pdf: Path) -> dict[str, int]:
    """Each named destination's page (from 1), as ``pdfinfo -dests`` lists them."""
    listing = subprocess.run(
        ["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    found = re.findall(r'^ *(\d+) \[[^\]\n]*\] "([^"\n]+)"$', listing, re.M)
    return {name: int(page) for page, name in found}


_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def contents_numbers(pdf: Path, before: int) -> tuple[list[int], list[int]]:
    """The page numbers printed in the table of contents (pages with links before
    page ``before``), top to bottom: the Arabic-Indic ones, then the Western ones."""
    with pikepdf.open(pdf) as document:
        pages = [
            number
            for number, page in enumerate(document.pages[: before - 1], start=1)
            if any(a.get("/Subtype") == "/Link" for a in page.obj.get("/Annots", []))
        ]
    indic: list[int] = []
    western: list[int] = []
    for number in pages:
        xml = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-bbox", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        words = [
            (float(y), float(x0), float(x1), word)
            for x0, y, x1, word in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]+)</word>', xml
            )
        ]
        # The numbers stand at the outer edge of each column (titles may hold digits too).
        arabic = [w for w in words if re.fullmatch("[٠-٩]+", w[3])]
        latin = [w for w in words if re.fullmatch("[0-9]+", w[3])]
        edge = min((w[1] for w in arabic), default=0.0)
        indic += [int(w[3].translate(_INDIC)) for w in sorted(arabic) if w[1] <= edge + 1]
        edge = max((w[2] for w in latin), default=0.0)
        western += [int(w[3]) for w in sorted(latin) if w[2] >= edge - 1]
    return indic, western


def assert_contents_true(pdf: Path, document_path: Path) -> None:
    """The contents give, in each language, the page where each section starts."""
    document = structure_source(document_path)
    firsts = [
        block.segments[0].id
        for block in document.text_blocks()
        if isinstance(block, Heading) and block.segments
    ]
    pages = destination_pages(pdf)
    start = min(pages[f"ar-{sid}"] for sid in firsts)
    indic, western = contents_numbers(pdf, start)
    assert indic == [pages[f"ar-{sid}"] for sid in firsts]
    assert western == [pages[f"fr-{sid}"] for sid in firsts]


@pytest.fixture(scope="module")
def facing_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with a facing-pages edition in French, its PDF built once."""
    root = copy_sample(tmp_path_factory.mktemp("facing") / "sample", glossary=True)
    (root / "warraq.toml").write_text((root / "warraq.toml").read_text() + EDITION)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        options = BuildOptions(formats=("pdf",), languages=("fr",), jobs=2)
        build(load_project(root), options)
    return root


SAMPLE_PDF = Path("build") / "france-qatar-security.ar-fr.facing.pdf"
SAMPLE_SOURCE = Path("seeds") / "france-qatar-security.ar.txt"


def test_the_sample_as_facing_pages_is_in_step(facing_sample: Path) -> None:
    document = structure_source(facing_sample / SAMPLE_SOURCE)
    segments = {s.id for block in document.text_blocks() for s in block.segments}
    assert assert_in_step(facing_sample / SAMPLE_PDF, segments) >= 3


def test_contents_page_numbers_are_where_sections_start(facing_sample: Path) -> None:
    assert_contents_true(facing_sample / SAMPLE_PDF, facing_sample / SAMPLE_SOURCE)


def _facing_findings(project: Path, check: str | None = None) -> list[str]:
    """What ``warraq check --outputs`` says of the facing-pages PDF (of one ``check``)."""
    findings = verify_outputs(load_project(project), languages=("fr",), formats=("pdf",))
    return [
        f.message
        for f in findings
        if ".facing.pdf" in f.message and (check is None or f.check == check)
    ]


def _swap_pages(pdf: Path, first: int, second: int) -> None:
    """Exchange two pages (from 1) in the page tree, their destinations moving with them."""
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        kids = document.Root.Pages.Kids
        kids[first - 1], kids[second - 1] = kids[second - 1], kids[first - 1]
        document.save(pdf)


def test_check_outputs_reports_a_facing_pdf_out_of_step(
    facing_sample: Path, tmp_path: Path
) -> None:
    assert _facing_findings(facing_sample) == []
    project = tmp_path / "sample"
    shutil.copytree(facing_sample, project)
    pdf = project / SAMPLE_PDF
    first = min(page for name, page in destination_pages(pdf).items() if name.startswith("ar-"))
    _swap_pages(pdf, first, first + 2)  # the Arabic pages of two spreads exchanged
    assert _facing_findings(project) == [
        f"{SAMPLE_PDF.name}: the spread of pages {page}-{page + 1} is out of step: "
        f"{count} segment(s) on one page only ({ids}); rebuild it with warraq build --force"
        for page, count, ids in _out_of_step(pdf, first)
    ]
    _swap_pages(pdf, first, first + 2)
    _swap_pages(pdf, first + 2, first + 3)  # one spread's pages the wrong way round
    assert _facing_findings(project) == [
        f"{SAMPLE_PDF.name}: the spread of pages {first + 2}-{first + 3} is out of step: "
        "its first page should hold ar only and its second fr only; "
        "rebuild it with warraq build --force"
    ]


def _out_of_step(pdf: Path, first: int) -> list[tuple[int, int, str]]:
    """What the check must say of the two spreads from page ``first`` after the swap."""
    pages = destination_pages(pdf)
    held: dict[int, set[str]] = {}
    for name, page in pages.items():
        if name.startswith(("ar-", "fr-")):
            held.setdefault(page, set()).add(name.split("-", 1)[1])
    said = []
    for page in (first, first + 2):
        only = sorted(held[page] ^ held[page + 1])
        ids = ", ".join(only[:3]) + ("…" if len(only) > 3 else "")
        said.append((page, len(only), ids))
    return said


def test_a_passage_longer_than_a_page_continues_in_step(tmp_path: Path, warraq: Runner) -> None:
    project = tmp_path / "long"
    (project / "seeds").mkdir(parents=True)
    sentences = [
        line
        for line in (REPO / "seeds" / "france-qatar-security.ar.txt").read_text().splitlines()
        if len(line) > 200
    ]
    long_paragraph = " ".join(sentences * 2)  # several pages in one paragraph
    lines = ["مقدمة قصيرة.", long_paragraph, *sentences]
    (project / "seeds" / "long.ar.txt").write_text("\n".join(lines) + "\n")
    (project / "warraq.toml").write_text(
        '[project]\ntarget_languages = ["fr"]\n[translate]\nengine = "fake"\n'
        '[[documents]]\nname = "long"\nsource = "seeds/long.ar.txt"\n'
        'title = { ar = "نص طويل", fr = "Un long texte" }\n' + EDITION
    )
    assert warraq("translate", cwd=project).exit_code == 0
    result = warraq("build", "--draft", cwd=project)
    assert result.exit_code == 0, result.stderr
    pdf = project / "build" / "long.ar-fr.facing.pdf"
    document = structure_source(project / "seeds" / "long.ar.txt")
    segments = {s.id for block in document.text_blocks() for s in block.segments}
    assert assert_in_step(pdf, segments) >= 4


def test_a_long_book_is_in_step_on_every_spread(tmp_path: Path) -> None:
    """A generated book of 200+ facing pages, every fourth chapter one long paragraph."""
    book = generate_book(tmp_path / "book", 175, long_every=4)
    config = book.root / "warraq.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("[[editions]]")] + EDITION, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(load_project(book.root), BuildOptions(formats=("pdf",), jobs=1))
    pdf = book.root / "build" / f"{book.document}.ar-fr.facing.pdf"
    with pikepdf.open(pdf) as document:
        assert len(document.pages) >= 200
    project = load_project(book.root)
    document = load_document(project, project.documents[0])
    segments = {s.id for block in document.text_blocks() for s in block.segments}
    assert assert_in_step(pdf, segments) >= 95
    # A chapter set as one paragraph runs over several spreads, in step on each.
    pages = destination_pages(pdf)
    longest = max(
        len({pages[f"ar-{s.id}"] for s in block.segments}) for block in document.text_blocks()
    )
    assert longest >= 3
    assert_contents_true(pdf, book.root / project.documents[0].source)
    # The pairing, and every sentence found in the text (two-digit sentence
    # numbers, "(١٠-٧)", once came out of the extractor with their numbers swapped).
    assert _facing_findings(book.root) == []


def _outline(pdf: Path) -> list[tuple[int, str, int]]:
    """Every bookmark as (depth, title, page index), in order."""
    found: list[tuple[int, str, int]] = []
    with pikepdf.open(pdf) as document:
        index = {page.objgen: number for number, page in enumerate(document.pages)}

        def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
            for item in items:
                found.append((depth, str(item.title), index[item.destination[0].objgen]))
                walk(item.children, depth + 1)

        with document.open_outline() as tree:
            walk(tree.root, 0)
    return found


def _pixels(pdf: Path, folder: Path) -> list[bytes]:
    """Every page drawn in grey at 30 dpi, as the bytes of its PGM image."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(folder / "p")], check=True)
    return [path.read_bytes() for path in sorted(folder.glob("p-*.pgm"))]


@pytest.mark.parametrize(
    ("pages", "settings"),
    [
        (30, ""),
        # Bound on the left (the translation leads), the Arabic on the left page.
        (12, 'primary_language = "translation"\nsource_page = "left"\n'),
    ],
)
def test_a_book_typeset_in_parts_is_the_book_typeset_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: int, settings: str
) -> None:
    """Parts of 10 pages (most of them starting inside a chapter), joined: the same pages,
    pixel for pixel, the same destinations and bookmarks, one font program a face."""
    from warraq.build.pipeline import plan_jobs
    from warraq.render import facing

    book = generate_book(tmp_path / "book", pages, long_every=4)
    config = book.root / "warraq.toml"
    text = config.read_text(encoding="utf-8")
    edition = EDITION + settings
    config.write_text(text[: text.index("[[editions]]")] + edition, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = load_project(book.root)
    documents = {c.name: load_document(project, c) for c in project.documents}
    (job,) = plan_jobs(project, documents, {}, BuildOptions(formats=("pdf",)))
    monkeypatch.setattr(facing, "PART_PAGES", 10)
    parts, whole = tmp_path / "parts.pdf", tmp_path / "whole.pdf"
    parts.write_bytes(facing.FacingTypesetter(job).render())
    whole.write_bytes(facing.FacingTypesetter(job).render(parts=False))
    with pikepdf.open(parts) as a, pikepdf.open(whole) as b:
        # At least two parts after a few pages of front matter.
        assert len(a.pages) == len(b.pages) >= 20
        assert a.Root.PageLayout == b.Root.PageLayout
        assert a.Root.get("/ViewerPreferences") == b.Root.get("/ViewerPreferences")
        fonts = [
            {
                str(o.BaseFont)
                for o in pdf.objects
                if isinstance(o, pikepdf.Dictionary)
                and o.get("/Type") == "/Font"
                and o.get("/Subtype") == "/Type0"
            }
            for pdf in (a, b)
        ]
        programs = {
            o[key].objgen
            for o in a.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
            for key in ("/FontFile2", "/FontFile3")
            if key in o
        }
    assert fonts[0] == fonts[1] and len(programs) == len(fonts[1])
    assert destination_pages(parts) == destination_pages(whole)
    bookmarks = _outline(parts)
    assert bookmarks == _outline(whole)
    assert {depth for depth, _, _ in bookmarks} >= {0, 1}  # sections nested in chapters
    assert _pixels(parts, tmp_path / "a") == _pixels(whole, tmp_path / "b")


def test_a_facing_edition_s_epub_is_the_side_by_side_epub_and_the_build_says_so_once(
    sample_project: Path, warraq: Runner
) -> None:
    config = sample_project / "warraq.toml"
    config.write_text(config.read_text() + EDITION.replace('["pdf"]', '["pdf", "epub"]'))
    result = warraq("build", "--format", "epub", "--to", "fr", cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    said = (result.stdout + result.stderr).count("its EPUB is the side-by-side EPUB")
    assert said == 1
    build_dir = sample_project / "build"
    facing = build_dir / "france-qatar-security.ar-fr.facing.epub"
    side = build_dir / "france-qatar-security.ar-fr.epub"
    with zipfile.ZipFile(facing) as one, zipfile.ZipFile(side) as other:
        names = sorted(n for n in one.namelist() if n.endswith(".xhtml"))
        assert names == sorted(n for n in other.namelist() if n.endswith(".xhtml"))
        assert all(one.read(name) == other.read(name) for name in names)
