"""Check: find what offline machine translation gets wrong, segment by segment.

Each check has a name, a level and one job. Checks read the source and the
catalogs only; they never change anything. ``warraq check`` prints the
findings; ``warraq build`` refuses to build while an error-level one exists.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from warraq.catalogs import catalog_segments, load_translation
from warraq.catalogs.translation import Status, Translation
from warraq.config import DocumentConfig, Project
from warraq.document.inline import Syntax, emphasis_spans, note_calls
from warraq.document.model import Document
from warraq.document.structure import load_document
from warraq.document.text import arabic_letters, has_arabic, western_digits
from warraq.glossary import Glossary, project_glossary, rendering_pattern
from warraq.render.typography import NO_SPACE_AFTER, french_spacing
from warraq.selection import select

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One segment and its translation, as the checks see them."""

    document: str
    segment_id: str
    language: str
    source: str
    translation: str
    status: Status
    markup: Syntax
    translator_notes: frozenset[str] = frozenset()  # labels the translation may call besides


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem a check found in one entry."""

    document: str
    segment_id: str
    language: str
    check: str
    level: Level
    message: str
    source: str
    translation: str


@dataclass(frozen=True, slots=True)
class Context:
    """What checks know beyond one entry: the glossary, and the document's length ratios."""

    glossary: Glossary = field(default_factory=Glossary)
    ratio_bounds: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)


CheckFunction = Callable[[Entry, Context], Iterable[str]]


@dataclass(frozen=True, slots=True)
class Check:
    """A named check: its level, what it looks for, and the function that looks."""

    name: str
    level: Level
    description: str
    function: CheckFunction
    stops: bool = False  # a finding of this check leaves the later checks out for the entry
    completeness: bool = False  # about whether a current translation exists, not its quality


# --- the checks ----------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c\u00a0\u202f ]\d+)*")
_ORDINAL_SUFFIX = re.compile(r"^(?:st|nd|rd|th|e|er|re|ème|eme|ᵉ)\b", re.IGNORECASE)


def _numbers(text: str, *, skip_ordinals: bool = False) -> Counter[str]:
    """Numbers in ``text`` in one canonical form: Western digits, no group separators.

    A trailing group of other than three digits is a decimal part (24,5 = 24.5);
    a group of three is a thousands group (1 000 = 1,000 = 1000).
    """
    text = western_digits(text)
    found: Counter[str] = Counter()
    for match in _NUMBER.finditer(text):
        if skip_ordinals and _ORDINAL_SUFFIX.match(text[match.end() :]):
            continue
        groups = re.split(r"[.,\u066b\u066c\u00a0\u202f ]", match.group(0))
        if len(groups) > 1 and len(groups[-1]) != 3:
            found["".join(groups[:-1]) + "." + groups[-1]] += 1
        else:
            found["".join(groups)] += 1
    return found


def check_missing(entry: Entry, context: Context) -> Iterator[str]:
    """No translation: the other checks have nothing to look at."""
    if entry.status is Status.MISSING or not entry.translation.strip():
        yield "no translation"


def check_stale(entry: Entry, context: Context) -> Iterator[str]:
    """The source changed since the entry was translated."""
    if entry.status is Status.FUZZY:
        yield "the source changed since this was translated"


def check_numbers(entry: Entry, context: Context) -> Iterator[str]:
    """Every number of the source in the translation, and no number the source lacks."""
    source = _numbers(entry.source)
    target = _numbers(entry.translation, skip_ordinals=True)
    lost = source - target
    added = target - source
    if lost:
        yield f"number missing from the translation: {', '.join(sorted(lost))}"
    if added:
        yield f"number not in the source: {', '.join(sorted(added))}"


def check_untranslated(entry: Entry, context: Context) -> Iterator[str]:
    """The translation is the source text again."""
    if _squash(entry.translation) == _squash(entry.source):
        yield "translation is identical to the source"


