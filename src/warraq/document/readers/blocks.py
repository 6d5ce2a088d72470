"""Shared by the word-processor and web readers: paragraphs classified, then grouped into blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from warraq.document.model import Omission
from warraq.document.readers.draft import (
    Draft,
    RawBlock,
    RawHeading,
    RawItem,
    RawList,
    RawNote,
    RawParagraph,
    RawQuote,
)
from warraq.document.text import normalise_spaces

_CALL_MARK = re.compile("\ue000([^\ue001]*)\ue001")


def call_mark(label: str) -> str:
    """A note call as run text: private-use marks that emphasis markup leaves alone."""
    return f"\ue000{label}\ue001"


def restore_calls(text: str) -> str:
    """The marks of :func:`call_mark` as note calls ``[^label]``, once runs are markup."""
    return _CALL_MARK.sub(lambda match: f"[^{match.group(1)}]", text)


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph as a reader classified it: ``kind`` is title, heading, item, quote or text."""

    kind: str
    text: str
    line: int
    level: int = 0
    ordered: bool = False
    start: int = 1
    list_id: str = ""


@dataclass
class Collected:
    """Paragraphs and omissions gathered by a reader, in document order."""

    paras: list[Para] = field(default_factory=list)
    omitted: list[Omission] = field(default_factory=list)

    def leave_out(self, line: int, text: str, reason: str) -> None:
        """Report ``text`` (shortened) as left out at ``line``."""
        text = normalise_spaces(text)
        self.omitted.append(Omission(line, text[:80] + ("…" if len(text) > 80 else ""), reason))


def group_blocks(paras: list[Para]) -> list[RawBlock]:
    """Consecutive items of one list become a list, consecutive quote paragraphs one quote.

    Nested list items join their list (the model has no nested lists yet).
    """
    blocks: list[RawBlock] = []
    index = 0
    while index < len(paras):
        para = paras[index]
        if para.kind == "heading":
            blocks.append(RawHeading(max(1, min(para.level, 6)), para.text, para.line))
            index += 1
        elif para.kind == "item":
            items: list[RawItem] = []
            while index < len(paras) and paras[index].kind == "item":
                if items and paras[index].list_id != para.list_id and paras[index].level == 0:
                    break
                items.append(RawItem(paras[index].text, paras[index].line))
                index += 1
            blocks.append(RawList(para.ordered, para.start, tuple(items), para.line))
        elif para.kind == "quote":
            inner: list[RawBlock] = []
            while index < len(paras) and paras[index].kind == "quote":
                inner.append(RawParagraph(paras[index].text, paras[index].line))
                index += 1
            blocks.append(RawQuote(tuple(inner), para.line))
        else:
            blocks.append(RawParagraph(para.text, para.line))
            index += 1
    return blocks


def take_title(paras: list[Para], declared: str | None) -> tuple[list[Para], str | None, int]:
    """The title: a Title paragraph, else a first level-1 heading (as the Markdown reader does).

    A first level-1 heading is the title when it repeats the declared title, or
    when no title is declared and no other level-1 heading follows.
    """
    title = normalise_spaces(declared) if declared and declared.strip() else None
    line = 0
    titles = [p for p in paras if p.kind == "title"]
    if titles:
        rest = [p for p in paras if p is not titles[0]]
        rest = [Para("heading", p.text, p.line, 1) if p.kind == "title" else p for p in rest]
        return rest, titles[0].text, titles[0].line
    if paras and paras[0].kind == "heading" and paras[0].level == 1:
        first = paras[0]
        others = any(p.kind == "heading" and p.level == 1 for p in paras[1:])
        if (title is not None and title == first.text) or (title is None and not others):
            return paras[1:], first.text, first.line
    return paras, title, line


def primary_language(tag: str | None) -> str | None:
    """``ar-SA`` as ``ar``; empty as ``None``."""
    if not tag or not tag.strip():
        return None
    return tag.strip().replace("_", "-").split("-")[0].lower()


def collected_draft(
    source: str,
    collected: Collected,
    *,
    title: str | None,
    author: str | None,
    language: str | None,
    notes: tuple[RawNote, ...] = (),
) -> Draft:
    """The draft of a word-processor file: its paragraphs grouped, the title and metadata."""
    paras, found_title, title_line = take_title(collected.paras, title)
    return Draft(
        source=source,
        markup="markdown",
        blocks=tuple(group_blocks(paras)),
        omitted=tuple(sorted(collected.omitted, key=lambda o: o.line)),
        title=found_title,
        title_line=title_line,
        author=author,
        language=primary_language(language),
        notes=notes,
    )
