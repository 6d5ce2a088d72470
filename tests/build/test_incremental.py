"""Incremental and parallel builds: only editions whose inputs changed are rendered again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_fixture
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
    assert any(
        m.startswith("changed: ") and m.endswith("france-qatar-security.po; rebuilding")
        for m in messages
    )


@pytest.mark.slow
def test_watch_reports_each_change_once_names_it_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    project = copy_fixture("pdf/water", tmp_path)
    log = tmp_path / "watch.log"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "warraq", "watch", "--format", "pdf", "-j", "1"]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command, cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env
        )
    try:
        _wait_for(lambda: "watching for changes" in log.read_text(encoding="utf-8"), 120)
        config = project / "warraq.toml"
        good = config.read_text(encoding="utf-8")
        config.write_text(good + "\n[project\n", encoding="utf-8")
        _wait_for(lambda: "still watching" in log.read_text(encoding="utf-8"))
        time.sleep(3)  # six polls: the error must not come again
        text = log.read_text(encoding="utf-8")
        assert text.count("warraq: error:") == 1, text
        assert "warraq: error: warraq.toml" in text
        assert "changed: warraq.toml; rebuilding" in text
        config.write_text(good, encoding="utf-8")
        _wait_for(lambda: log.read_text(encoding="utf-8").count("editions rebuilt") == 2, 60)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "stopped watching"
    assert not any("Traceback" in line or "interrupted" in line for line in lines)


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
