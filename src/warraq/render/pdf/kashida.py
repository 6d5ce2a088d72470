"""Kashida justification: justified Arabic lines filled by tatweel as well as by spaces.

WeasyPrint justifies by widening spaces only (its ``justify_line``), and HarfBuzz
has no kashida API, so this is a pass over a finished layout: for every
justified right-to-left line it reads how much space justification added,
then elongates words of that line with tatweel (U+0640) where Arabic
typography allows it, and the document is laid out again. Spaces take what
the tatweel does not. Because the tatweel only takes up width the line had
to fill anyway, every line keeps its words (a greedy line breaker that could
not fit the next word still cannot); a paragraph whose line count changes all
the same is put back as it was and laid out a third time.

Where a word is elongated, best first (one place per word, up to three tatweel,
at most two words a line, so that a few long stretches replace many small ones):

1. after a letter of the seen and sad families (سـين، صـاد);
2. before a final haa or taa marbuta (ـه، ـة);
3. before the word's last letter (when the two join);
4. between any other two letters that join, the last such pair.

Never before a lam-alef's alef or after a letter that does not join to the
next, never in a word of fewer than four letters, never in the last word of
a paragraph nor on the last line (which is not justified). The tatweel is
inserted only into the layout's tree: the sources and catalogs never hold
it, and ``warraq check --outputs`` ignores it in the text it extracts.
"""

from __future__ import annotations

import functools
import gc
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from warraq.render.pdf.passes import outermost_boxes

TATWEEL = "\u0640"

# Arabic letters that join only to the letter before them (or to none): a
# tatweel cannot follow them.
_RIGHT_JOINING = frozenset("اأإآٱدذرزوؤةءى" + "ڈڑژۀۃۄۅۆۇۈۉۊۋۏ")
_SEEN_SAD = frozenset("سشصض")
_FINAL_HAA = frozenset("هة")
_ALEFS = frozenset("اأإآٱ")
_MARK = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED]")
_LETTER = re.compile(r"[\u0620-\u063F\u0641-\u064A\u066E-\u06D3\u06D5]")
_WORD = re.compile(r"\S+")

MIN_LETTERS = 4
"""Shorter words are never elongated."""

MAX_PER_WORD = 3
"""Tatweel at the one place of one word, at most."""

MAX_WORDS = 2
"""Words of one line elongated, at most."""

FILL = 0.9
"""The share of a line's justification space tatweel may take (the rest stays with spaces)."""


def insertion_point(word: str) -> int | None:
    """Where ``word`` takes a tatweel (an index into it), or ``None`` when it takes none.

    >>> insertion_point("سلام")  # after the seen
    1
    >>> insertion_point("مدرسة")  # before the final taa marbuta
    4
    >>> insertion_point("كتاب")  # the last two letters that join: كتـاب
    2
    >>> insertion_point("لا") is None  # too short, and lam-alef never
    True
    """
    place = _place(word)
    return None if place is None else place[1]


def _place(word: str) -> tuple[int, int] | None:
    """The best place for a tatweel in ``word``: (rank, 1 best; index), or ``None``."""
    letters = [index for index, char in enumerate(word) if _LETTER.match(char)]
    if len(letters) < MIN_LETTERS or TATWEEL in word:
        return None
    best: tuple[int, int] | None = None
    for position, (here, following) in enumerate(itertools.pairwise(letters)):
        base = word[here]
        nxt = word[following]
        if base in _RIGHT_JOINING or (base == "ل" and nxt in _ALEFS):
            continue
        # After the letter and the marks it carries, right before the next letter.
        if any(not _MARK.match(char) for char in word[here + 1 : following]):
            continue  # something other than marks between the letters: they do not join
        last = position + 1 == len(letters) - 1
        if base in _SEEN_SAD:
            rank = 1
        elif last and nxt in _FINAL_HAA:
            rank = 2
        elif last:
            rank = 3
        else:
            rank = 4
        if best is None or rank <= best[0]:
            best = (rank, following)
    return best


def allot(words: list[str], room: float, widen: Callable[[str, int], float]) -> dict[int, int]:
    """How many tatweel each word of a line gets (index -> count) within ``room``.

    ``widen(word, count)`` is how much wider ``count`` tatweel make ``word``.
    A few long elongations read better than many short ones: the words with
    the best places (the later of equals) are stretched first, each as far as
    it may, and at most :data:`MAX_WORDS` words of a line are.

    >>> allot(["سلام", "على", "مدرسة", "كتاب"], 50.0, lambda word, count: 10.0 * count)
    {0: 2, 2: 3}
    >>> allot(["كتاب", "مدرسة"], 15.0, lambda word, count: 10.0 * count)
    {1: 1}
    """
    places = [(index, _place(word)) for index, word in enumerate(words)]
    ranked = sorted((place[0], -index) for index, place in places if place is not None)
    counts: dict[int, int] = {}
    used = 0.0
    for _rank, negative in ranked[:MAX_WORDS]:
        index = -negative
        for count in range(1, MAX_PER_WORD + 1):
            cost = widen(words[index], count) - used_by(counts, index, words, widen)
            if cost <= 0 or used + cost > room:
                break
            counts[index] = count
            used += cost
    return dict(sorted(counts.items()))


def used_by(
    counts: dict[int, int], index: int, words: list[str], widen: Callable[[str, int], float]
) -> float:
    """The width word ``index`` already took."""
    count = counts.get(index, 0)
    return widen(words[index], count) if count else 0.0


