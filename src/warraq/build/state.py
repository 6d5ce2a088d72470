"""What each output was built from, so a build redoes only the editions whose inputs changed.

For every output, the build records a digest of everything that went into it:
the source, the catalog, the glossary, the configuration, the templates and
theme, the fonts, warraq's own code and the job's settings. An output whose
digest is unchanged, and which is still the file the build wrote, is current.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warraq import __version__
from warraq.catalogs import catalog_path
from warraq.config import Project
from warraq.render.fonts import find_faces
from warraq.render.job import EditionJob
from warraq.render.templates import THEME_DIR
from warraq.util.files import write_text_atomic

STATE_NAME = ".warraq-build.json"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # all of warraq, not only build/


class _Digest:
    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=20)

    def add(self, label: str, data: bytes) -> None:
        self._hash.update(f"{label}\0{len(data)}\0".encode())
        self._hash.update(data)

    def add_file(self, label: str, path: Path | None) -> None:
        try:
            data = path.read_bytes() if path is not None else b""
        except (FileNotFoundError, IsADirectoryError):
            data = b"\0absent"
        self.add(label, data)

    def add_tree(self, label: str, folder: Path) -> None:
        if not folder.is_dir():
            self.add(label, b"\0absent")
            return
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            self.add_file(f"{label}/{path.relative_to(folder).as_posix()}", path)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@functools.cache
def _code_digest() -> str:
    """warraq's version, code and theme: a change to any of them rebuilds everything."""
    digest = _Digest()
    digest.add("version", __version__.encode())
    digest.add_tree("package", _PACKAGE_DIR)
    digest.add_tree("theme", THEME_DIR)
    return digest.hexdigest()


@functools.cache
def _fonts_digest() -> str:
    digest = _Digest()
    for face in find_faces():
        digest.add_file(f"{face.family}/{face.weight}/{face.style}", face.path)
    return digest.hexdigest()


def environment_digest(project: Project) -> str:
    """A digest of what an edition's HTML does not show: warraq's code and theme, the
    fonts and the files of the project's templates folder (images a stylesheet uses)."""
    digest = _Digest()
    digest.add("code", _code_digest().encode())
    digest.add("fonts", _fonts_digest().encode())
    digest.add_tree("templates", project.path(project.templates_dir))
    return digest.hexdigest()


def job_digest(job: EditionJob) -> str:
    """A digest of every input of ``job``."""
    project = job.project
    digest = _Digest()
    digest.add("code", _code_digest().encode())
    digest.add("fonts", _fonts_digest().encode())
    digest.add_file("config", project.config_path)
    digest.add_file("source", project.path(job.document_config.source))
    digest.add_file("catalog", catalog_path(project, job.document_config.name, job.language))
    glossary = (
        project.path(project.glossary) if project.glossary else project.root / "glossary.toml"
    )
    digest.add_file("glossary", glossary)
    digest.add_tree("templates", project.path(project.templates_dir))
    settings = (
        job.format,
        job.edition,
        job.document_config,
        job.language,
        job.date.isoformat(),
        job.timestamp.isoformat() if job.timestamp else None,
        job.draft,
        job.pdf_variant,
        job.chunked,
    )
    digest.add("settings", repr(settings).encode())
    return digest.hexdigest()


@dataclass
class BuildState:
    """The recorded digests of one output folder's files."""

    folder: Path
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> BuildState:
        """The state recorded in ``folder``; empty when absent or unreadable."""
        try:
            data = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
            outputs = data["outputs"] if data.get("version") == 1 else {}
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            outputs = {}
        return cls(folder, outputs if isinstance(outputs, dict) else {})

    def is_current(self, output: Path, digest: str) -> bool:
        """True when ``output`` was built from inputs with ``digest`` and is unchanged since."""
        record = self.outputs.get(output.name)
        if not isinstance(record, dict) or record.get("digest") != digest:
            return False
        try:
            stat = output.stat()
        except FileNotFoundError:
            return False
        return bool(
            record.get("size") == stat.st_size and record.get("mtime_ns") == stat.st_mtime_ns
        )

    def record(self, output: Path, digest: str) -> None:
        """Remember that ``output`` was just built from inputs with ``digest``."""
        stat = output.stat()
        self.outputs[output.name] = {
            "digest": digest,
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
        }

    def save(self) -> None:
        """Write the state atomically into the output folder."""
        data = {"version": 1, "outputs": dict(sorted(self.outputs.items()))}
        write_text_atomic(self.folder / STATE_NAME, json.dumps(data, indent=1) + "\n")
