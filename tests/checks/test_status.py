"""warraq status: counts per document and language, JSON, --require-complete."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import SAMPLE_SOURCE, Runner
from warraq.checks.translations import CHECKS

DOCUMENT = "france-qatar-security"


def rows(warraq: Runner, project: Path, *args: str) -> dict[str, dict[str, object]]:
    result = warraq("status", "--json", *args, cwd=project)
    assert result.exit_code == 0, result.stderr
    return {row["language"]: row for row in json.loads(result.stdout)}


def test_the_sample_is_entirely_reviewed(warraq: Runner, sample_project: Path) -> None:
    result = warraq("status", "--require-complete", cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "document", "lang", "segments", "reviewed", "machine", "fuzzy", "missing", "errors",
        "warnings", "done",
    ]  # fmt: skip
    for line, language in zip(lines[1:], ("fr", "en"), strict=True):
        assert line.split() == [
            DOCUMENT,
            language,
            "56",
            "56",
            "0",
            "0",
            "0",
            "0",
            "0",
            "100%",
            "(100%",
            "reviewed)",
        ]
    data = rows(warraq, sample_project)
    for language in ("fr", "en"):
        assert data[language]["reviewed_percent"] == 100.0
        assert data[language]["complete"] is True
        assert data[language]["catalog"] == f"locales/{language}/LC_MESSAGES/{DOCUMENT}.po"


def test_machine_translations_are_done_but_not_reviewed(
    warraq: Runner, sample_project: Path
) -> None:
    shutil.rmtree(sample_project / "locales")
    assert warraq("translate", "--engine", "fake", "--to", "fr", cwd=sample_project).exit_code == 0
    data = rows(warraq, sample_project)
    assert data["fr"]["machine"] == 56 and data["fr"]["reviewed"] == 0
    assert data["fr"]["done_percent"] == 100.0 and data["fr"]["reviewed_percent"] == 0.0
    assert data["en"]["missing"] == 56 and data["en"]["done_percent"] == 0.0
    result = warraq("status", "--require-complete", "--to", "en", cwd=sample_project)
    assert result.exit_code == 1
    assert f"{DOCUMENT} [en] 56 missing, 0 fuzzy" in result.stderr
    assert warraq("status", "--require-complete", "--to", "fr", cwd=sample_project).exit_code == 0


def test_an_edited_sentence_is_missing_then_fuzzy(warraq: Runner, sample_project: Path) -> None:
    source = sample_project / "seeds" / "france-qatar-security.ar.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("معقد", "شائك", 1), encoding="utf-8")
    data = rows(warraq, sample_project)
    assert (data["fr"]["reviewed"], data["fr"]["missing"]) == (55, 1)  # not merged yet
    assert warraq("translate", "--update-only", cwd=sample_project).exit_code == 0
    data = rows(warraq, sample_project)
    assert (data["fr"]["reviewed"], data["fr"]["fuzzy"], data["fr"]["missing"]) == (55, 1, 0)
    result = warraq("status", "--require-complete", cwd=sample_project)
    assert result.exit_code == 1 and "1 fuzzy" in result.stderr


def test_a_source_without_a_project(warraq: Runner, tmp_path: Path) -> None:
    """``warraq status SOURCE``: no warraq.toml, no catalogs, no configured title."""
    source = tmp_path / "book.ar.txt"
    shutil.copy2(SAMPLE_SOURCE, source)
    data = rows(warraq, tmp_path, str(source), "--to", "fr")
    assert data["fr"]["document"] == "book"
    assert data["fr"]["segments"] == 56 and data["fr"]["missing"] == 56


def test_status_counts_check_findings(warraq: Runner, sample_project: Path) -> None:
    catalog = sample_project / "locales" / "fr" / "LC_MESSAGES" / f"{DOCUMENT}.po"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace("au Moyen-Orient.", "au Moyen-Orient..", 1)  # doubled punctuation
    text = text.replace("le Qatar joue un rôle clé", "le Qatar joue un rôle قطر", 1)  # Arabic
    catalog.write_text(text, encoding="utf-8")
    data = rows(warraq, sample_project)
    assert (data["fr"]["errors"], data["en"]["errors"]) == (2, 0)
    assert data["fr"]["reviewed"] == 56  # findings do not change the review status


def test_status_counts_the_findings_check_reports(blank_sample: Path, warraq: Runner) -> None:
    assert warraq("translate", "--update-only", cwd=blank_sample).exit_code == 0
    status = json.loads(warraq("status", "--json", cwd=blank_sample).stdout)
    check = json.loads(warraq("check", "--json", cwd=blank_sample).stdout)
    for row in status:
        errors = [f for f in check if f["language"] == row["language"] and f["level"] == "error"]
        assert row["errors"] == len(errors) > 0
        assert row["missing"] > 0


def test_check_list_comes_from_the_registry(warraq: Runner) -> None:
    listed = warraq("check", "--list").stdout.splitlines()
    assert [line.split()[0] for line in listed] == list(CHECKS)
    assert listed[0].split()[0] == "missing" and listed[1].split()[0] == "stale"
