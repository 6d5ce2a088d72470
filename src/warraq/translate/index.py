"""Models by language pair: the Argos package index, read and downloaded through argostranslate.

The index is argostranslate's: ``ARGOS_PACKAGE_INDEX`` (a base URL ending in
``/``, in the environment or argos's settings.json; read on every call) names
it, ``argostranslate.package.update_package_index`` fetches its ``index.json``
and ``get_available_packages`` lists it. A package is downloaded into argos's
download folder under the name ``AvailablePackage.download`` looks for (so
argos finds it there and fetches nothing), with a progress bar and, where the
index gives one (``sha256``), a checksum check, then installed atomically by
:func:`warraq.translate.models.install_package`. argos's own ``download`` keeps
the whole file in memory, shows no progress and checks nothing; its
``install_from_path`` unzips straight into the packages folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warraq.errors import WarraqError
from warraq.translate.models import (
    ModelPackage,
    find_route,
    install_package,
    installed_packages,
    packages_dir,
)
from warraq.util.progress import NoProgress, Progress

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
TIMEOUT = 30.0  # seconds without an answer before a download counts as offline
CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class IndexPackage:
    """A translation package the index offers."""

    name: str  # argos's name for it, e.g. translate-ar_en
    source: str
    target: str
    version: str
    links: tuple[str, ...]
    sha256: str | None
    package: Any  # the argostranslate AvailablePackage

    @property
    def pair(self) -> str:
        """``ar→en``."""
        return f"{self.source}→{self.target}"

    def as_model(self) -> ModelPackage:
        """The package as the route finder sees it."""
        return ModelPackage(self.name, Path(), self.source, self.target, self.version)


def index_url() -> str:
    """The index's base URL, as argostranslate's settings give it now."""
    from argostranslate import settings

    value = settings.get_setting("ARGOS_PACKAGE_INDEX", default=DEFAULT_INDEX)
    url = str(value or DEFAULT_INDEX)
    return url if url.endswith("/") else url + "/"


def _offline(url: str, why: str) -> WarraqError:
    return WarraqError(
        f"cannot reach the Argos package index at {url} ({why}); on a machine that is "
        "offline, fetch the .argosmodel files elsewhere and install them with: "
        "warraq models install FILE.argosmodel ..."
    )


class _Collect(logging.Handler):
    """Keeps argos's log records, which would otherwise be printed, for warraq's message."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().strip("(),'\""))


@contextlib.contextmanager
def _quiet_argos(seconds: float) -> Iterator[_Collect]:
    """argos opens URLs with no timeout and logs failures: a timeout, and the logs kept."""
    logger = logging.getLogger("argostranslate.utils")
    collect = _Collect()
    logger.addHandler(collect)
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield collect
    finally:
        socket.setdefaulttimeout(previous)
        logger.removeHandler(collect)


def available_packages() -> list[IndexPackage]:
    """Fetch the index now (argos's ``update_package_index``) and list its translation packages.

    A failed fetch is an error saying how to install from files, never a stale list.
    """
    from argostranslate import package, settings

    url = index_url()
    settings.remote_package_index = url + "index.json"  # argos reads it only on import
    local = Path(settings.local_package_index)
    aside = local.with_name(local.name + ".previous")
    if local.exists():
        local.replace(aside)
    with _quiet_argos(TIMEOUT) as logged:
        package.update_package_index()  # logs and returns when the fetch fails
    if not local.exists():
        if aside.exists():
            aside.replace(local)
        raise _offline(url, logged.messages[-1] if logged.messages else "no answer")
    aside.unlink(missing_ok=True)
    try:
        raw = json.loads(local.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise WarraqError(f"{url}index.json: not a package index ({error})") from None
    if not isinstance(raw, list):
        raise WarraqError(f"{url}index.json: not a package index (a JSON list)")
    sums = {
        (e.get("from_code"), e.get("to_code"), str(e.get("package_version", ""))): e.get("sha256")
        for e in raw
        if isinstance(e, dict)
    }
    found = []
    for available in package.get_available_packages():
        if available.type != "translate" or not available.from_code or not available.to_code:
            continue
        version = str(available.package_version or "?")
        digest = sums.get((available.from_code, available.to_code, version))
        found.append(
            IndexPackage(
                package.argospm_package_name(available),
                available.from_code,
                available.to_code,
                version,
                tuple(str(link) for link in available.links),
                digest.lower() if isinstance(digest, str) and digest else None,
                available,
            )
        )
    return sorted(found, key=lambda p: (p.source, p.target, p.version))


def route_for(packages: list[IndexPackage], source: str, target: str) -> list[IndexPackage]:
    """The packages to install to translate ``source`` into ``target``: direct, or via a pivot."""
    by_name = {(p.name, p.source, p.target): p for p in packages}
    route = find_route([p.as_model() for p in packages], source, target)
    if route is None:
        raise WarraqError(
            f"the package index offers no way from {source} to {target}, direct or through "
            "another language; 'warraq models available' lists what it offers"
        )
    return [by_name[(m.name, m.source, m.target)] for m in route]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def install_pair(
    source: str,
    target: str,
    *,
    directory: Path | None = None,
    progress: Progress | None = None,
) -> list[tuple[IndexPackage, ModelPackage | None]]:
    """Install what translating ``source`` into ``target`` needs, from the index.

    Returns each leg with the package it installed, or ``None`` when an
    installed package for that pair was already as new.
    """
    from argostranslate import settings

    directory = directory or packages_dir()
    legs = route_for(available_packages(), source, target)
    done: list[tuple[IndexPackage, ModelPackage | None]] = []
    for leg in legs:
        have = [
            p
            for p in installed_packages(directory)
            if (p.source, p.target) == (leg.source, leg.target)
        ]
        if any(_version_key(p.version) >= _version_key(leg.version) for p in have):
            done.append((leg, None))
            continue
        file = Path(settings.downloads_dir) / f"{leg.name}.argosmodel"
        _download(leg, file, progress or NoProgress())
        try:
            path = Path(leg.package.download())  # argos's own: finds the file, fetches nothing
            installed, _ = install_package(path, directory)
        finally:
            file.unlink(missing_ok=True)
        done.append((leg, installed))
    return done


def _download(leg: IndexPackage, file: Path, progress: Progress) -> None:
    """Fetch the first link that answers into ``file`` (whole or not at all), checking its sum."""
    links = [link for link in leg.links if link.startswith(("http://", "https://"))]
    if not links:
        raise WarraqError(f"{leg.name}: the index gives no http(s) link to download it from")
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f".{file.name}.{os.getpid()}.part")
    problems = []
    for link in links:
        digest = hashlib.sha256()
        try:
            request = urllib.request.Request(link, headers={"User-Agent": "warraq"})
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                size = int(response.headers.get("Content-Length") or 0)
                progress.start(max(size // 1024, 1))
                done = 0
                with partial.open("wb") as out:
                    while chunk := response.read(CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        progress.update(done // 1024, leg.name)
            progress.finish()
        except (urllib.error.URLError, OSError, ValueError) as error:
            progress.finish()
            partial.unlink(missing_ok=True)
            problems.append(f"{link}: {getattr(error, 'reason', error)}")
            continue
        if leg.sha256 is not None and digest.hexdigest() != leg.sha256:
            partial.unlink(missing_ok=True)
            raise WarraqError(
                f"{link}: checksum mismatch (sha256 {digest.hexdigest()[:16]}…, the index says "
                f"{leg.sha256[:16]}…); nothing installed; try again, or install a file you "
                "trust with warraq models install FILE.argosmodel"
            )
        partial.replace(file)
        return
    raise _offline(links[0], "; ".join(problems))
