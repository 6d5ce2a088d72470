"""Tagged PDF (pdf/ua-1, pdf/ua-2) that tells the truth: languages, roles, reading order, artifacts.

WeasyPrint (``weasyprint/pdf/tags.py``, 65 to 70) tags by HTML element name
alone: ``p`` is ``P``, ``h1``-``h6`` are headings, ``ul``/``ol``/``li`` lists,
``blockquote`` a ``BlockQuote``, any ``table`` a data ``Table`` with ``TR``,
``TD``, ``TH``; it writes no ``/Lang`` on any element (only the catalog's,
from ``<html lang>``); it builds the tree page by page, so a table row or a
paragraph running over a page becomes two elements, one per page, and the
reading order is page order; every line of text is a ``Span`` of its own; and
the running heads and folios (margin boxes) are marked content that no
element owns, neither tagged nor artifacts. It reads no ARIA ``role``.

The side-by-side layout must stay a table (``NOTES.md``: the only layout that
keeps long pairs level), and its cells must keep ``div`` elements and the
theme's inherited orphans, widows and weights; changing them to ``p`` or
``h2`` would change the page. So the HTML says what each element *is* in
ARIA, which changes nothing on the page (the default variant's bytes are the
same with or without these attributes): the tables are
``role="presentation"``, the cells' blocks ``role="paragraph"`` or
``role="heading" aria-level="N"``, list-item rows ``role="listitem"``, the
contents ``role="doc-toc"``, and ``data-group`` names the quotation and list
a row belongs to (outermost first: ``"blockquote list:<id>"``).

This module is the one place that turns that into the PDF's structure, in two
steps, because WeasyPrint cannot be told any of it:

1. :func:`hinted_tagging` wraps WeasyPrint's recursive ``_build_box_tree`` (a
   private function, the narrowest hook there is; checked to exist, pinned by
   the tests to the WeasyPrint the suite runs). The wrapper changes nothing
   WeasyPrint does: it only stamps each structure element it yields with the
   element's language (WeasyPrint's own ``box.style['lang']``, inherited from
   the ``lang`` attributes) and a private ``/WarraqHint`` dictionary (HTML
   element, role, level, groups).
2. :func:`retag` reads the tree back with pikepdf and writes a new one:
   fragments of one HTML element on several pages become one element (the
   pair's Arabic cell whole, then its translation, pair by pair: the source
   order; on facing pages each passage's two pieces, ``data-pair``, one after
   the other); layout tables, their rows and cells, WeasyPrint's per-line
   ``Span`` elements, ``NonStruct`` wrappers and spans in their parent's
   language dissolve into their parent; roles come from the hints
   (``H1``-``H6``, ``P``, ``L``/``LI``/``LBody``, ``BlockQuote``, a ``TOC`` of
   ``TOCI`` beside the contents' headings); every element carries ``/Lang``
   (its HTML language; a container whose children are in several languages,
   the edition's primary language); the document's ``/Lang`` is the primary
   language; marked content that no element owns (running heads, folios)
   becomes ``/Artifact``; the parent tree is rebuilt and the hints removed.
   With ``primary_language = "translation"`` each pair reads translation
   first.

Embedded runs in the other script keep their ``Span`` with their own
``/Lang``: ``ar`` inside a translation, ``und-Latn`` for Latin words inside
Arabic (the script is known, the language is not).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from warraq.errors import WarraqError
from warraq.render.job import EditionJob

TAGGED_VARIANTS = ("pdf/ua-1", "pdf/ua-2")
"""The PDF variants whose structure tree this module writes."""

_HINT = "/WarraqHint"
_KEPT = ("/A", "/Alt", "/ActualText", "/E", "/ID", "/NS", "/T")
"""Keys of WeasyPrint's elements that the rebuilt ones keep: attributes (a data
table's headers, a figure's box), texts, ids, PDF 2.0's namespace."""
_TABLE_PARTS = frozenset(("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"))
_PRESENTATION = frozenset(("presentation", "none"))


def write_pdf(document: Any, job: EditionJob, **options: Any) -> bytes:
    """``document.write_pdf(**options)``; for the tagged variants, with the structure
    tree rebuilt (:func:`hinted_tagging`, then :func:`retag`)."""
    if job.pdf_variant not in TAGGED_VARIANTS:
        data: bytes = document.write_pdf(**options)
        return data
    with hinted_tagging():
        data = document.write_pdf(**options)
    translation_first = job.edition.bilingual and job.edition.primary_language == "translation"
    return retag(data, primary_language(job), translation_first=translation_first)


def primary_language(job: EditionJob) -> str:
    """The edition's primary language: the translation's in a translation-only edition."""
    if job.edition.bilingual and job.edition.primary_language == "source":
        return job.document.meta.language
    return job.language


