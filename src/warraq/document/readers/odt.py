"""The OpenDocument reader (``.odt``): the same structure as the Word reader, from the XML.

``content.xml``, ``styles.xml`` and ``meta.xml`` are read with lxml. A block's
line is the paragraph's position in the document, counting every ``text:p``
and ``text:h`` from 1 (empty ones and those inside tables included).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from warraq.document.readers.blocks import (
    Collected,
    Para,
    call_mark,
    collected_draft,
    restore_calls,
)
from warraq.document.readers.docx import HEADING_NAMES, QUOTE_NAMES, TITLE_NAMES
from warraq.document.readers.draft import Draft, RawNote, RawParagraph
from warraq.document.readers.emphasis import Run, escape, runs_to_markup
from warraq.document.text import normalise_spaces
from warraq.errors import WarraqError

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"


class _Styles:
    """Paragraph and text styles, automatic and named, with their parents."""

    def __init__(self, roots: list[Any]) -> None:
        self.parent: dict[str, str] = {}
        self.display: dict[str, str] = {}
        self.bold: dict[str, bool] = {}
        self.italic: dict[str, bool] = {}
        self.ordered: dict[str, dict[int, tuple[bool, int]]] = {}
        for root in roots:
            for style in root.iter(STYLE + "style"):
                name = style.get(STYLE + "name", "")
                self.display[name] = style.get(STYLE + "display-name", name).replace("_20_", " ")
                if style.get(STYLE + "parent-style-name"):
                    self.parent[name] = style.get(STYLE + "parent-style-name", "")
                props = style.find(STYLE + "text-properties")
                if props is not None:
                    weight = props.get(FO + "font-weight") or props.get(
                        STYLE + "font-weight-complex"
                    )
                    slant = props.get(FO + "font-style") or props.get(STYLE + "font-style-complex")
                    if weight is not None:
                        self.bold[name] = weight == "bold" or (
                            weight.isdigit() and int(weight) >= 600
                        )
                    if slant is not None:
                        self.italic[name] = slant in ("italic", "oblique")
            for lists in root.iter(TEXT + "list-style"):
                levels: dict[int, tuple[bool, int]] = {}
                for level in lists:
                    depth = int(level.get(TEXT + "level", "1")) - 1
                    number = level.tag == TEXT + "list-level-style-number"
                    levels[depth] = (number, int(level.get(TEXT + "start-value", "1")))
                self.ordered[lists.get(STYLE + "name", "")] = levels

    def names(self, name: str | None) -> list[str]:
        """The display names of ``name`` and its parents, lower case."""
        names: list[str] = []
        while name and len(names) < 20:
            names.append(self.display.get(name, name).lower())
            name = self.parent.get(name)
        return names

    def flag(self, table: dict[str, bool], name: str | None) -> bool:
        seen = 0
        while name and seen < 20:
            if name in table:
                return table[name]
            name = self.parent.get(name)
            seen += 1
        return False


class _Reader:
    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.out = Collected()
        self.called: list[RawNote] = []  # footnotes and endnotes, in the order of their calls
        self.line = 0

    def body(self, container: Any, list_info: tuple[str, int] | None = None) -> None:
        for child in container:
            tag = child.tag
            if tag in (TEXT + "p", TEXT + "h"):
                self.paragraph(child, list_info)
            elif tag == TEXT + "list":
                style = child.get(TEXT + "style-name") or (list_info[0] if list_info else "")
                depth = list_info[1] + 1 if list_info else 0
                for item in child:
                    if item.tag in (TEXT + "list-item", TEXT + "list-header"):
                        self.body(item, (style, depth))
            elif tag == TABLE + "table":
                start = self.line + 1
                cells = [normalise_spaces("".join(p.itertext())) for p in child.iter(TEXT + "p")]
                self.line += len(cells)
                self.out.leave_out(start, " | ".join(c for c in cells if c), "table")
            elif tag == TEXT + "table-of-content":
                start = self.line + 1
                self.line += len(list(child.iter(TEXT + "p")))
                text = "".join(child.itertext())
                self.out.leave_out(start, text, "table of contents (warraq makes its own)")
            elif tag == TEXT + "tracked-changes":
                for change in child.iter(TEXT + "deletion"):
                    text = "".join(change.itertext())
                    self.out.leave_out(1, text, "tracked deletion (accepted: text removed)")
                for _change in child.iter(TEXT + "insertion"):
                    self.out.leave_out(1, "", "tracked insertion (accepted: text kept)")
            elif tag in (TEXT + "section", TEXT + "soft-page-break"):
                self.body(child, list_info)

    def paragraph(self, p: Any, list_info: tuple[str, int] | None) -> None:
        self.line += 1
        line = self.line
        runs: list[Run] = []
        self.inline(p, runs, line, False, False)
        text, dropped = runs_to_markup(runs)
        text = restore_calls(text)
        if dropped:
            self.out.leave_out(line, text, "emphasis where differently formatted runs meet")
        if not text:
            return
        names = self.styles.names(p.get(TEXT + "style-name"))
        heading = next((HEADING_NAMES.match(n) for n in names if HEADING_NAMES.match(n)), None)
        if (names and names[0] in TITLE_NAMES) or "title" in names[:2]:
            self.out.paras.append(Para("title", text, line))
        elif p.tag == TEXT + "h" or heading is not None:
            level = p.get(TEXT + "outline-level") or (heading.group(1) if heading else "1")
            self.out.paras.append(Para("heading", text, line, int(level)))
        elif list_info is not None:
            style, depth = list_info
            levels = self.styles.ordered.get(style, {})
            ordered, start = levels.get(depth, levels.get(0, (False, 1)))
            self.out.paras.append(Para("item", text, line, depth, ordered, start, style))
        elif any(n in QUOTE_NAMES for n in names):
            self.out.paras.append(Para("quote", text, line))
        else:
            self.out.paras.append(Para("text", text, line))

    def inline(self, element: Any, runs: list[Run], line: int, bold: bool, italic: bool) -> None:
        if element.text:
            runs.append(Run(element.text, bold, italic))
        for child in element:
            tag = child.tag
            if tag == TEXT + "span":
                style = child.get(TEXT + "style-name")
                self.inline(
                    child,
                    runs,
                    line,
                    self.styles.flag(self.styles.bold, style) if style in _known(self) else bold,
                    self.styles.flag(self.styles.italic, style)
                    if style in _known(self, italic=True)
                    else italic,
                )
            elif tag in (TEXT + "a", TEXT + "bookmark-ref", TEXT + "reference-ref"):
                self.inline(child, runs, line, bold, italic)
            elif tag == TEXT + "s" or tag in (TEXT + "tab", TEXT + "line-break"):
                runs.append(Run(" ", bold, italic))
            elif tag == TEXT + "note":
                kind = child.get(TEXT + "note-class", "footnote")
                body = child.find(TEXT + "note-body")
                paragraphs = [
                    normalise_spaces("".join(p.itertext()))
                    for p in (body.iter(TEXT + "p") if body is not None else ())
                ]
                paragraphs = [p for p in paragraphs if p]
                if paragraphs:
                    citation = child.find(TEXT + "note-citation")
                    cited = "".join(citation.itertext()) if citation is not None else ""
                    label = normalise_spaces(cited).replace(" ", "") or str(len(self.called) + 1)
                    label = label if kind == "footnote" else f"e{label}"
                    while any(note.label == label for note in self.called):
                        label += "'"
                    notes_body = tuple(RawParagraph(escape(p), line) for p in paragraphs)
                    self.called.append(RawNote(label, notes_body, line))
                    runs.append(Run(call_mark(label), bold, italic))
                else:
                    self.out.leave_out(line, "", f"empty {kind}")
            elif tag == OFFICE + "annotation":
                self.out.leave_out(
                    line, "".join(child.itertext()), "comment (not part of the text)"
                )
            elif tag == DRAW + "frame":
                self.out.leave_out(line, "[image]", "image or frame (only text is published)")
            elif tag in (TEXT + "change-start", TEXT + "change-end", TEXT + "change"):
                pass
            elif tag.startswith(TEXT) and tag not in (
                TEXT + "bookmark",
                TEXT + "bookmark-start",
                TEXT + "bookmark-end",
                TEXT + "soft-page-break",
                TEXT + "alphabetical-index-mark",
            ):
                text = "".join(child.itertext())
                if text.strip():
                    self.out.leave_out(line, text, f"field {tag[len(TEXT) :]} (not text)")
            if child.tail:
                runs.append(Run(child.tail, bold, italic))


def _known(reader: _Reader, *, italic: bool = False) -> set[str]:
    styles = reader.styles
    table = styles.italic if italic else styles.bold
    names = set(table)
    for name in list(styles.parent):
        if styles.flag(table, name) or any(n in table for n in styles.names(name)):
            names.add(name)
    return names


def read_odt(path: Path, *, source: str, language: str) -> Draft:
    """Read an OpenDocument text (see the module docstring for what becomes what)."""
    del language
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as archive:
            present = set(archive.namelist())
            if "META-INF/manifest.xml" in present:
                manifest = etree.fromstring(archive.read("META-INF/manifest.xml"))
                if manifest.find(f".//{MANIFEST}encryption-data") is not None:
                    raise WarraqError(
                        f"{source}: password-protected (encrypted); save it without a password"
                    )
            content = etree.fromstring(archive.read("content.xml"))
            roots = [content]
            if "styles.xml" in present:
                roots.insert(0, etree.fromstring(archive.read("styles.xml")))
            meta = etree.fromstring(archive.read("meta.xml")) if "meta.xml" in present else None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError):
        raise WarraqError(
            f"{source}: not a readable .odt file (damaged or not OpenDocument); "
            "open it in LibreOffice and save it again as .odt"
        ) from None
    reader = _Reader(_Styles(roots))
    text = content.find(f"{OFFICE}body/{OFFICE}text")
    if text is not None:
        reader.body(text)

    def field(tag: str) -> str | None:
        found = meta.find(f".//{tag}") if meta is not None else None
        return normalise_spaces(found.text) if found is not None and found.text else None

    return collected_draft(
        source,
        reader.out,
        title=field(DC + "title"),
        author=field(DC + "creator") or field(META + "initial-creator"),
        language=field(DC + "language"),
        notes=tuple(reader.called),
    )