def check_arabic_letters(entry: Entry, context: Context) -> Iterator[str]:
    """Arabic letters left in a French or English translation.

    A glossary term whose required rendering is Arabic (a word the translation
    quotes on purpose) does not count.
    """
    text = entry.translation
    if not has_arabic(text):
        return
    for term in context.glossary.terms_in(entry.source):
        rendering = term.renderings.get(entry.language, "")
        if has_arabic(rendering):
            text = rendering_pattern(rendering).sub("", text)
    letters = "".join(sorted(arabic_letters(text)))
    if letters:
        yield f"Arabic letters left in the translation: {letters}"


_WORD = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)


def check_repetition(entry: Entry, context: Context) -> Iterator[str]:
    """A word or phrase repeated in a loop, three times or more in a row."""
    words = [w.lower() for w in _WORD.findall(entry.translation)]
    for size in range(1, 5):
        for start in range(len(words) - 3 * size + 1):
            phrase = words[start : start + size]
            if (
                phrase
                == words[start + size : start + 2 * size]
                == words[start + 2 * size : start + 3 * size]
            ):
                yield f"'{' '.join(phrase)}' repeated in a loop"
                return


def check_length_ratio(entry: Entry, context: Context) -> Iterator[str]:
    """The translation's length far outside the document's usual ratio for this language."""
    bounds = context.ratio_bounds.get((entry.document, entry.language))
    if bounds is None or len(entry.source) < _MIN_RATIO_LENGTH:
        return
    ratio = len(entry.translation) / len(entry.source)
    low, high = bounds
    if not low <= ratio <= high:
        yield f"length ratio {ratio:.2f} is outside this document's usual {low:.2f}–{high:.2f}"


# A list item may end with ; or : where the source has a full stop (French usage).
_END_KINDS = {
    "?": "question",
    "؟": "question",
    "!": "exclamation",
    ".": "statement",
    "…": "statement",
    ";": "statement",
    ":": "statement",
}
_CLOSERS = "\"'”’»)]*_ \u00a0\u202f"


def _end_kind(text: str) -> str:
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith(("?!", "؟!", "!?")):
        return "question"
    return _END_KINDS.get(stripped[-1:], "none") if stripped else "none"


def check_end_punctuation(entry: Entry, context: Context) -> Iterator[str]:
    """The sentence ends as the source does: question, exclamation or statement."""
    source, target = _end_kind(entry.source), _end_kind(entry.translation)
    if source != target and not (source == "none" and target == "statement"):
        yield f"source ends as a {source}, translation as a {target}"


def check_arabic_punctuation(entry: Entry, context: Context) -> Iterator[str]:
    """Arabic punctuation (؟ ، ؛ ٪) left unconverted in the translation."""
    marks = "".join(sorted({c for c in entry.translation if c in "؟،؛٪٫٬"}))
    if marks:
        yield f"Arabic punctuation left in the translation: {marks} (use ? , ; % instead)"


_MARKS = re.compile(r"[?!.,;:؟]{2,}")
_ALLOWED_RUNS = frozenset({"...", "?!", "!?", "!!!"})


def check_doubled_punctuation(entry: Entry, context: Context) -> Iterator[str]:
    """Two marks where one belongs (``؟?``, ``..``, ``?.``); ``?!`` and ``...`` are fine."""
    text = entry.translation.replace("\u202f", "").replace("\u00a0", "")
    for match in _MARKS.finditer(text):
        if match.group(0) not in _ALLOWED_RUNS:
            yield f"doubled punctuation '{match.group(0)}'"
            return


_FRENCH_SPACE = "\u00a0\u202f"


def check_french_spacing(entry: Entry, context: Context) -> Iterator[str]:
    """French typography: a (narrow) no-break space before ? ! : ; and inside « ».

    Checked in the text as printed: the renderer spaces what it can
    (:func:`warraq.render.typography.french_spacing`), so only what it leaves,
    such as a mark followed by a letter (``vrai?Oui``), is reported.
    """
    if entry.language.split("-")[0] != "fr":
        return
    text = french_spacing(entry.translation)
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if char in "?!:;" and before and before not in _FRENCH_SPACE and not before.isdigit():
            if char == ":" and after.isdigit():
                continue  # a time or a ratio, 10:30
            if before in "?!" or before in NO_SPACE_AFTER:
                continue  # the second mark of ?! or !!; (?) and «?»
            yield f"no no-break space before '{char}'"
            return
        if (char == "«" and after not in _FRENCH_SPACE) or (
            char == "»" and before not in _FRENCH_SPACE
        ):
            yield f"no no-break space inside '{char}'"
            return


