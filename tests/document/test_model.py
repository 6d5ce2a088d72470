"""The document model: JSON round trip, schema errors, ids that survive edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SAMPLE_SOURCE
from warraq.document.model import (
    SCHEMA_VERSION,
    Document,
    Paragraph,
    SchemaError,
    document_from_json,
    document_to_dict,
    document_to_json,
)
from warraq.document.structure import structure_source


@pytest.mark.parametrize("source", [SAMPLE_SOURCE, FIXTURES / "sources" / "water.ar.md"])
def test_json_round_trip(source: Path) -> None:
    document = structure_source(source)
    text = document_to_json(document)
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    assert document_from_json(text) == document


def test_model_is_immutable() -> None:
    document = structure_source(SAMPLE_SOURCE)
    with pytest.raises(AttributeError):
        document.blocks[0].id = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(schema_version=99), "schema_version is 99"),
        (lambda d: d["blocks"][0].update(type="table"), "blocks[0].type is 'table'"),
        (lambda d: d["blocks"][0]["segments"][0].pop("text"), "blocks[0].segments[0].text"),
        (lambda d: d["meta"].update(language=3), "meta.language must be a string"),
    ],
)
def test_schema_errors_name_the_key(mutate: object, message: str) -> None:
    data = document_to_dict(structure_source(SAMPLE_SOURCE))
    mutate(data)  # type: ignore[operator]
    with pytest.raises(SchemaError, match=message.replace("[", r"\[").replace("]", r"\]")):
        document_from_json(json.dumps(data))


def _ids(document: Document) -> dict[str, str]:
    """Segment text to id, for the segments of ``document``."""
    return {segment.text: segment.id for segment in document.segments()}


def _structure_text(text: str, tmp_path: Path) -> Document:
    path = tmp_path / "book.ar.txt"
    path.write_text(text, encoding="utf-8")
    return structure_source(path)


def test_ids_survive_edits_insertions_and_deletions(tmp_path: Path) -> None:
    lines = SAMPLE_SOURCE.read_text(encoding="utf-8").split("\n")
    original = _structure_text("\n".join(lines), tmp_path)
    before = _ids(original)
    block_ids = {b.text: b.id for b in original.text_blocks()}

    edited = lines.copy()
    edited[5] = edited[5].replace("مجال متنامٍ", "مجال متنامٍ جداً")  # edit one sentence
    edited.insert(2, "فقرة جديدة تماماً أضيفت هنا.")  # insert a paragraph
    del edited[10]  # delete another paragraph
    after_doc = _structure_text("\n".join(edited), tmp_path)
    after = _ids(after_doc)

    unchanged = set(before) & set(after)
    assert len(unchanged) >= len(before) - 6
    assert all(before[text] == after[text] for text in unchanged)
    for block in after_doc.text_blocks():
        if block.text in block_ids:
            assert block_ids[block.text] == block.id


def test_repeated_sentences_get_distinct_ids(tmp_path: Path) -> None:
    document = _structure_text("نعم. لا. نعم.\nنعم.", tmp_path)
    ids = [segment.id for segment in document.segments()]
    assert len(ids) == len(set(ids)) == 4
    assert ids[2] == ids[0] + "-2"


def test_paragraph_text_property_joins_segments(tmp_path: Path) -> None:
    document = _structure_text("أولاً.  ثانياً؟ ثالثاً!", tmp_path)
    paragraph = document.blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text == "أولاً. ثانياً؟ ثالثاً!"
    assert [s.text for s in paragraph.segments] == ["أولاً.", "ثانياً؟", "ثالثاً!"]
