"""Sentence segmentation for Arabic (and Latin-script) text.

A sentence ends at ``.``, ``!``, ``?``, ``؟``, ``…`` or ``...`` followed by a
space or the end of the text; closing quotes and brackets after the mark stay
with their sentence. It does not end at ``،`` or ``؛``, inside a number
(``24.5``, ``٣٫٥``), after a one-letter abbreviation (``ص.``, ``د.``), after a
leading list number (``1.``), or inside an emphasis span.

The text is split only at spaces, so the sentences joined with
:data:`warraq.document.model.SEGMENT_SEPARATOR` give back the text exactly.
"""

from __future__ import annotations

import re

from warraq.document.inline import Syntax, emphasis_spans
from warraq.document.text import count_letters, normalise_spaces

TERMINATORS = frozenset(".!?؟…‼⁇⁈⁉")
# Characters that close a sentence after its final mark and stay with it.
CLOSERS = frozenset("\"'”’»›)]}")
_MARKUP_CLOSERS = frozenset("*_")
_TRAILING_CALL = re.compile(r"\[\^[^\]\s]+\]$")


def _ends_sentence(text: str, space: int, markup: Syntax) -> bool:
    """True when the space at ``text[space]`` follows the end of a sentence."""
    end = space
    closers = CLOSERS | _MARKUP_CLOSERS if markup == "markdown" else CLOSERS
    while end > 0 and text[end - 1] in closers:
        call = _TRAILING_CALL.search(text, 0, end) if markup == "markdown" else None
        end = call.start() if call is not None else end - 1  # a note call after the mark
    if end == 0 or text[end - 1] not in TERMINATORS:
        return False
    if text[end - 1] != "." or (end >= 2 and text[end - 2] == "."):
        return True
    word_start = text.rfind(" ", 0, end - 1) + 1
    word = text[word_start : end - 1].lstrip("\"'“‘«‹([{")
    if count_letters(word) == 1 and len(word) <= 2:
        return False  # a one-letter abbreviation such as ص. or د.
    # A number opening the text is a list marker (1. or ١.), not a sentence.
    return not (word_start == 0 and word.isdigit() and len(word) <= 3)


def split_sentences(text: str, markup: Syntax = "text") -> list[str]:
    """Split ``text`` into sentences; ``text`` is normalised first.

    >>> split_sentences("جاء د. أحمد. ثم ذهب؟ نعم")
    ['جاء د. أحمد.', 'ثم ذهب؟', 'نعم']
    >>> split_sentences("بلغ ٣٫٥ و24.5 في المئة، ثم توقف...")
    ['بلغ ٣٫٥ و24.5 في المئة، ثم توقف...']
    >>> split_sentences('قال: «انتهى.» ثم سكت.')
    ['قال: «انتهى.»', 'ثم سكت.']
    >>> split_sentences("انتهى.[^1] ثم سكت.", "markdown")
    ['انتهى.[^1]', 'ثم سكت.']
    """
    text = normalise_spaces(text)
    if not text:
        return []
    spans = emphasis_spans(text, markup)
    sentences: list[str] = []
    start = 0
    position = text.find(" ")
    while position != -1:
        inside_emphasis = any(begin < position < finish for begin, finish in spans)
        if not inside_emphasis and _ends_sentence(text, position, markup):
            sentences.append(text[start:position])
            start = position + 1
        position = text.find(" ", position + 1)
    sentences.append(text[start:])
    return sentences
