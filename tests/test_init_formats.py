"""Done when: a .docx and an .odt made by LibreOffice and a saved .html article become, through
``warraq init FILE`` and ``warraq build --draft``, the document the equivalent Markdown gives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from tests.document.article_page import (
    LIST_ITEMS,
    QUOTE,
    TITLE,
    article_lines,
    article_markdown,
    emphasis_runs,
    page_html,
)
from tests.document.test_readers_office import _soffice, shape
from warraq.config import load_project
from warraq.document.readers.txt import is_question_heading
from warraq.document.structure import load_document

from .conftest import Runner


def write_article_docx(path: Path) -> Path:
    """The article as python-docx writes it (LibreOffice then saves it again), with a table."""
    document = docx.Document()
    document.core_properties.title = TITLE
    document.add_paragraph(TITLE, style="Title")
    for index, line in enumerate(article_lines()):
        if is_question_heading(line):
            document.add_paragraph(line, style="Heading 1")
        else:
            paragraph = document.add_paragraph()
            for text, bold in emphasis_runs(line):
                paragraph.add_run(text).bold = bold or None
        if index == 1:
            for item in LIST_ITEMS:
                document.add_paragraph(item, style="List Bullet")
            document.add_paragraph(QUOTE, style="Quote")
            document.add_table(rows=1, cols=2).cell(0, 0).text = "جدول الأرقام"
    document.save(str(path))
    return path


def _init_and_build(warraq: Runner, source: Path, project: Path) -> Path:
    result = warraq("-C", str(project), "init", str(source), "--to", "fr")
    assert result.exit_code == 0, result.stderr
    assert "left out" in result.stdout  # the residue is reported at once
    result = warraq("translate", "--update-only", cwd=project)
    assert result.exit_code == 0, result.stderr
    result = warraq("build", "--draft", cwd=project)
    assert result.exit_code == 0, result.stderr
    return project


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["docx", "odt", "html"])
def test_init_and_build_give_the_markdown_structure(
    tmp_path: Path, warraq: Runner, kind: str
) -> None:
    if kind == "html":
        source = tmp_path / "article.html"
        source.write_text(page_html(), encoding="utf-8")
        expected_reasons = {"web form or its messages", "navigation or menu", "page footer"}
    else:
        (tmp_path / "made").mkdir()
        made = write_article_docx(tmp_path / "made" / "article.docx")
        source = _soffice(made, kind, tmp_path)
        expected_reasons = {"table"}
    markdown = tmp_path / "article.md"
    markdown.write_text(article_markdown(), encoding="utf-8")
    project = _init_and_build(warraq, source, tmp_path / "project")

    loaded = load_project(project)
    (config,) = loaded.documents
    assert config.source == Path("seeds") / source.name and config.title("ar") == TITLE
    document = load_document(loaded, config)
    assert shape(project / config.source) == shape(markdown)
    assert document.meta.title is not None and document.meta.title.text == TITLE
    assert expected_reasons <= {o.reason for o in document.omitted}

    built = sorted(p.name for p in (project / "build").iterdir() if p.suffix in (".pdf", ".epub"))
    assert built == [f"{config.name}.ar-fr.epub", f"{config.name}.ar-fr.pdf"]
    with zipfile.ZipFile(project / "build" / f"{config.name}.ar-fr.epub") as epub:
        text = "".join(
            epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith("html")
        )
    assert LIST_ITEMS[0] in text and QUOTE in text and "Thank you!" not in text