def check_glossary(entry: Entry, context: Context) -> Iterator[str]:
    """Each glossary term in the source has its required rendering; no forbidden variant."""
    for term in context.glossary.terms_in(entry.source):
        rendering = term.renderings.get(entry.language)
        if rendering and not rendering_pattern(rendering).search(entry.translation):
            yield f"'{term.source}' must be rendered '{rendering}'"
        for variant in term.forbidden.get(entry.language, ()):
            if rendering_pattern(variant).search(entry.translation):
                yield f"'{variant}' is a forbidden rendering of '{term.source}'"


def _balanced(text: str, opening: str, closing: str) -> bool:
    if opening not in text and closing not in text:
        return True
    depth = 0
    for char in text:
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _quotes_balanced(text: str) -> bool:
    return _balanced(text, "«", "»") and _balanced(text, "“", "”") and text.count('"') % 2 == 0


def check_balance(entry: Entry, context: Context) -> Iterator[str]:
    """Brackets, quotation marks and emphasis balanced as in the source."""
    for opening, closing in ("()", "[]"):
        if _balanced(entry.source, opening, closing) and not _balanced(
            entry.translation, opening, closing
        ):
            yield f"unbalanced '{opening}{closing}' (balanced in the source)"
    if _quotes_balanced(entry.source) and not _quotes_balanced(entry.translation):
        yield "unbalanced quotation marks (balanced in the source)"
    if entry.markup == "markdown":
        source_spans = len(emphasis_spans(entry.source, "markdown"))
        target_spans = len(emphasis_spans(entry.translation, "markdown"))
        if source_spans != target_spans:
            yield f"{target_spans} emphasis spans where the source has {source_spans}"


def check_note_calls(entry: Entry, context: Context) -> Iterator[str]:
    """Every note the source calls is called in the translation, once and in the same order;
    the translation may call its own translator's notes besides."""
    if entry.markup != "markdown":
        return
    source = note_calls(entry.source, "markdown")
    target = [
        label
        for label in note_calls(entry.translation, "markdown")
        if label in source or label not in entry.translator_notes
    ]
    if target != source:
        shown = " ".join(f"[^{label}]" for label in target) or "none"
        wanted = " ".join(f"[^{label}]" for label in source) or "none"
        yield f"note calls {shown} where the source has {wanted} (same notes, same order)"


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", "", text)


_MIN_RATIO_LENGTH = 20

CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        Check(
            "missing",
            "error",
            "no translation (the other checks need one)",
            check_missing,
            stops=True,
            completeness=True,
        ),
        Check(
            "stale",
            "warning",
            "the source changed since it was translated",
            check_stale,
            completeness=True,
        ),
        Check(
            "untranslated",
            "error",
            "translation identical to the source",
            check_untranslated,
            stops=True,
        ),
        Check("arabic-letters", "error", "Arabic letters in the translation", check_arabic_letters),
        Check("numbers", "error", "numbers lost, changed or added", check_numbers),
        Check("repetition", "error", "a word or phrase repeated in a loop", check_repetition),
        Check("length-ratio", "warning", "length far from the usual ratio", check_length_ratio),
        Check("end-punctuation", "error", "sentence end of another kind", check_end_punctuation),
        Check("arabic-punctuation", "error", "؟ ، ؛ left unconverted", check_arabic_punctuation),
        Check(
            "doubled-punctuation", "error", "two marks where one belongs", check_doubled_punctuation
        ),
        Check("french-spacing", "warning", "French no-break spaces", check_french_spacing),
        Check("glossary", "error", "glossary renderings", check_glossary),
        Check("balance", "error", "brackets, quotes, emphasis balanced", check_balance),
        Check("note-calls", "error", "note calls kept, in order", check_note_calls),
    )
}
"""Every check, in the order they run; a check that ``stops`` ends an entry's checks."""


