"""The benchmark's own parts, kept from rotting: the long-book generator and the edit counter.

The benchmark itself (``make bench``) is not run here; see benchmarks/README.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks import bench
from benchmarks.book import BOOK_DOCUMENT, copy_sample, generate_book
from warraq.catalogs import catalog_path, read_catalog, template_path
from warraq.checks.status import project_status
from warraq.config import load_project
from warraq.document.structure import load_document
from warraq.translate import ENGINES

from .conftest import Runner


def test_generated_book_passes_the_checks(tmp_path: Path, warraq: Runner) -> None:
    book = generate_book(tmp_path / "book", pages=3)
    assert book.chapters == 1 and book.paragraphs >= 3

    result = warraq("check", cwd=book.root)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "no findings\n"
    rows = project_status(load_project(book.root), None, None)
    assert {row.language for row in rows} == {"fr", "en"}
    for row in rows:
        assert row.missing == row.fuzzy == row.machine == 0 and row.reviewed > 0

    # Every sentence carries its chapter and paragraph number, Arabic-Indic in the source
    # and Western in the translations, so no two sentences are the same.
    project = load_project(book.root)
    template = read_catalog(template_path(project, BOOK_DOCUMENT))
    sources = [str(message.id) for message in template if message.id]
    assert len(sources) == len(set(sources))
    numbered = [text for text in sources if re.match(r"\([٠-٩]+-[٠-٩]+\) ", text)]
    assert len(numbered) >= book.sentences
    english = read_catalog(catalog_path(project, BOOK_DOCUMENT, "en"), locale="en")
    first = next(message for message in english if message.id == numbered[0])
    assert re.match(r"\(1-\d+\) ", str(first.string))


def test_counting_engine_sees_one_segment_per_language_after_one_edit(tmp_path: Path) -> None:
    sample = copy_sample(tmp_path / "sample")
    (sentence, replies), *_ = bench.edited_sentences(sample, 1)
    project = load_project(sample)
    source = project.path(project.documents[0].source)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(sentence, sentence[:-1] + bench.EDIT + "."), encoding="utf-8")

    engine = bench.counting_engine(replies)
    ENGINES[engine.name] = engine
    try:
        summaries = bench.translate(project, bench.TranslateOptions(engine=engine.name))
    finally:
        del ENGINES[engine.name]
    assert {language: len(texts) for language, texts in engine.received.items()} == {
        "fr": 1,
        "en": 1,
    }
    assert [summary.translated for summary in summaries] == [1, 1]
    french = read_catalog(catalog_path(project, project.documents[0].name, "fr"), locale="fr")
    edited = sentence[:-1] + bench.EDIT + "."
    assert french.get(edited) is not None and french.get(edited).string == replies["fr"]


def test_catalog_save_is_timed_on_a_copy(tmp_path: Path) -> None:
    book = generate_book(tmp_path / "book", pages=3)
    project = load_project(book.root)
    original = catalog_path(project, BOOK_DOCUMENT, "en").read_bytes()
    seconds = bench.catalog_save_seconds(book.root, tmp_path, runs=2)
    assert seconds > 0
    assert catalog_path(project, BOOK_DOCUMENT, "en").read_bytes() == original
    saved = read_catalog(tmp_path / "save-test.po", locale="en")
    assert any(str(m.string).endswith(" 1") for m in saved if m.id)  # both saves were written


def test_long_chapters_and_the_facing_pages_copy(tmp_path: Path, warraq: Runner) -> None:
    book = generate_book(tmp_path / "book", pages=3, long_every=1)
    result = warraq("check", cwd=book.root)
    assert result.exit_code == 0 and result.stdout == "no findings\n", result.stdout
    project = load_project(book.root)
    document = load_document(project, project.documents[0])
    assert max(len(block.segments) for block in document.text_blocks()) >= 10
    facing = load_project(bench.facing_project(book, tmp_path / "facing"))
    assert [edition.layout for edition in facing.editions] == ["facing-pages"]
    kashida = load_project(bench.kashida_project(book, tmp_path / "kashida"))
    assert [edition.arabic_justification for edition in kashida.editions] == ["kashida"]
