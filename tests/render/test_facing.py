"""Facing-page editions: every spread holds the same segments on its two pages."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, Runner
from warraq.document.structure import structure_source

pytestmark = pytest.mark.slow

EDITION = """
[[editions]]
name = "facing"
layout = "facing-pages"
formats = ["pdf"]
languages = ["fr"]
"""


def page_segments(pdf: Path) -> dict[int, dict[str, set[str]]]:
    """``{page: {language: {segment id}}}`` from the PDF's named destinations."""
    listing = subprocess.run(
        ["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages: dict[int, dict[str, set[str]]] = {}
    for page, language, segment in re.findall(
        r'^\s*(\d+) .*"(ar|fr)-(s-[0-9a-f]+(?:-\d+)?)"', listing, re.M
    ):
        pages.setdefault(int(page), {}).setdefault(language, set()).add(segment)
    return pages


def assert_in_step(pdf: Path, segments: set[str]) -> int:
    """Each page of Arabic faces a page of French with the same segments; each segment once."""
    pages = page_segments(pdf)
    spreads = 0
    seen: dict[str, list[str]] = {"ar": [], "fr": []}
    for page, languages in sorted(pages.items()):
        for language, ids in languages.items():
            seen[language].extend(ids)
        if "ar" in languages:
            assert set(languages) == {"ar"}, f"page {page} mixes languages"
            facing = pages.get(page + 1, {})
            assert facing.get("fr") == languages["ar"], f"spread at page {page} out of step"
            spreads += 1
    for language, ids in seen.items():
        assert sorted(ids) == sorted(set(ids)), f"a {language} segment appears twice"
        assert set(ids) == segments, f"{language}: segments missing or extra"
    return spreads


def test_the_sample_as_facing_pages_is_in_step(sample_project: Path, warraq: Runner) -> None:
    (sample_project / "warraq.toml").write_text(
        (sample_project / "warraq.toml").read_text() + EDITION
    )
    result = warraq("build", "--format", "pdf", "--to", "fr", cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    pdf = sample_project / "build" / "france-qatar-security.ar-fr.facing.pdf"
    source = sample_project / "seeds" / "france-qatar-security.ar.txt"
    document = structure_source(source)
    segments = {s.id for block in document.text_blocks() for s in block.segments}
    assert assert_in_step(pdf, segments) >= 3


def test_a_passage_longer_than_a_page_continues_in_step(tmp_path: Path, warraq: Runner) -> None:
    project = tmp_path / "long"
    (project / "seeds").mkdir(parents=True)
    sentences = [
        line
        for line in (REPO / "seeds" / "france-qatar-security.ar.txt").read_text().splitlines()
        if len(line) > 200
    ]
    long_paragraph = " ".join(sentences * 2)  # several pages in one paragraph
    lines = ["مقدمة قصيرة.", long_paragraph, *sentences]
    (project / "seeds" / "long.ar.txt").write_text("\n".join(lines) + "\n")
    (project / "warraq.toml").write_text(
        '[project]\ntarget_languages = ["fr"]\n[translate]\nengine = "fake"\n'
        '[[documents]]\nname = "long"\nsource = "seeds/long.ar.txt"\n'
        'title = { ar = "نص طويل", fr = "Un long texte" }\n' + EDITION
    )
    assert warraq("translate", cwd=project).exit_code == 0
    result = warraq("build", "--draft", cwd=project)
    assert result.exit_code == 0, result.stderr
    pdf = project / "build" / "long.ar-fr.facing.pdf"
    document = structure_source(project / "seeds" / "long.ar.txt")
    segments = {s.id for block in document.text_blocks() for s in block.segments}
    assert assert_in_step(pdf, segments) >= 4
