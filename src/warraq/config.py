"""The project configuration, ``warraq.toml``: read, validated, and given defaults.

Every key is checked on load: an unknown key, a value of the wrong type or a
source file that does not exist is an error naming the key and the fix. A
project without ``warraq.toml`` (``warraq build SOURCE``) gets the same
structure from :func:`single_source_project`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from warraq.errors import WarraqError

CONFIG_NAME = "warraq.toml"

Layout = Literal["side-by-side", "translation-only", "facing-pages", "interleaved"]
Format = Literal["pdf", "epub"]
LAYOUTS: tuple[Layout, ...] = ("side-by-side", "translation-only", "facing-pages", "interleaved")
BILINGUAL_LAYOUTS: frozenset[Layout] = frozenset(("side-by-side", "facing-pages", "interleaved"))
"""Layouts that print the source beside (or with) its translation."""
_STEM_SUFFIXES: dict[Layout, str] = {"facing-pages": ".facing", "interleaved": ".interleaved"}
"""What a bilingual layout other than side-by-side adds to its outputs' names."""
FORMATS: tuple[Format, ...] = ("pdf", "epub")

# Trim sizes a user can name; anything else is given as "WIDTH HEIGHT" with units.
TRIM_SIZES: dict[str, tuple[str, str]] = {
    "A4": ("210mm", "297mm"),
    "A5": ("148mm", "210mm"),
    "B5": ("176mm", "250mm"),
    "royal": ("156mm", "234mm"),
    "6x9in": ("6in", "9in"),
    "letter": ("8.5in", "11in"),
}
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt)$")
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def length_mm(length: str) -> float:
    """A CSS length as written in ``warraq.toml`` (``15mm``, ``6in``, ``12pt``), in millimetres.

    >>> round(length_mm("6in"), 2), length_mm("1.5cm")
    (152.4, 15.0)
    """
    match = _LENGTH.match(length)
    if match is None:
        raise WarraqError(f"'{length}' is not a length such as '15mm', '6in' or '12pt'")
    return float(match.group(1)) * _MM_PER_UNIT[match.group(2)]


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# A BCP 47 language tag as warraq uses them: a primary language subtag, then
# script, region or variant subtags. Tags become folder names, so nothing else.
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def is_language_tag(value: str) -> bool:
    """True when ``value`` is a language tag warraq accepts (``fr``, ``pt-BR``, ``sr-Latn``).

    >>> is_language_tag("fr"), is_language_tag("pt-BR"), is_language_tag("../x")
    (True, True, False)
    """
    return bool(LANGUAGE_TAG.match(value))


_CLUSTER = re.compile(r"^(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):\d{1,5}$")
COMPENDIUM_SUFFIXES = (".po", ".tmx")
"""The files a translation memory reads besides the catalogs: PO compendia and TMX."""
DEVICES = ("cpu", "cuda", "auto")
"""CTranslate2's devices, for ``[translate] device``."""


@dataclass(frozen=True, slots=True)
class Margins:
    """Page margins; ``inner`` is the binding side, mirrored on facing pages."""

    top: str = "18mm"
    bottom: str = "22mm"
    inner: str = "20mm"
    outer: str = "15mm"


@dataclass(frozen=True, slots=True)
class DocumentConfig:
    """One document of the project."""

    name: str
    source: Path
    titles: Mapping[str, str] = field(default_factory=dict)
    authors: Mapping[str, str] = field(default_factory=dict)
    date: str | None = None
    subjects: Mapping[str, str] = field(default_factory=dict)

    def title(self, language: str) -> str | None:
        """The title in ``language``, when the configuration gives one."""
        return self.titles.get(language)

    def author(self, language: str) -> str | None:
        """The author's name as written in ``language``, else as written at all."""
        return self.authors.get(language) or next(iter(self.authors.values()), None)

    def subject(self, language: str) -> str | None:
        """What the document is about, in ``language``, else as written at all."""
        return self.subjects.get(language) or next(iter(self.subjects.values()), None)


