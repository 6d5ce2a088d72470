"""The web-page reader (``.html``, a saved article): the main text, the page furniture reported.

Which text is the article's is decided by readability-lxml (it kept every
block of the Arabic test pages, semantic or plain ``div`` markup, where
trafilatura dropped the headings and lists of the plain one; README "Readers").
Structure, emphasis and lines are then read from the page itself with lxml, so
each block keeps its source line and every text the page holds is either kept
or reported as left out, with the reason its surroundings give (menu, footer,
share buttons, form...). Parsing runs no script and fetches nothing: lxml's
HTML parser does neither, and ``<script>`` text is reported, never read as text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from warraq.document.readers.blocks import Collected, Para, collected_draft
from warraq.document.readers.draft import Draft
from warraq.document.readers.emphasis import Run, runs_to_markup
from warraq.document.text import normalise_spaces
from warraq.errors import WarraqError

_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED = frozenset(
    [
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "input",
        "select",
        "textarea",
        "option",
        "map",
    ]
)
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em", "cite", "dfn"})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}

# Why a text outside the main text was left out: the first ancestor (nearest
# first) whose tag, role or class/id words name one of these.
_FURNITURE: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    (
        "web form or its messages",
        frozenset({"form", "button", "label", "fieldset"}),
        frozenset({"form", "newsletter", "subscribe", "subscription", "signup", "success"}),
    ),
    ("share buttons", frozenset(), frozenset({"share", "sharing", "social", "sharethis"})),
    (
        "navigation or menu",
        frozenset({"nav", "menu"}),
        frozenset({"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs"}),
    ),
    ("cookie notice", frozenset(), frozenset({"cookie", "cookies", "consent", "gdpr"})),
    ("comments", frozenset(), frozenset({"comment", "comments", "disqus"})),
    (
        "sidebar or related links",
        frozenset({"aside"}),
        frozenset({"aside", "sidebar", "related", "widget", "recommended", "popular"}),
    ),
    ("page footer", frozenset({"footer"}), frozenset({"footer", "contentinfo", "copyright"})),
    ("page header", frozenset({"header"}), frozenset({"header", "banner", "masthead", "logo"})),
    (
        "byline or date",
        frozenset({"time"}),
        frozenset({"meta", "byline", "author", "date", "dateline", "tags"}),
    ),
)
_WORDS = re.compile(r"[a-z]+")


@dataclass
class _Unit:
    """One run of text as the page lays it out: a paragraph, heading, list item..."""

    element: Any
    runs: list[Run]
    kind: str
    level: int = 0
    ordered: bool = False
    start: int = 1
    list_id: str = ""

    @property
    def plain(self) -> str:
        return normalise_spaces("".join(run.text for run in self.runs))


def _units(root: Any) -> Iterator[_Unit]:
    """Every run of text under ``root``, in order, classified by its nearest block ancestors."""

    def walk(element: Any, context: _Unit | None) -> Iterator[_Unit]:
        tag = element.tag if isinstance(element.tag, str) else ""
        unit = _context(element, tag, context)
        current: _Unit | None = None
        if element.text:
            current = replace(unit, runs=[Run(element.text)])
        for child in element:
            child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if child_tag in _BLOCKS:
                if current is not None:
                    yield current
                    current = None
                yield from walk(child, unit)
            elif child_tag and child_tag not in _SKIPPED:
                if current is None:
                    current = replace(unit, runs=[])
                _inline(child, current.runs, child_tag in _BOLD, child_tag in _ITALIC)
            if child.tail:
                if current is None:
                    current = replace(unit, runs=[])
                current.runs.append(Run(child.tail))
        if current is not None:
            yield current

    yield from walk(root, None)


def _context(element: Any, tag: str, outer: _Unit | None) -> _Unit:
    """What text directly in ``element`` is: its kind, from the element and its ancestors."""
    tag = tag.lower()
    if outer is None:
        return _Unit(element, [], "text")
    if tag in _HEADINGS and outer.kind not in ("item", "quote"):
        return _Unit(element, [], "heading", _HEADINGS[tag])
    if tag == "li":
        parent = element.getparent()
        ordered = parent is not None and parent.tag == "ol"
        start = parent.get("start", "1") if parent is not None else "1"
        depth = outer.level + 1 if outer.kind == "item" else 0
        number = int(start) if start.isdigit() else 1
        return _Unit(element, [], "item", depth, ordered, number, str(id(parent)))
    if tag == "blockquote" and outer.kind != "item":
        return _Unit(element, [], "quote")
    return replace(outer, element=element, runs=[])


def _inline(element: Any, runs: list[Run], bold: bool, italic: bool) -> None:
    """The text of an inline element and its children, with bold and italic."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _SKIPPED:
        return
    bold = bold or tag in _BOLD
    italic = italic or tag in _ITALIC
    if tag == "br":
        runs.append(Run(" ", bold, italic))
    if element.text:
        runs.append(Run(element.text, bold, italic))
    for child in element:
        _inline(child, runs, bold, italic)
        if child.tail:
            runs.append(Run(child.tail, bold, italic))


