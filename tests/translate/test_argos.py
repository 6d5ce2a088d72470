"""The argos engine through real argostranslate and CTranslate2, with tiny models built here."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_SOURCE, Runner, copy_sample, msgfmt_check, po
from tests.tiny_argos import build_argosmodel
from warraq.catalogs import MACHINE_COMMENT_PREFIX, message_status, read_catalog
from warraq.catalogs.translation import Status
from warraq.document.structure import structure_source
from warraq.translate.argos import ArgosEngine

DOCUMENT = "france-qatar-security"


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny .argosmodel files by pair: ar→en and en→fr (a pivot), ar→fr (direct), a newer ar→en."""
    folder = tmp_path_factory.mktemp("argosmodels")
    return {
        "ar_en": build_argosmodel(folder, "ar", "en", seed=1),
        "en_fr": build_argosmodel(folder, "en", "fr", seed=2),
        "ar_fr": build_argosmodel(folder, "ar", "fr", seed=3),
        "ar_en_1.1": build_argosmodel(folder, "ar", "en", version="1.1", seed=4),
    }


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ARGOS_PACKAGES_DIR of this test's own."""
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def install(warraq: Runner, *files: Path) -> None:
    result = warraq("models", "install", *map(str, files))
    assert result.exit_code == 0, result.stderr


def test_models_install_and_list(warraq: Runner, models: dict[str, Path], packages: Path) -> None:
    result = warraq("models", "list")
    assert "no models installed" in result.stdout and str(packages) in result.stdout

    result = warraq("models", "install", str(models["ar_en"]), str(models["en_fr"]))
    assert result.exit_code == 0, result.stderr
    assert f"installed translate-ar_en-1_0 1.0 (ar→en) in {packages}" in result.stdout
    assert (packages / "translate-en_fr-1_0" / "model" / "model.bin").is_file()

    listing = warraq("models", "list").stdout
    assert "ar→en" in listing and "en→fr" in listing and "translate-en_fr-1_0" in listing
    assert "ar→fr      translate-ar_en-1_0 1.0 (ar→en) + translate-en_fr-1_0 1.0 (en→fr)" in listing

    # A newer model for the same pair replaces the old one.
    result = warraq("models", "install", str(models["ar_en_1.1"]))
    assert "replaced translate-ar_en-1_0 1.0 (ar→en)" in result.stdout
    assert sorted(p.name for p in packages.iterdir()) == [
        "translate-ar_en-1_1",
        "translate-en_fr-1_0",
    ]


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        ({"a/metadata.json": "{}", "b/model/model.bin": ""}, "exactly one top folder"),
        ({"a/../../evil": ""}, "exactly one top folder"),
        ({"a/README.md": ""}, "no a/metadata.json"),
        ({"a/metadata.json": "{not json"}, "not JSON"),
        ({"a/metadata.json": '{"from_code": "ar"}'}, "no to_code"),
        ({"a/metadata.json": '{"from_code": "ar", "to_code": "en"}'}, "no a/model/model.bin"),
    ],
)
def test_install_refuses_what_is_not_a_model(
    warraq: Runner, tmp_path: Path, packages: Path, members: dict[str, str], problem: str
) -> None:
    file = _zip(tmp_path / "bad.argosmodel", members)
    result = warraq("models", "install", str(file))
    assert result.exit_code == 1
    assert problem in result.stderr and str(file) in result.stderr
    assert not packages.exists() or not any(packages.iterdir())


def test_install_refuses_a_file_that_is_not_a_zip(
    warraq: Runner, tmp_path: Path, packages: Path
) -> None:
    file = tmp_path / "model.argosmodel"
    file.write_text("not a zip", encoding="utf-8")
    result = warraq("models", "install", str(file))
    assert result.exit_code == 1 and "not an .argosmodel file" in result.stderr


