"""warraq.toml: the sample loads; every kind of mistake names its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from warraq.config import TRIM_SIZES, load_project, single_source_project
from warraq.errors import WarraqError

from .conftest import REPO, Runner

MINIMAL = """
[[documents]]
name = "book"
source = "book.ar.txt"
"""


def _project(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "book.ar.txt").write_text("نص عربي.\n", encoding="utf-8")
    (tmp_path / "warraq.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_sample_configuration_loads() -> None:
    project = load_project(REPO)
    assert project.source_language == "ar"
    assert project.target_languages == ("fr", "en")
    (document,) = project.documents
    assert document.name == "france-qatar-security"
    assert document.title("fr") and document.title("en") and document.title("ar")
    (edition,) = project.editions
    assert edition.languages == ("fr", "en")
    assert edition.page_size == TRIM_SIZES["royal"]


def test_defaults(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path, MINIMAL))
    assert project.target_languages == ("fr", "en")
    (edition,) = project.editions
    assert edition.layout == "side-by-side"
    assert edition.formats == ("pdf", "epub")
    assert edition.documents == ("book",)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[project]\nsource_langage = 'ar'\n" + MINIMAL, "key 'project.source_langage' is unknown"),
        (
            "[project]\ntarget_languages = 'fr'\n" + MINIMAL,
            "'project.target_languages' must be a list",
        ),
        ("[project]\ntarget_languages = []\n" + MINIMAL, "'project.target_languages' is empty"),
        (
            '[project]\ntarget_languages = ["fr", "fr"]\n' + MINIMAL,
            "'project.target_languages' lists 'fr' twice",
        ),
        (
            "[project]\ntarget_languages = ['ar']\n" + MINIMAL,
            "'project.target_languages' contains the source language",
        ),
        ("[[documents]]\nname = 'book'\nsource = 'missing.txt'\n", "'documents[0].source' names"),
        ("[[documents]]\nname = 'book'\n", "'documents[0].source' is missing"),
        ("[[documents]]\nsource = 'book.ar.txt'\n", "'documents[0].name' is missing"),
        ("[[documents]]\nname = 'a b'\nsource = 'book.ar.txt'\n", "'documents[0].name' is 'a b'"),
        (MINIMAL + "title = { de = 'x' }\n", "'documents[0].title.de' is unknown"),
        (MINIMAL + "date = '1 June'\n", "'documents[0].date' is '1 June'"),
        (MINIMAL + "date = '2024-13-45'\n", "'documents[0].date' is '2024-13-45'"),
        (MINIMAL + "\n[[editions]]\nlayout = 'grid'\n", "'editions[0].layout' is 'grid'"),
        (MINIMAL + "\n[[editions]]\ntrim = 'A7'\n", "'editions[0].trim' is 'A7'"),
        (
            MINIMAL + "\n[[editions]]\ntrim = '0mm 0mm'\n",
            "'editions[0].trim' gives a page width of 0mm",
        ),
        (
            MINIMAL + "\n[[editions]]\ntrim = '10000in 9in'\n",
            "'editions[0].trim' gives a page width",
        ),
        (
            MINIMAL + "\n[[editions]]\ntrim = 'A5'\nmargins = { inner = '80mm', outer = '80mm' }\n",
            "'editions[0].margins' leave a text block",
        ),
        (
            MINIMAL + "\n[[editions]]\nlanguages = ['de']\n",
            "'editions[0].languages' has an invalid",
        ),
        (MINIMAL + "\n[[editions]]\ncrop_marks = 'yes'\n", "'editions[0].crop_marks' must be true"),
        (MINIMAL + "\n[[editions]]\nmargins = { top = '2' }\n", "'editions[0].margins.top' is '2'"),
        (
            MINIMAL + "\n[[editions]]\nname = 'a'\n[[editions]]\nname = 'b'\n",
            "editions 'a' and 'b' both write book.ar-fr.pdf",
        ),
        ("[project\n", "invalid TOML"),
        ("", "no [[documents]]"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(WarraqError) as error:
        load_project(_project(tmp_path, toml))
    assert message in str(error.value)
    assert str(error.value).startswith(str(tmp_path / "warraq.toml"))


def test_custom_trim_and_missing_config(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path, MINIMAL + "\n[[editions]]\ntrim = '150mm 230mm'\n"))
    assert project.editions[0].page_size == ("150mm", "230mm")
    (tmp_path / "warraq.toml").unlink()
    with pytest.raises(WarraqError, match="not found"):
        load_project(tmp_path)


def test_single_source_project(tmp_path: Path) -> None:
    project = single_source_project(Path("seeds/x.ar.md"), root=tmp_path, targets=("fr",))
    assert project.documents[0].name == "x"
    assert project.editions[0].languages == ("fr",)
    with pytest.raises(WarraqError, match="--to"):
        single_source_project(Path("x.txt"), root=tmp_path, targets=("ar",))


def test_single_sources_with_arabic_names_get_distinct_catalogs(
    tmp_path: Path, warraq: Runner
) -> None:
    for name, text in (("مقال.txt", "هذا مقال."), ("نص.txt", "هذا نص آخر.")):
        (tmp_path / name).write_text(text + "\n")
        result = warraq("translate", name, "--to", "fr", "--update-only", cwd=tmp_path)
        assert result.exit_code == 0, result.stderr
    catalogs = sorted((tmp_path / "locales" / "fr" / "LC_MESSAGES").glob("*.po"))
    assert len(catalogs) == 2
    assert not [c for c in catalogs if "#~" in c.read_text()]  # neither emptied the other