def _furniture(element: Any) -> str:
    """Why text in ``element``, outside the main text, was left out."""
    while element is not None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        words = set(
            _WORDS.findall(
                " ".join((element.get(k) or "") for k in ("class", "id", "role")).lower()
            )
        )
        for reason, tags, names in _FURNITURE:
            if tag in tags or words & names:
                return reason
        element = element.getparent()
    return "outside the main text (page furniture)"


def _parse(text: str, source: str) -> Any:
    import lxml.html
    from lxml import etree

    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise WarraqError(
            f"{source}: not a readable web page ({error}); save the page again as HTML"
        ) from None


def _main_texts(text: str, source: str) -> Counter[str]:
    """The texts readability-lxml finds to be the page's main text, with their counts."""
    import lxml.html
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(text).summary(html_partial=True)
    except (Unparseable, ValueError) as error:
        raise WarraqError(
            f"{source}: not a readable web page ({error}); save the page again as HTML"
        ) from None
    if not summary.strip():
        return Counter()
    return Counter(
        unit.plain for unit in _units(lxml.html.fragment_fromstring(summary, create_parent="div"))
    )


def _top_list(element: Any) -> Any:
    """The outermost ``ul`` or ``ol`` holding ``element``, if any."""
    top = None
    while element is not None:
        if element.tag in ("ul", "ol"):
            top = element
        element = element.getparent()
    return top


def _meta(root: Any, *names: str) -> str | None:
    for name in names:
        for meta in root.iter("meta"):
            if name in (meta.get("name", "").lower(), meta.get("property", "").lower()):
                content = normalise_spaces(meta.get("content", ""))
                if content:
                    return content
    return None


def _language(element: Any, root: Any) -> str | None:
    """The nearest ``lang`` (or ``xml:lang``) above ``element``, else the page's."""
    while element is not None:
        for key in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
            if element.get(key):
                return str(element.get(key))
        element = element.getparent()
    for meta in root.iter("meta"):
        if meta.get("http-equiv", "").lower() == "content-language" and meta.get("content"):
            return str(meta.get("content")).split(",")[0]
    return None


def read_html(text: str, *, source: str, language: str) -> Draft:
    """Read a saved web page: its main text as blocks; menus, footers, forms... reported.

    Headings ``h1``-``h6``, paragraphs, ``ul``/``ol`` items, ``blockquote``,
    ``strong``/``b`` and ``em``/``i`` become the model's headings, paragraphs,
    lists, quotes and emphasis; the title is the first ``h1`` (else
    ``og:title`` / ``<title>``), the author ``<meta name=author>``, the language
    the nearest ``lang`` of the main text (``dir`` alone names no language).
    """
    del language
    root = _parse(text, source)
    body = root.find("body")
    if body is None:
        body = root
    main = _main_texts(text, source)
    collected = Collected()
    meta_title = _meta(root, "og:title", "twitter:title")
    if meta_title is None:
        found = root.find(".//title")
        meta_title = normalise_spaces(found.text_content()) if found is not None else None
    first_kept: Any = None
    for element in root.iter("script", "iframe", "object", "embed"):
        what = element.get("src") or element.get("data") or (element.text or "").strip()
        line = element.sourceline or 1
        collected.leave_out(line, what or f"<{element.tag}>", f"{element.tag} (never run)")
    for element in body.iter("img"):
        alt = normalise_spaces(element.get("alt", ""))
        collected.leave_out(element.sourceline or 1, alt or "[image]", "image (only text is kept)")
    units = [unit for unit in _units(body) if unit.plain]
    kept: list[bool] = []
    for unit in units:
        title_outside = (
            unit.kind == "heading"
            and unit.level == 1
            and not any(kept)
            and meta_title is not None
            and meta_title.startswith(unit.plain)
        )
        kept.append(main[unit.plain] > 0 or title_outside)
        if kept[-1]:
            main[unit.plain] -= 1
    # readability drops small nested lists from the article: a list keeps all its items.
    lists = {_top_list(u.element) for u, k in zip(units, kept, strict=True) if k}
    lists.discard(None)
    for unit, keep in zip(units, kept, strict=True):
        line = unit.element.sourceline or 1
        if not keep and not (unit.kind == "item" and _top_list(unit.element) in lists):
            collected.leave_out(line, unit.plain, _furniture(unit.element))
            continue
        first_kept = first_kept if first_kept is not None else unit.element
        markup, dropped = runs_to_markup(unit.runs)
        if dropped:
            collected.leave_out(line, markup, "emphasis where differently formatted runs meet")
        collected.paras.append(
            Para(unit.kind, markup, line, unit.level, unit.ordered, unit.start, unit.list_id)
        )
    has_h1 = any(p.kind == "heading" and p.level == 1 for p in collected.paras)
    return collected_draft(
        source,
        collected,
        title=None if has_h1 else meta_title,
        author=_meta(root, "author", "article:author"),
        language=_language(first_kept if first_kept is not None else body, root),
    )
