"""Notes and figures in the model and the Markdown reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warraq.document.inline import NoteCall, note_calls, parse_inline, plain_text
from warraq.document.model import (
    Figure,
    Quote,
    document_from_json,
    document_to_dict,
    document_to_json,
)
from warraq.document.readers.markdown import read_markdown
from warraq.document.structure import check_figures, structure, structure_source
from warraq.errors import WarraqError

BOOK = """# كتاب

فقرة فيها حاشية.[^1] ثم جملة ثانية[^b].

- بند فيه حاشية[^2].
- بند ثان.

> اقتباس فيه حاشية[^3].

![صورة الخريطة](map.png "خريطة المنطقة")

[^1]: نص الحاشية الأولى.
    سطر متصل.

    فقرة ثانية للحاشية.
[^b]: حاشية قصيرة.
[^2]: حاشية البند.
[^3]: حاشية الاقتباس.
"""


def read(text: str) -> object:
    return structure(read_markdown(text, source="book.md", language="ar"))


def test_calls_stay_in_the_text_and_notes_follow_call_order() -> None:
    document = structure(read_markdown(BOOK, source="book.md", language="ar"))
    assert [note.label for note in document.notes] == ["1", "b", "2", "3"]
    first = document.notes[0]
    assert [block.text for block in first.text_blocks()] == [
        "نص الحاشية الأولى. سطر متصل.",
        "فقرة ثانية للحاشية.",
    ]
    paragraph = document.blocks[0]
    assert [s.text for s in paragraph.segments] == [  # type: ignore[union-attr]
        "فقرة فيها حاشية.[^1]",
        "ثم جملة ثانية[^b].",
    ]
    assert isinstance(document.blocks[2], Quote)
    kinds = [what for _, _, what in document.located_segments()]
    assert kinds.count("footnote") == 6
    assert "image alt" in kinds and "caption" in kinds


def test_figure_with_caption_from_the_title() -> None:
    document = structure(read_markdown(BOOK, source="book.md", language="ar"))
    (figure,) = document.figures()
    assert isinstance(figure, Figure)
    assert (figure.path, figure.alt.text, figure.caption and figure.caption.text) == (
        "map.png",
        "صورة الخريطة",
        "خريطة المنطقة",
    )


def test_json_keeps_notes_and_figures_and_reads_version_1() -> None:
    document = structure(read_markdown(BOOK, source="book.md", language="ar"))
    assert document_from_json(document_to_json(document)) == document
    old = document_to_dict(document)
    old["schema_version"] = 1
    del old["notes"]
    old["blocks"] = [b for b in old["blocks"] if b["type"] != "figure"]
    read_back = document_from_json(json.dumps(old))
    assert read_back.notes == () and not list(read_back.figures())


def test_ids_are_stable_when_other_notes_change() -> None:
    one = structure(read_markdown(BOOK, source="book.md", language="ar"))
    two = structure(
        read_markdown(BOOK.replace("حاشية قصيرة.", "حاشية أخرى."), source="b.md", language="ar")
    )
    assert [n.id for n in one.notes] == [n.id for n in two.notes]
    assert one.notes[0].blocks == two.notes[0].blocks


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("نص[^1].\n", "line 1: note [^1] is called but never defined"),
        ("نص[^1] و[^1].\n\n[^1]: ح.\n", "note [^1] is called again"),
        ("نص[^1].\n\n[^1]: ح.\n[^1]: ط.\n", "line 4: note [^1] is defined twice"),
        ("نص[^1].\n\n[^1]: ح[^2].\n[^2]: ط.\n", "a note cannot call another note"),
        ("![صورة](https://x.org/a.png)\n", "line 1: image https://x.org/a.png is not a file"),
        ("![](a.png)\n", "image a.png has no alt text"),
    ],
)
def test_bad_notes_and_images_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(WarraqError, match=message.replace("[", r"\[").replace("^", r"\^")):
        read_markdown(text, source="book.md", language="ar")


def test_uncalled_note_is_reported_left_out() -> None:
    draft = read_markdown("نص.\n\n[^x]: حاشية.\n", source="book.md", language="ar")
    assert [o.reason for o in draft.omitted] == ["note never called"]


def test_missing_or_outside_image_names_the_file(tmp_path: Path) -> None:
    source = tmp_path / "book" / "b.md"
    source.parent.mkdir()
    source.write_text("نص.\n\n![صورة](pics/m.png)\n", encoding="utf-8")
    document = structure_source(source)
    with pytest.raises(WarraqError, match=r"b.md, line 3: image pics/m.png not found"):
        check_figures(document, source, tmp_path, "b.md")
    source.write_text("نص.\n\n![صورة](../../m.png)\n", encoding="utf-8")
    with pytest.raises(WarraqError, match="lies outside the project"):
        check_figures(structure_source(source), source, tmp_path, "b.md")


def test_note_call_is_inline_markup() -> None:
    assert parse_inline("a[^1] b", "markdown")[1] == NoteCall("1")
    assert plain_text("a[^1] b", "markdown") == "a b"
    assert note_calls("a[^1] b", "text") == []


FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve">'
    " حاشية الفقرة الأولى.</w:t></w:r></w:p><w:p><w:r><w:t>فقرة ثانية في الحاشية.</w:t></w:r>"
    "</w:p></w:footnote></w:footnotes>"
)


def _docx_with_footnote(path: Path) -> None:
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("فقرة فيها حاشية. وجملة ثانية.")
    document.save(str(path))
    with zipfile.ZipFile(path) as original:
        files = {name: original.read(name) for name in original.namelist()}
    main = files["word/document.xml"].decode()
    call = '<w:r><w:footnoteReference w:id="1"/></w:r>'
    files["word/document.xml"] = (
        main.replace("حاشية. ", "حاشية. ", 1)
        .replace("</w:t></w:r></w:p>", f"</w:t></w:r>{call}</w:p>", 1)
        .encode()
    )
    files["word/footnotes.xml"] = FOOTNOTES_XML.encode()
    rels = files["word/_rels/document.xml.rels"].decode()
    files["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
    ).encode()
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"/></Types>',
    ).encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in files.items():
            out.writestr(name, data)


def test_docx_footnotes_become_notes(tmp_path: Path) -> None:
    path = tmp_path / "book.docx"
    _docx_with_footnote(path)
    document = structure_source(path)
    (note,) = document.notes
    assert note.label == "1"
    assert [block.text for block in note.text_blocks()] == [
        "حاشية الفقرة الأولى.",
        "فقرة ثانية في الحاشية.",
    ]
    texts = [segment.text for block in document.text_blocks() for segment in block.segments]
    assert texts == ["فقرة فيها حاشية.", "وجملة ثانية.[^1]"]
    assert not any("footnote" in omission.reason for omission in document.omitted)


def test_outline_counts_notes_and_figures() -> None:
    from warraq.document.outline import outline

    text = outline(structure(read_markdown(BOOK, source="book.md", language="ar")))
    assert "4 notes (5 paragraphs), 1 figures" in text


ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    "<office:body><office:text><text:p>فقرة فيها حاشية."
    '<text:note text:id="ftn1" text:note-class="footnote">'
    "<text:note-citation>1</text:note-citation>"
    "<text:note-body><text:p>حاشية أولى.</text:p><text:p>فقرة ثانية.</text:p></text:note-body>"
    '</text:note> وجملة ثانية<text:note text:id="edn1" text:note-class="endnote">'
    "<text:note-citation>i</text:note-citation><text:note-body><text:p>تعليق ختامي.</text:p>"
    "</text:note-body></text:note>.</text:p></office:text></office:body></office:document-content>"
)


def test_odt_footnotes_and_endnotes_become_notes(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "book.odt"
    with zipfile.ZipFile(path, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", ODT_CONTENT)
    document = structure_source(path)
    assert [(note.label, len(note.blocks)) for note in document.notes] == [("1", 2), ("ei", 1)]
    texts = [segment.text for block in document.text_blocks() for segment in block.segments]
    assert texts == ["فقرة فيها حاشية.[^1]", "وجملة ثانية[^ei]."]
