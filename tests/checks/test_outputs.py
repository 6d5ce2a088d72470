"""warraq check --outputs: EPUBCheck, PDF fonts, and every segment in every output."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Runner
from warraq.checks.outputs import bare, verify_outputs
from warraq.config import load_project

CATALOG = Path("locales") / "fr" / "LC_MESSAGES" / "france-qatar-security.po"


@pytest.fixture
def built(built_sample: Path) -> Path:
    """The sample project with all four editions, built once for the session."""
    return built_sample


def _copy(built: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "sample"
    shutil.copytree(built, target)
    return target


def test_the_built_sample_passes(warraq: Runner, built: Path) -> None:
    result = warraq("check", "--outputs", cwd=built)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "no findings\n"
    # A progress line as each output is started, and one at the end.
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        *(
            f"checking france-qatar-security.ar-{lang}.{kind}"
            for lang in ("fr", "en")
            for kind in ("pdf", "epub")
        ),
        "outputs checked",
    ]
    assert lines[-1].startswith("outputs checked: 4/4 outputs")


def test_a_changed_translation_is_missing_from_both_outputs(tmp_path: Path, built: Path) -> None:
    project = _copy(built, tmp_path)
    catalog = project / CATALOG
    text = catalog.read_text(encoding="utf-8")
    old = "mesurent l’importance de mettre en commun leurs ressources"
    assert old in text
    catalog.write_text(text.replace(old, "savent qu’il faut partager leurs ressources"))
    findings = verify_outputs(load_project(project), languages=("fr",))
    assert sorted((f.check, f.segment_id, f.message) for f in findings) == [
        (
            "output-text",
            "s-6f41e3d879",
            "france-qatar-security.ar-fr.epub: translation text not found",
        ),
        (
            "output-text",
            "s-6f41e3d879",
            "france-qatar-security.ar-fr.pdf: translation text not found",
        ),
    ]


def test_a_dropped_arabic_paragraph_is_found_missing(tmp_path: Path, built: Path) -> None:
    project = _copy(built, tmp_path)
    source = project / "seeds" / "france-qatar-security.ar.txt"
    lines = source.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace("أولاً، تعتبر مكافحة الإرهاب أولوية مشتركة.", "أولاً، الأمن مهم.")
    source.write_text("\n".join(lines), encoding="utf-8")
    findings = verify_outputs(load_project(project), languages=("fr",))
    # The edited sentence is in no output: its source is not printed, and it has no
    # translation (so it cannot be missing from the translation column).
    assert {f.message.split(": ", 1)[1] for f in findings} == {"source text not found"}
    assert {f.message.split(":")[0] for f in findings} == {
        "france-qatar-security.ar-fr.pdf",
        "france-qatar-security.ar-fr.epub",
    }


def test_missing_output_and_broken_epub(tmp_path: Path, built: Path, warraq: Runner) -> None:
    project = _copy(built, tmp_path)
    (project / "build" / "france-qatar-security.ar-en.pdf").unlink()
    book = project / "build" / "france-qatar-security.ar-fr.epub"
    with zipfile.ZipFile(book) as original:
        entries = [(info, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as broken:
        for info, data in reversed(entries):  # mimetype last and compressed
            broken.writestr(info.filename, data)
    result = warraq("check", "--outputs", "--json", cwd=project)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    checks = {(f["check"], f["segment_id"]) for f in findings}
    assert ("output-missing", "france-qatar-security.ar-en.pdf") in checks
    assert any(check == "epubcheck" for check, _ in checks)
    assert {f["check"] for f in findings} == {"output-missing", "epubcheck"}


def test_a_pdf_with_another_font_is_reported(tmp_path: Path, built: Path) -> None:
    import weasyprint

    project = _copy(built, tmp_path)
    pdf = project / "build" / "france-qatar-security.ar-en.pdf"
    weasyprint.HTML(string="<p style='font-family: DejaVu Sans'>Hello</p>").write_pdf(pdf)
    findings = verify_outputs(load_project(project), languages=("en",), formats=("pdf",))
    fonts = [f for f in findings if f.check == "pdf-fonts"]
    assert fonts and all("DejaVu" in f.message for f in fonts)
    assert all(f.segment_id.endswith(".pdf") or f.check == "output-text" for f in findings)


def test_bare_keeps_letters_in_order() -> None:
    assert bare("L’« État », 24,5 %") == "LÉtat245"
    assert bare("مُتَنامٍ، بَلَلٌ") == "متنامبل"


def test_markdown_pdf_with_numbers_and_lost_ligature_letters_passes(tmp_path: Path) -> None:
    from tests.conftest import copy_fixture
    from warraq.build.pipeline import BuildOptions, build

    project = copy_fixture("pdf/water", tmp_path)
    build(load_project(project), BuildOptions(formats=("pdf",), jobs=1))
    # ٧٠٪ comes out of the page in visual order, الختام without its خ.
    assert verify_outputs(load_project(project), formats=("pdf",)) == []


def test_reading_order_and_tolerance() -> None:
    from warraq.checks.outputs import _piece_found, _reading_order

    assert _reading_order("٪٧٠") == "٧٠٪"
    assert _reading_order("نحو") == "وحن"
    assert _reading_order("XML") == "XML"
    # A sentence number: the numbers change places, their digits do not.
    assert _reading_order(")٧-١٠(") == "(١٠-٧)"
    assert _reading_order(".ةيسيئر") == "رئيسية."
    piece = bare("وفي الختام، يبقى الأمل معقوداً على التعاون بين الدول")
    haystack = "قبل" + piece.replace("خ", "", 1) + "بعد"
    assert _piece_found(piece, haystack)  # one letter lost in 40
    assert not _piece_found(piece, haystack.replace("ي", "", 2))  # three lost
    assert not _piece_found(piece, "لا شيء هنا")


PALM = "تزرع النخيل (Phoenix dactylifera) في قطر منذ زمن طويل."


@pytest.mark.slow
def test_a_latin_name_inside_arabic_is_found_and_a_missing_sentence_still_is_not(
    tmp_path: Path,
) -> None:
    from babel.messages.pofile import read_po, write_po

    from tests.conftest import copy_fixture
    from warraq.build.pipeline import BuildOptions, build

    project = copy_fixture("pdf/water", tmp_path)
    source = project / "seeds" / "water.ar.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{PALM}\n", encoding="utf-8")
    catalog_file = project / "locales" / "fr" / "LC_MESSAGES" / "water.po"
    with catalog_file.open("rb") as stream:
        catalog = read_po(stream)
    catalog.add(PALM, "Le palmier (Phoenix dactylifera) est cultivé au Qatar depuis longtemps.")
    with catalog_file.open("wb") as stream:
        write_po(stream, catalog)
    build(load_project(project), BuildOptions(formats=("pdf",), jobs=1))
    assert verify_outputs(load_project(project), formats=("pdf",)) == []
    # The same sentence with another Arabic word is not on the page, and is reported.
    source.write_text(
        source.read_text(encoding="utf-8").replace("في قطر منذ", "في عمان منذ"), encoding="utf-8"
    )
    findings = verify_outputs(load_project(project), formats=("pdf",))
    assert [(f.check, f.message, f.source[:11]) for f in findings] == [
        ("output-text", "water.ar-fr.pdf: source text not found", PALM[:11])
    ]
