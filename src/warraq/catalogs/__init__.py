"""Catalogs: each document's gettext template and catalogs, extracted, merged, read and saved.

One domain per document: ``locales/<document>.pot`` holds every distinct
sentence of the source (msgid = the segment's text, reference
``<document>:<segment id>``), and ``locales/<lang>/LC_MESSAGES/<document>.po``
its translations. A catalog entry's status follows the gettext conventions a
translator's tool shows: an entry without the ``fuzzy`` flag was written or
reviewed by a person; a ``fuzzy`` entry whose automatic comments record a
machine translation is unreviewed machine output; any other ``fuzzy`` entry is
stale (its source changed since it was translated).

Merging a template into a catalog is done here, not with babel's
``Catalog.update``, which takes automatic comments (the machine-translation
provenance) from the template, can lose the translation of a long sentence
after a small edit, and marks a whitespace-only change fuzzy.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Message

from warraq.catalogs.pofile import PoCatalog, parse_po, reference, render_po
from warraq.catalogs.translation import Rendering, Status, Translation
from warraq.config import Project
from warraq.document.model import Document, Heading, ListItem
from warraq.errors import WarraqError
from warraq.util.clock import now, po_date
from warraq.util.files import write_bytes_atomic

MACHINE_COMMENT_PREFIX = "machine translation"
"""Automatic comments (``#.``) starting with this mark machine-translated entries."""

MEMORY_COMMENT_PREFIX = "translation memory"
"""Automatic comments starting with this say what the translation memory gave or suggested."""

PREVIOUS_TRANSLATION_PREFIX = "previous translation: "
"""Translator comments keeping what an entry said before its source changed."""

TITLE_NOTE = "title of the document"
HEADING_NOTE = "heading"
ITEM_NOTE = "list item"

SIMILARITY_CUTOFF = 0.6
"""How alike (0-1, by words) an old sentence must be to count as the previous form of a new one."""

_WORDS = re.compile(r"\w+")


def template_path(project: Project, document: str) -> Path:
    """``locales/<document>.pot``."""
    return project.path(project.locales_dir) / f"{document}.pot"


def catalog_path(project: Project, document: str, language: str) -> Path:
    """``locales/<language>/LC_MESSAGES/<document>.po``."""
    return project.path(project.locales_dir) / language / "LC_MESSAGES" / f"{document}.po"


def babel_locale(language: str) -> str:
    """A language tag as babel names locales: ``pt-BR`` is ``pt_BR``."""
    return language.replace("-", "_")


def read_catalog(path: Path, *, locale: str | None = None) -> PoCatalog:
    """Read a PO or POT file; a syntax error names the file and line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WarraqError(f"{path}: cannot read ({error.strerror})") from None
    return parse_po(data, path, locale=babel_locale(locale) if locale else None)


def entry_status(message_flags: set[str], auto_comments: list[str]) -> Status:
    """The status of a non-empty entry, from its flags and automatic comments."""
    if "fuzzy" not in message_flags:
        return Status.REVIEWED
    if any(comment.startswith(MACHINE_COMMENT_PREFIX) for comment in auto_comments):
        return Status.MACHINE
    return Status.FUZZY


def message_status(message: Message) -> Status:
    """The status of a catalog entry, :attr:`Status.MISSING` when it has no translation."""
    if not isinstance(message.string, str) or not message.string:
        return Status.MISSING
    return entry_status(set(message.flags), list(message.auto_comments))


def load_translation(project: Project, document: str, language: str) -> Translation:
    """The translations of ``document`` into ``language``; empty when there is no catalog."""
    path = catalog_path(project, document, language)
    if not path.is_file():
        return Translation(language)
    catalog = read_catalog(path, locale=language)
    entries: dict[str, Rendering] = {}
    for message in catalog.messages():
        if not isinstance(message.id, str):
            continue
        status = message_status(message)
        if status is not Status.MISSING:
            entries[message.id] = Rendering(str(message.string), status)
    return Translation(language, entries)


def translatable_segments(
    project: Project, name: str, document: Document, language: str
) -> list[str]:
    """The text of every segment that needs a translation into ``language``, in reading order.

    The title is left out when the configuration gives the title in ``language``.
    """
    title = document.meta.title
    configured = project.document(name).title(language)
    return [
        segment.text for segment in document.segments() if not (segment is title and configured)
    ]


# Extracting ------------------------------------------------------------------


def extract_template(document: Document, name: str, source_language: str) -> PoCatalog:
    """The template of ``document``: one entry per distinct segment text, in reading order.

    Each entry lists where the sentence occurs (``<name>:<segment id>``) and
    notes for the translator whether it is the title, a heading or a list item.
    """
    template = PoCatalog()
    template.header_comments = [
        f'Source text of the warraq document "{name}",',
        f"from {document.meta.source}: one entry per sentence.",
        "Written by `warraq translate`; edit the source, not this file.",
    ]
    template.header_fuzzy = True
    template.header_fields = [
        ("Project-Id-Version", name),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", po_date(now())),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("Language", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Source-Language", source_language),
    ]
    if document.meta.title is not None:
        _add_occurrence(
            template, name, document.meta.title.id, document.meta.title.text, TITLE_NOTE
        )
    for block in document.text_blocks():
        note = (
            HEADING_NOTE
            if isinstance(block, Heading)
            else ITEM_NOTE
            if isinstance(block, ListItem)
            else None
        )
        for segment in block.segments:
            _add_occurrence(template, name, segment.id, segment.text, note)
    return template


def _add_occurrence(
    template: PoCatalog, name: str, segment_id: str, text: str, note: str | None
) -> None:
    message = template.get(text)
    if message is None:
        message = template.add(text, "")
    message.locations.append(reference(f"{name}:{segment_id}"))
    if note and note not in message.auto_comments:
        message.auto_comments.append(note)


def settle_template(template: PoCatalog, previous: PoCatalog | None) -> bool:
    """Keep the previous template's creation date when nothing in it changed.

    Returns whether the template changed.
    """
    if previous is not None and render_po(previous, header=False) == render_po(
        template, header=False
    ):
        created = previous.header("POT-Creation-Date")
        if created:
            template.set_header("POT-Creation-Date", created)
        return False
    return True


# Merging ---------------------------------------------------------------------


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
    old: PoCatalog | None, template: PoCatalog, language: str, name: str
) -> tuple[PoCatalog, MergeReport]:
    """Bring the catalog ``old`` in line with ``template``; neither is modified.

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

    wanted = {m.id for m in template.messages()}
    removed = [m for m in old_active.values() if m.id not in wanted]
    removed += [m for i, m in old_obsolete.items() if i not in wanted and i not in old_active]
    candidates = [m for m in removed if _translated(m)]
    by_loose: dict[str, Message] = {}
    for message in candidates:
        by_loose.setdefault(loose_key(str(message.id)), message)
    by_loose.pop("", None)
    matcher = _SimilarSentences(candidates)
    used: set[str] = set()

    for entry in template.messages():
        text = str(entry.id)
        loose = by_loose.get(loose_key(text))
        if text in old_active:
            merged = _carry(old_active[text], entry)
            report.unchanged += 1
        elif text in old_obsolete and _translated(old_obsolete[text]):
            merged = _carry(old_obsolete[text], entry)
            report.revived += 1
        elif loose is not None and loose.id not in used:
            merged = _carry(loose, entry)
            used.add(str(loose.id))
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
        if text in wanted or text in used or text in catalog.obsolete or not _translated(message):
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


def _translated(message: Message) -> bool:
    return isinstance(message.string, str) and bool(message.string)


def _machine_comments(comments: Iterable[str]) -> list[str]:
    """The provenance block: from the first machine-translation or memory comment to the end."""
    comments = list(comments)
    for index, comment in enumerate(comments):
        if comment.startswith((MACHINE_COMMENT_PREFIX, MEMORY_COMMENT_PREFIX)):
            return comments[index:]
    return []


def _carry(old: Message, entry: Message) -> Message:
    """``old``'s translation, flags and comments under ``entry``'s source and references."""
    return Message(
        entry.id,
        old.string,
        locations=entry.locations,
        flags=old.flags,
        auto_comments=[*entry.auto_comments, *_machine_comments(old.auto_comments)],
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


# Translating entries ----------------------------------------------------------


def needs_translation(message: Message) -> bool:
    """Whether machine translation should fill ``message``: it is empty, or its source changed.

    A fuzzy entry with no previous msgid was not made stale by a source change:
    a person flagged it ("needs work"), so it is left for the person.
    """
    status = message_status(message)
    return status is Status.MISSING or (status is Status.FUZZY and bool(message.previous_id))


def record_machine_translation(message: Message, text: str, provenance: str) -> None:
    """Put machine translation ``text`` into ``message``, marked unreviewed, with its provenance.

    A stale entry's old translation is kept as a translator comment, for context.
    """
    if _translated(message) and message.string != text:
        message.user_comments = [
            comment
            for comment in message.user_comments
            if not comment.startswith(PREVIOUS_TRANSLATION_PREFIX)
        ] + [PREVIOUS_TRANSLATION_PREFIX + " ".join(str(message.string).split())]
    message.string = text
    message.flags = {*message.flags, "fuzzy"}
    notes = list(message.auto_comments)
    machine = _machine_comments(notes)
    notes = notes[: len(notes) - len(machine)] if machine else notes
    message.auto_comments = [*notes, f"{MACHINE_COMMENT_PREFIX}: {provenance}"]


# Saving ------------------------------------------------------------------------


class CatalogFile:
    """A catalog being worked on, and the file it is saved to as work goes on.

    Saving writes only what changed (a catalog whose messages did not change
    keeps its bytes and dates), atomically; and refuses to overwrite a file
    someone changed on disk since it was read.
    """

    def __init__(self, path: Path, catalog: PoCatalog, on_disk: PoCatalog | None) -> None:
        self.path = path
        self.catalog = catalog
        self._saved_body = render_po(on_disk, header=False) if on_disk is not None else None
        self._signature = _signature(path)

    def save(self) -> bool:
        """Write the catalog if it changed; return whether the file was written."""
        body = render_po(self.catalog, header=False)
        if self._saved_body is not None and body != self._saved_body:
            self.catalog.set_header("PO-Revision-Date", po_date(now()))
        data = render_po(self.catalog)
        if _signature(self.path) != self._signature:
            raise WarraqError(
                f"{self.path} changed on disk while warraq was working on it; your changes are "
                "kept and everything translated so far is saved: run 'warraq translate' again"
            )
        if self.path.is_file() and self.path.read_bytes() == data:
            self._saved_body = body
            return False
        write_bytes_atomic(self.path, data)
        self._saved_body = body
        self._signature = _signature(self.path)
        return True


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)
