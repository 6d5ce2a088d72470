"""Merging: bring a language's catalog in line with a new template, losing no translation.

Done here, not with babel's ``Catalog.update``, which takes automatic comments
(the machine-translation provenance) from the template, can lose the
translation of a long sentence after a small edit, and marks a
whitespace-only change fuzzy.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Message

from warraq.catalogs.entries import is_reviewed, is_translated, machine_comments
from warraq.catalogs.paths import babel_locale
from warraq.catalogs.pofile import PoCatalog
from warraq.util.clock import now, po_date

SIMILARITY_CUTOFF = 0.6
"""How alike (0-1, by words) an old sentence must be to count as the previous form of a new one."""

_WORDS = re.compile(r"\w+")


@dataclass
class MergeReport:
    """What a merge did with each entry of the template."""

    unchanged: int = 0  # the same source text as before
    respelled: int = 0  # only whitespace or punctuation changed: translation kept as it was
    revived: int = 0  # back from the obsolete entries
    changed: int = 0  # a similar old sentence found: now stale, its translation kept for context
    new: int = 0
    obsolete: list[str] = field(default_factory=list)  # source texts no longer in the template


def new_catalog(template: PoCatalog, language: str, name: str) -> PoCatalog:
    """An empty catalog for ``language``, its header filled in from ``template``."""
    catalog = PoCatalog(locale=babel_locale(language))
    try:
        language_name = Locale.parse(babel_locale(language)).english_name or language
    except (ValueError, UnknownLocaleError):
        language_name = language
    catalog.header_comments = [
        f'{language_name} translation of the warraq document "{name}".',
        'Entries marked fuzzy with a "machine translation" comment are machine output',
        "nobody has reviewed yet: correct them and clear the flag (in Poedit, uncheck",
        '"Needs work"). Other fuzzy entries are out of date: their source changed.',
    ]
    plural_forms = catalog.plural_forms if catalog.locale is not None else None
    for key, value in template.header_fields:
        if key == "PO-Revision-Date":
            value = po_date(now())
        elif key in ("Last-Translator", "Language-Team"):
            value = ""
        elif key == "Language":
            value = language
        catalog.header_fields.append((key, value))
        if key == "Content-Transfer-Encoding" and plural_forms:
            catalog.header_fields.append(("Plural-Forms", plural_forms))
    if plural_forms and catalog.header("Plural-Forms") is None:
        catalog.header_fields.append(("Plural-Forms", plural_forms))
    return catalog


def merge_catalog(
    old: PoCatalog | None,
    template: PoCatalog,
    language: str,
    name: str,
    *,
    entries: Collection[str] | None = None,
) -> tuple[PoCatalog, MergeReport]:
    """Bring the catalog ``old`` in line with ``template``; neither is modified.

    With ``entries`` (the msgids of
    :func:`~warraq.catalogs.entries.catalog_segments`), the catalog holds only
    the template's entries among them.

    An entry whose source is unchanged keeps everything (translation, flags,
    comments, provenance). A source changed only in whitespace or punctuation
    keeps its translation and status. A source similar to a removed one
    becomes stale (fuzzy, previous msgid kept, old translation kept). Removed
    translated entries become obsolete, and come back if their sentence does.
    """
    report = MergeReport()
    if old is None:
        catalog = new_catalog(template, language, name)
        old_active: dict[str, Message] = {}
        old_obsolete: dict[str, Message] = {}
    else:
        catalog = PoCatalog(locale=babel_locale(language))
        catalog.header_comments = list(old.header_comments)
        catalog.header_fuzzy = old.header_fuzzy
        catalog.header_fields = list(old.header_fields)
        old_active = {m.id: m for m in old.messages() if isinstance(m.id, str)}
        old_obsolete = {m.id: m for m in old.obsolete.values() if isinstance(m.id, str)}
    for key in ("POT-Creation-Date", "X-Source-Language"):
        value = template.header(key)
        if value is not None:
            catalog.set_header(key, value)
    if catalog.header("Language") is None:
        catalog.set_header("Language", language)
    # warraq writes UTF-8, and msgfmt needs to be told so.
    for key, value in (("MIME-Version", "1.0"), ("Content-Transfer-Encoding", "8bit")):
        if catalog.header(key) is None:
            catalog.set_header(key, value)
    if "charset=utf-8" not in (catalog.header("Content-Type") or "").lower().replace(" ", ""):
        catalog.set_header("Content-Type", "text/plain; charset=UTF-8")

    messages = [m for m in template.messages() if entries is None or m.id in entries]
    wanted = {m.id for m in messages}
    removed = [m for m in old_active.values() if m.id not in wanted]
    removed += [m for i, m in old_obsolete.items() if i not in wanted and i not in old_active]
    candidates = [m for m in removed if is_translated(m)]
    by_loose: dict[str, Message] = {}
    for message in candidates:
        by_loose.setdefault(loose_key(str(message.id)), message)
    by_loose.pop("", None)
    matcher = _SimilarSentences(candidates)
    used: set[str] = set()
    carried: set[str] = set()  # respelled: the translation lives on as it was

    for entry in messages:
        text = str(entry.id)
        loose = by_loose.get(loose_key(text))
        if text in old_active:
            merged = _carry(old_active[text], entry)
            report.unchanged += 1
        elif text in old_obsolete and is_translated(old_obsolete[text]):
            merged = _carry(old_obsolete[text], entry)
            report.revived += 1
        elif loose is not None and loose.id not in used:
            merged = _carry(loose, entry)
            used.add(str(loose.id))
            carried.add(str(loose.id))
            report.respelled += 1
        elif (similar := matcher.best(text)) is not None:
            merged = _stale(similar, entry)
            used.add(str(similar.id))
            report.changed += 1
        else:
            merged = Message(text, "", locations=entry.locations, auto_comments=entry.auto_comments)
            report.new += 1
        catalog[text] = merged

    for message in [*old_obsolete.values(), *old_active.values()]:
        text = str(message.id)
        if text in wanted or text in catalog.obsolete or not is_translated(message):
            continue
        # A reviewed entry that became the basis of a stale one stays too, to come back with its
        # sentence: a reviewed translation is never lost, whatever the edits.
        if text in used and (text in carried or not is_reviewed(message)):
            continue
        catalog.obsolete[text] = Message(
            message.id,
            message.string,
            flags=message.flags,
            auto_comments=message.auto_comments,
            user_comments=message.user_comments,
            context=message.context,
        )
        if text in old_active:
            report.obsolete.append(text)
    return catalog, report


def loose_key(text: str) -> str:
    """``text`` without whitespace or punctuation: equal keys differ only in those.

    >>> loose_key("نعم ، هذا .") == loose_key("نعم، هذا!")
    True
    """
    return "".join(
        char
        for char in text
        if not char.isspace() and not unicodedata.category(char).startswith(("P", "Z"))
    )


def _carry(old: Message, entry: Message) -> Message:
    """``old``'s translation, flags and comments under ``entry``'s source and references."""
    return Message(
        entry.id,
        old.string,
        locations=entry.locations,
        flags=old.flags,
        auto_comments=[*entry.auto_comments, *machine_comments(old.auto_comments)],
        user_comments=old.user_comments,
        previous_id=old.previous_id,
    )


def _stale(old: Message, entry: Message) -> Message:
    """A new source whose previous form was ``old``: fuzzy, with the old msgid and translation."""
    return Message(
        entry.id,
        old.string,
        locations=entry.locations,
        flags={*old.flags, "fuzzy"},
        auto_comments=entry.auto_comments,
        user_comments=old.user_comments,
        previous_id=old.id,
    )


class _SimilarSentences:
    """Finds, among old sentences, the one most like a new sentence, by words.

    Compares word sequences with difflib (no autojunk, so long sentences are
    compared whole), after cheap upper bounds rule out most candidates.
    """

    def __init__(self, candidates: list[Message]) -> None:
        self.candidates = [(m, _WORDS.findall(str(m.id))) for m in candidates]

    def best(self, text: str) -> Message | None:
        words = _WORDS.findall(text)
        if not words:
            return None
        best: Message | None = None
        best_ratio = SIMILARITY_CUTOFF
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)
        for message, old_words in self.candidates:
            matcher.set_seq1(old_words)
            if (
                matcher.real_quick_ratio() >= best_ratio
                and matcher.quick_ratio() >= best_ratio
                and (ratio := matcher.ratio()) >= best_ratio
                and (best is None or ratio > best_ratio)
            ):
                best, best_ratio = message, ratio
        return best
