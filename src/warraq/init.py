"""``warraq init``: a new project around the sources, ready for ``translate`` and ``build``.

Creates ``warraq.toml`` (one document per source, named from its file name,
titled from its metadata or first heading, in the language it declares),
``seeds/`` (sources from elsewhere are copied there), ``locales/``,
``templates/``, a ``.gitignore`` and an empty ``glossary.toml``. Every file is
checked before anything is written: an existing one is never overwritten.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from warraq.config import CONFIG_NAME, document_name_for, is_language_tag, parse_project
from warraq.document.inline import plain_text
from warraq.document.model import Omission
from warraq.document.readers import FILE_READERS, READERS, ingest
from warraq.document.readers.draft import Draft, RawHeading
from warraq.errors import WarraqError
from warraq.translate import LOCK_NAME
from warraq.util.files import write_bytes_atomic, write_text_atomic

SEEDS = Path("seeds")
FOLDERS = (SEEDS, Path("locales"), Path("templates"))
DEFAULT_TARGETS = ("fr", "en")

GITIGNORE = f"""# warraq: what builds make and the translation lock
build/
locales/{LOCK_NAME}
"""

GLOSSARY = """# The glossary: how recurring names and terms must be rendered.
# `warraq translate` keeps each term from the machine-translation model and
# puts its rendering back; `warraq check` verifies every translation uses it.
# One [[term]] per entry: `ar` is the Arabic term (found with its clitics
# و ف ب ك ل), then one rendering per target language, an optional `note`,
# and optional `forbidden` variants per language. For example:
#
# [[term]]
# ar = "قطر"
# fr = "Qatar"
# en = "Qatar"
# note = "The state. Always with the article in French: le Qatar, au Qatar."
# forbidden = { fr = ["Katar"], en = ["Katar"] }
"""


@dataclass(frozen=True, slots=True)
class InitDocument:
    """One source as ``warraq init`` configured it."""

    name: str
    source: Path  # relative to the project
    title: str | None
    author: str | None
    omitted: tuple[Omission, ...]


@dataclass
class InitResult:
    """What ``warraq init`` made."""

    root: Path
    created: list[Path] = field(default_factory=list)
    documents: list[InitDocument] = field(default_factory=list)
    source_language: str = "ar"
    target_languages: tuple[str, ...] = DEFAULT_TARGETS


def init_project(root: Path, sources: list[Path], *, targets: tuple[str, ...] = ()) -> InitResult:
    """Create a project in ``root`` from ``sources`` (default: the files already in seeds/)."""
    known = {*READERS, *FILE_READERS}
    if not sources and (root / SEEDS).is_dir():
        sources = sorted(
            p for p in (root / SEEDS).iterdir() if p.is_file() and p.suffix.lower() in known
        )
    planned: list[tuple[Path, Path]] = []  # (the file now, where the project will have it)
    for source in sources:
        if not source.is_file():
            problem = "is a directory" if source.is_dir() else "no such file"
            raise WarraqError(f"{source}: {problem}; give the path of a source file")
        inside = _inside(source, root)
        planned.append((source, inside if inside is not None else SEEDS / source.name))
    files = [Path(CONFIG_NAME), Path(".gitignore"), Path("glossary.toml")]
    copies = [(source, target) for source, target in planned if _inside(source, root) is None]
    for path in [*files, *(target for _, target in copies)]:
        if (root / path).exists():
            raise WarraqError(
                f"{root / path}: already exists; warraq init never overwrites a file "
                "(move it away, or edit the project by hand)"
            )
    targets_seen = [t for _, t in planned]
    for target in targets_seen:
        if targets_seen.count(target) > 1:
            raise WarraqError(f"{target}: two sources have this name; rename one")

    drafts = [(ingest(source, display=str(source)), target) for source, target in planned]
    declared = [d.language for d, _ in drafts if d.language]
    language = declared[0] if declared else "ar"
    for draft, _ in drafts:
        if draft.language and draft.language != language:
            raise WarraqError(
                f"{draft.source}: in '{draft.language}', but {drafts[0][0].source} is in "
                f"'{language}'; a project has one source language: init them apart"
            )
    for tag in targets:
        if not is_language_tag(tag) or tag == language:
            raise WarraqError(f"--to: {tag!r} is not a target language code such as 'fr'")
    chosen = targets or tuple(t for t in DEFAULT_TARGETS if t != language) or ("en",)
    result = InitResult(root, source_language=language, target_languages=chosen)
    names: set[str] = set()
    for draft, target in drafts:
        name = document_name_for(target)
        base, number = name, 2
        while name in names:
            name, number = f"{base}-{number}", number + 1
        names.add(name)
        result.documents.append(
            InitDocument(name, target, _title(draft), draft.author, draft.omitted)
        )
    config = project_toml(result)
    for source, target in copies:
        write_bytes_atomic(root / target, source.read_bytes())
        result.created.append(target)
    try:  # the file warraq.toml becomes must read back as this project
        if result.documents:
            parse_project(tomllib.loads(config), root=root, file=CONFIG_NAME)
    except (WarraqError, tomllib.TOMLDecodeError) as error:  # a bug in warraq init
        for target in result.created:
            (root / target).unlink()
        raise WarraqError(f"{CONFIG_NAME}: warraq init wrote a bad file ({error})") from None
    for folder in FOLDERS:
        if not (root / folder).is_dir():
            (root / folder).mkdir(parents=True)
            result.created.append(folder)
    for path, text in ((Path(".gitignore"), GITIGNORE), (Path("glossary.toml"), GLOSSARY)):
        write_text_atomic(root / path, text)
        result.created.append(path)
    write_text_atomic(root / CONFIG_NAME, config)
    result.created.append(Path(CONFIG_NAME))
    return result


def _inside(path: Path, root: Path) -> Path | None:
    """``path`` relative to ``root`` when it lies inside it."""
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return None


def _title(draft: Draft) -> str | None:
    """The title the source declares, else its first heading."""
    if draft.title:
        return plain_text(draft.title, draft.markup)
    heading = next((b for b in draft.blocks if isinstance(b, RawHeading)), None)
    return plain_text(heading.text, draft.markup) if heading is not None else None


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def project_toml(result: InitResult) -> str:
    """The ``warraq.toml`` text of a project ``warraq init`` made."""
    targets = ", ".join(_string(t) for t in result.target_languages)
    lines = [
        '# Made by `warraq init`. Every key is documented in the README ("Configuration").',
        "",
        "[project]",
        f"source_language = {_string(result.source_language)}",
        f"target_languages = [{targets}]",
        "",
    ]
    for document in result.documents:
        lines += [
            "[[documents]]",
            f"name = {_string(document.name)}",
            f"source = {_string(document.source.as_posix())}",
        ]
        if document.title:
            lines += [f"title = {{ {result.source_language} = {_string(document.title)} }}"]
        if document.author:
            lines += [f"author = {{ {result.source_language} = {_string(document.author)} }}"]
        lines.append("")
    if not result.documents:
        lines += [
            "# Add a source (then run warraq translate and warraq build):",
            "# [[documents]]",
            '# name = "my-article"',
            '# source = "seeds/my-article.ar.md"',
            "",
        ]
    lines += [
        "[[editions]]",
        'name = "bilingual"',
        'layout = "side-by-side"  # or "facing-pages", "translation-only"',
        'formats = ["pdf", "epub"]',
        "",
    ]
    return "\n".join(lines)
