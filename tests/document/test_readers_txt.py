"""The plain-text reader on the sample book and on texts written for the test."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE_SOURCE
from warraq.document.model import Heading, Paragraph
from warraq.document.structure import structure_source
from warraq.document.text import has_arabic, normalise_spaces


def test_sample_has_four_headings_and_fifteen_paragraphs() -> None:
    document = structure_source(SAMPLE_SOURCE)
    kinds = [type(block) for block in document.blocks]
    assert kinds.count(Heading) == 4
    assert kinds.count(Paragraph) == 15
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    assert all(h.text.endswith("؟") and len(h.segments) == 1 for h in headings)
    assert [h.line for h in headings] == [3, 7, 11, 15]


def test_sample_residue_is_reported_not_kept() -> None:
    document = structure_source(SAMPLE_SOURCE)
    assert [(o.line, o.text) for o in document.omitted] == [
        (20, "Thank you!"),
        (21, "We will contact you soon."),
    ]
    assert all("residue" in o.reason for o in document.omitted)
    texts = [segment.text for segment in document.segments()]
    assert not any("Thank" in t or "contact" in t for t in texts)


def test_every_arabic_sentence_is_in_exactly_one_segment() -> None:
    raw_lines = SAMPLE_SOURCE.read_text(encoding="utf-8").split("\n")
    arabic_lines = [line for line in raw_lines if has_arabic(line)]
    # An independent count: the sample has no abbreviations or decimals, so every
    # sentence mark followed by a space or the line's end closes a sentence.
    expected = sum(len(re.findall(r"[.!?؟](?= |$)", line)) for line in arabic_lines)
    document = structure_source(SAMPLE_SOURCE)
    segments = [segment.text for segment in document.segments()]
    assert len(segments) == expected == 56
    joined = "\n".join(block.text for block in document.text_blocks())
    assert joined == "\n".join(arabic_lines)
    for segment in segments:
        assert sum(line.count(segment) for line in arabic_lines) >= 1
        assert re.search(r"[.!?؟]$", segment)


def test_leading_residue_and_middle_latin(tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    source.write_text("Home | Menu\nنص عربي أول.\nA Latin line in the middle.\nنص عربي آخر.\n")
    document = structure_source(source)
    assert [o.text for o in document.omitted] == ["Home | Menu"]
    assert "start" in document.omitted[0].reason
    assert [b.text for b in document.text_blocks()][1] == "A Latin line in the middle."


def test_long_question_is_a_paragraph(tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    long_question = " ".join(["كلمة"] * 20) + "؟"
    source.write_text(f"سؤال قصير؟\n{long_question}\nهل ذهب؟ نعم ذهب.\n")
    kinds = [type(b) for b in structure_source(source).blocks]
    assert kinds == [Heading, Paragraph, Paragraph]


def test_normalisation_keeps_letters(tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    text = "\ufeffكَتَبَ\u00a0\u00a0الطالبـــب  ٢٠٢٣\u200cو 2024.\r\nسطر\u200f ثانٍ.\r\n"
    source.write_bytes(text.encode("utf-8"))
    blocks = list(structure_source(source).text_blocks())
    assert [b.text for b in blocks] == ["كَتَبَ الطالبـــب ٢٠٢٣\u200cو 2024.", "سطر\u200f ثانٍ."]


_LINE = st.text(
    st.sampled_from(list("ابتثجحخدرسعفقلمنهوي abc019٠٩.!?؟…،؛«»()*\u00a0\t")), max_size=80
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=8))
def test_blocks_keep_every_character(lines: list[str]) -> None:
    text = "نص عربي.\n" + "\n".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "random.txt"
        source.write_text(text, encoding="utf-8")
        document = structure_source(source)
    kept = [b.text for b in document.text_blocks()] + [o.text for o in document.omitted]
    expected = [normalise_spaces(line) for line in text.split("\n") if line.strip()]
    assert sorted(kept) == sorted(expected)