@dataclass(frozen=True, slots=True)
class EditionConfig:
    """A kind of edition to build, for some documents and languages."""

    name: str
    layout: Layout = "side-by-side"
    languages: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    formats: tuple[Format, ...] = FORMATS
    trim: str = "royal"
    margins: Margins = field(default_factory=Margins)
    page_numbers: Literal["arabic-indic", "western"] = "arabic-indic"
    crop_marks: bool = False
    bleed: str = "0mm"
    primary_language: Literal["source", "translation"] = "source"
    source_page: Literal["right", "left"] = "right"  # facing pages: where the source sits
    note_numbering: Literal["book", "chapter"] = "book"  # notes numbered through, or per chapter
    arabic_justification: Literal["spaces", "kashida"] = "spaces"  # see render.pdf.kashida

    @property
    def bilingual(self) -> bool:
        """True when the edition prints the source beside (or with) its translation."""
        return self.layout in BILINGUAL_LAYOUTS

    @property
    def page_size(self) -> tuple[str, str]:
        """Page width and height as CSS lengths."""
        if self.trim in TRIM_SIZES:
            return TRIM_SIZES[self.trim]
        width, height = self.trim.split()
        return width, height


@dataclass(frozen=True, slots=True)
class Project:
    """A whole warraq project: where things are, its documents and editions."""

    root: Path
    source_language: str = "ar"
    target_languages: tuple[str, ...] = ("fr", "en")
    documents: tuple[DocumentConfig, ...] = ()
    editions: tuple[EditionConfig, ...] = ()
    locales_dir: Path = Path("locales")
    build_dir: Path = Path("build")
    templates_dir: Path = Path("templates")
    glossary: Path | None = None
    engine: str = "argos"
    memory: tuple[Path, ...] = ()  # compendia (PO, TMX) beside the catalogs, as configured
    cluster: str | None = None  # a Dask scheduler's address, tcp://HOST:PORT
    device: str | None = None  # CTranslate2's device for argos: cpu, cuda, auto
    config_path: Path | None = None

    def path(self, relative: Path) -> Path:
        """``relative`` resolved against the project root."""
        return relative if relative.is_absolute() else self.root / relative

    def shown(self, path: Path) -> Path:
        """``path`` as messages name it: relative to the project root when inside it."""
        return path.relative_to(self.root) if path.is_relative_to(self.root) else path

    def document(self, name: str) -> DocumentConfig:
        """The document called ``name``."""
        for document in self.documents:
            if document.name == name:
                return document
        known = ", ".join(d.name for d in self.documents)
        raise WarraqError(f"no document named '{name}' in {self._where()}; known: {known}")

    def _where(self) -> str:
        return str(self.config_path) if self.config_path else "this project"


T = TypeVar("T")


