"""Watch: rebuild the affected editions whenever a source, catalog, template or setting changes.

Polls file modification times (no extra dependency, works on every file
system); each rebuild is an ordinary incremental build, so only the editions
whose inputs changed are rendered again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
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


def changed_files(previous: Snapshot, current: Snapshot) -> list[Path]:
    """The files created, changed or removed between two snapshots, sorted."""
    return sorted(
        path for path in previous.keys() | current.keys() if previous.get(path) != current.get(path)
    )


def _names(paths: list[Path]) -> str:
    """``warraq.toml`` or ``a.po, b.po and 3 more``: paths as typed from here."""
    here = Path.cwd()
    shown = [str(p.relative_to(here)) if p.is_relative_to(here) else str(p) for p in paths]
    more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
    return ", ".join(shown[:3]) + more


STILL_WATCHING = "still watching for changes (Ctrl-C stops)"


def watch(
    load: Callable[[], Project],
    options: BuildOptions,
    report: Callable[[str], None],
    *,
    files: Sequence[Path] = (),
    interval: float = 0.5,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Build now, then again after every change, until ``should_stop()`` or Ctrl-C.

    ``load`` reads the project afresh, so a change to warraq.toml takes effect.
    A project that does not load, or a build that fails, is reported once, and
    watching goes on until a file changes: ``files`` (warraq.toml, say) are
    watched until the project first loads, then the last project's files.
    Ctrl-C ends the watch with one line.
    """
    try:
        _watch(load, options, report, list(files), interval, should_stop)
    except KeyboardInterrupt:
        report("stopped watching")


def _watch(
    load: Callable[[], Project],
    options: BuildOptions,
    report: Callable[[str], None],
    files: list[Path],
    interval: float,
    should_stop: Callable[[], bool],
) -> None:
    previous: Snapshot | None = None
    while not should_stop():
        project: Project | None = None
        failure: WarraqError | None = None
        try:
            project = load()
            files = watched_files(project)
        except WarraqError as error:
            failure = error
        current = snapshot(files)
        if current != previous:
            if previous is not None:
                report(f"changed: {_names(changed_files(previous, current))}; rebuilding")
            if project is not None:
                try:
                    written = build(project, options, report)
                    report(f"{len(written)} editions rebuilt; watching for changes (Ctrl-C stops)")
                except WarraqError as error:
                    failure = error
            if failure is not None:
                report(f"warraq: error: {failure}")
                report(STILL_WATCHING)
            # Files the build itself touched are not changes to react to.
            previous = snapshot(watched_files(project)) if project is not None else current
        time.sleep(interval)
