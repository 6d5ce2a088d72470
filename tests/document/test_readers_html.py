"""The web-page reader: the main text of a saved Arabic article, the page furniture reported."""

from __future__ import annotations

import socket
import tempfile
from html import escape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.document.article_page import (
    FURNITURE,
    TITLE,
    article_html,
    article_markdown,
    page_html,
)
from tests.document.test_readers_office import shape
from warraq.document.inline import plain_text
from warraq.document.model import ListBlock
from warraq.document.structure import structure_source
from warraq.document.text import normalise_spaces
from warraq.errors import WarraqError


def write_page(folder: Path, html: str | None = None, name: str = "article.html") -> Path:
    path = folder / name
    path.write_text(page_html() if html is None else html, encoding="utf-8")
    return path


def test_the_article_reads_as_the_equivalent_markdown(tmp_path: Path) -> None:
    markdown = tmp_path / "article.md"
    markdown.write_text(article_markdown(), encoding="utf-8")
    assert shape(write_page(tmp_path)) == shape(markdown)
    document = structure_source(tmp_path / "article.html")
    assert document.meta.title is not None and document.meta.title.text == TITLE
    assert document.meta.language == "ar" and document.meta.markup == "markdown"


def test_page_furniture_is_left_out_and_reported_with_its_reason(tmp_path: Path) -> None:
    document = structure_source(write_page(tmp_path))
    reasons = {o.text: o.reason for o in document.omitted}
    assert reasons["Thank you!"] == "web form or its messages"
    assert reasons["We will contact you soon."] == "web form or its messages"
    assert reasons["الرئيسية"] == "navigation or menu"
    assert reasons["شارك على فيسبوك شارك على تويتر انسخ الرابط"] == "share buttons"
    assert reasons["قطر وفرنسا توقعان اتفاقية دفاعية جديدة"] == "sidebar or related links"
    assert reasons["© 2024 الجريدة. جميع الحقوق محفوظة"] == "page footer"
    assert reasons["نستخدم ملفات تعريف الارتباط لتحسين تجربتك."] == "cookie notice"
    assert any(o.reason == "script (never run)" for o in document.omitted)
    kept = " ".join(b.text for b in document.text_blocks())
    for furniture in FURNITURE:
        assert furniture not in [b.text for b in document.text_blocks()]
    assert "البرنامج النصي" not in kept  # the script's document.write never ran


def test_a_plain_div_page_keeps_its_headings_and_lists(tmp_path: Path) -> None:
    """No <article>, <nav> or <footer>: readability still finds the whole article."""
    soup = page_html()
    for tag in ("main", "article", "header", "footer", "nav", "aside"):
        soup = soup.replace(f"<{tag}", "<div").replace(f"</{tag}>", "</div>")
    markdown = tmp_path / "article.md"
    markdown.write_text(article_markdown(), encoding="utf-8")
    assert shape(write_page(tmp_path, soup)) == shape(markdown)
    reasons = {o.text: o.reason for o in structure_source(tmp_path / "article.html").omitted}
    assert reasons["Thank you!"] == "web form or its messages"
    assert reasons["الرئيسية"] == "navigation or menu"


def test_nothing_is_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the reader opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert structure_source(write_page(tmp_path)).text_blocks()


def test_the_main_texts_lang_is_the_documents(tmp_path: Path) -> None:
    page = page_html().replace('<html lang="ar" dir="rtl">', '<html lang="en">')
    page = page.replace('<div class="post-body">', '<div class="post-body" lang="ar-QA" dir="rtl">')
    assert structure_source(write_page(tmp_path, page)).meta.language == "ar"
    english = page_html().replace('lang="ar"', 'lang="fr"')
    with pytest.raises(WarraqError) as error:
        structure_source(write_page(tmp_path, english), language="ar")
    assert "the page's lang says language 'fr'" in error.value.message


def test_title_outside_the_article_body_comes_from_the_h1(tmp_path: Path) -> None:
    article = article_html().replace(f"<h1>{TITLE}</h1>", "")
    page = page_html(article).replace("<main>", f"<main><h1>{TITLE}</h1>")
    document = structure_source(write_page(tmp_path, page))
    assert document.meta.title is not None and document.meta.title.text == TITLE
    assert TITLE not in [o.text for o in document.omitted]


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        (b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00binary", "not UTF-8"),
        (b"<html><body><p>   </p></body></html>", "no "),
        (b"\x00\x00\x00", "no "),
    ],
)
def test_a_corrupt_page_is_a_one_line_error_naming_it(
    tmp_path: Path, data: bytes, expect: str
) -> None:
    broken = tmp_path / "broken.html"
    broken.write_bytes(data)
    with pytest.raises(WarraqError) as error:
        structure_source(broken)
    assert "broken.html" in error.value.message and "\n" not in error.value.message
    assert expect in error.value.message


_TEXT = st.text(
    st.sampled_from(list("ابتثجحخدرسعفقلمنهوي abc019٠٩.!?؟،؛«»()*_<>&\u00a0")), max_size=70
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=5), st.lists(_TEXT, max_size=3))
def test_every_text_of_the_page_is_kept_or_reported(inside: list[str], outside: list[str]) -> None:
    """Text preservation: each text of the page is a block or an omission, letter for letter."""
    article = article_html() + "".join(f"<p>{escape(text)}</p>" for text in inside)
    footer = "".join(f"<p>{escape(text)}</p>" for text in outside)
    page = page_html(article).replace("</footer>", footer + "</footer>")
    with tempfile.TemporaryDirectory() as folder:
        document = structure_source(write_page(Path(folder), page))
    kept = [plain_text(b.text, "markdown") for b in document.text_blocks()]
    if document.meta.title is not None:
        kept.append(document.meta.title.text)
    omitted = [o.text for o in document.omitted if o.reason not in ("script (never run)",)]
    for text in [normalise_spaces(t) for t in inside + outside if normalise_spaces(t)]:
        assert text in kept or text in omitted
    for text in [normalise_spaces(t) for t in outside if normalise_spaces(t)]:
        assert text not in kept or text in [normalise_spaces(t) for t in inside]
    lines = [line for line in article_markdown().split("\n") if line and line[0] not in "#->"]
    assert len([k for k in kept if k in {plain_text(x, "markdown") for x in lines}]) == len(lines)


def test_numbered_and_nested_lists_keep_every_item(tmp_path: Path) -> None:
    """readability drops a small nested list; the reader keeps the whole list it belongs to."""
    items = '<ol start="3"><li><p>أول</p><ul><li>فرعي <em>مائل</em></li></ul></li><li>ثان</li></ol>'
    document = structure_source(write_page(tmp_path, page_html(article_html() + items)))
    lists = [b for b in document.blocks if isinstance(b, ListBlock)]
    assert [(b.ordered, b.start) for b in lists] == [(False, 1), (True, 3)]
    assert [i.text for i in lists[1].items] == ["أول", "فرعي *مائل*", "ثان"]