def test_translate_through_english_with_real_argos(
    warraq: Runner, models: dict[str, Path], packages: Path, blank_sample: Path, offline: None
) -> None:
    install(warraq, models["ar_en"], models["en_fr"])
    result = warraq("translate", "--to", "fr", cwd=blank_sample)
    assert result.exit_code == 0, result.stderr
    assert f"{DOCUMENT} [fr]: 56 translated, 0 kept, 0 fuzzy, 0 missing" in result.stdout
    path = po(blank_sample, "fr")
    msgfmt_check(path)
    catalog = read_catalog(path)
    document = structure_source(SAMPLE_SOURCE)
    provenance = (
        f"{MACHINE_COMMENT_PREFIX}: argostranslate 1.11.0, translate-ar_en-1_0 1.0 (ar→en) "
        "+ translate-en_fr-1_0 1.0 (en→fr)"
    )
    for segment in document.segments():  # no title: warraq.toml gives it
        message = catalog[segment.text]
        assert message_status(message) is Status.MACHINE
        assert message.auto_comments[-1] == provenance
        assert message.string and message.string != segment.text
    assert "argostranslate.translate" not in sys.modules  # argos's sentence splitters: never
    status = warraq("status", "--json", "--to", "fr", cwd=blank_sample)
    (row,) = json.loads(status.stdout)
    counts = [row[key] for key in ("segments", "reviewed", "machine", "fuzzy", "missing")]
    assert counts == [56, 0, 56, 0, 0]
    assert row["done_percent"] == 100.0 and row["reviewed_percent"] == 0.0
    assert row["errors"] > 0  # random weights translate nothing: warraq check says so


def test_a_direct_model_is_preferred_to_a_pivot(
    models: dict[str, Path], packages: Path, warraq: Runner
) -> None:
    install(warraq, models["ar_en"], models["en_fr"], models["ar_fr"])
    pair = ArgosEngine().pair("ar", "fr")
    assert "translate-ar_fr-1_0" in pair.provenance and "en_fr" not in pair.provenance


def test_all_segments_go_through_the_model_in_batches(
    models: dict[str, Path], packages: Path, warraq: Runner
) -> None:
    install(warraq, models["ar_en"], models["en_fr"])
    pair = ArgosEngine().pair("ar", "fr")
    texts = list(dict.fromkeys(s.text for s in structure_source(SAMPLE_SOURCE).segments()))
    batches = list(pair.translate(texts))
    indices = [index for batch in batches for index, _ in batch]
    assert sorted(indices) == list(range(len(texts)))  # each sentence once
    assert pair.batches_run == len(batches) == 4  # 56 sentences in batches of 16, not 56 calls
    again = [dict(batch) for batch in pair.translate(texts)]
    assert again == [dict(batch) for batch in batches]  # deterministic


