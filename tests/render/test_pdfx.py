"""PDF/X-4 and PDF/X-1a editions of the sample: boxes, output intent, version, fonts, colours."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import REPO, Runner, copy_sample
from warraq.render.pdfx import FOGRA39

pytestmark = pytest.mark.slow
MM = 72 / 25.4


def _build(
    tmp_path: Path, warraq: Runner, variant: str, settings: str = "", layout: str = "side-by-side"
) -> Path:
    project = copy_sample(tmp_path / "sample")
    config_path = project / "warraq.toml"
    text = config_path.read_text(encoding="utf-8")
    text = text.replace('layout = "side-by-side"', f'layout = "{layout}"')
    config_path.write_text(text + settings, encoding="utf-8")
    os.environ["SOURCE_DATE_EPOCH"] = "1717200000"  # restored below
    try:
        result = warraq(
            "build", "--format", "pdf", "--to", "fr", "--pdf-variant", variant, cwd=project
        )
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert result.exit_code == 0, result.stderr
    suffix = ".facing" if layout == "facing-pages" else ""
    return project / "build" / f"france-qatar-security.ar-fr{suffix}.pdf"


def _boxes(path: Path) -> dict[str, list[float]]:
    out = subprocess.run(
        ["pdfinfo", "-box", "-f", "3", "-l", "3", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {
        match[1]: [float(value) for value in match[2].split()]
        for match in re.finditer(r"Page\s+3 (\w+Box):\s+(.+)", out)
    }


def _fonts_embedded(path: Path) -> None:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column


@pytest.mark.parametrize("layout", ["side-by-side", "facing-pages"])
def test_pdf_x4_srgb_intent_boxes_with_bleed_and_marks(
    tmp_path: Path, warraq: Runner, layout: str
) -> None:
    path = _build(tmp_path, warraq, "pdf/x-4", 'bleed = "3mm"\ncrop_marks = true\n', layout)
    boxes = _boxes(path)
    width, height = 156 * MM, 234 * MM  # royal
    assert boxes["TrimBox"] == pytest.approx([0, 0, width, height], abs=0.02)
    bleed = 3 * MM
    assert boxes["BleedBox"] == pytest.approx(
        [-bleed, -bleed, width + bleed, height + bleed], abs=0.02
    )
    media = boxes["MediaBox"]
    assert media[0] < -bleed - 5 * MM and media[2] > width + bleed + 5 * MM  # room for marks
    _fonts_embedded(path)
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.6"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFX
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[16:20] == b"RGB "  # sRGB, embedded
        xmp = pdf.open_metadata()
        assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert all("/Annots" not in page.obj for page in pdf.pages)
        for page in pdf.pages:
            assert page.obj.TrimBox and page.obj.BleedBox


def test_pdf_x1a_cmyk_only_registered_intent(tmp_path: Path, warraq: Runner) -> None:
    path = _build(tmp_path, warraq, "pdf/x-1a", 'bleed = "5mm"\n')
    boxes = _boxes(path)
    bleed = 5 * MM  # more than WeasyPrint's 10pt cap: the BleedBox is the configured bleed
    assert boxes["BleedBox"][0] == pytest.approx(-bleed, abs=0.02)
    assert boxes["TrimBox"][0] == pytest.approx(0, abs=0.02)
    _fonts_embedded(path)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert re.search(r"PDF version:\s+1\.4\n", info.stdout)
    assert "PDF/X-1a:2003" in info.stdout
    with pikepdf.open(path) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == FOGRA39["OutputConditionIdentifier"]
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"
        assert pdf.docinfo.Trapped == pikepdf.Name("/False")
        operators = {
            str(operator)
            for page in pdf.pages
            for _, operator in pikepdf.parse_content_stream(page)
        }
        assert "k" in operators
        assert not operators & {"rg", "RG", "cs", "CS", "sc", "scn", "sh"}
        for obj in pdf.objects:  # no transparency
            if isinstance(obj, pikepdf.Dictionary) and "/ca" in obj:
                assert float(obj.ca) == 1
            if isinstance(obj, pikepdf.Dictionary):
                assert "/SMask" not in obj


def test_pdf_x1a_refuses_transparency(tmp_path: Path, warraq: Runner) -> None:
    project = copy_sample(tmp_path / "sample")
    css = (REPO / "src/warraq/theme/pdf/book.css.j2").read_text(encoding="utf-8")
    css = css.replace("{% endautoescape %}", "p { opacity: 0.5; }\n{% endautoescape %}")
    (project / "templates" / "pdf").mkdir(parents=True)
    (project / "templates" / "pdf" / "book.css.j2").write_text(css, encoding="utf-8")
    result = warraq(
        "build", "--format", "pdf", "--to", "fr", "--pdf-variant", "pdf/x-1a", cwd=project
    )
    assert result.exit_code != 0
    assert "transparency" in result.stderr
    assert not (project / "build" / "france-qatar-security.ar-fr.pdf").exists()


@pytest.mark.parametrize("variant", ["pdf/x-4", "pdf/x-1a"])
def test_pdf_x_builds_are_byte_identical(tmp_path: Path, warraq: Runner, variant: str) -> None:
    first = _build(tmp_path / "one", warraq, variant).read_bytes()
    second = _build(tmp_path / "two", warraq, variant).read_bytes()
    assert first == second  # WeasyPrint's random XMP DocumentID reaches neither it nor /ID
