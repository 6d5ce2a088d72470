"""Catalog entries: which segments have one, what status an entry has, machine provenance.

A catalog entry's status follows the gettext conventions a translator's tool
shows: an entry without the ``fuzzy`` flag was written or reviewed by a
person; a ``fuzzy`` entry whose automatic comments record a machine
translation is unreviewed machine output; any other ``fuzzy`` entry is stale
(its source changed since it was translated).
"""

from __future__ import annotations

from collections.abc import Iterable

from babel.messages.catalog import Message

from warraq.catalogs.translation import Status
from warraq.config import DocumentConfig, Project
from warraq.document.model import Document, Segment

MACHINE_COMMENT_PREFIX = "machine translation"
"""Automatic comments (``#.``) starting with this mark machine-translated entries."""

MEMORY_COMMENT_PREFIX = "translation memory"
"""Automatic comments starting with this say what the translation memory gave or suggested."""

PREVIOUS_TRANSLATION_PREFIX = "previous translation: "
"""Translator comments keeping what an entry said before its source changed."""


# Which segments are entries ------------------------------------------------------


def catalog_segments(config: DocumentConfig, document: Document, language: str) -> list[Segment]:
    """The segments of ``document`` that the catalog in ``language`` translates, in reading order.

    The one rule for the title: a title the configuration gives in
    ``language`` (``[documents.title]`` in warraq.toml) is that edition's
    title, so the catalog has no entry for it; without one, the title is an
    entry like any sentence.
    """
    title = document.meta.title
    configured = bool(config.title(language))
    return [segment for segment in document.segments() if not (segment is title and configured)]


def template_segments(
    config: DocumentConfig, document: Document, languages: Iterable[str]
) -> list[Segment]:
    """The segments the template holds: those of the catalog of at least one of ``languages``."""
    wanted = {
        segment.id
        for language in languages
        for segment in catalog_segments(config, document, language)
    }
    return [segment for segment in document.segments() if segment.id in wanted]


def translatable_segments(
    project: Project, name: str, document: Document, language: str
) -> list[str]:
    """The text of every segment that needs a translation into ``language``, in reading order.

    See :func:`catalog_segments`.
    """
    segments = catalog_segments(project.document(name), document, language)
    return [segment.text for segment in segments]


# Status ----------------------------------------------------------------------------


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


def is_translated(message: Message) -> bool:
    """Whether ``message`` has a (non-empty, singular) translation."""
    return isinstance(message.string, str) and bool(message.string)


def is_reviewed(message: Message) -> bool:
    """Whether ``message`` holds a translation a person wrote or reviewed."""
    return message_status(message) is Status.REVIEWED


# Machine translation -----------------------------------------------------------------


def needs_translation(message: Message) -> bool:
    """Whether machine translation should fill ``message``: it is empty, or its source changed.

    A fuzzy entry with no previous msgid was not made stale by a source change:
    a person flagged it ("needs work"), so it is left for the person.
    """
    status = message_status(message)
    return status is Status.MISSING or (status is Status.FUZZY and bool(message.previous_id))


def machine_comments(comments: Iterable[str]) -> list[str]:
    """The provenance block: from the first machine-translation or memory comment to the end."""
    comments = list(comments)
    for index, comment in enumerate(comments):
        if comment.startswith((MACHINE_COMMENT_PREFIX, MEMORY_COMMENT_PREFIX)):
            return comments[index:]
    return []


def record_machine_translation(message: Message, text: str, provenance: str) -> None:
    """Put machine translation ``text`` into ``message``, marked unreviewed, with its provenance.

    A stale entry's old translation is kept as a translator comment, for context.
    """
    if is_translated(message) and message.string != text:
        message.user_comments = [
            comment
            for comment in message.user_comments
            if not comment.startswith(PREVIOUS_TRANSLATION_PREFIX)
        ] + [PREVIOUS_TRANSLATION_PREFIX + " ".join(str(message.string).split())]
    message.string = text
    message.flags = {*message.flags, "fuzzy"}
    notes = list(message.auto_comments)
    machine = machine_comments(notes)
    notes = notes[: len(notes) - len(machine)] if machine else notes
    message.auto_comments = [*notes, f"{MACHINE_COMMENT_PREFIX}: {provenance}"]