@contextmanager
def hinted_tagging() -> Iterator[None]:
    """While active, WeasyPrint's tagger stamps each structure element with its HTML facts.

    Wrap ``document.write_pdf`` of a tagged variant in it, then pass the bytes to
    :func:`retag`.
    """
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        raise WarraqError(
            "pdf/ua: this WeasyPrint has no weasyprint.pdf.tags._build_box_tree, which warraq's "
            "tagging hooks into: install a WeasyPrint that has it (the tests run 70.0) or build "
            "without --pdf-variant pdf/ua-1"
        )
    numbers: dict[int, int] = {}
    elements: list[Any] = []  # keeps the HTML elements alive, so their id() stay unique

    def build(box: Any, *args: Any) -> Iterator[Any]:
        for element in original(box, *args):
            _stamp(element, box, numbers, elements)
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def _stamp(element: Any, box: Any, numbers: dict[int, int], elements: list[Any]) -> None:
    import pydyf  # type: ignore[import-untyped]

    html = getattr(box, "element", None)
    tag = getattr(box, "element_tag", None)
    # The html and body boxes pass their children's elements on: stamped already.
    if html is None or not isinstance(tag, str) or "WarraqHint" in element:
        return
    if id(html) not in numbers:
        numbers[id(html)] = len(numbers)
        elements.append(html)
    pseudo = tag.partition("::")[2]
    hint = {"Key": pydyf.String(f"{numbers[id(html)]}{'::' + pseudo if pseudo else ''}")}
    hint["Tag"] = pydyf.String(tag)
    for attribute, name in (
        ("role", "Role"),
        ("aria-level", "Level"),
        ("data-group", "Group"),
        ("data-pair", "Pair"),
    ):
        value = html.get(attribute)
        if value:
            hint[name] = pydyf.String(value)
    element["WarraqHint"] = pydyf.Dictionary(hint)
    language = box.style["lang"]
    if language:
        element["Lang"] = pydyf.String(language)


@dataclass(frozen=True, slots=True)
class _Content:
    """Marked content (a page's MCID) or an annotation, as a structure element's kid."""

    page: int
    mcid: int | None = None
    annotation: Any = None


@dataclass(slots=True)
class _Node:
    """A structure element while the tree is rebuilt."""

    role: str
    lang: str | None
    hint: dict[str, str]
    kids: list[_Node | _Content] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    kept: dict[str, Any] = field(default_factory=dict)  # WeasyPrint's other keys (_KEPT)

    @property
    def tag(self) -> str:
        """The HTML element's name, without a pseudo-element."""
        return self.hint.get("Tag", "").partition("::")[0]

    def first_page(self) -> int | None:
        for kid in self.kids:
            page = kid.page if isinstance(kid, _Content) else kid.first_page()
            if page is not None:
                return page
        return None


