"""Glossary terms are hidden from the engine and come back as their required renderings."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import FakeEngines, Runner, with_glossary
from warraq.config import load_project
from warraq.glossary import Glossary, Term
from warraq.translate import TranslateOptions, translate
from warraq.translate.protect import GlossaryShield

CATALOG = Path("locales") / "fr" / "LC_MESSAGES" / "france-qatar-security.po"


def test_shield_keeps_clitics_harakat_and_longest_terms() -> None:
    glossary = Glossary(
        (
            Term("الأمن", {"fr": "sécurité"}),
            Term("الأمن السيبراني", {"fr": "cybersécurité"}),
            Term("قطر", {"fr": "Qatar"}),
        )
    )
    shield = GlossaryShield(glossary, "fr")
    source = "وللأمن السيبراني في قَطَرَ أهمية، وبالأمن كذلك. والقطرة ماء."
    protected = shield.before(source)
    assert protected == "ولXT1X في XT2X أهمية، وبXT3X كذلك. والقطرة ماء."
    assert shield.after(source, "Et XT1X au XT 2 X, et XT3X.") == (
        "Et cybersécurité au Qatar, et sécurité."
    )


def test_translate_hides_terms_from_the_engine(
    warraq: Runner, sample_project: Path, fake_engine: FakeEngines
) -> None:
    project = with_glossary(sample_project)
    shutil.rmtree(project / "locales")
    engine = fake_engine(
        name="recording",
        answer=lambda target, text, index: f"Traduction de : {text}",
        provenance="recording engine (test)",
    )
    translate(load_project(project), TranslateOptions(languages=("fr",), engine="recording"))
    seen = engine.received.get("fr", [])
    assert seen and not any("قطر" in text or "فرنسا" in text for text in seen)
    assert any("XT1X" in text for text in seen)
    with (project / CATALOG).open("rb") as handle:
        catalog = read_po(handle)
    qatar = [m for m in catalog if m.id and m.string and "وقطر" in str(m.id)]
    assert qatar and all("Qatar" in str(m.string) for m in qatar)
    assert not any("XT" in str(m.string) for m in catalog if m.id)


def test_a_lost_placeholder_is_a_glossary_finding(
    warraq: Runner, sample_project: Path, fake_engine: FakeEngines
) -> None:
    project = with_glossary(sample_project)
    shutil.rmtree(project / "locales")
    fake_engine(
        name="forgetful",
        answer=lambda target, text, index: "Une phrase sans les termes.",
        provenance="forgetful engine (test)",
    )
    translate(load_project(project), TranslateOptions(languages=("fr",), engine="forgetful"))
    result = warraq("check", "--json", "--to", "fr", cwd=project)
    assert result.exit_code == 1
    assert '"check": "glossary"' in result.stdout
