"""The plain-text reader: one paragraph per line, short questions as headings."""

from __future__ import annotations

from warraq.document.model import Omission
from warraq.document.readers.draft import Draft, RawBlock, RawHeading, RawParagraph
from warraq.document.segment import split_sentences
from warraq.document.text import ARABIC_SCRIPT_LANGUAGES, has_arabic, has_latin, normalise_spaces

# A heading is a short line; longer questions are paragraphs.
HEADING_MAX_WORDS = 16
HEADING_MAX_CHARS = 120


def is_question_heading(line: str) -> bool:
    """True for a short line ending in ``؟`` or ``?`` with no sentence end inside.

    >>> is_question_heading("ما هو مستقبل التعاون الأمني بين فرنسا وقطر؟")
    True
    >>> is_question_heading("هل انتهى؟ نعم.")
    False
    """
    stripped = line.rstrip("\"'”’»)]")
    return (
        stripped.endswith(("؟", "?"))
        and len(line) <= HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and len(split_sentences(line)) == 1
    )


def read_txt(text: str, *, source: str, language: str) -> Draft:
    """Read plain text: each non-blank line a paragraph, or a heading if it is a short question.

    In a source written in Arabic script, lines with no Arabic at the start and the
    end of the text (web-page residue such as ``Thank you!``) are left out and
    reported in the draft's ``omitted``.
    """
    lines = [
        (number, normalise_spaces(line))
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]
    omitted: list[Omission] = []
    if language.split("-")[0] in ARABIC_SCRIPT_LANGUAGES:
        first = 0
        while first < len(lines) and not has_arabic(lines[first][1]):
            first += 1
        last = len(lines)
        while last > first and not has_arabic(lines[last - 1][1]):
            last -= 1
        for index, (number, line) in enumerate(lines):
            if first <= index < last:
                continue
            where = "start" if index < first else "end"
            kind = "Latin-script line" if has_latin(line) else "line with no Arabic text"
            omitted.append(
                Omission(
                    number, line, f"{kind} at the {where} of an Arabic text (web-page residue)"
                )
            )
        lines = lines[first:last]
    blocks: list[RawBlock] = [
        RawHeading(1, line, number) if is_question_heading(line) else RawParagraph(line, number)
        for number, line in lines
    ]
    return Draft(source=source, markup="text", blocks=tuple(blocks), omitted=tuple(omitted))
