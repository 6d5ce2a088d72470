"""The translate stage with the fake engine: what is translated, kept, saved, locked, refused."""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_SOURCE, Runner, msgfmt_check, po
from warraq.catalogs import PREVIOUS_TRANSLATION_PREFIX, message_status, read_catalog
from warraq.catalogs.translation import Status
from warraq.config import load_project
from warraq.document.structure import structure_source
from warraq.translate import ENGINES, TranslateOptions, translate
from warraq.translate.engine import Batch
from warraq.util.lock import exclusive_lock
from warraq.util.progress import LineProgress, TerminalProgress

DOCUMENT = "france-qatar-security"
SEGMENTS = [s.text for s in structure_source(SAMPLE_SOURCE).segments()]
TOTAL = 2 * len(SEGMENTS)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, but the lock's."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".warraq.lock"
    }


def test_translate_fills_empty_catalogs_with_marked_machine_translations(
    warraq: Runner, blank_sample: Path
) -> None:
    result = warraq("translate", "--engine", "fake", cwd=blank_sample)
    assert result.exit_code == 0, result.stderr
    for language in ("fr", "en"):
        assert (
            f"{DOCUMENT} [{language}]: 56 translated, 0 kept, 0 fuzzy, 0 missing" in result.stdout
        )
        path = po(blank_sample, language)
        msgfmt_check(path)
        catalog = read_catalog(path)
        for text in SEGMENTS:
            assert catalog[text].string == f"[{language}] {text}"
            assert message_status(catalog[text]) is Status.MACHINE
    template = read_catalog(blank_sample / "locales" / f"{DOCUMENT}.pot")
    assert len(template.messages()) == 56  # the configured title has no entry
    assert (
        f"{DOCUMENT} [en]: {TOTAL}/{TOTAL} segments" in result.stderr
    )  # the closing progress line


