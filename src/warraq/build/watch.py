"""Watch: rebuild the affected editions whenever a source, catalog, template or setting changes.

Polls file modification times (no extra dependency, works on every file
system); each rebuild is an ordinary incremental build, so only the editions
whose inputs changed are rendered again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from warraq.build.pipeline import BuildOptions, build
from warraq.config import CONFIG_NAME, Project
from warraq.errors import WarraqError

Snapshot = dict[Path, tuple[int, int]]


def watched_files(project: Project) -> list[Path]:
    """Every file whose change can change an edition."""
    files = [project.root / CONFIG_NAME, project.root / "glossary.toml"]
    if project.glossary:
        files.append(project.path(project.glossary))
    files.extend(project.path(document.source) for document in project.documents)
    for folder in (project.path(project.locales_dir), project.path(project.templates_dir)):
        if folder.is_dir():
            files.extend(path for path in folder.rglob("*") if path.is_file())
    return files


def snapshot(files: list[Path]) -> Snapshot:
    """Modification time and size of each file that exists."""
    state: Snapshot = {}
    for path in files:
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def watch(
    load: Callable[[], Project],
    options: BuildOptions,
    report: Callable[[str], None],
    *,
    interval: float = 0.5,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Build now, then again after every change, until ``should_stop()`` or Ctrl-C.

    ``load`` reads the project afresh, so a change to warraq.toml takes effect.
    A build that fails is reported and watching goes on.
    """
    previous: Snapshot | None = None
    while not should_stop():
        try:
            project = load()
            current = snapshot(watched_files(project))
        except WarraqError as error:
            report(f"warraq: error: {error}")
            current = {}
            project = None
        if current != previous:
            if previous is not None:
                report("change detected: rebuilding")
            if project is not None:
                try:
                    written = build(project, options, report)
                    report(f"{len(written)} editions rebuilt; watching for changes (Ctrl-C stops)")
                except WarraqError as error:
                    report(f"warraq: error: {error}")
            # Files the build itself touched are not changes to react to.
            previous = snapshot(watched_files(project)) if project is not None else current
        time.sleep(interval)
