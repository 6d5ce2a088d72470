"""The bilingual view: pairing, inline HTML, draft marks, sections, dates."""

from __future__ import annotations

import datetime as dt

from tests.conftest import FIXTURES
from warraq.catalogs.translation import Rendering, Status, Translation
from warraq.config import DocumentConfig, EditionConfig
from warraq.document.model import Document
from warraq.document.structure import structure_source
from warraq.render.html import inline_html
from warraq.render.view import build_view

ARTICLE = FIXTURES / "sources" / "water.ar.md"


def _translation(document: Document, skip: int = -1) -> Translation:
    entries = {
        segment.text: Rendering(f"FR {index}", Status.REVIEWED)
        for index, segment in enumerate(document.segments())
        if index != skip
    }
    return Translation("fr", entries)


def test_rows_pair_every_text_block() -> None:
    document = structure_source(ARTICLE)
    view = build_view(
        document,
        _translation(document),
        DocumentConfig("water", ARTICLE),
        EditionConfig("e"),
        date=dt.date(2024, 6, 1),
        draft=False,
    )
    blocks = list(document.text_blocks())
    assert [row.id for row in view.rows] == [block.id for block in blocks]
    assert {row.kind for row in view.rows} == {"heading", "paragraph", "item"}
    assert all(row.source.direction == "rtl" and row.target.direction == "ltr" for row in view.rows)
    # Headings are re-levelled so the document's top section level is 1.
    assert [s.level for s in view.sections] == [1, 2, 3, 1]
    assert view.title[0].text == "الماء في المدن العربية"
    assert view.date == ("١ يونيو ٢٠٢٤", "1 juin 2024")
    ordered = [row for row in view.rows if row.marker and row.marker[1][0].isdigit()]
    assert [row.marker for row in ordered] == [("١.", "1."), ("٢.", "2."), ("٣.", "3.")]
    assert any(row.quote for row in view.rows)


def test_draft_marks_missing_translation() -> None:
    document = structure_source(ARTICLE)
    view = build_view(
        document,
        _translation(document, skip=1),
        DocumentConfig("water", ARTICLE),
        EditionConfig("e"),
        date=dt.date(2024, 6, 1),
        draft=True,
    )
    first = view.rows[0]
    assert first.status is Status.MISSING
    assert 'class="warraq-missing"' in first.target.html
    assert "traduction manquante" in first.target.html


def test_inline_html_escapes_and_marks_runs() -> None:
    html = inline_html('<img src="x"> تقنية blockchain **مهمة** (GPS).', "markdown", "ar")
    assert "<img" not in html and "&lt;" in html and "&gt;" in html
    # The bracket pair around a Latin run goes with it; the Arabic full stop does not.
    assert html.endswith('<span lang="und-Latn" dir="ltr">(GPS)</span>.')
    assert '<span lang="und-Latn" dir="ltr">blockchain</span>' in html
    assert "<strong>مهمة</strong>" in html
    assert "<em>" not in inline_html("*حرفي*", "text", "ar")
    french = inline_html("Le mot قطر signifie Qatar.", "text", "fr", xml=True)
    assert '<span lang="ar" xml:lang="ar" dir="rtl">قطر</span>' in french
