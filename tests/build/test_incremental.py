"""Incremental and parallel builds: only editions whose inputs changed are rendered again."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from warraq.build.pipeline import BuildOptions, build
from warraq.build.watch import watch
from warraq.config import load_project
from warraq.render import RENDERERS
from warraq.render.job import EditionJob


def _fake_render(job: EditionJob) -> bytes:
    time.sleep(0.2)  # long enough for two worker processes to share the jobs
    return f"{job.format} {job.language} {os.getpid()}\n".encode()


@pytest.fixture
def fake_renderers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(RENDERERS, "pdf", _fake_render)
    monkeypatch.setitem(RENDERERS, "epub", _fake_render)


def _build(project_dir: Path, **options: object) -> list[str]:
    written = build(load_project(project_dir), BuildOptions(**options))  # type: ignore[arg-type]
    return sorted(path.name for path in written)


ALL = [
    "france-qatar-security.ar-en.epub",
    "france-qatar-security.ar-en.pdf",
    "france-qatar-security.ar-fr.epub",
    "france-qatar-security.ar-fr.pdf",
]


@pytest.mark.usefixtures("fake_renderers")
def test_only_changed_editions_are_rebuilt(sample_project: Path) -> None:
    assert _build(sample_project, jobs=1) == ALL
    assert _build(sample_project, jobs=1) == []

    catalog = sample_project / "locales" / "fr" / "LC_MESSAGES" / "france-qatar-security.po"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("complexe", "fort complexe", 1),
        encoding="utf-8",
    )
    assert _build(sample_project, jobs=1) == ALL[2:]

    (sample_project / "build" / ALL[0]).unlink()
    (sample_project / "build" / ALL[1]).write_text("edited by hand\n")
    assert _build(sample_project, jobs=1) == ALL[:2]

    assert _build(sample_project, jobs=1, force=True) == ALL
    assert _build(sample_project, jobs=1, draft=True) == ALL  # other settings, other outputs


@pytest.mark.usefixtures("fake_renderers")
def test_templates_and_source_are_inputs(sample_project: Path) -> None:
    _build(sample_project, jobs=1)
    (sample_project / "templates" / "pdf").mkdir(parents=True)
    (sample_project / "templates" / "pdf" / "extra.css").write_text("p { color: black }\n")
    assert _build(sample_project, jobs=1) == ALL


@pytest.mark.usefixtures("fake_renderers")
def test_editions_render_in_parallel_processes(sample_project: Path) -> None:
    assert _build(sample_project, jobs=2) == ALL
    pids = {(sample_project / "build" / name).read_text().split()[2] for name in ALL}
    assert len(pids) == 2
    assert str(os.getpid()) not in pids


@pytest.mark.usefixtures("fake_renderers")
def test_watch_rebuilds_what_a_change_affects(sample_project: Path) -> None:
    messages: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(lambda: load_project(sample_project), BuildOptions(jobs=1), messages.append),
        kwargs={"interval": 0.05, "should_stop": stop.is_set},
    )
    thread.start()
    try:
        _wait_for(lambda: any("4 editions rebuilt" in m for m in messages))
        catalog = sample_project / "locales" / "en" / "LC_MESSAGES" / "france-qatar-security.po"
        catalog.write_text(
            catalog.read_text(encoding="utf-8").replace("Middle East", "Near East", 1),
            encoding="utf-8",
        )
        _wait_for(lambda: any("2 editions rebuilt" in m for m in messages))
    finally:
        stop.set()
        thread.join(timeout=10)
    rebuilt = [m for m in messages if m.startswith("wrote")]
    assert len(rebuilt) == 6
    assert all(".ar-en." in m for m in rebuilt[4:])
    assert "change detected: rebuilding" in messages


def _wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_code_digest_covers_the_whole_package() -> None:
    """A change to any of warraq's code (a renderer, a reader) rebuilds, not only to build/."""
    import warraq
    from warraq.build import state

    assert Path(warraq.__file__).resolve().parent == state._PACKAGE_DIR
    assert (state._PACKAGE_DIR / "render" / "pdf" / "renderer.py").is_file()
