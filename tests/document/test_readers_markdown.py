"""The Markdown reader on an Arabic article written for the test."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES
from warraq.document.inline import Emphasis, Strong, parse_inline
from warraq.document.model import Heading, ListBlock, Paragraph, Quote
from warraq.document.structure import structure_source

ARTICLE = FIXTURES / "sources" / "water.ar.md"


def test_front_matter_and_title() -> None:
    document = structure_source(ARTICLE)
    assert document.meta.title is not None
    assert document.meta.title.text == "الماء في المدن العربية"
    assert document.meta.author == "سلمى الراشد"
    assert document.meta.language == "ar"
    assert document.meta.markup == "markdown"
    # The first heading repeated the title, so it is the title, not a heading.
    assert all(h.text != "الماء في المدن العربية" for h in document.headings())


def test_three_heading_levels() -> None:
    headings = [(h.level, h.text) for h in structure_source(ARTICLE).headings()]
    assert headings == [
        (2, "أسباب الأزمة"),
        (3, "الزراعة"),
        (4, "مثال من الواحات"),
        (2, "الحلول الممكنة"),
    ]


def test_lists_quote_and_paragraphs() -> None:
    blocks = structure_source(ARTICLE).blocks
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    assert [(lst.ordered, len(lst.items)) for lst in lists] == [(False, 3), (True, 3)]
    assert [s.text for s in lists[0].items[2].segments] == [
        "النمو السريع للمدن.",
        "وهو نمو لا يتوقف.",
    ]
    assert [s.text for s in lists[1].items[2].segments] == [
        "ترشيد الاستهلاك في المنازل؟",
        "نعم، وهو أرخص الحلول!",
    ]
    quotes = [b for b in blocks if isinstance(b, Quote)]
    assert len(quotes) == 1
    (inner,) = quotes[0].blocks
    assert isinstance(inner, Paragraph)
    assert [s.text for s in inner.segments] == [
        "الماء أساس الحياة، ومن يملك الماء يملك المستقبل.",
        "هكذا قال أحد الخبراء.",
    ]
    first = blocks[0]
    assert isinstance(first, Paragraph)
    # A paragraph wrapped over two source lines is one paragraph.
    assert first.segments[1].text == "ويزداد الطلب عاماً بعد عام مع نمو السكان."


def test_emphasis_is_kept_as_markup() -> None:
    document = structure_source(ARTICLE)
    texts = [s.text for s in document.segments()]
    assert "تعاني مدن كثيرة في العالم العربي من *شحّ المياه*." in texts
    assert "**الهدر** في شبكات التوزيع القديمة." in texts
    nodes = parse_inline("**الهدر** في شبكات التوزيع القديمة.", "markdown")
    assert isinstance(nodes[0], Strong)
    # Emphasis spanning two sentences keeps them in one segment.
    oasis = next(t for t in texts if t.startswith("في واحات"))
    assert oasis == "في واحات الجنوب، *يعود نظام الأفلاج إلى قرون. وما زال يعمل بكفاءة* حتى اليوم."
    assert any(isinstance(n, Emphasis) for n in parse_inline(oasis, "markdown"))


def test_abbreviation_and_quote_marks() -> None:
    texts = [s.text for s in structure_source(ARTICLE).segments()]
    assert "قال د. أحمد: «يجب أن نغيّر طرق الري.»" in texts


def test_left_out_is_reported() -> None:
    omitted = structure_source(ARTICLE).omitted
    reasons = {o.reason for o in omitted}
    assert any("front matter key" in r for r in reasons)
    assert any("thematic break" in r for r in reasons)
    assert [o.line for o in omitted] == sorted(o.line for o in omitted)


def test_every_segment_comes_from_the_source() -> None:
    source = ARTICLE.read_text(encoding="utf-8")
    flat = " ".join(source.split())
    for segment in structure_source(ARTICLE).segments():
        assert segment.text in flat


def test_links_images_code_and_setext(tmp_path: Path) -> None:
    source = tmp_path / "x.md"
    source.write_text(
        "عنوان فرعي\n==========\n\n"
        "اقرأ [التقرير](https://example.org/r) كاملاً. ![صورة](a.png)\n\n"
        "```\nprint(1)\n```\n\n"
        "٣. بند مرقم بالأرقام الهندية.\n٤. بند آخر.\n",
        encoding="utf-8",
    )
    document = structure_source(source)
    assert document.meta.title is not None and document.meta.title.text == "عنوان فرعي"
    texts = [b.text for b in document.text_blocks()]
    assert texts[0] == "اقرأ التقرير كاملاً."
    lists = [b for b in document.blocks if isinstance(b, ListBlock)]
    assert lists[0].ordered and lists[0].start == 3
    reasons = " ".join(o.reason for o in document.omitted)
    assert "link target" in reasons and "image" in reasons and "code block" in reasons


def test_several_top_headings_are_headings(tmp_path: Path) -> None:
    source = tmp_path / "x.md"
    source.write_text("# الأول\n\nنص.\n\n# الثاني\n\nنص آخر.\n", encoding="utf-8")
    document = structure_source(source)
    assert document.meta.title is None
    assert [h.text for h in document.headings()] == ["الأول", "الثاني"]
    assert all(isinstance(b, Heading | Paragraph) for b in document.blocks)


def test_link_reference_definitions_are_left_out_and_reported(tmp_path: Path) -> None:
    source = tmp_path / "ref.md"
    source.write_text('فقرة فيها [رابط][r].\n\n[r]: http://example.com "مثال"\n')
    document = structure_source(source)
    assert [s.text for s in document.segments()] == ["فقرة فيها [رابط][r]."]
    assert [(o.line, o.reason) for o in document.omitted] == [(3, "link reference definition")]
