"""Kashida justification: tatweel fills justified Arabic lines, and nothing else changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from tests.conftest import Runner, copy_sample
from warraq.checks.outputs import bare
from warraq.render.pdf.kashida import TATWEEL, allot, elongated, insertion_point

PDF = "france-qatar-security.ar-fr.pdf"


def test_the_places_arabic_typography_allows() -> None:
    assert elongated("السلام", 1) == "السـلام"  # after the seen
    assert elongated("الحكومة", 1) == "الحكومـة"  # before the final taa marbuta
    assert elongated("الأمن", 1) == "الأمـن"  # before the last letter
    assert insertion_point("قال") is None  # too short
    assert insertion_point("الاستقلال") is not None
    assert "لـا" not in elongated("الاستقلال", 1)  # never inside lam-alef
    for word in ("ودرر", "وزراء", "دار"):  # no letter here joins to the next
        assert insertion_point(word) is None, word


def test_a_line_gets_few_long_stretches_within_its_room() -> None:
    words = ["المشترك", "للأمن", "الدولتان", "تسهل", "المبادرات"]
    counts = allot(words, 100.0, lambda word, count: 12.0 * count)
    assert 0 < len(counts) <= 2
    assert sum(12.0 * count for count in counts.values()) <= 100.0
    assert all(count <= 3 for count in counts.values())
    assert allot(words, 5.0, lambda word, count: 12.0 * count) == {}


def _page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as document:
        return [page.get_text() for page in document]


@pytest.mark.slow
def test_kashida_fills_lines_and_keeps_every_page_and_the_catalogs(
    tmp_path: Path, warraq: Runner, built_sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_sample(tmp_path / "sample", glossary=True)
    config = project / "warraq.toml"
    text = config.read_text(encoding="utf-8")
    assert 'layout = "side-by-side"\n' in text
    config.write_text(
        text.replace(
            'layout = "side-by-side"\n',
            'layout = "side-by-side"\narabic_justification = "kashida"\n',
        ),
        encoding="utf-8",
    )
    catalogs = {path: path.read_bytes() for path in (project / "locales").rglob("*.po")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")
    result = warraq("-C", str(project), "build", "--to", "fr")
    assert result.exit_code == 0, result.stderr

    kashida = _page_texts(project / "build" / PDF)
    spaces = _page_texts(built_sample / "build" / PDF)
    assert "".join(kashida).count(TATWEEL) > 100
    assert TATWEEL not in "".join(spaces)
    # Every line keeps its words, so every page holds the same text as with spaces.
    assert len(kashida) == len(spaces)
    for number, (mine, theirs) in enumerate(zip(kashida, spaces, strict=True), 1):
        assert bare(mine) == bare(theirs), f"page {number}"
    # The tatweel lives in the layout only: catalogs and source never see it.
    assert {path: path.read_bytes() for path in catalogs} == catalogs
    assert TATWEEL not in (project / "seeds" / "france-qatar-security.ar.txt").read_text()
    checked = warraq("-C", str(project), "check", "--outputs", "--to", "fr")
    assert checked.exit_code == 0, checked.stdout
    shutil.rmtree(project / "build")
