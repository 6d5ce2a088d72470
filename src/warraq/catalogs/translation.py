"""One language's translations of one document, as the catalogs hold them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from warraq.document.model import Note


class Status(StrEnum):
    """How far a translated entry can be trusted."""

    REVIEWED = "reviewed"  # written or checked by a person
    MACHINE = "machine"  # machine translation nobody has reviewed yet
    FUZZY = "fuzzy"  # the source changed since it was translated
    MISSING = "missing"  # no translation at all


@dataclass(frozen=True, slots=True)
class Rendering:
    """The translation of one source text, and its status."""

    text: str
    status: Status


MISSING = Rendering("", Status.MISSING)


@dataclass(frozen=True, slots=True)
class Translation:
    """The translations of one document into one language, keyed by source text.

    Identical source sentences share one entry, as they share one catalog entry.
    ``notes`` are the translator's notes of this language (never translated,
    called from the translations as ``[^label]``).
    """

    language: str
    entries: Mapping[str, Rendering] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()

    def note(self, label: str) -> Note | None:
        """The translator's note called ``[^label]``, if there is one."""
        return next((note for note in self.notes if note.label == label), None)

    def lookup(self, source_text: str) -> Rendering:
        """The rendering of ``source_text``; :data:`MISSING` when there is none."""
        rendering = self.entries.get(source_text)
        if rendering is None or not rendering.text:
            return MISSING
        return rendering
