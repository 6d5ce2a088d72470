"""The project glossary: Arabic terms and the renderings each translation must use.

``glossary.toml`` at the project root holds one ``[[term]]`` table per term::

    [[term]]
    ar = "قطر"
    fr = "Qatar"
    en = "Qatar"
    note = "The state, not the adjective قطري."
    forbidden = { fr = ["Katar"], en = ["Katar"] }

A term is found in Arabic text with its clitics (و، ف، ب، ك، ل, and ``لل`` for
``ال``), ignoring harakat, tatweel and the spelling of hamzated alifs. A
rendering is found in a translation case-insensitively at the start of a word,
so inflected forms (``renseignements``) count.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warraq.config import Project
from warraq.errors import WarraqError

_HARAKAT = re.compile(r"[\u064b-\u065f\u0670\u0640]")
_ALIFS = str.maketrans("أإآٱ", "اااا")
_TERM_KEYS = ("ar", "note", "forbidden")


def fold_arabic(text: str) -> str:
    """Arabic text folded for matching: no harakat or tatweel, one alif, ى as ي.

    >>> fold_arabic("الإِرْهـــاب")
    'الارهاب'
    """
    return _HARAKAT.sub("", text).translate(_ALIFS).replace("ى", "ي")


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry: the source term, a rendering per language, forbidden variants."""

    source: str
    renderings: Mapping[str, str]
    forbidden: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    line: int = 0

    def pattern(self) -> re.Pattern[str]:
        """A regular expression finding the term, with clitics, in folded Arabic text.

        The term itself is group ``term``, or ``contracted`` for the ``لل`` form
        (ل + الأمن = للأمن), whose article the clitic absorbed.
        """
        return _term_pattern(self.source)

    def spans_in(self, folded_text: str) -> list[tuple[int, int]]:
        """Where the term itself (clitics left out) occurs in folded Arabic text."""
        spans = []
        for match in self.pattern().finditer(folded_text):
            group = "term" if match.group("term") is not None else "contracted"
            spans.append(match.span(group))
        return spans


@functools.lru_cache(maxsize=4096)
def _term_pattern(source: str) -> re.Pattern[str]:
    # Cached: the checks look for every term in every entry, twice.
    folded = fold_arabic(source)
    forms = rf"[وف]?[بكل]?(?P<term>{re.escape(folded)})"
    if folded.startswith("ال") and len(folded) > 2:
        forms += rf"|[وف]?ل(?P<contracted>{re.escape(folded[1:])})"
    return re.compile(rf"(?<!\w)(?:{forms})(?!\w)")


def rendering_pattern(rendering: str) -> re.Pattern[str]:
    """A case-insensitive pattern for ``rendering`` at a word start, hyphen or space-tolerant."""
    words = [re.escape(word) for word in rendering.split()]
    return re.compile(r"(?<!\w)" + r"[\s\u00a0\u202f]+".join(words), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Glossary:
    """All terms of a project; empty when the project has no glossary."""

    terms: tuple[Term, ...] = ()
    path: Path | None = None

    def terms_in(self, source_text: str) -> list[Term]:
        """The terms occurring in ``source_text``, longest first."""
        folded = fold_arabic(source_text)
        found = [term for term in self.terms if term.pattern().search(folded)]
        return sorted(found, key=lambda term: -len(term.source))


def load_glossary(path: Path, languages: tuple[str, ...]) -> Glossary:
    """Read ``glossary.toml``; every term needs a rendering in each of ``languages``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WarraqError(
            f"{path}: glossary not found; create it or remove 'glossary' from warraq.toml"
        ) from None
    except UnicodeDecodeError as error:
        raise WarraqError(
            f"{path}: not UTF-8 (byte offset {error.start}); save it as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WarraqError(f"{path}: invalid TOML: {error}") from None
    unknown = set(data) - {"term"}
    if unknown:
        raise WarraqError(f"{path}: key '{sorted(unknown)[0]}' is unknown; write [[term]] tables")
    entries = data.get("term", [])
    if not isinstance(entries, list):
        raise WarraqError(f"{path}: 'term' must be an array of tables, [[term]]")
    lines = _term_lines(text)
    terms = []
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else 0
        terms.append(_term(entry, index, line, path, languages))
    return Glossary(tuple(terms), path)


def _term_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "[[term]]"]


def _term(entry: Any, index: int, line: int, path: Path, languages: tuple[str, ...]) -> Term:
    where = f"{path}, line {line}: term {index + 1}"
    if not isinstance(entry, dict):
        raise WarraqError(f"{where} must be a table")
    for key in entry:
        if key not in (*_TERM_KEYS, *languages):
            known = ", ".join((*_TERM_KEYS, *languages))
            raise WarraqError(f"{where}: key '{key}' is unknown; known keys: {known}")
    source = entry.get("ar")
    if not isinstance(source, str) or not source.strip():
        raise WarraqError(f"{where}: key 'ar' (the Arabic term) is missing or empty")
    renderings = {}
    for language in languages:
        value = entry.get(language)
        if not isinstance(value, str) or not value.strip():
            raise WarraqError(f"{where} ({source}): key '{language}' (its rendering) is missing")
        renderings[language] = value.strip()
    forbidden_data = entry.get("forbidden", {})
    if not isinstance(forbidden_data, dict):
        raise WarraqError(f"{where}: 'forbidden' must be a table such as {{ fr = [\"…\"] }}")
    forbidden: dict[str, tuple[str, ...]] = {}
    for language, variants in forbidden_data.items():
        if language not in languages:
            raise WarraqError(f"{where}: 'forbidden.{language}' is not a target language")
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise WarraqError(f"{where}: 'forbidden.{language}' must be a list of texts")
        forbidden[language] = tuple(variants)
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise WarraqError(f"{where}: 'note' must be a text")
    return Term(source.strip(), renderings, forbidden, note, line)


def project_glossary(project: Project) -> Glossary:
    """The project's glossary: the configured file, else ``glossary.toml`` if present."""
    path = project.path(project.glossary) if project.glossary else project.root / "glossary.toml"
    if project.glossary is None and not path.is_file():
        return Glossary()
    return load_glossary(path, project.target_languages)
