"""What a command works on: the documents and target languages its options select.

Every command that takes ``--document`` and ``--to`` (translate, build, check,
status, check --outputs) asks here, so an unknown document or language is the
same one-line error everywhere, naming the configured ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from warraq.config import DocumentConfig, Project, is_language_tag
from warraq.errors import WarraqError


def split_languages(values: Iterable[str]) -> tuple[str, ...] | None:
    """``--to`` values, repeated or comma-separated, as one tuple; ``None`` when none given.

    >>> split_languages(["fr,en", "de"])
    ('fr', 'en', 'de')
    >>> split_languages([]) is None
    True
    """
    languages: list[str] = []
    given = False
    for value in values:
        given = True
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not is_language_tag(part):
                raise WarraqError(
                    f"--to: {part!r} is not a language code; use codes such as fr, en, pt-BR"
                )
            if part not in languages:
                languages.append(part)
    if given and not languages:
        raise WarraqError("--to: give at least one language, e.g. --to fr,en")
    return tuple(languages) if given else None


@dataclass(frozen=True, slots=True)
class Selection:
    """The documents and target languages a command works on, in configuration order."""

    documents: tuple[DocumentConfig, ...]
    languages: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The selected documents' names."""
        return tuple(document.name for document in self.documents)

    def pairs(self) -> Iterator[tuple[DocumentConfig, str]]:
        """Every selected document with every selected language, document by document."""
        for document in self.documents:
            for language in self.languages:
                yield document, language


def select(
    project: Project,
    documents: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
) -> Selection:
    """The selection ``--document`` and ``--to`` ask for (``None``: everything configured).

    An unknown document or a language that is not a target language of the
    project is an error naming the configured ones.
    """
    chosen = tuple(project.documents)
    if documents:
        names = list(dict.fromkeys(documents))
        chosen = tuple(project.document(name) for name in names)  # unknown: error naming known
    targets = project.target_languages
    if languages is not None:
        wanted = tuple(dict.fromkeys(languages))
        for language in wanted:
            if not is_language_tag(language):
                raise WarraqError(
                    f"--to: {language!r} is not a language code; "
                    f"this project's target languages are {', '.join(targets)}"
                )
            if language not in targets:
                raise WarraqError(
                    f"--to: '{language}' is not a target language of this project "
                    f"({', '.join(targets)}); add it to target_languages in warraq.toml"
                )
        targets = wanted
    return Selection(chosen, targets)