def retag(data: bytes, primary_language: str, *, translation_first: bool = False) -> bytes:
    """``data`` (written inside :func:`hinted_tagging`) with its structure tree rebuilt.

    ``primary_language`` becomes the document's ``/Lang``; ``translation_first``
    reads each side-by-side pair translation first.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return data
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        root = pdf.Root.StructTreeRoot
        document = _read(root.K[0] if isinstance(root.K, pikepdf.Array) else root.K, pages, None)
        document.lang = primary_language
        shaped = _Shaper(primary_language, translation_first)
        document.kids = _merged(document.kids)
        document.kids = shaped.kids(document, _Context(lang=primary_language))
        _languages(document, primary_language)
        _write(pdf, document, primary_language)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _read(element: Any, pages: dict[tuple[int, int], int], page: int | None) -> _Node:
    import pikepdf

    if "/Pg" in element:
        page = pages.get(element.Pg.objgen, page)
    hint = {str(key)[1:]: str(value) for key, value in element.get(_HINT, {}).items()}
    node = _Node(
        role=str(element.S)[1:],
        lang=str(element.Lang) if "/Lang" in element else None,
        hint=hint,
        groups=hint.get("Group", "").split(),
        kept={key: element[key] for key in _KEPT if key in element},
    )
    kids = element.get("/K", pikepdf.Array())
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            assert page is not None
            node.kids.append(_Content(page, mcid=int(kid)))
        elif kid.get("/Type") == pikepdf.Name.MCR:
            kid_page = pages[kid.Pg.objgen] if "/Pg" in kid else page
            assert kid_page is not None
            node.kids.append(_Content(kid_page, mcid=int(kid.MCID)))
        elif kid.get("/Type") == pikepdf.Name.OBJR:
            kid_page = pages[kid.Pg.objgen] if "/Pg" in kid else page
            assert kid_page is not None
            node.kids.append(_Content(kid_page, annotation=kid.Obj))
        else:
            node.kids.append(_read(kid, pages, page))
    return node


def _merged(kids: list[_Node | _Content]) -> list[_Node | _Content]:
    """The tree with every HTML element's fragments (one per page, or an anonymous box
    inside it) made one element, their contents in page order."""
    canonical: dict[str, _Node] = {}
    top = _Node("Document", None, {})

    def absorb(kids: list[_Node | _Content], into: _Node) -> None:
        for kid in kids:
            if isinstance(kid, _Content):
                into.kids.append(kid)
                continue
            key = kid.hint.get("Key")
            if key is not None and key in canonical:
                absorb(kid.kids, canonical[key])
                continue
            if key is not None:
                canonical[key] = kid
            own, kid.kids = kid.kids, []
            into.kids.append(kid)
            absorb(own, kid)

    absorb(kids, top)
    return top.kids


@dataclass(frozen=True, slots=True)
class _Shaper:
    """Roles from the hints; layout tables and wrappers dissolved; lists and quotations grouped."""

    primary_language: str
    translation_first: bool

    def kids(self, node: _Node, context: _Context) -> list[_Node | _Content]:
        """``node``'s kids shaped, paired and grouped (it stays an element)."""
        return _grouped(_paired(self._shaped_kids(node, context)))

    def _shaped_kids(self, node: _Node, context: _Context) -> list[_Node | _Content]:
        parts = [self.shape(kid, context) if isinstance(kid, _Node) else [kid] for kid in node.kids]
        if context.layout and node.tag == "tr" and self.translation_first:
            parts.reverse()
        return [kid for part in parts for kid in part]

    def shape(self, node: _Node, context: _Context) -> list[_Node | _Content]:
        """What ``node`` becomes: itself with its role, or (dissolved) its kids, which its
        parent pairs and groups with their new siblings."""
        role = node.hint.get("Role", "")
        tag = node.tag
        layout = role in _PRESENTATION if tag == "table" else context.layout
        toc = context.toc or role == "doc-toc"
        dissolve = (
            role in _PRESENTATION
            or (layout and tag in _TABLE_PARTS and not role)
            or not node.hint  # WeasyPrint's Span around each line of text
            or (node.role == "NonStruct" and not role)
            or (node.role == "Span" and node.lang == context.lang)  # says nothing more
            or (context.link and node.role == "Link")
            or (toc and node.role in ("L", "LBody"))
        )
        inner = _Context(
            layout=layout,
            toc=toc,
            link=context.link or (node.role == "Link" and not dissolve),
            lang=context.lang if dissolve else node.lang,
        )
        if dissolve:
            kids = self._shaped_kids(node, inner)
            for kid in kids:
                if isinstance(kid, _Node):
                    kid.groups = node.groups + kid.groups
            return kids
        kids = self.kids(node, inner)
        if not kids:
            return []
        node.kids = kids
        if role == "heading":
            level = node.hint.get("Level", "2")
            node.role = f"H{min(max(int(level) if level.isdigit() else 2, 1), 6)}"
        elif role == "paragraph":
            node.role = "P"
        elif role == "doc-toc":
            # A TOC holds only TOCI (and Caption): the contents' headings stay
            # headings, in a Sect beside the TOC.
            node.role = "Sect"
            node.kids = _toc(kids)
        elif toc and (role == "listitem" or node.role == "LI"):
            node.role = "TOCI"
        elif role == "listitem":
            node.role = "LI"
            node.kids = [_Node("LBody", node.lang, {}, kids)]
        return [node]


@dataclass(frozen=True, slots=True)
class _Context:
    """Where an element sits: in a layout table, the contents, a link; its parent's language."""

    layout: bool = False
    toc: bool = False
    link: bool = False
    lang: str | None = None


def _paired(kids: list[_Node | _Content]) -> list[_Node | _Content]:
    """Facing pages: each passage's pieces (the same ``data-pair`` on both pages) in a row,
    in the order the pages are read."""
    pairs: dict[str, int] = {}
    for kid in kids:
        if isinstance(kid, _Node) and "Pair" in kid.hint:
            pairs.setdefault(kid.hint["Pair"], len(pairs))
    if not pairs:
        return kids
    order: list[tuple[int, int]] = []
    last = -1
    for index, kid in enumerate(kids):
        if isinstance(kid, _Node) and "Pair" in kid.hint:
            last = pairs[kid.hint["Pair"]]
        order.append((last, index))
    return [kids[index] for _, index in sorted(order)]


def _toc(kids: list[_Node | _Content]) -> list[_Node | _Content]:
    """Runs of ``TOCI`` wrapped in a ``TOC``."""
    out: list[_Node | _Content] = []
    for kid in kids:
        if isinstance(kid, _Node) and kid.role == "TOCI":
            last = out[-1] if out else None
            if not (isinstance(last, _Node) and last.role == "TOC" and not last.hint):
                last = _Node("TOC", None, {})
                out.append(last)
            last.kids.append(kid)
        else:
            out.append(kid)
    return out


