"""The build refuses missing, stale or (on request) unreviewed translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from warraq.build.pipeline import BuildOptions, refuse_incomplete
from warraq.catalogs.translation import Rendering, Status, Translation
from warraq.config import load_project
from warraq.document.structure import load_document
from warraq.errors import WarraqError
from warraq.util.clock import source_date_epoch


def _setup(tmp_path: Path) -> tuple[object, dict[str, object]]:
    (tmp_path / "book.ar.txt").write_text("أول. ثانٍ؟\nثالث!\n", encoding="utf-8")
    (tmp_path / "warraq.toml").write_text(
        '[project]\ntarget_languages = ["fr"]\n'
        '[[documents]]\nname = "book"\nsource = "book.ar.txt"\n',
        encoding="utf-8",
    )
    project = load_project(tmp_path)
    return project, {"book": load_document(project, project.documents[0])}


def _translations(statuses: dict[str, Status]) -> dict[tuple[str, str], Translation]:
    entries = {text: Rendering(f"tr {text}", status) for text, status in statuses.items()}
    return {("book", "fr"): Translation("fr", entries)}


def test_complete_translation_passes(tmp_path: Path) -> None:
    project, documents = _setup(tmp_path)
    translations = _translations(
        {"أول.": Status.REVIEWED, "ثانٍ؟": Status.MACHINE, "ثالث!": Status.REVIEWED}
    )
    refuse_incomplete(project, documents, translations, BuildOptions())  # type: ignore[arg-type]


def test_missing_and_fuzzy_are_listed(tmp_path: Path) -> None:
    project, documents = _setup(tmp_path)
    translations = _translations({"أول.": Status.FUZZY, "ثالث!": Status.REVIEWED})
    with pytest.raises(WarraqError) as error:
        refuse_incomplete(project, documents, translations, BuildOptions())  # type: ignore[arg-type]
    message = str(error.value)
    assert message.startswith("2 translations are missing or out of date")
    assert "book [fr]" in message and "(fuzzy): أول." in message and "(missing): ثانٍ؟" in message
    refuse_incomplete(project, documents, translations, BuildOptions(draft=True))  # type: ignore[arg-type]


def test_reviewed_only_refuses_machine_output(tmp_path: Path) -> None:
    project, documents = _setup(tmp_path)
    translations = _translations(
        {"أول.": Status.REVIEWED, "ثانٍ؟": Status.MACHINE, "ثالث!": Status.REVIEWED}
    )
    with pytest.raises(WarraqError, match="1 translations are not reviewed"):
        refuse_incomplete(
            project,  # type: ignore[arg-type]
            documents,  # type: ignore[arg-type]
            translations,
            BuildOptions(reviewed_only=True, draft=True),
        )


def test_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")
    stamp = source_date_epoch()
    assert stamp is not None and stamp.isoformat() == "2024-06-01T00:00:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(WarraqError, match="SOURCE_DATE_EPOCH"):
        source_date_epoch()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date_epoch() is None
