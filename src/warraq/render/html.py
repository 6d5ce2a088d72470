"""Inline HTML for one text: escaped, emphasis as elements, opposite-direction runs marked.

WeasyPrint has no ``dir=auto`` and no bidi isolation, and EPUB readers ignore
the package direction, so every run of Latin script inside Arabic text (and of
Arabic inside a translation) gets its own element with explicit ``dir`` and
``lang``. Source text is always escaped: markup in it comes out as text. A
note call becomes whatever HTML the caller's ``notes`` function gives (nothing
without one).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from warraq.document.inline import Emphasis, Inline, NoteCall, Strong, Syntax, Text, parse_inline
from warraq.document.text import text_direction

# A language tag for Latin words inside Arabic: the script is known, the
# language is not (a loanword such as "blockchain", a name, an acronym).
EMBEDDED_LATIN_LANGUAGE = "und-Latn"

_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefe"
# A Latin run starts with a Latin letter and may hold digits, spaces and the
# punctuation found inside names (C++, AT&T, e-mail, O'Neil), but ends on a
# letter or digit so trailing spaces and sentence marks stay with the Arabic.
LATIN_RUN = re.compile(rf"[{_LATIN}](?:[{_LATIN}0-9 .,'’&+\-/:@_]*[{_LATIN}0-9+])?", re.UNICODE)
_ARABIC_RUN = re.compile(rf"[{_ARABIC}](?:[{_ARABIC}0-9 \u200c\u200d]*[{_ARABIC}])?")


def _attributes(language: str, direction: str, xml: bool) -> str:
    xml_lang = f' xml:lang="{language}"' if xml else ""
    return f'lang="{language}"{xml_lang} dir="{direction}"'


_PAIRS = {"(": ")", "[": "]", "{": "}", '"': '"', "'": "'", "“": "”", "‘": "’", "<": ">"}


def _runs(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Opposite-direction runs; a bracket or quote pair enclosing a run joins it."""
    runs = []
    for match in pattern.finditer(text):
        start, end = match.span()
        while start > 0 and end < len(text) and _PAIRS.get(text[start - 1]) == text[end]:
            start, end = start - 1, end + 1
        runs.append((start, end))
    return runs


def _text_html(text: str, direction: str, xml: bool) -> str:
    pattern = LATIN_RUN if direction == "rtl" else _ARABIC_RUN
    run_language = EMBEDDED_LATIN_LANGUAGE if direction == "rtl" else "ar"
    run_direction = "ltr" if direction == "rtl" else "rtl"
    attributes = _attributes(run_language, run_direction, xml)
    parts: list[str] = []
    position = 0
    for start, end in _runs(text, pattern):
        parts.append(str(escape(text[position:start])))
        parts.append(f"<span {attributes}>{escape(text[start:end])}</span>")
        position = end
    parts.append(str(escape(text[position:])))
    return "".join(parts)


NoteHtml = Callable[[str], str]
"""The HTML of a note call, given the note's label."""


def _nodes_html(
    nodes: tuple[Inline, ...], direction: str, xml: bool, notes: NoteHtml | None
) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(_text_html(node.text, direction, xml))
        elif isinstance(node, Emphasis):
            parts.append(f"<em>{_nodes_html(node.children, direction, xml, notes)}</em>")
        elif isinstance(node, Strong):
            parts.append(f"<strong>{_nodes_html(node.children, direction, xml, notes)}</strong>")
        elif isinstance(node, NoteCall) and notes is not None:
            parts.append(notes(node.label))
    return "".join(parts)


def inline_html(
    text: str, markup: Syntax, language: str, *, xml: bool = False, notes: NoteHtml | None = None
) -> Markup:
    """HTML for ``text`` in ``language``: safe to put inside an element of that language.

    >>> inline_html("تقنية blockchain، و<٥>", "text", "ar")
    Markup('تقنية <span lang="und-Latn" dir="ltr">blockchain</span>، و&lt;٥&gt;')
    >>> inline_html("le *Qatar* (قطر)", "markdown", "fr", xml=True)
    Markup('le <em>Qatar</em> <span lang="ar" xml:lang="ar" dir="rtl">(قطر)</span>')
    """
    return Markup(_nodes_html(parse_inline(text, markup), text_direction(language), xml, notes))
