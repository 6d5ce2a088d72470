"""Argos translation models: where they are installed, installing ``.argosmodel`` files, routes.

Models live where argostranslate keeps them, so both tools share them:
``ARGOS_PACKAGES_DIR`` if set (in the environment or argos's settings.json),
else ``$XDG_DATA_HOME/argos-translate/packages`` (``~/.local/share/...``).
Nothing here imports argostranslate: listing and installing stay instant.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from warraq.config import is_language_tag
from warraq.errors import WarraqError


@dataclass(frozen=True, slots=True)
class ModelPackage:
    """One installed argos package that translates ``source`` into ``target``."""

    name: str  # its folder, e.g. translate-ar_en-1_0
    path: Path
    source: str
    target: str
    version: str

    @property
    def pair(self) -> str:
        """``ar→en``."""
        return f"{self.source}→{self.target}"

    def describe(self) -> str:
        """``translate-ar_en-1_0 1.0 (ar→en)``."""
        return f"{self.name} {self.version} ({self.pair})"


def packages_dir() -> Path:
    """Where argos models are installed (see the module docstring)."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    home = Path.home()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    settings = config_home / "argos-translate" / "settings.json"
    try:
        value = json.loads(settings.read_text(encoding="utf-8")).get("ARGOS_PACKAGES_DIR")
    except (OSError, ValueError, AttributeError):
        value = None
    if isinstance(value, str) and value:
        return Path(value).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def _metadata(text: str, where: str) -> dict[str, str]:
    """The fields warraq needs from a package's metadata.json."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise WarraqError(f"{where}: metadata.json is not JSON ({error})") from None
    if not isinstance(data, dict):
        raise WarraqError(f"{where}: metadata.json must hold an object")
    kind = data.get("type", "translate")
    fields = {"type": kind if isinstance(kind, str) else ""}
    for key in ("from_code", "to_code"):
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise WarraqError(f"{where}: metadata.json has no {key}; is this a translation model?")
        fields[key] = value
    version = data.get("package_version", "")
    fields["package_version"] = str(version) if version else "?"
    return fields


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """The translation packages installed in ``directory``, by pair then name.

    Folders that are not readable packages are skipped.
    """
    directory = directory or packages_dir()
    packages = []
    if not directory.is_dir():
        return []
    for path in sorted(directory.iterdir()):
        metadata = path / "metadata.json"
        if path.name.startswith(".") or not metadata.is_file():
            continue
        try:
            fields = _metadata(metadata.read_text(encoding="utf-8"), str(path))
        except (WarraqError, OSError, UnicodeDecodeError):
            continue
        if fields["type"] != "translate":
            continue
        packages.append(
            ModelPackage(
                path.name, path, fields["from_code"], fields["to_code"], fields["package_version"]
            )
        )
    return sorted(packages, key=lambda p: (p.source, p.target, p.name))


def find_route(packages: list[ModelPackage], source: str, target: str) -> list[ModelPackage] | None:
    """The shortest chain of packages from ``source`` to ``target``; a direct one if installed.

    >>> def p(a, b): return ModelPackage(f"translate-{a}_{b}", Path(), a, b, "1")
    >>> [x.pair for x in find_route([p("ar", "en"), p("en", "fr")], "ar", "fr")]
    ['ar→en', 'en→fr']
    >>> find_route([p("ar", "en")], "ar", "fr") is None
    True
    """
    by_source: dict[str, list[ModelPackage]] = {}
    for package in packages:
        by_source.setdefault(package.source, []).append(package)
    queue: deque[tuple[str, list[ModelPackage]]] = deque([(source, [])])
    seen = {source}
    while queue:
        language, route = queue.popleft()
        if language == target and route:
            return route
        # English first: the usual pivot, and the best-served language.
        options = sorted(by_source.get(language, []), key=lambda p: (p.target != "en", p.target))
        for package in options:
            if package.target == target:
                return [*route, package]
            if package.target not in seen:
                seen.add(package.target)
                queue.append((package.target, [*route, package]))
    return None


def pivot_routes(packages: list[ModelPackage]) -> list[list[ModelPackage]]:
    """The pairs the packages translate only through another language, with their chains."""
    direct = {(p.source, p.target) for p in packages}
    languages = sorted({p.source for p in packages} | {p.target for p in packages})
    routes = []
    for source in languages:
        for target in languages:
            if source == target or (source, target) in direct:
                continue
            route = find_route(packages, source, target)
            if route is not None:
                routes.append(route)
    return routes


def is_pair(arguments: tuple[Path, ...]) -> bool:
    """True when ``warraq models install`` was given a language pair rather than files.

    >>> is_pair((Path("ar"), Path("fr"))), is_pair((Path("m.argosmodel"), Path("fr")))
    (True, False)
    """
    return len(arguments) == 2 and all(
        is_language_tag(str(a)) and not a.suffix and not a.exists() for a in arguments
    )


def install_package(
    file: Path, directory: Path | None = None
) -> tuple[ModelPackage, list[ModelPackage]]:
    """Install the ``.argosmodel`` ``file``; return it and the packages it replaced.

    The archive is checked first (one top folder holding metadata.json, a
    CTranslate2 model and a tokenizer; no path leaving that folder), unpacked
    beside the packages, then moved into place, so a failed install leaves
    nothing behind. An installed package for the same pair is replaced.
    """
    directory = directory or packages_dir()
    if not file.is_file():
        raise WarraqError(f"{file}: no such file")
    if not zipfile.is_zipfile(file):
        raise WarraqError(f"{file}: not an .argosmodel file (those are zip archives)")
    with zipfile.ZipFile(file) as archive:
        names = [PurePosixPath(name) for name in archive.namelist()]
        tops = {name.parts[0] for name in names if name.parts}
        if len(tops) != 1 or any(n.is_absolute() or ".." in n.parts for n in names):
            raise WarraqError(
                f"{file}: an .argosmodel holds exactly one top folder; this one does not"
            )
        top = tops.pop()
        present = {str(name) for name in names}
        if f"{top}/metadata.json" not in present:
            raise WarraqError(f"{file}: no {top}/metadata.json; not an argos package")
        fields = _metadata(
            archive.read(f"{top}/metadata.json").decode("utf-8", "replace"), str(file)
        )
        if fields["type"] != "translate":
            raise WarraqError(f"{file}: a {fields['type']!r} package, not a translation model")
        if f"{top}/model/model.bin" not in present:
            raise WarraqError(f"{file}: no {top}/model/model.bin (a CTranslate2 model)")
        if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & present:
            raise WarraqError(f"{file}: no tokenizer ({top}/sentencepiece.model or bpe.model)")
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=directory))
        try:
            archive.extractall(staging)
            replaced = [
                p
                for p in installed_packages(directory)
                if (p.source, p.target) == (fields["from_code"], fields["to_code"]) or p.name == top
            ]
            # Move the old packages aside first (same file system: renames), so
            # that a failure puts them back and a success removes them with staging.
            moved = []
            for old in replaced:
                aside = staging / f"replaced-{old.name}"
                old.path.rename(aside)
                moved.append((old.path, aside))
            try:
                (staging / top).rename(directory / top)
            except OSError:
                for original, aside in moved:
                    aside.rename(original)
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    package = ModelPackage(
        top, directory / top, fields["from_code"], fields["to_code"], fields["package_version"]
    )
    return package, replaced