class _Table:
    """One TOML table being read: tracks its keys so unknown ones are reported."""

    def __init__(self, data: Any, where: str, file: str) -> None:
        if not isinstance(data, dict):
            raise WarraqError(f"{file}: {where} must be a table")
        self.data: dict[str, Any] = data
        self.where = where
        self.file = file

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def error(self, name: str, problem: str) -> WarraqError:
        return WarraqError(f"{self.file}: key '{self.key(name)}' {problem}")

    def check_keys(self, known: tuple[str, ...]) -> None:
        for name in self.data:
            if name not in known:
                raise self.error(name, f"is unknown; known keys here: {', '.join(known)}")

    def get(self, name: str, kind: type[T], default: T) -> T:
        value = self.data.get(name, default)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.error(name, f"must be {_KIND_NAMES.get(kind, kind.__name__)}, not {value!r}")
        return value

    def optional_str(self, name: str) -> str | None:
        if name not in self.data:
            return None
        value = self.get(name, str, "")
        if not value.strip():
            raise self.error(name, "must not be empty")
        return value

    def strings(
        self, name: str, default: tuple[str, ...], check: Callable[[str], bool]
    ) -> tuple[str, ...]:
        value = self.data.get(name, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(name, f"must be a list of texts, not {value!r}")
        for item in value:
            if not check(item):
                raise self.error(name, f"has an invalid entry {item!r}")
        return tuple(value)

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.get(name, str, default)
        if value not in choices:
            raise self.error(name, f"is {value!r}; choose one of {', '.join(choices)}")
        return value

    def length(self, name: str, default: str) -> str:
        value = self.get(name, str, default)
        if not _LENGTH.match(value):
            raise self.error(
                name, f"is {value!r}; write a length such as '15mm', '0.5in' or '12pt'"
            )
        return value


_KIND_NAMES = {str: "a text", int: "a whole number", bool: "true or false", list: "a list"}


def check_cluster_address(address: str) -> str:
    """``address`` if it is a Dask scheduler address such as ``tcp://10.0.0.5:8786``.

    >>> check_cluster_address("tcp://127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    """
    if not _CLUSTER.match(address):
        raise WarraqError(
            f"is {address!r}; give the Dask scheduler's address, e.g. tcp://10.0.0.5:8786"
        )
    return address


def load_project(root: Path) -> Project:
    """Read and validate ``warraq.toml`` in ``root``."""
    path = root / CONFIG_NAME
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WarraqError(
            f"{file}: not found; create it (see the README) or give a source file, "
            "e.g. warraq build SOURCE --to fr"
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise WarraqError(
            f"{file}: not UTF-8 (byte offset {error.start}); save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise WarraqError(f"{file}: invalid TOML: {error}") from None
    return parse_project(data, root=root, file=file)


def parse_project(data: dict[str, Any], *, root: Path, file: str = CONFIG_NAME) -> Project:
    """Validate the parsed TOML ``data`` of a project rooted at ``root``."""
    top = _Table(data, "", file)
    top.check_keys(("project", "translate", "documents", "editions"))
    project = _Table(data.get("project", {}), "project", file)
    project.check_keys(
        (
            "source_language",
            "target_languages",
            "locales",
            "build",
            "templates",
            "glossary",
        )
    )
    source_language = project.get("source_language", str, "ar")
    if not is_language_tag(source_language):
        raise project.error("source_language", f"is {source_language!r}; use a code such as 'ar'")
    targets = project.strings("target_languages", ("fr", "en"), is_language_tag)
    if not targets:
        raise project.error("target_languages", "is empty; list at least one language, e.g. ['fr']")
    if source_language in targets:
        raise project.error("target_languages", f"contains the source language '{source_language}'")
    for language in targets:
        if targets.count(language) > 1:
            raise project.error("target_languages", f"lists '{language}' twice; list it once")
    translate = _Table(data.get("translate", {}), "translate", file)
    translate.check_keys(("engine", "memory", "cluster", "device"))
    memory = translate.strings("memory", (), lambda v: bool(v.strip()))
    for item in memory:
        path = Path(item) if Path(item).is_absolute() else root / item
        if path.suffix.lower() not in COMPENDIUM_SUFFIXES:
            raise translate.error(
                "memory", f"names {item!r}; give PO (.po) or TMX (.tmx) files as compendia"
            )
        if not path.is_file():
            raise translate.error("memory", f"names {item!r}, which does not exist; fix the path")
    cluster = translate.optional_str("cluster")
    if cluster is not None:
        try:
            check_cluster_address(cluster)
        except WarraqError as error:
            raise translate.error("cluster", str(error)) from None
    device = translate.choice("device", DEVICES, "") if "device" in translate.data else None

    documents_data = data.get("documents", [])
    if not isinstance(documents_data, list) or not documents_data:
        raise WarraqError(f'{file}: no [[documents]]; add one with name = "..." and source = "..."')
    documents = tuple(
        _document(_Table(item, f"documents[{i}]", file), root, (source_language, *targets))
        for i, item in enumerate(documents_data)
    )
    names = [d.name for d in documents]
    for name in names:
        if names.count(name) > 1:
            raise WarraqError(f"{file}: two [[documents]] are named '{name}'; names must differ")

    editions_data = data.get("editions", [{}])
    if not isinstance(editions_data, list):
        raise WarraqError(f"{file}: key 'editions' must be an array of tables, [[editions]]")
    editions = tuple(
        _edition(_Table(item, f"editions[{i}]", file), targets, tuple(names), i)
        for i, item in enumerate(editions_data)
    )
    glossary = project.optional_str("glossary")
    result = Project(
        root=root,
        source_language=source_language,
        target_languages=targets,
        documents=documents,
        editions=editions,
        locales_dir=Path(project.get("locales", str, "locales")),
        build_dir=Path(project.get("build", str, "build")),
        templates_dir=Path(project.get("templates", str, "templates")),
        glossary=Path(glossary) if glossary else None,
        engine=translate.get("engine", str, "argos"),
        memory=tuple(Path(item) for item in memory),
        cluster=cluster,
        device=device,
        config_path=Path(file),
    )
    _check_outputs(result, file)
    return result


def _document(table: _Table, root: Path, languages: tuple[str, ...]) -> DocumentConfig:
    table.check_keys(("name", "source", "title", "author", "date", "subject"))
    if "name" not in table.data:
        raise table.error("name", "is missing; give the document a short name, e.g. 'my-book'")
    name = table.get("name", str, "")
    if not _NAME.match(name):
        raise table.error(
            "name", f"is {name!r}; use letters, digits, '.', '-' and '_' (it names files)"
        )
    if "source" not in table.data:
        raise table.error("source", "is missing; give the path of the source file")
    source = Path(table.get("source", str, ""))
    source_path = source if source.is_absolute() else root / source
    if not source_path.is_file():
        problem = "is a directory" if source_path.is_dir() else "does not exist"
        raise table.error("source", f"names {str(source)!r}, which {problem}; fix the path")
    titles = _per_language(table, "title", languages, text_for_all=False)
    authors = _per_language(table, "author", languages, text_for_all=True)
    date = table.optional_str("date")
    if date is not None:
        try:
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
                raise ValueError(date)
            dt.date.fromisoformat(date)
        except ValueError:
            raise table.error("date", f"is {date!r}; write a real date as YYYY-MM-DD") from None
    return DocumentConfig(
        name=name,
        source=source,
        titles=titles,
        authors=authors,
        date=date,
        subjects=_per_language(table, "subject", languages, text_for_all=True),
    )


def _per_language(
    table: _Table, key: str, languages: tuple[str, ...], *, text_for_all: bool
) -> dict[str, str]:
    """A table of one text per language, or one text: for every language when
    ``text_for_all``, else for the source language (``languages[0]``) only."""
    data = table.data.get(key, {})
    if isinstance(data, str):
        if not data.strip():
            raise table.error(key, "must not be empty")
        return dict.fromkeys(languages if text_for_all else languages[:1], data)
    texts = _Table(data, table.key(key), table.file)
    texts.check_keys(languages)
    result = {}
    for language in languages:
        if language in data:
            value = texts.get(language, str, "")
            if not value.strip():
                raise texts.error(language, "must not be empty")
            result[language] = value
    return result


def _edition(
    table: _Table, targets: tuple[str, ...], documents: tuple[str, ...], index: int
) -> EditionConfig:
    table.check_keys(
        (
            "name",
            "layout",
            "languages",
            "documents",
            "formats",
            "trim",
            "margins",
            "page_numbers",
            "crop_marks",
            "bleed",
            "primary_language",
            "source_page",
            "note_numbering",
            "arabic_justification",
        )
    )
    languages = table.strings("languages", targets, lambda v: v in targets)
    document_names = table.strings("documents", documents, lambda v: v in documents)
    formats = table.strings("formats", FORMATS, lambda v: v in FORMATS)
    trim = table.get("trim", str, "royal")
    if trim not in TRIM_SIZES:
        parts = trim.split()
        if len(parts) != 2 or not all(_LENGTH.match(p) for p in parts):
            raise table.error(
                "trim",
                f"is {trim!r}; use {', '.join(TRIM_SIZES)} or 'WIDTH HEIGHT' such as '150mm 230mm'",
            )
    margins_table = _Table(table.data.get("margins", {}), table.key("margins"), table.file)
    margins_table.check_keys(("top", "bottom", "inner", "outer"))
    default = Margins()
    margins = Margins(
        top=margins_table.length("top", default.top),
        bottom=margins_table.length("bottom", default.bottom),
        inner=margins_table.length("inner", default.inner),
        outer=margins_table.length("outer", default.outer),
    )
    _check_geometry(table, trim, margins)
    layout = cast(Layout, table.choice("layout", LAYOUTS, "side-by-side"))
    return EditionConfig(
        name=table.get("name", str, layout if index == 0 else f"{layout}-{index + 1}"),
        layout=layout,
        languages=languages,
        documents=document_names,
        formats=cast(tuple[Format, ...], formats),
        trim=trim,
        margins=margins,
        page_numbers=cast(
            Literal["arabic-indic", "western"],
            table.choice("page_numbers", ("arabic-indic", "western"), "arabic-indic"),
        ),
        note_numbering=cast(
            Literal["book", "chapter"],
            table.choice("note_numbering", ("book", "chapter"), "book"),
        ),
        crop_marks=table.get("crop_marks", bool, False),
        bleed=table.length("bleed", "0mm"),
        primary_language=cast(
            Literal["source", "translation"],
            table.choice("primary_language", ("source", "translation"), "source"),
        ),
        source_page=cast(
            Literal["right", "left"], table.choice("source_page", ("right", "left"), "right")
        ),
        arabic_justification=cast(
            Literal["spaces", "kashida"],
            table.choice("arabic_justification", ("spaces", "kashida"), "spaces"),
        ),
    )


# Pages warraq typesets: from a pocket book to a broadsheet, with room for text.
PAGE_LIMITS_MM = (70.0, 600.0)
MIN_TEXT_MM = 40.0


def _check_geometry(table: _Table, trim: str, margins: Margins) -> None:
    """Refuse a page no book can have: too small, too large, or margins leaving no text."""
    width, height = (length_mm(v) for v in TRIM_SIZES.get(trim, tuple(trim.split())))
    low, high = PAGE_LIMITS_MM
    for side, value in (("width", width), ("height", height)):
        if not low <= value <= high:
            raise table.error(
                "trim", f"gives a page {side} of {value:.0f}mm; pages are {low:.0f}-{high:.0f}mm"
            )
    across = width - length_mm(margins.inner) - length_mm(margins.outer)
    down = height - length_mm(margins.top) - length_mm(margins.bottom)
    if min(across, down) < MIN_TEXT_MM:
        raise table.error(
            "margins",
            f"leave a text block of {max(across, 0):.0f} x {max(down, 0):.0f}mm on a "
            f"{width:.0f} x {height:.0f}mm page; make them smaller (at least "
            f"{MIN_TEXT_MM:.0f}mm of text each way)",
        )


def output_stem(document: str, source_language: str, language: str, layout: Layout) -> str:
    """The file name, without extension, of one edition of one document.

    >>> output_stem("book", "ar", "fr", "side-by-side")
    'book.ar-fr'
    >>> output_stem("book", "ar", "fr", "translation-only")
    'book.fr'
    >>> output_stem("book", "ar", "fr", "facing-pages")
    'book.ar-fr.facing'
    >>> output_stem("book", "ar", "fr", "interleaved")
    'book.ar-fr.interleaved'
    """
    if layout in BILINGUAL_LAYOUTS:
        return f"{document}.{source_language}-{language}{_STEM_SUFFIXES.get(layout, '')}"
    return f"{document}.{language}"


def _check_outputs(project: Project, file: str) -> None:
    """Two editions must not write the same file."""
    seen: dict[str, str] = {}
    for edition in project.editions:
        for document in edition.documents:
            for language in edition.languages:
                for fmt in edition.formats:
                    name = output_stem(document, project.source_language, language, edition.layout)
                    output = f"{name}.{fmt}"
                    if output in seen and seen[output] != edition.name:
                        raise WarraqError(
                            f"{file}: editions '{seen[output]}' and '{edition.name}' both write "
                            f"{output}; give them different layouts, languages or formats"
                        )
                    seen[output] = edition.name


def document_name_for(source: Path) -> str:
    """A document name from a source file name: ``book.ar.txt`` gives ``book``.

    >>> document_name_for(Path("seeds/france-qatar-security.ar.txt"))
    'france-qatar-security'
    >>> document_name_for(Path("notes v1.2.md")), document_name_for(Path("article.ar.html"))
    ('notes-v1.2', 'article')
    >>> document_name_for(Path("مقال.txt")) != document_name_for(Path("نص.txt"))
    True
    """
    from warraq.document.readers import FILE_READERS, READERS  # the readers need no config

    name = source.name
    for suffix in reversed(source.suffixes):
        if not is_language_tag(suffix.lstrip(".")) and suffix.lower() not in {
            *READERS,
            *FILE_READERS,
        }:
            break
        name = name.removesuffix(suffix)
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    if ascii_name:
        return ascii_name
    # A name in another script: distinct and stable per file name, and usable as a file name.
    return "document-" + hashlib.blake2b(name.encode(), digest_size=4).hexdigest()


def single_source_project(
    source: Path, *, root: Path, targets: tuple[str, ...], source_language: str = "ar"
) -> Project:
    """A project with defaults for everything, for ``warraq build SOURCE`` without a config."""
    for language in targets:
        if not is_language_tag(language) or language == source_language:
            raise WarraqError(f"--to: {language!r} is not a target language code such as 'fr'")
    name = document_name_for(source)
    return Project(
        root=root,
        source_language=source_language,
        target_languages=targets,
        documents=(DocumentConfig(name=name, source=source),),
        editions=(EditionConfig(name="side-by-side", languages=targets, documents=(name,)),),
    )
