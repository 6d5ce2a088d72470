"""The translation memory: exact matches fill entries without the engine; TMX out and back in."""

from __future__ import annotations

import shutil
from pathlib import Path

from lxml import etree

from tests.conftest import FIXTURES, FakeEngines, Runner, copy_sample, po
from warraq.catalogs import message_status, read_catalog
from warraq.catalogs.translation import Status
from warraq.document.structure import structure_source


def _second_document(project: Path) -> list[str]:
    """Add a document ``copy`` made of the sample's first two paragraphs and a new sentence."""
    lines = (project / "seeds" / "france-qatar-security.ar.txt").read_text().splitlines()
    text = "\n".join([lines[0], lines[1], "هذه جملة جديدة لم تترجم من قبل."]) + "\n"
    (project / "seeds" / "copy.ar.txt").write_text(text)
    config = project / "warraq.toml"
    config.write_text(
        config.read_text()
        + '\n[[documents]]\nname = "copy"\nsource = "seeds/copy.ar.txt"\n'
        + 'title = { ar = "نسخة", fr = "Copie", en = "Copy" }\n'
    )
    return [s.text for s in structure_source(project / "seeds" / "copy.ar.txt").segments()]


def test_shared_sentences_come_from_memory_without_the_engine(
    sample_project: Path, warraq: Runner, fake_engine: FakeEngines
) -> None:
    segments = _second_document(sample_project)
    engine = fake_engine()
    result = warraq("translate", "--engine", "fake", "--document", "copy", cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    # The engine is given the new sentence only, once per language: 0 calls for the others.
    assert engine.received == {"fr": [segments[-1]], "en": [segments[-1]]}
    shared = len(set(segments)) - 1
    for language in ("fr", "en"):
        # Only the new sentence reaches the engine; the shared ones are recalled.
        assert f"copy [{language}]: 1 translated" in result.stdout
        assert f"{shared} from translation memory" in result.stdout
        sample = read_catalog(po(sample_project, language))
        copy = read_catalog(po(sample_project, language, "copy"))
        for text in segments[:-1]:
            assert copy[text].string == sample[text].string
            assert message_status(copy[text]) is Status.REVIEWED  # the origin was reviewed
            assert any("translation memory" in c for c in copy[text].auto_comments)
        assert message_status(copy[segments[-1]]) is Status.MACHINE


def test_tmx_export_is_valid_and_imports_back(sample_project: Path, warraq: Runner) -> None:
    out = sample_project / "memory.tmx"
    result = warraq("tm", "export", "--format", "tmx", "--output", str(out), cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    dtd = etree.DTD(str(FIXTURES / "tmx14.dtd"))
    tree = etree.parse(str(out))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    units = tree.findall(".//tu")
    segments = {
        s.text
        for s in structure_source(
            sample_project / "seeds" / "france-qatar-security.ar.txt"
        ).segments()
    }
    assert len(units) >= len(segments) - 1
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert {tuv.get(lang) for tuv in tree.findall(".//tuv")} == {"ar", "fr", "en"}
    result = warraq("tm", "import", str(out), cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    assert (
        sample_project / "locales" / "compendia" / "memory.tmx"
    ).read_bytes() == out.read_bytes()


def test_tmx_export_reimports_to_the_same_entries(
    sample_project: Path, tmp_path: Path, warraq: Runner, fake_engine: FakeEngines
) -> None:
    """Another project given only the exported TMX gets every reviewed entry back, engine unused."""
    out = tmp_path / "memory.tmx"
    result = warraq("tm", "export", "--format", "tmx", "--output", str(out), cwd=sample_project)
    assert result.exit_code == 0, result.stderr
    other = copy_sample(tmp_path / "other")
    shutil.rmtree(other / "locales")
    assert warraq("tm", "import", str(out), cwd=other).exit_code == 0
    engine = fake_engine()
    result = warraq("translate", "--engine", "fake", cwd=other)
    assert result.exit_code == 0, result.stderr
    assert engine.received == {}
    for language in ("fr", "en"):
        original = read_catalog(po(sample_project, language))
        again = read_catalog(po(other, language))
        entries = {
            m.id: m.string for m in original if m.id and message_status(m) is Status.REVIEWED
        }
        assert len(entries) == 56
        assert {m.id: m.string for m in again if m.id} == entries
        assert all(message_status(m) is Status.REVIEWED for m in again if m.id)


def test_import_refuses_what_is_not_a_compendium(sample_project: Path, warraq: Runner) -> None:
    bad = sample_project / "notes.txt"
    bad.write_text("x")
    result = warraq("tm", "import", str(bad), cwd=sample_project)
    assert result.exit_code != 0
    assert "notes.txt" in result.stderr and "compendium" in result.stderr
