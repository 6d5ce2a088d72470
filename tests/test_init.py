"""``warraq init``: a project made from sources, loadable and ready for translate and build."""

from __future__ import annotations

from pathlib import Path

from warraq.config import load_project
from warraq.glossary import project_glossary

from .conftest import SAMPLE_SOURCE, Runner, po

ARTICLE = """---
title: "مقال \\"مقتبس\\""
author: كاتب
---

## مقدمة

نص أول.
"""


def test_init_from_an_outside_source_makes_a_loadable_project(
    tmp_path: Path, warraq: Runner
) -> None:
    outside = tmp_path / "drafts" / "my article.ar.md"
    outside.parent.mkdir()
    outside.write_text(ARTICLE, encoding="utf-8")
    project = tmp_path / "project"
    result = warraq("-C", str(project), "init", str(outside), str(SAMPLE_SOURCE), "--to", "fr")
    assert result.exit_code == 0, result.stderr
    assert (project / "seeds" / "my article.ar.md").read_text(encoding="utf-8") == ARTICLE
    assert (project / "locales").is_dir() and (project / "templates").is_dir()
    assert (project / ".gitignore").read_text().splitlines()[1:] == [
        "build/",
        "locales/.warraq.lock",
    ]
    loaded = load_project(project)
    assert loaded.target_languages == ("fr",)
    first, second = loaded.documents
    assert (first.name, first.source) == ("my-article", Path("seeds/my article.ar.md"))
    assert first.title("ar") == 'مقال "مقتبس"' and first.author("ar") == "كاتب"
    # A text without metadata is titled from its first heading.
    assert second.name == "france-qatar-security"
    assert second.title("ar") == "ما هي المجالات الرئيسية للتعاون الأمني بين البلدين؟"
    assert not project_glossary(loaded).terms  # the glossary is comments only
    assert "[[term]]" in (project / "glossary.toml").read_text(encoding="utf-8")


def test_init_then_translate_update_only(tmp_path: Path, warraq: Runner) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "text.ar.txt").write_text("نص قصير.\nThank you!", encoding="utf-8")
    result = warraq("init", cwd=tmp_path)  # no SOURCE: the files already in seeds/
    assert result.exit_code == 0, result.stderr
    assert "document text: seeds/text.ar.txt; 1 passage left out" in result.stdout
    assert load_project(tmp_path).documents[0].source == Path("seeds/text.ar.txt")
    result = warraq("translate", "--update-only", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert po(tmp_path, "fr", "text").is_file() and po(tmp_path, "en", "text").is_file()


def test_init_never_overwrites_and_writes_nothing_then(tmp_path: Path, warraq: Runner) -> None:
    source = tmp_path / "elsewhere" / "a.ar.txt"
    source.parent.mkdir()
    source.write_text("نص.", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".gitignore").write_text("mine\n")
    result = warraq("-C", str(project), "init", str(source))
    assert result.exit_code != 0
    message = result.stderr.strip()
    assert "\n" not in message and str(project / ".gitignore") in message
    assert "already exists" in message
    assert sorted(p.name for p in project.iterdir()) == [".gitignore"]
    assert (project / ".gitignore").read_text() == "mine\n"


def test_init_with_a_bad_source_is_a_one_line_error(tmp_path: Path, warraq: Runner) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    result = warraq("-C", str(tmp_path / "p"), "init", str(broken))
    assert result.exit_code != 0 and "broken.docx" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "p").exists()
