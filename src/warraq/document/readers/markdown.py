"""The Markdown reader: front matter, headings, paragraphs, lists, quotes and emphasis.

A deliberately small subset of CommonMark, read line by line: ATX and setext
headings, bullet and numbered lists (Arabic-Indic numbers too), block quotes
holding any of these, and inline emphasis, which stays in the text as markup
(see :mod:`warraq.document.inline`). Whatever is not text to translate (code blocks,
thematic breaks, images inside running text, link targets, unused front matter
keys) is left out and reported, never dropped silently.

Notes: ``[^label]`` calls a note (the call stays in the text) and a
``[^label]: text`` line defines it; lines indented four spaces (or a tab) after
it, blank lines between them allowed, continue the note, so a note can hold
several paragraphs. An image alone in its paragraph, ``![alt](path "caption")``,
is a figure: the title attribute is its caption. Its path must be a file of
the project (checked by :mod:`warraq.document.structure`); a URL is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from warraq.document.model import Omission
from warraq.document.readers.draft import (
    Draft,
    RawBlock,
    RawFigure,
    RawHeading,
    RawItem,
    RawList,
    RawNote,
    RawParagraph,
    RawQuote,
)
from warraq.document.text import normalise_spaces, western_digits
from warraq.errors import WarraqError

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?(.*)$")
_BULLET = re.compile(r"^(\s*)([-+*])(?:[ \t]+(.*))?$")
_ORDERED = re.compile(r"^(\s*)([0-9]{1,9}|[٠-٩]{1,9})([.)])(?:[ \t]+(.*))?$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S+.*$")  # [r]: http://x "title"
_FIGURE = re.compile(r'^!\[([^\]]*)\]\(([^)\s]*)(?:\s+"([^"]*)")?\)$')
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$")
_NOTE_CALL = re.compile(r"(?<!\\)\[\^([^\]\s]+)\](?!:)")
_REMOTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")

FRONT_MATTER_KEYS = ("title", "author", "language", "lang")

MAX_QUOTE_DEPTH = 100
"""Block quotes nest at most this deep; deeper is refused (every stage walks quotes recursively)."""

Line = tuple[int, str]


@dataclass
class _Blocks:
    """Blocks and omissions gathered while parsing one container."""

    blocks: list[RawBlock] = field(default_factory=list)
    omitted: list[Omission] = field(default_factory=list)
    notes: list[RawNote] = field(default_factory=list)


def read_markdown(text: str, *, source: str, language: str) -> Draft:
    """Read Markdown with optional YAML front matter (``title``, ``author``, ``language``)."""
    del language  # Markdown structure does not depend on the language
    lines = text.split("\n")
    meta, body_start, omitted = _front_matter(lines, source)
    parsed = _parse([(n, line) for n, line in enumerate(lines, start=1)][body_start:], source)
    blocks = parsed.blocks
    omitted.extend(parsed.omitted)
    notes = _check_notes(parsed, source, omitted)

    title = meta.get("title")
    title_line = 1 if title else 0
    if blocks and isinstance(blocks[0], RawHeading) and blocks[0].level == 1:
        first = blocks[0]
        other_top_headings = any(
            isinstance(block, RawHeading) and block.level == 1 for block in blocks[1:]
        )
        if (title is not None and normalise_spaces(title) == first.text) or (
            title is None and not other_top_headings
        ):
            title, title_line = first.text, first.line
            blocks = blocks[1:]
    return Draft(
        source=source,
        markup="markdown",
        blocks=tuple(blocks),
        omitted=tuple(sorted(omitted, key=lambda o: o.line)),
        title=normalise_spaces(title) if title else None,
        title_line=title_line,
        author=meta.get("author"),
        language=meta.get("language") or meta.get("lang"),
        notes=notes,
    )


def _calls(blocks: list[RawBlock] | tuple[RawBlock, ...]) -> list[tuple[str, int]]:
    """``(label, line)`` of every note call in ``blocks``, in reading order."""
    calls: list[tuple[str, int]] = []
    for block in blocks:
        if isinstance(block, RawHeading | RawParagraph):
            calls.extend((label, block.line) for label in _NOTE_CALL.findall(block.text))
        elif isinstance(block, RawList):
            for item in block.items:
                calls.extend((label, item.line) for label in _NOTE_CALL.findall(item.text))
        elif isinstance(block, RawQuote):
            calls.extend(_calls(block.blocks))
        elif isinstance(block, RawFigure):
            texts = (block.alt, block.caption or "")
            calls.extend(
                (label, block.line) for text in texts for label in _NOTE_CALL.findall(text)
            )
    return calls


def _check_notes(parsed: _Blocks, source: str, omitted: list[Omission]) -> tuple[RawNote, ...]:
    """The notes in the order of their calls: each defined once and called once.

    A note's body may call no other note.
    """
    defined = _defined(parsed.notes, source)
    ordered: list[RawNote] = []
    called: dict[str, int] = {}
    for label, line in _calls(parsed.blocks):
        if label in called:
            raise WarraqError(
                f"{source}, line {line}: note [^{label}] is called again (first on line "
                f"{called[label]}); a note has one call, define a second note"
            )
        found = defined.get(label)
        if found is None:
            raise WarraqError(
                f"{source}, line {line}: note [^{label}] is called but never defined; "
                f"add a line '[^{label}]: the note' below the paragraph"
            )
        called[label] = line
        ordered.append(found)
    for note in parsed.notes:
        if note.label not in called:
            omitted.append(Omission(note.line, f"[^{note.label}]", "note never called"))
    return tuple(ordered)


def _defined(notes: list[RawNote], source: str) -> dict[str, RawNote]:
    """The notes by label: each label defined once, and no note calling another."""
    defined: dict[str, RawNote] = {}
    for note in notes:
        if note.label in defined:
            raise WarraqError(
                f"{source}, line {note.line}: note [^{note.label}] is defined twice "
                f"(also line {defined[note.label].line}); give each note its own label"
            )
        inner = _calls(note.blocks)
        if inner:
            raise WarraqError(
                f"{source}, line {inner[0][1]}: note [^{note.label}] calls note "
                f"[^{inner[0][0]}]; a note cannot call another note"
            )
        defined[note.label] = note
    return defined


def _front_matter(lines: list[str], source: str) -> tuple[dict[str, str], int, list[Omission]]:
    """Parse a leading ``---`` YAML block; return its values and the first body line index."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0, []
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise WarraqError(
            f"{source}, line 1: front matter opened with '---' is never closed; "
            "end it with a line holding only '---'"
        )
    try:
        data: Any = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise WarraqError(
            f"{source}, line {line}: front matter is not valid YAML ({problem}); "
            "write it as 'key: value' lines, quoting values that contain ':'"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise WarraqError(
            f"{source}, line 2: front matter must be 'key: value' lines, "
            f"not a {type(data).__name__}"
        )
    meta: dict[str, str] = {}
    omitted: list[Omission] = []
    for key, value in data.items():
        line = _key_line(lines, end, str(key))
        if key not in FRONT_MATTER_KEYS:
            omitted.append(Omission(line, f"{key}: {value}", "front matter key not used by warraq"))
            continue
        if key == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ", ".join(value)
        if not isinstance(value, str) or not value.strip():
            raise WarraqError(
                f"{source}, line {line}: front matter key '{key}' must be a non-empty text, "
                f"not {value!r}"
            )
        meta[str(key)] = value.strip()
    return meta, end + 1, omitted


def _key_line(lines: list[str], end: int, key: str) -> int:
    for index in range(1, end):
        if lines[index].startswith(f"{key}:"):
            return index + 1
    return 2


def _starts_block(line: str) -> bool:
    """True when ``line`` opens a block that interrupts a paragraph."""
    if _ATX.match(line) or _FENCE.match(line) or _BREAK.match(line) or _QUOTE.match(line):
        return True
    if _NOTE_DEFINITION.match(line):
        return True
    item = _list_marker(line)
    return item is not None and bool(item[3])


def _list_marker(line: str) -> tuple[bool, str, int, str] | None:
    """``(ordered, kind, number, content)`` when ``line`` is a list item."""
    if _BREAK.match(line):
        return None
    bullet = _BULLET.match(line)
    if bullet:
        return False, bullet.group(2), 1, bullet.group(3) or ""
    ordered = _ORDERED.match(line)
    if ordered:
        number = int(western_digits(ordered.group(2)))
        return True, ordered.group(3), number, ordered.group(4) or ""
    return None


def _parse(lines: list[Line], source: str, depth: int = 0) -> _Blocks:
    """The blocks of ``lines``, inside ``depth`` block quotes."""
    out = _Blocks()
    index = 0
    while index < len(lines):
        number, line = lines[index]
        if not line.strip():
            index += 1
            continue
        heading = _ATX.match(line)
        if heading:
            content = _inline(heading.group(2) or "", number, out)
            if content:
                out.blocks.append(RawHeading(len(heading.group(1)), content, number))
            index += 1
        elif _FENCE.match(line):
            index = _skip_fence(lines, index, out)
        elif _BREAK.match(line):
            out.omitted.append(Omission(number, line.strip(), "thematic break (no text)"))
            index += 1
        elif _NOTE_DEFINITION.match(line):
            index = _read_note(lines, index, out, source)
        elif _DEFINITION.match(line):
            out.omitted.append(Omission(number, line.strip(), "link reference definition"))
            index += 1
        elif _QUOTE.match(line):
            index = _read_quote(lines, index, out, source, depth + 1)
        elif _list_marker(line) is not None:
            index = _read_list(lines, index, out)
        else:
            index = _read_paragraph(lines, index, out, source)
    return out


def _read_note(lines: list[Line], index: int, out: _Blocks, source: str) -> int:
    """A note definition and its continuation: indented lines, or a lazy paragraph line."""
    number, line = lines[index]
    definition = _NOTE_DEFINITION.match(line)
    assert definition is not None
    body: list[Line] = [(number, definition.group(2))]
    index += 1
    while index < len(lines):
        line_number, text = lines[index]
        if text.startswith(("    ", "\t")):
            body.append((line_number, text[4:] if text.startswith("    ") else text[1:]))
        elif not text.strip():
            following = index + 1
            while following < len(lines) and not lines[following][1].strip():
                following += 1
            if following == len(lines) or not lines[following][1].startswith(("    ", "\t")):
                break
            body.append((line_number, ""))
        elif body[-1][1].strip() and not _starts_block(text):
            body.append((line_number, text))  # lazy continuation of the note's paragraph
        else:
            break
        index += 1
    parsed = _parse(body, source)
    out.omitted.extend(parsed.omitted)
    out.notes.extend(parsed.notes)
    if not parsed.blocks:
        raise WarraqError(
            f"{source}, line {number}: note [^{definition.group(1)}] is empty; "
            "write its text after the colon"
        )
    out.notes.append(RawNote(definition.group(1), tuple(parsed.blocks), number))
    return index


def _skip_fence(lines: list[Line], index: int, out: _Blocks) -> int:
    number, line = lines[index]
    fence = _FENCE.match(line)
    assert fence is not None
    marker = fence.group(1)
    end = index + 1
    while end < len(lines) and not lines[end][1].strip().startswith(marker):
        end += 1
    code = " ".join(text.strip() for _, text in lines[index + 1 : end])
    out.omitted.append(Omission(number, code[:60], "code block (code is not translated)"))
    return end + 1


def _read_quote(lines: list[Line], index: int, out: _Blocks, source: str, depth: int) -> int:
    start_line = lines[index][0]
    if depth > MAX_QUOTE_DEPTH:
        raise WarraqError(
            f"{source}, line {start_line}: block quotes nested more than {MAX_QUOTE_DEPTH} "
            f"levels deep (warraq reads at most {MAX_QUOTE_DEPTH}); remove some '>' marks"
        )
    inner: list[Line] = []
    while index < len(lines):
        number, line = lines[index]
        quoted = _QUOTE.match(line)
        if quoted:
            inner.append((number, quoted.group(1)))
        elif line.strip() and inner and inner[-1][1].strip() and not _starts_block(line):
            inner.append((number, line))  # lazy continuation of a quoted paragraph
        else:
            break
        index += 1
    parsed = _parse(inner, source, depth)
    out.omitted.extend(parsed.omitted)
    out.notes.extend(parsed.notes)
    if parsed.blocks:
        out.blocks.append(RawQuote(tuple(parsed.blocks), start_line))
    return index


def _read_list(lines: list[Line], index: int, out: _Blocks) -> int:
    first = _list_marker(lines[index][1])
    assert first is not None
    ordered, kind, start, _ = first
    items: list[RawItem] = []
    parts: list[str] = []
    item_line = lines[index][0]

    def finish_item() -> None:
        text = _inline(" ".join(parts), item_line, out)
        if text:
            items.append(RawItem(text, item_line))
        parts.clear()

    while index < len(lines):
        number, line = lines[index]
        marker = _list_marker(line)
        if marker is not None:
            if (marker[0], marker[1]) != (ordered, kind):
                break
            if items or parts:
                finish_item()
            item_line = number
            parts.append(marker[3])
            index += 1
            continue
        if not line.strip():
            following = index + 1
            while following < len(lines) and not lines[following][1].strip():
                following += 1
            if following == len(lines):
                index = following
                break
            next_line = lines[following][1]
            next_marker = _list_marker(next_line)
            continues_item = next_line.startswith(("  ", "\t")) and next_marker is None
            same_list = next_marker is not None and (next_marker[0], next_marker[1]) == (
                ordered,
                kind,
            )
            if not (continues_item or same_list):
                break
            index = following
            continue
        if _starts_block(line) and not line.startswith(("  ", "\t")):
            break
        parts.append(line.strip().removesuffix("\\"))
        index += 1
    finish_item()
    if items:
        out.blocks.append(RawList(ordered, start, tuple(items), items[0].line))
    return index


def _read_paragraph(lines: list[Line], index: int, out: _Blocks, source: str) -> int:
    start_line = lines[index][0]
    parts: list[str] = []
    while index < len(lines):
        _number, line = lines[index]
        if not line.strip():
            break
        if parts and _SETEXT.match(line):
            level = 1 if line.strip().startswith("=") else 2
            text = _inline(" ".join(parts), start_line, out)
            if text:
                out.blocks.append(RawHeading(level, text, start_line))
            return index + 1
        if parts and _starts_block(line):
            break
        parts.append(line.strip().removesuffix("\\"))
        index += 1
    figure = _FIGURE.match(normalise_spaces(" ".join(parts)))
    if figure is not None:
        out.blocks.append(_figure(figure, start_line, source))
        return index
    text = _inline(" ".join(parts), start_line, out)
    if text:
        out.blocks.append(RawParagraph(text, start_line))
    return index


def _figure(match: re.Match[str], line: int, source: str) -> RawFigure:
    alt, path, title = match.group(1), match.group(2), match.group(3)
    if _REMOTE.match(path):
        raise WarraqError(
            f"{source}, line {line}: image {path} is not a file of the project; "
            "download it into the project and give its relative path"
        )
    if not path:
        raise WarraqError(f"{source}, line {line}: image without a path; write ![alt](path)")
    if not normalise_spaces(alt):
        raise WarraqError(
            f"{source}, line {line}: image {path} has no alt text; describe it in ![...]"
        )
    caption = normalise_spaces(title) if title else None
    return RawFigure(path, normalise_spaces(alt), caption or None, line)


def _inline(text: str, line: int, out: _Blocks) -> str:
    """Normalise a block's text; images and link targets are left out and reported."""

    def drop_image(match: re.Match[str]) -> str:
        out.omitted.append(Omission(line, match.group(0), "image (only text is published)"))
        return ""

    def drop_link(match: re.Match[str]) -> str:
        out.omitted.append(Omission(line, match.group(2), "link target (the link text is kept)"))
        return match.group(1)

    text = _IMAGE.sub(drop_image, text)
    text = _LINK.sub(drop_link, text)
    return normalise_spaces(text)


def read_note_definitions(text: str, *, source: str) -> tuple[RawNote, ...]:
    """A notes file: ``[^label]: text`` definitions only (a translator's notes)."""
    parsed = _parse([(n, line) for n, line in enumerate(text.split("\n"), start=1)], source)
    if parsed.blocks:
        raise WarraqError(
            f"{source}, line {_first_line(parsed.blocks[0])}: a notes file holds only note "
            "definitions '[^label]: text' (continuation lines indented four spaces)"
        )
    _defined(parsed.notes, source)
    return tuple(parsed.notes)


def _first_line(block: RawBlock) -> int:
    return block.line