def test_batches_run_side_by_side_give_the_same_translations(
    models: dict[str, Path], packages: Path, warraq: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argostranslate import settings

    install(warraq, models["ar_en"])
    texts = list(dict.fromkeys(s.text for s in structure_source(SAMPLE_SOURCE).segments()))
    pinned = ArgosEngine().pair("ar", "en")  # the tests pin one thread: one batch at a time
    assert pinned.models[0].parallel == 1
    expected = dict(item for batch in pinned.translate(texts) for item in batch)

    # argos's default settings: one batch per core, one thread each.
    monkeypatch.setattr(settings, "inter_threads", 1)
    monkeypatch.setattr(settings, "intra_threads", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pair = ArgosEngine().pair("ar", "en")
    assert pair.models[0].parallel == 2
    batches = list(pair.translate(texts))
    assert [index for batch in batches for index, _ in batch] == [
        index for batch in pinned.translate(texts) for index, _ in batch
    ]  # yielded in the same order
    assert dict(item for batch in batches for item in batch) == expected
    assert pair.batches_run == len(batches) == 4


def test_no_model_for_a_pair_translates_the_others_and_names_the_missing_leg(
    warraq: Runner, models: dict[str, Path], packages: Path, blank_sample: Path
) -> None:
    install(warraq, models["ar_en"])
    result = warraq("translate", cwd=blank_sample)
    assert result.exit_code == 1
    assert "no translation model for ar→fr;" in result.stderr
    assert "ar→en;" not in result.stderr.splitlines()[0]  # English is translated
    assert "en→fr, through English with the installed ar→en" in result.stderr
    assert "warraq models install" in result.stderr
    assert re.search(r"france-qatar-security \[en\]: [1-9]\d* translated", result.stdout)
    assert "france-qatar-security [fr]: 0 translated" in result.stdout
    fr = read_catalog(po(blank_sample, "fr"), locale="fr")
    assert fr and all(not m.string for m in fr if m.id)
    msgfmt_check(po(blank_sample, "fr"))


@pytest.mark.slow
def test_no_model_at_all_updates_the_catalogs_and_shows_the_way_on(
    warraq: Runner, packages: Path, blank_sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # the two runs' catalogs compare
    result = warraq("translate", cwd=blank_sample)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert "no translation model for ar→fr, ar→en" in first
    assert "ar→en and en→fr, through English" in result.stderr  # the pivot legs too
    for advice in (
        "--update-only",
        "warraq models install ar fr, warraq models install ar en",
        "warraq models install FILE",
        "argospm",
        str(packages),
    ):
        assert advice in result.stderr
    assert "warraq build --draft" in result.stderr
    # The catalogs are written as --update-only writes them.
    template = blank_sample / "locales" / f"{DOCUMENT}.pot"
    assert template.is_file()
    for language in ("fr", "en"):
        msgfmt_check(po(blank_sample, language))
        assert f"locales/{language}/LC_MESSAGES/{DOCUMENT}.po" in result.stderr
        assert f"{DOCUMENT} [{language}]: 0 translated, 0 kept, 0 fuzzy," in result.stdout
    update_only = copy_sample(blank_sample.parent / "update-only")
    shutil.rmtree(update_only / "locales")
    assert warraq("translate", "--update-only", cwd=update_only).exit_code == 0
    for relative in (f"{DOCUMENT}.pot", f"fr/LC_MESSAGES/{DOCUMENT}.po"):
        assert (blank_sample / "locales" / relative).read_bytes() == (
            update_only / "locales" / relative
        ).read_bytes()
    # build names what is missing and where to translate it; a draft builds.
    refused = warraq("build", "--to", "fr", "--format", "pdf", cwd=blank_sample)
    assert refused.exit_code == 1
    assert f"translate them in locales/fr/LC_MESSAGES/{DOCUMENT}.po" in refused.stderr
    assert "--draft" in refused.stderr
    draft = warraq("build", "--draft", "--to", "fr", "--format", "pdf", cwd=blank_sample)
    assert draft.exit_code == 0, draft.stderr
    assert (blank_sample / "build" / f"{DOCUMENT}.ar-fr.pdf").is_file()


def test_one_edited_sentence_is_retranslated_and_nothing_else(
    warraq: Runner, models: dict[str, Path], packages: Path, blank_sample: Path, offline: None
) -> None:
    install(warraq, models["ar_en"], models["en_fr"])
    assert warraq("translate", cwd=blank_sample).exit_code == 0
    document = structure_source(SAMPLE_SOURCE)
    segments = [s.text for s in document.segments()]
    edited = next(text for text in segments[20:] if " في " in text)
    corrected = segments[10]
    # A reviewer corrects one French entry and clears its flag, as Poedit does.
    fr = po(blank_sample, "fr")
    text = fr.read_text(encoding="utf-8")
    block_start = text.index(f'msgid "{corrected}"')
    flag = text.rindex("#, fuzzy\n", 0, block_start)
    end = text.index("\n\n", block_start)
    text = text[:flag] + f'msgid "{corrected}"\nmsgstr "Corrigé à la main."' + text[end:]
    fr.write_text(text, encoding="utf-8")
    before = {lang: read_catalog(po(blank_sample, lang)) for lang in ("fr", "en")}

    source = blank_sample / "seeds" / "france-qatar-security.ar.txt"
    new_sentence = edited.replace(" في ", " ضمن ", 1)
    assert new_sentence != edited
    source.write_text(
        source.read_text(encoding="utf-8").replace(edited, new_sentence), encoding="utf-8"
    )
    result = warraq("translate", cwd=blank_sample)
    assert result.exit_code == 0, result.stderr
    assert f"{DOCUMENT} [fr]: 1 translated, 55 kept" in result.stdout
    assert f"{DOCUMENT} [en]: 1 translated, 55 kept" in result.stdout

    for language in ("fr", "en"):
        msgfmt_check(po(blank_sample, language))
        after = read_catalog(po(blank_sample, language))
        for text in segments:
            if text != edited:
                assert after[text].string == before[language][text].string, text
        entry = after[new_sentence]
        old = before[language][edited].string
        assert entry.previous_id == [edited]
        assert f"previous translation: {old}" in entry.user_comments
        assert message_status(entry) is Status.MACHINE
    assert read_catalog(fr)[corrected].string == "Corrigé à la main."
    assert message_status(read_catalog(fr)[corrected]) is Status.REVIEWED
