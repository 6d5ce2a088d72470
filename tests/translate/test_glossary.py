"""Glossary terms are hidden from the engine and come back as their required renderings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import Runner, with_glossary
from warraq.config import load_project
from warraq.glossary import Glossary, Term
from warraq.translate import ENGINES, TranslateOptions, translate
from warraq.translate.engine import Batch
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


def test_translate_hides_terms_from_the_engine(warraq: Runner, sample_project: Path) -> None:
    project = with_glossary(sample_project)
    shutil.rmtree(project / "locales")
    seen: list[str] = []

    class Recorder:
        provenance = "recording engine (test)"

        def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
            seen.extend(texts)
            yield [(index, f"Traduction de : {text}") for index, text in enumerate(texts)]

    class RecordingEngine:
        name = "recording"

        def pair(self, source: str, target: str) -> Recorder:
            return Recorder()

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(ENGINES, "recording", RecordingEngine)
        translate(load_project(project), TranslateOptions(languages=("fr",), engine="recording"))
    assert seen and not any("قطر" in text or "فرنسا" in text for text in seen)
    assert any("XT1X" in text for text in seen)
    with (project / CATALOG).open("rb") as handle:
        catalog = read_po(handle)
    qatar = [m for m in catalog if m.id and m.string and "وقطر" in str(m.id)]
    assert qatar and all("Qatar" in str(m.string) for m in qatar)
    assert not any("XT" in str(m.string) for m in catalog if m.id)


def test_a_lost_placeholder_is_a_glossary_finding(warraq: Runner, sample_project: Path) -> None:
    project = with_glossary(sample_project)
    shutil.rmtree(project / "locales")

    class Forgetful:
        provenance = "forgetful engine (test)"

        def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
            yield [(i, "Une phrase sans les termes.") for i in range(len(texts))]

    class ForgetfulEngine:
        name = "forgetful"

        def pair(self, source: str, target: str) -> Forgetful:
            return Forgetful()

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(ENGINES, "forgetful", ForgetfulEngine)
        translate(load_project(project), TranslateOptions(languages=("fr",), engine="forgetful"))
    result = warraq("check", "--json", "--to", "fr", cwd=project)
    assert result.exit_code == 1
    assert '"check": "glossary"' in result.stdout
