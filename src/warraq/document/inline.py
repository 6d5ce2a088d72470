"""Inline markup inside segment text: emphasis and strong, as in Markdown.

Segments keep their inline markup as written (``*emphasis*``, ``**strong**``,
``_emphasis_``, ``__strong__`` and backslash escapes) so that translators see it
in the catalogs and can place it in the translation. A note call ``[^label]``
(Markdown footnote syntax) is carried the same way: it stays in the text where
the note is called, and the translation must keep it. This module reads that
markup into a small tree the renderers turn into HTML. Documents read from
plain text have no markup: every character is literal there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Syntax = Literal[
    "text", "markdown"
]  # how a segment's text marks emphasis: not at all, or as Markdown

_ESCAPABLE = frozenset("\\`*_{}[]()#+-.!|<>~\"'")
_SPECIAL = re.compile(r"[\\\[*_]")  # where markup may start: an escape, a note call, emphasis


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text."""

    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Emphasised text (italic in Latin script)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strongly emphasised text (bold)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class NoteCall:
    """The call of the note ``label`` (``[^label]`` in the text)."""

    label: str


Inline = Text | Emphasis | Strong | NoteCall

NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
"""A note call in Markdown text: ``[^label]``."""


@dataclass(slots=True)
class _Run:
    """A run of ``*`` or ``_`` delimiters, or literal text, with its source offsets."""

    start: int
    end: int
    text: str
    char: str = ""  # "*" or "_" for a delimiter run, "" for literal text
    can_open: bool = False
    can_close: bool = False
    partner: int = -1  # index of the matching run, when matched


def _tokenise(text: str) -> list[_Run]:
    runs: list[_Run] = []
    literal: list[str] = []
    literal_start = 0
    i = 0

    def flush(at: int) -> None:
        nonlocal literal_start
        if literal:
            runs.append(_Run(literal_start, at, "".join(literal)))
            literal.clear()
        literal_start = at

    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            if not literal:
                literal_start = i
            literal.append(text[i + 1])
            i += 2
            continue
        call = NOTE_CALL.match(text, i) if char == "[" else None
        if call is not None:
            flush(i)
            runs.append(_Run(i, call.end(), call.group(1), "^"))
            literal_start = i = call.end()
            continue
        if char in "*_":
            j = i
            while j < len(text) and text[j] == char:
                j += 1
            before = text[i - 1] if i > 0 else " "
            after = text[j] if j < len(text) else " "
            can_open = not after.isspace()
            can_close = not before.isspace()
            if char == "_" and before.isalnum() and after.isalnum():
                can_open = can_close = False  # snake_case, not emphasis
            if j - i <= 3 and (can_open or can_close):
                flush(i)
                runs.append(_Run(i, j, text[i:j], char, can_open, can_close))
                literal_start = j
                i = j
                continue
            if not literal:
                literal_start = i
            literal.append(text[i:j])
            i = j
            continue
        # Up to the next character that may start markup, in one slice.
        found = _SPECIAL.search(text, i + 1)
        end = found.start() if found is not None else len(text)
        if not literal:
            literal_start = i
        literal.append(text[i:end])
        i = end
    flush(len(text))
    return runs


def _match(runs: list[_Run]) -> None:
    """Pair each closing delimiter run with the nearest opener of the same kind."""
    openers: list[int] = []
    for index, run in enumerate(runs):
        if not run.char:
            continue
        if run.can_close:
            for depth in range(len(openers) - 1, -1, -1):
                opener = runs[openers[depth]]
                if opener.char == run.char and len(opener.text) == len(run.text):
                    opener.partner, run.partner = index, openers[depth]
                    del openers[depth:]  # delimiters left open inside are literal
                    break
            else:
                if run.can_open:
                    openers.append(index)
            continue
        if run.can_open:
            openers.append(index)


def _build(runs: list[_Run], start: int, stop: int) -> tuple[Inline, ...]:
    nodes: list[Inline] = []
    index = start
    while index < stop:
        run = runs[index]
        if run.char == "^":
            nodes.append(NoteCall(run.text))
            index += 1
            continue
        if run.char and run.partner > index:
            children = _build(runs, index + 1, run.partner)
            width = len(run.text)
            node: Inline
            if width == 1:
                node = Emphasis(children)
            elif width == 2:
                node = Strong(children)
            else:
                node = Strong((Emphasis(children),))
            nodes.append(node)
            index = run.partner + 1
            continue
        if nodes and isinstance(nodes[-1], Text):
            nodes[-1] = Text(nodes[-1].text + run.text)
        else:
            nodes.append(Text(run.text))
        index += 1
    return tuple(nodes)


def parse_inline(text: str, markup: Syntax) -> tuple[Inline, ...]:
    """Read ``text`` into inline nodes.

    >>> parse_inline("a **b** c", "markdown")
    (Text(text='a '), Strong(children=(Text(text='b'),)), Text(text=' c'))
    >>> parse_inline("a *b", "markdown")
    (Text(text='a *b'),)
    >>> parse_inline("a *b*", "text")
    (Text(text='a *b*'),)
    """
    if markup == "text" or not text:
        return (Text(text),) if text else ()
    runs = _tokenise(text)
    _match(runs)
    return _build(runs, 0, len(runs))


def emphasis_spans(text: str, markup: Syntax) -> list[tuple[int, int]]:
    """Source offsets ``(start, end)`` of every matched emphasis or strong span.

    >>> emphasis_spans("x *a b* y", "markdown")
    [(2, 7)]
    """
    if markup == "text":
        return []
    runs = _tokenise(text)
    _match(runs)
    return [
        (run.start, runs[run.partner].end)
        for index, run in enumerate(runs)
        if run.char and run.partner > index
    ]


def plain_text(text: str, markup: Syntax) -> str:
    """The text a reader sees: markup removed, escapes resolved.

    >>> plain_text("**قطر** و\\\\*فرنسا", "markdown")
    'قطر و*فرنسا'
    """
    return "".join(_flatten(parse_inline(text, markup)))


def _flatten(nodes: tuple[Inline, ...]) -> list[str]:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.text)
        elif not isinstance(node, NoteCall):
            parts.extend(_flatten(node.children))
    return parts


def note_calls(text: str, markup: Syntax) -> list[str]:
    """The labels of the notes ``text`` calls, in order.

    >>> note_calls(r"a[^1] *b[^x]* \\[^2]", "markdown")
    ['1', 'x']
    """
    if markup == "text":
        return []
    return [run.text for run in _tokenise(text) if run.char == "^"]