def elongated(word: str, count: int) -> str:
    """``word`` with ``count`` tatweel at its place (unchanged when it has none).

    >>> elongated("سلام", 2) == "س" + "\u0640" * 2 + "لام"
    True
    """
    point = insertion_point(word)
    return word if point is None else word[:point] + TATWEEL * count + word[point:]


def _widener(style: Any) -> Callable[[str, int], float]:
    """How much wider tatweel make a word, shaped by Pango in the line's style (px)."""
    from weasyprint.text.line_break import create_layout, line_size

    @functools.cache
    def width(text: str) -> float:
        layout = create_layout(text, style, None, None, 0)
        line, _ = layout.get_first_line()
        value: float = line_size(line, style)[0]
        layout.deactivate()
        return value

    def widen(word: str, count: int) -> float:
        return width(elongated(word, count)) - width(word)

    return widen


@dataclass(slots=True)
class _Paragraph:
    """A right-to-left block: its element, and per line its words, added space and style."""

    element: Any
    lines: list[tuple[int, float, Any]] = field(default_factory=list)


def _line_boxes(box: Any) -> Iterator[Any]:
    return outermost_boxes(box, lambda b: type(b).__name__ == "LineBox")


def _text_boxes(box: Any) -> Iterator[Any]:
    return outermost_boxes(box, lambda b: type(b).__name__ == "TextBox")


def _paragraphs(document: Any) -> list[_Paragraph]:
    """Every right-to-left block of the layout with its lines, in order, across pages."""
    found: dict[int, _Paragraph] = {}
    for page in document.pages:
        for line in _line_boxes(page._page_box):
            style = line.style
            if style["direction"] != "rtl" or line.element is None:
                continue
            texts = list(_text_boxes(line))
            words = len(_WORD.findall("".join(box.text for box in texts)))
            extra = sum(
                (box.justification_spacing or 0) * (box.text.count(" ") + box.text.count("\xa0"))
                for box in texts
            )
            paragraph = found.setdefault(id(line.element), _Paragraph(line.element))
            paragraph.lines.append((words, float(extra), texts[0].style if texts else style))
    return list(found.values())


def _text_slots(element: Any) -> list[tuple[Any, str]]:
    """The element's text in document order, as (node, "text" or "tail") slots."""
    slots: list[tuple[Any, str]] = [(element, "text")]
    for child in element:
        slots.extend(_text_slots(child))
        slots.append((child, "tail"))
    return slots


def _elongate(element: Any, counts: dict[int, int]) -> list[tuple[Any, str, str]]:
    """Insert tatweel into the element's words; what was changed, to put back if need be."""
    slots = _text_slots(element)
    texts = [getattr(node, attribute) or "" for node, attribute in slots]
    joined = "".join(texts)
    owner = [index for index, text in enumerate(texts) for _ in text]
    inserts: dict[int, str] = {}
    for number, match in enumerate(_WORD.finditer(joined)):
        count = counts.get(number, 0)
        point = insertion_point(match.group()) if count else None
        if point is not None:
            inserts[match.start() + point] = TATWEEL * count
    changed = []
    edited = list(texts)
    for position in sorted(inserts, reverse=True):
        slot = owner[position]
        offset = position - sum(len(text) for text in texts[:slot])
        edited[slot] = edited[slot][:offset] + inserts[position] + edited[slot][offset:]
    for (node, attribute), before, after in zip(slots, texts, edited, strict=True):
        if before != after:
            changed.append((node, attribute, before))
            setattr(node, attribute, after)
    return changed


Plans = dict[int, tuple[Any, dict[int, int], int]]
"""Per justified Arabic block (by element id): its element, tatweel per word, its line count."""


def plan(document: Any) -> Plans:
    """For each justified Arabic block: its element, tatweel per word, and its line count."""
    plans: Plans = {}
    wideners: dict[int, Callable[[str, int], float]] = {}
    for paragraph in _paragraphs(document):
        all_words = _WORD.findall("".join(paragraph.element.itertext()))
        total_words = len(all_words)
        if total_words != sum(words for words, _, _ in paragraph.lines):
            continue  # the layout's words do not map onto the tree's: leave it as it is
        counts: dict[int, int] = {}
        first = 0
        for words, extra, style in paragraph.lines:
            last_word = first + words == total_words
            usable = words - 1 if last_word else words
            if extra > 0 and usable > 0:
                widen = wideners.setdefault(id(style), _widener(style))
                line_words = all_words[first : first + usable]
                for index, count in allot(line_words, extra * FILL, widen).items():
                    counts[first + index] = count
            first += words
        if counts:
            plans[id(paragraph.element)] = (paragraph.element, counts, len(paragraph.lines))
    return plans


def justify(render: Callable[[], Any], plans: Plans) -> tuple[Any, int]:
    """Lay the book out again with the tatweel of ``plans``; the document and tatweel inserted.

    ``render`` lays the (edited) HTML tree out again. A block whose line count
    changes is restored and the book laid out once more. The caller drops the
    layout ``plans`` came from first: two layouts of a long book at once would
    double the memory.
    """
    edits = {key: _elongate(element, counts) for key, (element, counts, _) in plans.items()}
    document = render()
    lines = {id(p.element): len(p.lines) for p in _paragraphs(document)}
    moved = [key for key, (_, _, count) in plans.items() if lines.get(key) != count]
    for key in moved:
        for node, attribute, before in edits.pop(key):
            setattr(node, attribute, before)
    if moved:
        document = None
        gc.collect()
        document = render()
    inserted = sum(sum(plans[key][1].values()) for key in edits)
    return document, inserted
