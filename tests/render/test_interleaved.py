"""Interleaved editions: each passage at full width, its translation directly below it."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pymupdf
import pytest

from tests.conftest import EPOCH, copy_sample
from warraq.build.pipeline import BuildOptions, build, plan_jobs
from warraq.checks.outputs import bare, verify_outputs
from warraq.config import load_project
from warraq.document.structure import load_document
from warraq.document.text import has_arabic
from warraq.render.job import EditionJob
from warraq.render.pdf import render_html
from warraq.render.view import job_view

pytestmark = pytest.mark.slow

EDITION = """
[[editions]]
name = "interleaved"
layout = "interleaved"
formats = ["pdf", "epub"]
languages = ["fr"]
"""
STEM = "france-qatar-security.ar-fr.interleaved"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def interleaved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with an interleaved French edition, its PDF and EPUB built once."""
    root = copy_sample(tmp_path_factory.mktemp("interleaved") / "sample", glossary=True)
    (root / "warraq.toml").write_text((root / "warraq.toml").read_text() + EDITION)
    project = load_project(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(project, BuildOptions(languages=("fr",), jobs=2))
    return root


def _job(root: Path) -> EditionJob:
    project = load_project(root)
    documents = {config.name: load_document(project, config) for config in project.documents}
    jobs = plan_jobs(project, documents, {}, BuildOptions(formats=("pdf",), languages=("fr",)))
    return next(job for job in jobs if job.edition.layout == "interleaved")


def test_every_passage_is_followed_by_its_translation_each_with_lang_and_dir(
    interleaved: Path,
) -> None:
    job = _job(interleaved)
    view = job_view(job)
    html, _ = render_html(job)
    tree = lxml.html.fromstring(html)
    pairs = tree.xpath('//main//div[contains(concat(" ", @class, " "), " pair ")]')
    assert [pair.get("id") for pair in pairs] == [row.id for row in view.rows]
    for pair, row in zip(pairs, view.rows, strict=True):
        source, target = pair
        assert (source.get("class"), source.get("lang"), source.get("dir")) == (
            "source",
            "ar",
            "rtl",
        )
        assert (target.get("class"), target.get("lang"), target.get("dir")) == (
            "target",
            "fr",
            "ltr",
        )
        tag = f"h{row.level + 1}" if row.kind == "heading" else "p"
        assert source.tag == target.tag == tag  # headings in both languages
        assert has_arabic(source.text_content()) and target.text_content().strip()


def test_the_pdf_sets_each_translation_below_its_passage_smaller_behind_a_rule(
    interleaved: Path,
) -> None:
    job = _job(interleaved)
    view = job_view(job)
    margins = job.edition.margins
    top, bottom = (float(m.removesuffix("mm")) * MM for m in (margins.top, margins.bottom))
    runs: list[tuple[str, str]] = []  # (language, bare text) of each run of blocks, in order
    checked = 0
    with pymupdf.open(job.output) as document:
        contents = max(page.number for page in document if page.get_links())
        for page in document:
            if page.number <= contents:
                continue
            body = (page.rect.y0 + top, page.rect.y1 - bottom)
            # WeasyPrint draws a border as the outline of its box: a drawing that
            # starts left of the text, as tall as it.
            rules = [item["rect"] for item in page.get_drawings()]
            blocks = [
                block
                for block in page.get_text("dict")["blocks"]
                if block.get("lines") and body[0] <= block["bbox"][1] <= body[1]
            ]
            for block in sorted(blocks, key=lambda b: b["bbox"][1]):
                spans = [span for line in block["lines"] for span in line["spans"]]
                text = " ".join(span["text"] for span in spans)
                language = "ar" if has_arabic(text) else "fr"
                if runs and runs[-1][0] == language:
                    runs[-1] = (language, runs[-1][1] + bare(text))
                else:
                    runs.append((language, bare(text)))
                if language == "fr" and len(block["lines"]) >= 3:
                    sizes = {round(span["size"], 1) for span in spans if span["text"].strip()}
                    if sizes == {11.5}:
                        continue  # a heading over several lines, in italics
                    assert sizes == {9.5}, sizes  # the Arabic body is 11.5pt
                    x0, y0, _, y1 = block["bbox"]
                    assert any(
                        rule.x0 < x0 - 6 and rule.y0 <= y0 + 3 and rule.y1 >= y1 - 3
                        for rule in rules
                    ), f"page {page.number + 1}: no rule beside a translation"
                    checked += 1
    expected = [("ar", bare(view.title[0].text)), ("fr", bare(view.title[1].text))]
    for row in view.rows:
        expected += [("ar", bare(row.source.text)), ("fr", bare(row.target.text))]
    # Down the pages: the title, then every passage and below it its translation.
    assert [language for language, _ in runs] == [language for language, _ in expected]
    for (_, found), (language, text) in zip(runs, expected, strict=True):
        if language == "fr":  # (Arabic extracts with some ligatures' letters lost)
            assert found == text
    assert checked >= 10


def test_check_outputs_passes_the_interleaved_pdf_and_epub(interleaved: Path) -> None:
    findings = verify_outputs(load_project(interleaved), languages=("fr",))
    assert [f.message for f in findings if ".interleaved." in f.message] == []
    assert (interleaved / "build" / f"{STEM}.epub").is_file()