def ratio_bounds(entries: list[Entry]) -> tuple[float, float] | None:
    """The usual range of translation/source length ratios: median ± 4 MADs, at least ×/2."""
    ratios = [
        len(e.translation) / len(e.source)
        for e in entries
        if len(e.source) >= _MIN_RATIO_LENGTH and e.translation
    ]
    if len(ratios) < 5:
        return None
    median = statistics.median(ratios)
    spread = statistics.median(abs(r - median) for r in ratios) * 1.4826
    return min(median - 4 * spread, median / 2), max(median + 4 * spread, median * 2)


def document_entries(name: str, document: Document, translation: Translation) -> list[Entry]:
    """One entry per distinct source sentence of ``document``, with its translation."""
    entries: list[Entry] = []
    seen: set[str] = set()
    translator_notes = frozenset(note.label for note in translation.notes)
    for segment in document.segments():
        if segment.text in seen:
            continue
        seen.add(segment.text)
        rendering = translation.lookup(segment.text)
        entries.append(
            Entry(
                name,
                segment.id,
                translation.language,
                segment.text,
                rendering.text,
                rendering.status,
                document.meta.markup,
                translator_notes,
            )
        )
    return entries


def run_checks(entries: list[Entry], glossary: Glossary | None = None) -> list[Finding]:
    """Every finding for ``entries`` (one document, one language or several)."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        groups.setdefault((entry.document, entry.language), []).append(entry)
    bounds = {key: b for key, group in groups.items() if (b := ratio_bounds(group)) is not None}
    context = Context(glossary or Glossary(), bounds)
    findings: list[Finding] = []
    for entry in entries:
        findings.extend(check_entry(entry, context))
    return findings


def check_entry(entry: Entry, context: Context) -> Iterator[Finding]:
    """The findings for one entry: missing and stale first; the rest only when translated."""

    def finding(check: str, level: Level, message: str) -> Finding:
        return Finding(
            entry.document,
            entry.segment_id,
            entry.language,
            check,
            level,
            message,
            entry.source,
            entry.translation,
        )

    for check in CHECKS.values():
        messages = list(check.function(entry, context))
        for message in messages[:1] if check.stops else messages:
            yield finding(check.name, check.level, message)
        if messages and check.stops:
            return


def configured_entries(
    config: DocumentConfig, document: Document, translation: Translation
) -> list[Entry]:
    """The entries to check for one document: those of its catalog (see ``catalog_segments``)."""
    wanted = {s.text for s in catalog_segments(config, document, translation.language)}
    return [e for e in document_entries(config.name, document, translation) if e.source in wanted]


def check_project(
    project: Project,
    *,
    documents: tuple[str, ...] | None = None,
    languages: tuple[str, ...] | None = None,
) -> list[Finding]:
    """Run every check on the project's catalogs, for the documents and languages given."""
    selection = select(project, documents, languages)
    glossary = project_glossary(project)
    entries: list[Entry] = []
    for config in selection.documents:
        document = load_document(project, config)
        for language in selection.languages:
            translation = load_translation(project, config.name, language)
            entries.extend(configured_entries(config, document, translation))
    return run_checks(entries, glossary)


def format_findings(findings: list[Finding], width: int = 40) -> str:
    """A plain-text table: segment, language, check, level, message, both texts' starts."""
    if not findings:
        return "no findings\n"

    def start(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    lines = []
    for f in findings:
        lines.append(f"{f.document}:{f.segment_id} [{f.language}] {f.level} {f.check}: {f.message}")
        lines.append(f"    source:      {start(f.source)}")
        lines.append(f"    translation: {start(f.translation) or '(none)'}")
    errors = sum(1 for f in findings if f.level == "error")
    lines.append(f"{errors} errors, {len(findings) - errors} warnings")
    return "\n".join(lines) + "\n"