def _grouped(kids: list[_Node | _Content]) -> list[_Node | _Content]:
    """Consecutive kids of one quotation or list wrapped in a ``BlockQuote`` or ``L``."""
    out: list[_Node | _Content] = []
    index = 0
    while index < len(kids):
        kid = kids[index]
        token = kid.groups[0] if isinstance(kid, _Node) and kid.groups else None
        if token is None:
            out.append(kid)
            index += 1
            continue
        end = index
        while end < len(kids):
            member = kids[end]
            if not isinstance(member, _Node) or member.groups[:1] != [token]:
                break
            member.groups = member.groups[1:]
            end += 1
        members = _grouped(kids[index:end])
        if token.startswith("item:"):  # facing pages: a list item's two pieces
            out.append(_Node("LI", None, {"Group": token}, [_Node("LBody", None, {}, members)]))
        else:
            role = "BlockQuote" if token == "blockquote" else "L"
            out.append(_Node(role, None, {"Group": token}, members))
        index = end
    return out


def _languages(node: _Node, primary: str) -> set[str]:
    """Give every element a ``/Lang``: its own when it holds text; for a container, the
    one language of its kids, or ``primary`` when they are in several."""
    found: set[str] = set()
    direct = False
    for kid in node.kids:
        if isinstance(kid, _Node):
            found |= _languages(kid, primary)
        else:
            direct = True
    if direct and node.lang:
        return {node.lang}
    if node.role != "Document":
        node.lang = next(iter(found)) if len(found) == 1 else primary
    return found or {node.lang or primary}


def _write(pdf: Any, document: _Node, primary: str) -> None:
    """Replace the structure tree by ``document``'s, with its parent tree; mark unowned
    content as artifacts; set the catalog's language."""
    import pikepdf

    pages = list(pdf.pages)
    owners: dict[int, dict[int, Any]] = {index: {} for index in range(len(pages))}
    annotations: dict[int, Any] = {}
    root = pdf.Root.StructTreeRoot

    def make(node: _Node, parent: Any) -> Any:
        element = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + node.role))
        )
        element.P = parent
        page = node.first_page()
        if page is not None:
            element.Pg = pages[page].obj
        if node.lang:
            element.Lang = pikepdf.String(node.lang)
        for key, value in node.kept.items():
            table = key == "/A" and value.get("/O") == pikepdf.Name.Table
            if not table or node.role in ("TD", "TH"):  # a cell made a P loses its table keys
                element[key] = value
        kids = pikepdf.Array()
        for kid in node.kids:
            if isinstance(kid, _Node):
                kids.append(make(kid, element))
            elif kid.mcid is not None:
                owners[kid.page][kid.mcid] = element
                if kid.page == page:
                    kids.append(kid.mcid)
                else:
                    kids.append(
                        pikepdf.Dictionary(
                            Type=pikepdf.Name.MCR, Pg=pages[kid.page].obj, MCID=kid.mcid
                        )
                    )
            else:
                annotations[int(kid.annotation.StructParent)] = element
                kids.append(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.OBJR, Obj=kid.annotation, Pg=pages[kid.page].obj
                    )
                )
        element.K = kids
        return element

    top = make(document, root)
    root.K = pikepdf.Array([top])
    nums = pikepdf.Array()
    next_key = 0
    for index, page in enumerate(pages):
        key = int(page.obj.get("/StructParents", index))
        owned = owners[index]
        _artifacts(pdf, page, owned)
        size = max(owned, default=-1) + 1
        nums.append(key)
        nums.append(pdf.make_indirect(pikepdf.Array([owned.get(mcid) for mcid in range(size)])))
        next_key = max(next_key, key + 1)
    for key in sorted(annotations):
        nums.append(key)
        nums.append(annotations[key])
        next_key = max(next_key, key + 1)
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = next_key
    pdf.Root.Lang = pikepdf.String(primary)


def _artifacts(pdf: Any, page: Any, owned: dict[int, Any]) -> None:
    """Turn the page's marked content that no element owns (margin boxes) into artifacts."""
    import pikepdf

    bdc = pikepdf.Operator("BDC")
    artifact = ([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
    changed = False
    rewritten: list[Any] = []
    instruction: Any
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction
        if operator == bdc and len(operands) == 2:
            properties = operands[1]
            if (
                isinstance(properties, pikepdf.Dictionary)
                and "/MCID" in properties
                and int(properties.MCID) not in owned
            ):
                instruction = artifact
                changed = True
        rewritten.append(instruction)
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))
