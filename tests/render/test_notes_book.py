"""The done-when book of issue #14: notes and images in every edition."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import EPOCH
from tests.render.notes_book import write_notes_book

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
YEAR = re.compile(r"1[78]\d\d")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from warraq.build.pipeline import BuildOptions, build
    from warraq.config import load_project

    root = write_notes_book(tmp_path_factory.mktemp("notes") / "book")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(load_project(root), BuildOptions(jobs=2))
    return root


def _document(root: Path):  # type: ignore[no-untyped-def]
    from warraq.config import load_project
    from warraq.document.structure import load_document

    project = load_project(root)
    return load_document(project, project.document("book"))


def test_the_book_has_what_the_issue_asks(book: Path) -> None:
    document = _document(book)
    assert len(document.notes) >= 30
    assert sum(1 for _ in document.figures()) == 2
    multi = [note for note in document.notes if len(note.blocks) > 1]
    assert len(multi) >= 3


@pytest.mark.slow
def test_check_outputs_finds_every_note_body_and_caption(book: Path) -> None:
    from warraq.checks.outputs import verify_outputs
    from warraq.config import load_project
    from warraq.render.texts import segment_texts

    findings = verify_outputs(load_project(book))
    assert [(f.check, f.message, f.segment_id) for f in findings] == []
    # The printed texts the verification looks for include the notes and captions.
    jobs = _jobs(book)
    wheres = [printed.where for printed in segment_texts(jobs[0])]
    assert sum("footnote" in where for where in wheres) >= 40
    assert sum("caption" in where for where in wheres) == 4  # two captions, two languages
    assert any("translator's note" in where for where in wheres)


def _pages(pdf: Path) -> list[str]:
    count = int(
        re.search(  # type: ignore[union-attr]
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout,
        ).group(1)
    )
    return [
        subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for page in range(1, count + 1)
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["book.ar-fr.pdf", "book.ar-fr.interleaved.pdf", "book.fr.pdf", "book.ar-fr.facing.pdf"]
)
def test_every_note_body_is_on_the_page_of_its_call(book: Path, name: str) -> None:
    """Every sentence has its own year: the call's sentence and the body's first sentence
    are found by their years, page by page, in each language."""
    document = _document(book)
    calls = {}
    for block in document.text_blocks():
        for segment in block.segments:
            for label in re.findall(r"\[\^([^\]]+)\]", segment.text):
                calls[label] = YEAR.findall(segment.text)[-1]
    pages = _pages(book / "build" / name)
    checked = 0
    for note in document.notes:
        body_year = YEAR.findall(next(note.text_blocks()).segments[0].text)[0]
        body_pages = {i for i, text in enumerate(pages) if body_year in text}
        call_pages = {i for i, text in enumerate(pages) if calls[note.label] in text}
        assert body_pages, (note.label, body_year)
        assert body_pages <= call_pages, (note.label, body_pages, call_pages)
        checked += 1
    assert checked == len(document.notes)
    assert "assemblée" in "".join(pages)  # the translator's note, in French


def _epub_documents(path: Path) -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(path) as epub:
        return {
            name: ElementTree.fromstring(epub.read(name))
            for name in epub.namelist()
            if name.startswith("EPUB/text/")
        }


@pytest.mark.parametrize("name", ["book.ar-fr.epub", "book.ar-fr.interleaved.epub", "book.fr.epub"])
def test_epub_noterefs_reach_footnotes_in_the_same_file_and_back(book: Path, name: str) -> None:
    documents = _epub_documents(book / "build" / name)
    refs = 0
    for tree in documents.values():
        ids = {element.get("id"): element for element in tree.iter() if element.get("id")}
        for link in tree.iter(f"{XHTML}a"):
            if link.get(EPUB_TYPE) == "noteref":
                refs += 1
                target = ids[link.get("href", "#")[1:]]
                assert target.tag == f"{XHTML}aside" and target.get(EPUB_TYPE) == "footnote"
                back = target.find(f".//{XHTML}a[@role='doc-backlink']")
                assert back is not None and back.get("href") == f"#{link.get('id')}"
    notes = len(_document(book).notes)
    assert refs == (notes + 1 if name == "book.fr.epub" else 2 * notes + 1)  # bilingual: both sides


def test_epub_marks_arabic_indic_and_per_chapter_numbering(book: Path) -> None:
    bilingual = _epub_documents(book / "build" / "book.ar-fr.epub")
    marks = [
        link.text
        for tree in bilingual.values()
        for link in tree.iter(f"{XHTML}a")
        if link.get(EPUB_TYPE) == "noteref" and link.get("id", "").endswith("-s-call")
    ]
    assert marks[:3] == ["١", "٢", "٣"] and len(set(marks)) == len(marks)  # through the book
    french = _epub_documents(book / "build" / "book.fr.epub")
    firsts = []
    for name in sorted(french):
        links = [a for a in french[name].iter(f"{XHTML}a") if a.get(EPUB_TYPE) == "noteref"]
        if links:
            firsts.append(links[0].text)
    assert firsts == ["1", "1", "1"]  # note_numbering = "chapter"


def test_epub_images_are_in_the_package_with_alt_and_captions(book: Path) -> None:
    path = book / "build" / "book.ar-fr.epub"
    with zipfile.ZipFile(path) as epub:
        names = epub.namelist()
        package = epub.read("EPUB/package.opf").decode()
    assert sum(name.startswith("EPUB/images/") for name in names) == 2
    assert '<meta property="schema:accessMode">visual</meta>' in package
    assert "alternativeText" in package
    images = [
        image for tree in _epub_documents(path).values() for image in tree.iter(f"{XHTML}img")
    ]
    assert [image.get("alt") for image in images] == ["مخطط رقم 1 للمدينة", "مخطط رقم 2 للمدينة"]
    captions = " ".join(
        "".join(caption.itertext())
        for tree in _epub_documents(path).values()
        for caption in tree.iter(f"{XHTML}figcaption")
    )
    assert "Figure 1" in captions and "الشكل 2" in captions


FACING = "book.ar-fr.facing.pdf"


@pytest.mark.slow
def test_facing_pages_with_notes_and_figures_are_in_step(book: Path) -> None:
    from tests.render.test_facing import assert_in_step
    from warraq.checks.outputs import facing_findings

    document = _document(book)
    segments = {s.id for block in document.text_blocks() for s in block.segments}
    figures = {s.id for figure in document.figures() for s in figure.segments}
    assert len(figures) == 4  # alt text and caption of each image, on both pages
    assert assert_in_step(book / "build" / FACING, segments | figures) >= 5
    job = next(job for job in _jobs(book) if job.output.name == FACING)
    assert list(facing_findings(job)) == []


@pytest.mark.slow
def test_facing_pages_set_each_note_on_the_page_of_its_call_in_its_language(book: Path) -> None:
    """The named destinations say where each note body and each segment is: a note's
    Arabic body on the Arabic page of its call, its French body on the French page."""
    from warraq.checks.outputs import named_destinations

    document = _document(book)
    pages = dict(named_destinations(book / "build" / FACING))
    calls = {
        label: segment.id
        for block in document.text_blocks()
        for segment in block.segments
        for label in re.findall(r"\[\^([^\]]+)\]", segment.text)
    }
    checked = 0
    for note in document.notes:
        call = calls[note.label]
        assert pages[f"{note.id}-s"] == pages[f"ar-{call}"], note.label
        assert pages[f"{note.id}-t"] == pages[f"fr-{call}"], note.label
        assert pages[f"ar-{call}"] != pages[f"fr-{call}"]
        checked += 1
    assert checked == len(document.notes) >= 30
    translator = [name for name in pages if name.startswith("tn-")]
    assert len(translator) == 1 and translator[0].endswith("-t")  # French only
    texts = _pages(book / "build" / FACING)
    french_page = pages[translator[0]]
    assert "assemblée" in texts[french_page]
    # Marks as in the other layouts: Arabic-Indic on the Arabic page (page_numbers),
    # a letter for the translator's note.
    first = document.notes[0]
    assert "١." in texts[pages[f"{first.id}-s"]]
    assert re.search(r"^a\.", texts[french_page], re.M)


def _jobs(root: Path):  # type: ignore[no-untyped-def]
    from warraq.build.pipeline import (
        BuildOptions,
        edition_pairs,
        load_documents,
        load_translations,
        plan_jobs,
    )
    from warraq.config import load_project
    from warraq.selection import select

    project = load_project(root)
    selection = select(project, None, None)
    return plan_jobs(
        project,
        load_documents(project, selection),
        load_translations(project, edition_pairs(project, selection)),
        BuildOptions(),
    )


@pytest.mark.slow
def test_a_note_too_long_for_its_page_continues_on_the_next(book: Path) -> None:
    from tests.render.notes_book import RUNNING_OVER

    document = _document(book)
    note = document.note(str(RUNNING_OVER))
    assert note is not None
    paragraphs = list(note.text_blocks())
    first = YEAR.findall(paragraphs[0].segments[0].text)[0]
    last = YEAR.findall(paragraphs[-1].segments[-1].text)[0]
    pages = _pages(book / "build" / "book.ar-fr.pdf")
    first_pages = [i for i, text in enumerate(pages) if first in text]
    last_pages = [i for i, text in enumerate(pages) if last in text]
    # In one language at least, the note's end is printed a page after its start.
    assert max(last_pages) == max(first_pages) + 1, (first_pages, last_pages)
