"""The Word and OpenDocument readers, on files python-docx writes and files LibreOffice writes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest

from warraq.document.model import document_to_json
from warraq.document.structure import structure_source
from warraq.errors import WarraqError

MARKDOWN = """# عنوان الوثيقة

## مقدمة

هذه فقرة أولى. **كلمة مهمة** في النص.

- عنصر أول
- عنصر ثان

> قول مأثور.
"""


def write_docx(path: Path) -> Path:
    """A Word file with a title, a heading, bold, a bulleted list, a quote and a table."""
    document = docx.Document()
    document.core_properties.title = "عنوان الوثيقة"
    document.core_properties.author = "كاتب"
    document.add_paragraph("عنوان الوثيقة", style="Title")
    document.add_paragraph("مقدمة", style="Heading 1")
    paragraph = document.add_paragraph("هذه فقرة أولى. ")
    paragraph.add_run("كلمة مهمة").bold = True
    paragraph.add_run(" في النص.")
    document.add_paragraph("عنصر أول", style="List Bullet")
    document.add_paragraph("عنصر ثان", style="List Bullet")
    document.add_paragraph("قول مأثور.", style="Quote")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "جدول"
    document.save(str(path))
    return path


def shape(path: Path) -> list[tuple[str, list[Any]]]:
    """Block kinds and segment texts, in order: the structure, without lines, levels or ids."""
    import json

    data = json.loads(document_to_json(structure_source(path)))

    def texts(block: dict[str, Any]) -> list[Any]:
        if "items" in block:
            return [texts(item) for item in block["items"]]
        if "blocks" in block:
            return [texts(inner) for inner in block["blocks"]]
        return [segment["text"] for segment in block.get("segments", [])]

    return [(block["type"], texts(block)) for block in data["blocks"]]


def test_docx_gives_the_structure_of_the_equivalent_markdown(tmp_path: Path) -> None:
    source = write_docx(tmp_path / "article.docx")
    markdown = tmp_path / "article.md"
    markdown.write_text(MARKDOWN)
    assert shape(source) == shape(markdown)
    document = structure_source(source)
    assert document.meta.title is not None and document.meta.title.text == "عنوان الوثيقة"
    assert document.meta.author == "كاتب"
    assert [o.reason for o in document.omitted] == ["table"]


def test_a_corrupt_docx_is_a_one_line_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WarraqError) as error:
        structure_source(broken)
    assert "broken.docx" in error.value.message and "\n" not in error.value.message


def _soffice(source: Path, target: str, folder: Path) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/setup.sh installs it")
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "out" / f"{source.stem}.{target}"


@pytest.mark.slow
@pytest.mark.parametrize("target", ["docx", "odt"])
def test_files_libreoffice_writes_read_as_the_markdown(tmp_path: Path, target: str) -> None:
    made = write_docx(tmp_path / "article.docx")
    written = _soffice(made, target, tmp_path)
    markdown = tmp_path / "article.md"
    markdown.write_text(MARKDOWN)
    assert shape(written) == shape(markdown)


def test_the_size_limit_counts_the_text_inside_a_word_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit is on the text, not on the zip: the text inside a .docx is what is measured."""
    path = write_docx(tmp_path / "book.docx")
    monkeypatch.setattr("warraq.document.readers.MAX_SOURCE_BYTES", 100)
    with pytest.raises(WarraqError) as error:
        structure_source(path)
    message = error.value.message
    assert message.startswith(f"{path}: 0.0 MiB of text (") and "bytes); warraq takes" in message
    monkeypatch.setattr("warraq.document.readers.MAX_SOURCE_BYTES", 4000)
    assert path.stat().st_size > 4000  # the file is over this limit, its text is not
    structure_source(path)
