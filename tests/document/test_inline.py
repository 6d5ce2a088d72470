"""Inline markup: emphasis and strong read into a tree; everything else literal."""

from __future__ import annotations

from warraq.document.inline import Emphasis, Strong, Text, emphasis_spans, parse_inline, plain_text


def test_emphasis_and_strong() -> None:
    assert parse_inline("أ *ب* و**ج** _د_ __هـ__", "markdown") == (
        Text("أ "),
        Emphasis((Text("ب"),)),
        Text(" و"),
        Strong((Text("ج"),)),
        Text(" "),
        Emphasis((Text("د"),)),
        Text(" "),
        Strong((Text("هـ"),)),
    )


def test_strong_emphasis_nested() -> None:
    assert parse_inline("***قطر***", "markdown") == (Strong((Emphasis((Text("قطر"),)),)),)
    assert parse_inline("**a *b* c**", "markdown") == (
        Strong((Text("a "), Emphasis((Text("b"),)), Text(" c"))),
    )


def test_unmatched_and_spaced_delimiters_are_literal() -> None:
    assert parse_inline("2 * 3 = 6", "markdown") == (Text("2 * 3 = 6"),)
    assert parse_inline("a *b", "markdown") == (Text("a *b"),)
    assert parse_inline("snake_case_name", "markdown") == (Text("snake_case_name"),)


def test_escapes_and_html_are_text() -> None:
    assert plain_text(r"\*ليس تشديداً\* <script>", "markdown") == "*ليس تشديداً* <script>"


def test_plain_text_markup_is_literal() -> None:
    assert parse_inline("*كما هو*", "text") == (Text("*كما هو*"),)
    assert emphasis_spans("*كما هو*", "text") == []
