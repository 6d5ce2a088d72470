"""Quality checks: each catches its failure, passes the good case, and nothing else fires."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from tests.conftest import REPO, Runner, with_glossary
from warraq.catalogs.translation import Status
from warraq.checks.translations import CHECKS, Context, Entry, check_entry, run_checks
from warraq.document.structure import structure_source
from warraq.glossary import Glossary, Term, load_glossary

GLOSSARY = Glossary(
    (
        Term("قطر", {"fr": "Qatar", "en": "Qatar"}, {"fr": ("Katar",)}),
        Term("الأمن السيبراني", {"fr": "cybersécurité", "en": "cybersecurity"}),
    )
)


def _entry(source: str, translation: str, language: str = "fr", markup: str = "text") -> Entry:
    return Entry("doc", "s-1", language, source, translation, Status.REVIEWED, markup)  # type: ignore[arg-type]


def _fired(source: str, translation: str, language: str = "fr", markup: str = "text") -> set[str]:
    entry = _entry(source, translation, language, markup)
    return {f.check for f in check_entry(entry, Context(GLOSSARY))}


@pytest.mark.parametrize(
    ("check", "source", "bad", "good"),
    [
        ("untranslated", "تعاون أمني.", "تعاون أمني.", "Une coopération sécuritaire."),
        ("arabic-letters", "تعاون أمني.", "Une coopération أمني.", "Une coopération sécuritaire."),
        ("numbers", "بلغ ٢٠٢٣ و24.5.", "Il atteint 2023 et 24.", "Il atteint 2023 et 24,5."),
        ("numbers", "في البلدين.", "Dans les 2 pays.", "Dans les deux pays au XXIe siècle."),
        (
            "repetition",
            "الأمن مهم.",
            "La sécurité de la sécurité de la sécurité de la sécurité est importante.",
            "La sécurité est importante, très importante.",
        ),
        ("end-punctuation", "هل هذا مهم؟", "Est-ce important.", "Est-ce important\u202f?"),
        ("arabic-punctuation", "أولاً، الأمن.", "D’abord، la sécurité.", "D’abord, la sécurité."),
        ("doubled-punctuation", "هل هذا مهم؟", "Est-ce important\u202f؟?", "Est-ce vrai\u202f?!"),
        ("french-spacing", "هل هذا مهم؟ نعم.", "Est-ce important?Oui.", "Important ? Oui."),
        ("french-spacing", "قال: «لا».", "Il a dit:«non».", "Il a dit : «non»."),
        ("glossary", "زار قطر.", "Il a visité le pays.", "Il a visité le Qatar."),
        ("glossary", "وقطر مهمة.", "Et le Katar est important.", "Et le Qatar est important."),
        ("glossary", "بالأمن السيبراني.", "Par la sécurité.", "Par la cybersécurité."),
        ("balance", "قال (بهدوء) لا.", "Il a dit (calmement non.", "Il a dit (calmement) non."),
        ("balance", "قال «لا».", "Il a dit «\u202fnon.", "Il a dit «\u202fnon\u202f»."),
    ],
)
def test_each_check_fails_and_passes(check: str, source: str, bad: str, good: str) -> None:
    assert check in CHECKS
    assert check in _fired(source, bad)
    assert check not in _fired(source, good)


@pytest.mark.parametrize(
    "translation",
    ["Est-ce important ?", "Est-ce important?", "Il a dit « non ».", "Il a dit «non».", "70 %."],
)
def test_french_spacing_the_renderer_adds_is_not_reported(translation: str) -> None:
    assert "french-spacing" not in _fired("هل هذا مهم؟", translation)


def test_emphasis_balance_in_markdown() -> None:
    assert "balance" in _fired("هذا *مهم* جداً.", "C’est très important.", markup="markdown")
    assert "balance" not in _fired("هذا *مهم* جداً.", "C’est *très* important.", markup="markdown")


def test_length_ratio_is_relative_to_the_document() -> None:
    source = "جملة عربية طويلة بما يكفي لقياس النسبة بين الطولين."
    normal = [_entry(source + str(i), f"Une phrase française assez longue {i}.") for i in range(8)]
    for index, entry in enumerate(normal):
        normal[index] = Entry(
            entry.document,
            f"s-{index}",
            "fr",
            entry.source,
            entry.translation,
            entry.status,
            "text",
        )
    short = Entry("doc", "s-short", "fr", source, "Oui.", Status.REVIEWED, "text")
    findings = run_checks([*normal, short])
    fired = [(f.segment_id, f.check) for f in findings]
    assert ("s-short", "length-ratio") in fired
    assert all(segment == "s-short" for segment, _ in fired)


def test_missing_and_stale_short_circuit() -> None:
    missing = Entry("doc", "s-1", "fr", "نص.", "", Status.MISSING, "text")
    assert [f.check for f in check_entry(missing, Context())] == ["missing"]
    stale = Entry("doc", "s-1", "fr", "نص.", "Un texte.", Status.FUZZY, "text")
    assert [f.check for f in check_entry(stale, Context())] == ["stale"]


def test_sample_glossary_loads_and_matches() -> None:
    glossary = load_glossary(REPO / "glossary.toml", ("fr", "en"))
    assert len(glossary.terms) >= 8
    assert [t.source for t in glossary.terms_in("تعمل فرنسا وقطر في الخليج")] == [
        "الخليج",
        "فرنسا",
        "قطر",
    ]
    assert glossary.terms_in("قطرة ماء") == []


def test_sample_catalogs_have_no_findings(warraq: Runner, sample_project: Path) -> None:
    with_glossary(sample_project)
    result = warraq("check", cwd=sample_project)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "no findings\n"


# One injected failure per check; each must be reported under its check and nothing else.
def _inject(text: str, translation: str, index: int) -> tuple[str, str] | None:
    """For the index-th usable French entry, a broken translation and the check that must fire."""
    cases: list[tuple[str, str]] = [
        ("missing", ""),
        ("untranslated", text),
        ("arabic-letters", translation.replace(" ", " تعاون ", 1)),
        ("numbers", translation[:-1] + " en 2023."),
        ("repetition", "la sécurité " * 4 + translation),
        ("length-ratio", "Oui."),
        ("end-punctuation", translation[:-1] + "\u202f!"),
        ("arabic-punctuation", translation.replace(",", "،", 1)),
        ("doubled-punctuation", translation[:-1] + ".."),
        ("french-spacing", translation.replace(", ", ":", 1)),
        ("balance", translation.replace(" ", " (", 1)),
    ]
    return cases[index] if index < len(cases) else None


def test_injected_failures_are_each_reported_once(warraq: Runner, sample_project: Path) -> None:
    with_glossary(sample_project)
    path = sample_project / "locales" / "fr" / "LC_MESSAGES" / "france-qatar-security.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    glossary = load_glossary(REPO / "glossary.toml", ("fr", "en"))
    document = structure_source(sample_project / "seeds" / "france-qatar-security.ar.txt")
    ids: dict[str, str] = {}
    for segment in document.segments():
        ids.setdefault(segment.text, segment.id)
    expected: set[tuple[str, str]] = set()
    index = 0
    glossary_done = False
    for message in catalog:
        if not message.id or message.id not in ids:
            continue
        text, translation = str(message.id), str(message.string)
        terms = glossary.terms_in(text)
        if not glossary_done and any(t.source == "قطر" for t in terms):
            message.string = translation.replace("Qatar", "Katar")
            expected.add((ids[text], "glossary"))
            glossary_done = True
            continue
        usable = not terms and "," in translation and translation.endswith(".") and len(text) > 60
        if not usable:
            continue
        case = _inject(text, translation, index)
        if case is None:
            continue
        index += 1
        check, message.string = case
        expected.add((ids[text], check))
    assert index == 11 and glossary_done, "the sample has too few usable entries"
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)

    result = warraq("check", "--json", "--to", "fr", cwd=sample_project)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    reported = {(f["segment_id"], f["check"]) for f in findings}
    assert reported == expected
