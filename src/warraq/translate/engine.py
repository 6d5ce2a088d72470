"""What a machine-translation engine is to the translate stage."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from warraq.errors import WarraqError

Batch = list[tuple[int, str]]
"""Finished translations: (index into the texts given, translation)."""


class PairTranslator(Protocol):
    """Translates from one language into another with one engine and its models."""

    @property
    def provenance(self) -> str:
        """Engine, model packages and versions, for the catalog's provenance comment."""

    def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
        """Translate every text; yield each batch's results as soon as it is finished.

        Texts may be translated in any order; every index is yielded exactly once.
        """


class Engine(Protocol):
    """A machine-translation engine: finds what it needs to translate one language pair."""

    name: str

    def pair(self, source: str, target: str) -> PairTranslator:
        """A translator for ``source`` to ``target``.

        Raises :class:`warraq.errors.WarraqError` naming the pair and the fix
        when the engine cannot translate it (no model installed, for instance).
        """


class MissingModel(WarraqError):
    """The engine has no model for one pair; ``needs`` says what to install, in a few words."""

    def __init__(self, message: str, *, source: str, target: str, needs: str) -> None:
        super().__init__(message)
        self.source = source
        self.target = target
        self.needs = needs

    @property
    def pair(self) -> str:
        """``ar→fr``."""
        return f"{self.source}→{self.target}"


EngineFactory = Callable[..., Engine]
"""Makes an engine; called with no arguments, or ``device=...`` for engines that take one."""


class Processor(Protocol):
    """Work around the engine: prepare each source text, then finish its translation.

    The seam for glossary protection and the like; processors run in order
    before the engine and in reverse order after it.
    """

    def before(self, source: str) -> str:
        """The text to give the engine for ``source``."""

    def after(self, source: str, translation: str) -> str:
        """The translation to keep, from the engine's ``translation`` of ``source``."""
