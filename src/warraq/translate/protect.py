"""Glossary and note-call protection: the model never sees a glossary term or a note
call, so it cannot rewrite them.

Before translation, each glossary term in the source (with its clitics kept
outside) becomes a placeholder such as ``XT1X``, a token translation models
copy unchanged; after translation, each placeholder becomes the term's required
rendering. A placeholder the model lost leaves the rendering missing, which
``warraq check`` reports under ``glossary``. Note calls (``[^1]``) become
``XN1X`` the same way and come back as written; a lost one is reported under
``note-calls``.
"""

from __future__ import annotations

import re

from warraq.document.inline import NOTE_CALL
from warraq.glossary import Glossary, Term, fold_arabic

_PLACEHOLDER = re.compile(r"X\s?T\s?(\d+)\s?X")


class GlossaryShield:
    """A translate processor that protects one language's glossary terms.

    >>> from warraq.glossary import Term
    >>> shield = GlossaryShield(Glossary((Term("قطر", {"fr": "Qatar"}),)), "fr")
    >>> shield.before("زار وفد قطر وقطر.")
    'زار وفد XT1X وXT2X.'
    >>> shield.after("زار وفد قطر وقطر.", "Une délégation XT1X et XT2X est venue.")
    'Une délégation Qatar et Qatar est venue.'
    """

    def __init__(self, glossary: Glossary, language: str) -> None:
        self.glossary = glossary
        self.language = language

    def _occurrences(self, source: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping term occurrences in ``source``: start, end, term; longest terms win.

        Folding for matching removes harakat and tatweel, so positions are
        mapped back to the unfolded text through an index of kept characters.
        """
        kept = [i for i, char in enumerate(source) if fold_arabic(char)]
        folded = fold_arabic(source)
        taken: list[tuple[int, int, Term]] = []
        for term in self.glossary.terms_in(source):
            for start, end in term.spans_in(folded):
                if any(
                    start < other_end and other_start < end for other_start, other_end, _ in taken
                ):
                    continue
                taken.append((start, end, term))
        spans = []
        for start, end, term in sorted(taken, key=lambda item: item[0]):
            last = kept[end - 1] + 1
            while last < len(source) and not fold_arabic(source[last]):
                last += 1  # harakat or tatweel after the term go with it
            spans.append((kept[start], last, term))
        return spans

    def before(self, source: str) -> str:
        """``source`` with each glossary term replaced by a numbered placeholder."""
        parts: list[str] = []
        position = 0
        for number, (start, end, _term) in enumerate(self._occurrences(source), start=1):
            parts.append(source[position:start])
            parts.append(f"XT{number}X")
            position = end
        parts.append(source[position:])
        return "".join(parts)

    def after(self, source: str, translation: str) -> str:
        """``translation`` with each placeholder replaced by its term's rendering."""
        terms = [term for _, _, term in self._occurrences(source)]

        def rendering(match: re.Match[str]) -> str:
            number = int(match.group(1))
            if 1 <= number <= len(terms):
                return terms[number - 1].renderings.get(self.language, match.group(0))
            return match.group(0)

        return _PLACEHOLDER.sub(rendering, translation)


_NOTE_PLACEHOLDER = re.compile(r"X\s?N\s?(\d+)\s?X")


class NoteCallShield:
    """A translate processor that keeps note calls out of the model's reach.

    >>> shield = NoteCallShield()
    >>> shield.before("انتهى.[^1] ثم[^ب] سكت.")
    'انتهى.XN1X ثمXN2X سكت.'
    >>> shield.after("انتهى.[^1] ثم[^ب] سكت.", "Fini. XN1X Puis XN2X il se tut.")
    'Fini.[^1] Puis[^ب] il se tut.'
    """

    def before(self, source: str) -> str:
        """``source`` with each note call replaced by a numbered placeholder."""
        count = 0

        def placeholder(match: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return f"XN{count}X"

        return NOTE_CALL.sub(placeholder, source)

    def after(self, source: str, translation: str) -> str:
        """``translation`` with each placeholder back as its call, attached to the word before."""
        labels = [match.group(1) for match in NOTE_CALL.finditer(source)]

        def call(match: re.Match[str]) -> str:
            number = int(match.group(1))
            if 1 <= number <= len(labels):
                return f"[^{labels[number - 1]}]"
            return match.group(0)

        restored = _NOTE_PLACEHOLDER.sub(call, translation)
        return re.sub(r"\s+(\[\^[^\]\s]+\])", r"\1", restored)
