"""The build pipeline: nothing written on refusal, no orphaned workers, clear choices."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, Runner
from warraq.document.structure import structure_source


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc (Linux)")
def test_rendering_workers_end_when_the_build_is_killed(sample_project: Path) -> None:
    environment = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    build = subprocess.Popen(
        [sys.executable, "-m", "warraq", "build", "--force", "-j", "2"],
        cwd=sample_project,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(build.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the build never started its workers"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived the killed build"


def test_a_control_character_is_refused_before_anything_is_written(
    tmp_path: Path, warraq: Runner
) -> None:
    source = tmp_path / "c.txt"
    source.write_text("هذا\x01 نص.\n")
    result = warraq("build", str(source), "--to", "fr", "--draft", "-j", "1", cwd=tmp_path)
    assert result.exit_code != 0
    assert "U+0001" in result.stderr and "c.txt" in result.stderr
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").iterdir())


def test_an_unknown_language_names_the_configured_ones(
    sample_project: Path, warraq: Runner
) -> None:
    result = warraq("build", "--to", "de", cwd=sample_project)
    assert result.exit_code != 0
    assert "'de'" in result.stderr and "fr, en" in result.stderr
    assert not (sample_project / "build").exists()


def test_a_draft_build_says_how_many_translations_it_marks(
    blank_sample: Path, warraq: Runner
) -> None:
    result = warraq("build", "--draft", "--format", "epub", "--to", "fr", cwd=blank_sample)
    assert result.exit_code == 0, result.stderr
    segments = {
        s.text
        for s in structure_source(
            blank_sample / "seeds" / "france-qatar-security.ar.txt"
        ).segments()
    }
    assert f"draft: {len(segments)} translations missing or out of date" in result.stdout


def test_an_unwritable_output_folder_is_a_one_line_error(
    sample_project: Path, warraq: Runner
) -> None:
    (sample_project / "build").write_text("a file where the output folder belongs")
    result = warraq("build", "--format", "epub", "--to", "fr", cwd=sample_project)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "build" in lines[0] and "Traceback" not in result.stderr


def test_a_full_disk_during_a_build_is_a_one_line_error_naming_the_file(
    sample_project: Path, warraq: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:  # the flush to disk fails, as on a full disk, naming no file
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = warraq("build", "--format", "epub", "--to", "fr", "-j", "1", cwd=sample_project)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("warraq: error: build/france-qatar-security.ar-fr.epub: ")
    assert "No space left on device" in line
    assert not list((sample_project / "build").glob("*.epub"))


def test_a_bad_character_in_one_edition_stops_every_edition_before_any_is_written(
    sample_project: Path, warraq: Runner
) -> None:
    """The English catalog holds a control character: not even the French editions are written."""
    en = sample_project / "locales" / "en" / "LC_MESSAGES" / "france-qatar-security.po"
    text = en.read_text(encoding="utf-8")
    en.write_text(text.replace('msgstr "Security', 'msgstr "Secu\x01rity', 1), encoding="utf-8")
    assert "\x01" in en.read_text(encoding="utf-8")
    result = warraq("build", "-j", "1", cwd=sample_project)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "LC_MESSAGES/france-qatar-security.po" in line and "U+0001" in line
    assert not (sample_project / "build").exists() or not [
        path for path in (sample_project / "build").iterdir() if path.suffix in (".pdf", ".epub")
    ]
