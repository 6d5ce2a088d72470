"""The Word reader (``.docx``): styles, lists, quotes, emphasis, metadata; the rest reported.

The package is opened with python-docx; the XML it does not model (outline
levels, ``w:bidi``, numbering formats, tracked changes, fields, notes,
comments) is read from its parts directly. Footnotes and endnotes become notes:
the call ``[^<id>]`` (``[^e<id>]`` for an endnote) where the reference is, the
body's paragraphs as the note (plain text). A block's line is the paragraph's
position in the document, counting every ``w:p`` from 1 (empty ones and those
inside tables included).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warraq.document.readers.blocks import (
    Collected,
    Para,
    call_mark,
    collected_draft,
    restore_calls,
)
from warraq.document.readers.draft import Draft, RawNote, RawParagraph
from warraq.document.readers.emphasis import Run, escape, runs_to_markup
from warraq.document.text import normalise_spaces
from warraq.errors import WarraqError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Indentation on the start side from which an unnumbered paragraph is a block quote.
QUOTE_INDENT_TWIPS = 567  # 1 cm
HEADING_NAMES = re.compile(r"^(?:heading|titre|título|überschrift|عنوان)\s*([1-9])$", re.I)
TITLE_NAMES = frozenset({"title", "titre", "العنوان", "عنوان رئيسي"})
QUOTE_NAMES = frozenset(
    {"quote", "intense quote", "quotations", "citation", "citation intense", "اقتباس"}
)


def _on(element: Any, tag: str) -> bool:
    """True when the toggle property ``tag`` is present and not switched off."""
    found = element.find(W + tag) if element is not None else None
    return found is not None and found.get(W + "val", "true") not in ("0", "false", "off")


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num: tuple[str, int] | None
    bold: bool
    italic: bool


def _num_pr(ppr: Any) -> tuple[str, int] | None:
    num = ppr.find(W + "numPr") if ppr is not None else None
    if num is None:
        return None
    num_id = num.find(W + "numId")
    ilvl = num.find(W + "ilvl")
    if num_id is None:
        return None
    return num_id.get(W + "val", "0"), int(ilvl.get(W + "val", "0")) if ilvl is not None else 0


def _outline(ppr: Any) -> int | None:
    level = ppr.find(W + "outlineLvl") if ppr is not None else None
    if level is None:
        return None
    value = int(level.get(W + "val", "9"))
    return value if value < 9 else None


class _Reader:
    def __init__(self, document: Any, source: str) -> None:
        self.source = source
        self.out = Collected()
        self.line = 0
        self.styles: dict[str, _Style] = {}
        for style in document.styles.element.findall(W + "style"):
            name = style.find(W + "name")
            based = style.find(W + "basedOn")
            ppr, rpr = style.find(W + "pPr"), style.find(W + "rPr")
            self.styles[style.get(W + "styleId", "")] = _Style(
                (name.get(W + "val", "") if name is not None else "").strip(),
                based.get(W + "val") if based is not None else None,
                _outline(ppr),
                _num_pr(ppr),
                _on(rpr, "b") or _on(rpr, "bCs"),
                _on(rpr, "i") or _on(rpr, "iCs"),
            )
        self.formats: dict[tuple[str, int], tuple[bool, int]] = {}
        self.notes: dict[str, dict[str, str]] = {}
        self.bodies: dict[str, dict[str, list[str]]] = {}  # footnotes, endnotes: paragraphs
        self.called: list[RawNote] = []
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        if numbering is not None:
            abstract = {a.get(W + "abstractNumId"): a for a in numbering.findall(W + "abstractNum")}
            for num in numbering.findall(W + "num"):
                ref = num.find(W + "abstractNumId")
                definition = abstract.get(ref.get(W + "val") if ref is not None else None)
                if definition is None:
                    continue
                for lvl in definition.findall(W + "lvl"):
                    fmt = lvl.find(W + "numFmt")
                    start = lvl.find(W + "start")
                    self.formats[(num.get(W + "numId", ""), int(lvl.get(W + "ilvl", "0")))] = (
                        (fmt.get(W + "val") if fmt is not None else "decimal") != "bullet",
                        int(start.get(W + "val", "1")) if start is not None else 1,
                    )
        from lxml import etree

        for rel in document.part.rels.values():
            kind = rel.reltype.rsplit("/", 1)[-1]
            if kind in ("footnotes", "endnotes", "comments") and not rel.is_external:
                root = etree.fromstring(rel.target_part.blob)
                self.notes[kind] = {
                    str(note.get(W + "id")): normalise_spaces("".join(note.itertext()))
                    for note in root
                }
                if kind != "comments":
                    self.bodies[kind] = {
                        str(note.get(W + "id")): [
                            normalise_spaces("".join(p.itertext())) for p in note.iter(W + "p")
                        ]
                        for note in root
                    }

    def chain(self, style_id: str | None) -> list[_Style]:
        styles: list[_Style] = []
        while style_id and style_id in self.styles and len(styles) < 20:
            styles.append(self.styles[style_id])
            style_id = styles[-1].based_on
        return styles

    def body(self, container: Any) -> None:
        for child in container:
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                start = self.line + 1
                cells = [normalise_spaces("".join(p.itertext())) for p in child.iter(W + "p")]
                self.line += len(cells)
                self.out.leave_out(start, " | ".join(c for c in cells if c), "table")
            elif child.tag == W + "sdt":
                gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
                content = child.find(W + "sdtContent")
                if gallery is not None and "Contents" in gallery.get(W + "val", ""):
                    start = self.line + 1
                    self.line += len(list(child.iter(W + "p")))
                    text = normalise_spaces("".join(child.itertext()))
                    self.out.leave_out(start, text, "table of contents (warraq makes its own)")
                elif content is not None:
                    self.body(content)

    def paragraph(self, p: Any) -> None:
        self.line += 1
        line = self.line
        ppr = p.find(W + "pPr")
        style_el = ppr.find(W + "pStyle") if ppr is not None else None
        chain = self.chain(style_el.get(W + "val") if style_el is not None else None)
        if ppr is not None:
            for nested in ppr.iter(W + "ins", W + "del"):
                if nested.getparent().tag == W + "rPr":
                    self.out.leave_out(line, "¶", "tracked paragraph-mark change (accepted)")
        runs: list[Run] = []
        self.inline(p, runs, line, [])
        text, dropped = runs_to_markup(runs)
        text = restore_calls(text)
        if dropped:
            self.out.leave_out(line, text, "emphasis where differently formatted runs meet")
        if not text:
            return
        names = [s.name.lower() for s in chain]
        outline = _outline(ppr)
        if outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        num = _num_pr(ppr) or next((s.num for s in chain if s.num is not None), None)
        heading = next((HEADING_NAMES.match(n) for n in names if HEADING_NAMES.match(n)), None)
        if names and names[0] in TITLE_NAMES:
            self.out.paras.append(Para("title", text, line))
        elif heading is not None or outline is not None:
            level = int(heading.group(1)) if heading is not None else (outline or 0) + 1
            self.out.paras.append(Para("heading", text, line, level))
        elif num is not None and num[0] != "0":
            ordered, start = self.formats.get(num, (False, 1))
            self.out.paras.append(Para("item", text, line, num[1], ordered, start, num[0]))
        elif any(n in QUOTE_NAMES for n in names) or self.indented(ppr):
            self.out.paras.append(Para("quote", text, line))
        else:
            self.out.paras.append(Para("text", text, line))

    @staticmethod
    def indented(ppr: Any) -> bool:
        """Indented on the start side (right in a ``w:bidi`` paragraph) by 1 cm or more."""
        ind = ppr.find(W + "ind") if ppr is not None else None
        if ind is None:
            return False
        rtl = _on(ppr, "bidi")
        sides = ("start", "right" if rtl else "left") if rtl else ("start", "left")
        for side in sides:
            value = ind.get(W + side)
            if value is not None and value.lstrip("-").isdigit():
                return int(value) >= QUOTE_INDENT_TWIPS
        return False

    def inline(self, element: Any, runs: list[Run], line: int, fields: list[list[str]]) -> None:
        for child in element:
            tag = child.tag
            if tag == W + "r":
                self.run(child, runs, line, fields)
            elif tag in (W + "ins", W + "moveTo"):
                self.out.leave_out(
                    line, "".join(child.itertext()), "tracked insertion (accepted: text kept)"
                )
                self.inline(child, runs, line, fields)
            elif tag in (W + "del", W + "moveFrom"):
                self.out.leave_out(
                    line, "".join(child.itertext()), "tracked deletion (accepted: text removed)"
                )
            elif tag == W + "fldSimple":
                instruction = child.get(W + "instr", "").strip()
                if instruction.upper().startswith("HYPERLINK"):
                    self.inline(child, runs, line, fields)
                else:
                    text = "".join(child.itertext())
                    self.out.leave_out(line, f"{instruction}: {text}", "field (not text)")
            elif tag in (W + "hyperlink", W + "smartTag", W + "customXml"):
                self.inline(child, runs, line, fields)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.inline(content, runs, line, fields)

    def run(self, r: Any, runs: list[Run], line: int, fields: list[list[str]]) -> None:
        rpr = r.find(W + "rPr")
        style = rpr.find(W + "rStyle") if rpr is not None else None
        chain = self.chain(style.get(W + "val") if style is not None else None)
        bold = _on(rpr, "b") or _on(rpr, "bCs") or any(s.bold for s in chain)
        italic = _on(rpr, "i") or _on(rpr, "iCs") or any(s.italic for s in chain)
        for child in r:
            tag = child.tag
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    fields.append(["", ""])  # instruction, displayed result
                elif kind == "separate" and fields:
                    fields[-1][0] += "\0"
                elif kind == "end" and fields:
                    instruction, shown = fields.pop()
                    instruction = instruction.rstrip("\0").strip()
                    if not instruction.upper().startswith("HYPERLINK"):
                        self.out.leave_out(line, f"{instruction}: {shown}", "field (not text)")
                continue
            if tag == W + "instrText" and fields:
                fields[-1][0] += child.text or ""
                continue
            text = ""
            if tag == W + "t":
                text = child.text or ""
            elif tag in (W + "tab", W + "cr"):
                text = " "
            elif tag == W + "br":
                text = "" if child.get(W + "type") in ("page", "column") else " "
            elif tag == W + "noBreakHyphen":
                text = "\u2011"
            elif tag in (W + "drawing", W + "pict", W + "object"):
                self.out.leave_out(line, "[image]", "image or drawing (only text is published)")
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "footnotes" if tag == W + "footnoteReference" else "endnotes"
                number = str(child.get(W + "id"))
                paragraphs = [p for p in self.bodies.get(kind, {}).get(number, []) if p]
                if paragraphs:
                    label = number if kind == "footnotes" else f"e{number}"
                    body = tuple(RawParagraph(escape(p), line) for p in paragraphs)
                    self.called.append(RawNote(label, body, line))
                    text = call_mark(label)
                else:
                    self.out.leave_out(line, "", f"empty {kind[:-1]}")
            elif tag == W + "commentReference":
                comment = self.notes.get("comments", {}).get(str(child.get(W + "id")), "")
                self.out.leave_out(line, comment, "comment (not part of the text)")
            if not text:
                continue
            if fields and not fields[-1][0].upper().lstrip("\0 ").startswith("HYPERLINK"):
                if fields[-1][0].endswith("\0"):
                    fields[-1][1] += text
                continue
            runs.append(Run(text, bold, italic))


def read_docx(path: Path, *, source: str, language: str) -> Draft:
    """Read a Word document (see the module docstring for what becomes what)."""
    del language  # the structure does not depend on the language
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    head = path.read_bytes()[:8]
    if head == OLE_MAGIC:
        raise WarraqError(
            f"{source}: password-protected (encrypted) or an old binary Word file; "
            "save it unprotected as .docx"
        )
    try:
        document = docx.Document(str(path))
        reader = _Reader(document, source)
        reader.body(document.element.body)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError):
        raise WarraqError(
            f"{source}: not a readable .docx file (damaged or not Word); "
            "open it in Word or LibreOffice and save it again as .docx"
        ) from None
    core = document.core_properties
    return collected_draft(
        source,
        reader.out,
        title=core.title,
        author=normalise_spaces(core.author) or None if core.author else None,
        language=core.language,
        notes=tuple(reader.called),
    )