def test_translate_on_the_sample_changes_nothing(warraq: Runner, sample_project: Path) -> None:
    before = snapshot(sample_project / "locales")
    # The default engine is argos and no model is installed: nothing needs translating,
    # so no engine is even asked.
    result = warraq("translate", cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    assert f"{DOCUMENT} [fr]: 0 translated, 56 kept, 0 fuzzy, 0 missing" in result.stdout
    assert snapshot(sample_project / "locales") == before


def test_the_repository_sample_is_up_to_date(warraq: Runner, tmp_path: Path) -> None:
    """The committed template matches the source: translate rewrites nothing in a copy."""
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("warraq.toml", "seeds", "locales"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        else:
            shutil.copy2(source, copy / name)
    before = snapshot(copy / "locales")
    assert warraq("translate", cwd=copy).exit_code == 0
    assert snapshot(copy / "locales") == before


def _correct_by_hand(path: Path, source: str, translation: str) -> None:
    """What a reviewer does in Poedit: new text, fuzzy flag cleared."""
    catalog_text = path.read_text(encoding="utf-8")
    start = catalog_text.index(f'msgid "{source}"')
    flag = catalog_text.rindex("#, fuzzy\n", 0, start)
    end = catalog_text.index("\n\n", start)
    catalog_text = (
        catalog_text[:flag] + f'msgid "{source}"\nmsgstr "{translation}"' + catalog_text[end:]
    )
    path.write_text(catalog_text, encoding="utf-8")


def test_one_edited_sentence_is_retranslated_and_hand_corrections_survive(
    warraq: Runner, blank_sample: Path
) -> None:
    assert warraq("translate", "--engine", "fake", cwd=blank_sample).exit_code == 0
    edited = next(text for text in SEGMENTS if "الدولتان" in text)
    corrected = SEGMENTS[3]
    assert corrected != edited
    _correct_by_hand(po(blank_sample, "fr"), corrected, "Corrigé à la main.")
    before = {language: read_catalog(po(blank_sample, language)) for language in ("fr", "en")}
    new_sentence = edited.replace("الدولتان", "البلدان")
    assert new_sentence != edited
    source = blank_sample / "seeds" / "france-qatar-security.ar.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace(edited, new_sentence), encoding="utf-8"
    )

    result = warraq("translate", "--engine", "fake", cwd=blank_sample)
    assert result.exit_code == 0, result.stderr
    for language in ("fr", "en"):
        assert f"{DOCUMENT} [{language}]: 1 translated, 55 kept, 0 fuzzy" in result.stdout
        msgfmt_check(po(blank_sample, language))
        after = read_catalog(po(blank_sample, language))
        for text in SEGMENTS:
            if text != edited:
                assert after[text].string == before[language][text].string
        entry = after[new_sentence]
        assert entry.string == f"[{language}] {new_sentence}"
        assert entry.previous_id == [edited]
        assert f"{PREVIOUS_TRANSLATION_PREFIX}[{language}] {edited}" in entry.user_comments
        assert message_status(entry) is Status.MACHINE
        assert edited not in after.obsolete
    fr = read_catalog(po(blank_sample, "fr"))
    assert fr[corrected].string == "Corrigé à la main."
    assert message_status(fr[corrected]) is Status.REVIEWED


def test_update_only_marks_changes_and_translates_nothing(
    warraq: Runner, sample_project: Path
) -> None:
    source = sample_project / "seeds" / "france-qatar-security.ar.txt"
    edited = SEGMENTS[0]
    source.write_text(
        source.read_text(encoding="utf-8").replace(edited, edited.replace("معقد", "شائك")),
        encoding="utf-8",
    )
    result = warraq("translate", "--update-only", cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    assert f"{DOCUMENT} [fr]: 0 translated, 55 kept, 1 fuzzy, 0 missing" in result.stdout
    entry = read_catalog(po(sample_project, "fr"))[edited.replace("معقد", "شائك")]
    assert entry.string.startswith("La coopération sécuritaire")  # the reviewed text, now stale
    assert message_status(entry) is Status.FUZZY


def test_unknown_engine_and_language_are_errors(warraq: Runner, sample_project: Path) -> None:
    result = warraq("translate", "--to", "de", cwd=sample_project)
    assert result.exit_code == 1 and "'de' is not a target language" in result.stderr
    result = warraq("translate", "--document", "nope", cwd=sample_project)
    assert result.exit_code == 1 and "no document named 'nope'" in result.stderr
    result = warraq("translate", "--engine", "deepl", cwd=sample_project)
    assert result.exit_code == 2  # click lists the known engines


class _Parrot:
    """An engine that returns the source (or nothing) for some sentences."""

    name = "parrot"

    def pair(self, source: str, target: str) -> _Parrot:
        return self

    @property
    def provenance(self) -> str:
        return "parrot"

    def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
        yield [
            (i, text if i % 3 == 0 else "" if i % 3 == 1 else "ok") for i, text in enumerate(texts)
        ]


def test_the_source_or_nothing_never_passes_for_a_translation(
    warraq: Runner, blank_sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(ENGINES, "fake", _Parrot)
    result = warraq("translate", "--engine", "fake", "--to", "fr", cwd=blank_sample)
    assert result.exit_code == 0
    assert (
        "18 translated, 0 kept, 0 fuzzy, 38 missing (38 machine translations refused"
        in result.stdout
    )
    assert "refused:" in result.stderr
    catalog = read_catalog(po(blank_sample, "fr"))
    assert all(catalog[text].string in ("", "ok") for text in SEGMENTS)


class _Shield:
    """A processor in the glossary's seat: hides a name from the engine, then restores it."""

    def before(self, source: str) -> str:
        return source.replace("فرنسا", "@1")

    def after(self, source: str, translation: str) -> str:
        return translation.replace("@1", "France")


def test_processors_wrap_the_engine(blank_sample: Path) -> None:
    project = load_project(blank_sample)
    translate(project, TranslateOptions(languages=("fr",), engine="fake", processors=(_Shield(),)))
    catalog = read_catalog(po(blank_sample, "fr"))
    with_name = [text for text in SEGMENTS if "فرنسا" in text]
    assert with_name
    for text in with_name:
        assert catalog[text].string == "[fr] " + text.replace("فرنسا", "France")


def test_progress_is_reported_as_batches_finish(blank_sample: Path) -> None:
    stream = io.StringIO()
    project = load_project(blank_sample)
    translate(project, TranslateOptions(engine="fake"), progress=LineProgress(stream, interval=0))
    lines = stream.getvalue().splitlines()
    assert f"{DOCUMENT} [fr]: 4/{TOTAL} segments" in lines[1]
    assert "/s, about" in lines[1] and "left" in lines[1]
    assert lines[-1].startswith(f"{DOCUMENT} [en]: {TOTAL}/{TOTAL} segments")


def test_terminal_progress_redraws_one_line() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.start(10)
    progress.update(0, "doc [fr]")
    progress.update(5, "doc [fr]")
    progress.finish()
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and text.count("\n") == 1
    assert "doc [fr]: 5/10 segments" in text and "left" in text


def test_a_corrupt_catalog_stops_the_run_before_anything_is_written(
    warraq: Runner, sample_project: Path
) -> None:
    en = po(sample_project, "en")
    text = en.read_text(encoding="utf-8")
    line = text[: text.index('msgstr "Security')].count("\n") + 1
    en.write_text(text.replace('msgstr "Security', 'msgstr "Security\n', 1), encoding="utf-8")
    before = snapshot(sample_project / "locales")
    result = warraq("translate", "--engine", "fake", cwd=sample_project)
    assert result.exit_code == 1
    assert f"{en.relative_to(sample_project)}, line {line}:" in result.stderr
    assert "will not overwrite" in result.stderr
    assert snapshot(sample_project / "locales") == before


def test_a_second_run_refuses_or_waits(warraq: Runner, sample_project: Path) -> None:
    lock = sample_project / "locales" / ".warraq.lock"
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with exclusive_lock(lock):
            held.set()
            release.wait(10)
            time.sleep(0.3)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        held.wait(10)
        result = warraq("translate", cwd=sample_project)
        assert result.exit_code == 1
        assert f"another 'warraq translate' (process {os.getpid()})" in result.stderr
        assert "--wait" in result.stderr
        release.set()
        result = warraq("translate", "--wait", cwd=sample_project)
        assert result.exit_code == 0, result.stderr
        assert "waiting for another 'warraq translate'" in result.stderr
    finally:
        release.set()
        holder.join()


def _run_in_background(project: Path, delay: str) -> subprocess.Popen[bytes]:
    environment = dict(os.environ, WARRAQ_FAKE_DELAY=delay, PYTHONPATH=str(REPO / "src"))
    return subprocess.Popen(
        [sys.executable, "-m", "warraq", "translate", "--engine", "fake"],
        cwd=project,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _translated(project: Path) -> int:
    count = 0
    for language in ("fr", "en"):
        path = po(project, language)
        if path.exists():
            catalog = read_catalog(path)
            count += sum(1 for text in SEGMENTS if catalog[text].string)
    return count


def _wait_for_progress(project: Path, process: subprocess.Popen[bytes], at_least: int) -> None:
    deadline = time.monotonic() + 30
    while _translated(project) < at_least:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "translate made no progress"
        time.sleep(0.02)


def _check_partial(project: Path) -> int:
    """Every catalog on disk is valid, and holds only whole, correct translations."""
    for language in ("fr", "en"):
        path = po(project, language)
        msgfmt_check(path)
        catalog = read_catalog(path)
        for text in SEGMENTS:
            assert catalog[text].string in ("", f"[{language}] {text}")
    return _translated(project)


def test_killing_translate_halfway_keeps_every_finished_segment(
    warraq: Runner, blank_sample: Path
) -> None:
    process = _run_in_background(blank_sample, delay="0.03")
    _wait_for_progress(blank_sample, process, at_least=8)
    process.kill()
    process.communicate()
    done = _check_partial(blank_sample)
    assert 8 <= done < TOTAL

    result = warraq("translate", "--engine", "fake", cwd=blank_sample)
    assert result.exit_code == 0, result.stderr
    translated = sum(
        int(line.split(": ")[1].split(" translated")[0]) for line in result.stdout.splitlines()
    )
    assert translated == TOTAL - done
    assert _check_partial(blank_sample) == TOTAL


def test_ctrl_c_saves_the_running_batch_then_stops(blank_sample: Path) -> None:
    """SIGINT mid-batch: the batch the engine is on is finished, merged and saved, then exit 130."""
    process = _run_in_background(blank_sample, delay="0.5")  # 2 s a batch of 4
    _wait_for_progress(blank_sample, process, at_least=4)
    before = _translated(blank_sample)  # the batch after these is running
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    after = _check_partial(blank_sample)
    assert before + 4 <= after < TOTAL and after % 4 == 0  # whole batches, the running one kept
    last = stderr.decode().strip().splitlines()[-1]
    assert last.startswith("warraq: interrupted; ") and "translations saved" in last
    assert f"; {after} translations saved" in last


def test_warraq_help_does_not_load_machine_translation() -> None:
    code = (
        "import sys, warraq.cli; "
        "heavy = [m for m in ('argostranslate', 'ctranslate2', 'sentencepiece', 'torch', 'numpy') "
        "if m in sys.modules]; print(heavy)"
    )
    environment = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_configured_title_has_no_catalog_entry(warraq: Runner, blank_sample: Path) -> None:
    """One rule: the title given in warraq.toml is not in the catalogs, so nothing is left empty."""
    assert warraq("translate", "--engine", "fake", cwd=blank_sample).exit_code == 0
    title = "التعاون الأمني بين فرنسا وقطر"
    assert read_catalog(blank_sample / "locales" / f"{DOCUMENT}.pot").get(title) is None
    for language in ("fr", "en"):
        path = po(blank_sample, language)
        assert read_catalog(path).get(title) is None
        stats = subprocess.run(
            ["msgfmt", "--statistics", "-o", os.devnull, str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        assert "untranslated" not in stats and "56 fuzzy" in stats, stats
    status = warraq("status", "--json", cwd=blank_sample)
    assert '"segments": 56' in status.stdout and '"missing": 0' in status.stdout, status.stdout


def test_a_reviewed_translation_comes_back_when_an_edit_is_undone(
    warraq: Runner, blank_sample: Path
) -> None:
    assert warraq("translate", "--engine", "fake", "--to", "fr", cwd=blank_sample).exit_code == 0
    sentence = next(text for text in SEGMENTS if "الدولتان" in text)
    _correct_by_hand(po(blank_sample, "fr"), sentence, "Relu à la main.")
    source = blank_sample / "seeds" / "france-qatar-security.ar.txt"
    original = source.read_text(encoding="utf-8")
    source.write_text(original.replace("الدولتان", "البلدان"), encoding="utf-8")
    assert warraq("translate", "--engine", "fake", "--to", "fr", cwd=blank_sample).exit_code == 0
    assert "Relu à la main." in po(blank_sample, "fr").read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")  # the edit undone
    assert warraq("translate", "--engine", "fake", "--to", "fr", cwd=blank_sample).exit_code == 0
    entry = read_catalog(po(blank_sample, "fr"))[sentence]
    assert entry.string == "Relu à la main."
    assert message_status(entry) is Status.REVIEWED
    msgfmt_check(po(blank_sample, "fr"))


def test_a_failed_first_run_leaves_no_locales_folder(warraq: Runner, blank_sample: Path) -> None:
    """The run stops after taking its lock (here: the source cannot be read), and takes the lock
    and the folder it made for it along."""
    source = blank_sample / "seeds" / "france-qatar-security.ar.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nنص\x01.\n", encoding="utf-8")
    result = warraq("translate", "--engine", "fake", cwd=blank_sample)
    assert result.exit_code == 1, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (blank_sample / "locales").exists()


def test_the_lock_file_goes_and_an_existing_locales_folder_stays(
    warraq: Runner, blank_sample: Path
) -> None:
    (blank_sample / "locales").mkdir()
    source = blank_sample / "seeds" / "france-qatar-security.ar.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "\nنص\x01.\n", encoding="utf-8")
    assert warraq("translate", "--engine", "fake", cwd=blank_sample).exit_code == 1
    assert list((blank_sample / "locales").iterdir()) == []
    source.write_text(text, encoding="utf-8")
    assert warraq("translate", cwd=blank_sample).exit_code == 1  # no model: catalogs only
    assert po(blank_sample, "fr").is_file()
    assert not (blank_sample / "locales" / ".warraq.lock").exists()
    assert warraq("translate", "--engine", "fake", "--to", "fr", cwd=blank_sample).exit_code == 0
    assert not (blank_sample / "locales" / ".warraq.lock").exists()


@pytest.mark.parametrize("char", ["\x01", "\x7f", "\x9b"])
def test_a_control_character_in_the_source_is_refused_before_any_catalog(
    warraq: Runner, tmp_path: Path, char: str
) -> None:
    source = tmp_path / "c.txt"
    source.write_text(f"سطر أول.\n\nهذا{char} نص.\n", encoding="utf-8")
    result = warraq("translate", str(source), "--engine", "fake", "--to", "fr", cwd=tmp_path)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"warraq: error: {source}, line 3: ") and "U+00" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file write fails as on a full disk (the flush to disk, which names no file)."""

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)


def test_a_full_disk_is_a_one_line_error_naming_the_file(
    warraq: Runner, blank_sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full(monkeypatch)
    result = warraq("translate", "--engine", "fake", "--to", "fr", cwd=blank_sample)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("warraq: error: locales/france-qatar-security.pot: ")
    assert "No space left on device" in line and "free space" in line
    assert not list((blank_sample / "locales").rglob("*.po"))


def test_a_blocked_locales_folder_is_a_one_line_error(warraq: Runner, blank_sample: Path) -> None:
    (blank_sample / "locales").write_text("a file where the catalogs belong")
    result = warraq("translate", "--engine", "fake", "--to", "fr", cwd=blank_sample)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "locales" in line and "Traceback" not in result.stderr
