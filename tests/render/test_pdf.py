"""PDF editions: the sample and a small Markdown project typeset, checked in the PDFs themselves."""

from __future__ import annotations

import io
import logging
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from fontTools.ttLib import TTFont

from tests.conftest import FIXTURES, Runner
from warraq.build.pipeline import BuildOptions, build, plan_jobs
from warraq.catalogs import load_translation
from warraq.catalogs.translation import Translation
from warraq.config import Project, load_project
from warraq.document.inline import plain_text
from warraq.document.model import Document, Heading
from warraq.document.structure import load_document
from warraq.document.text import western_digits
from warraq.render.fonts import find_faces
from warraq.render.pdf import length_mm, make_fetcher, render_html, rows_started_unlevel
from warraq.render.pdf import passes as pdf_passes
from warraq.render.pdf import renderer as pdf_renderer
from warraq.render.pdf.passes import outermost_boxes
from warraq.render.templates import THEME_DIR

MM = 72 / 25.4
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'&+\-/:@_()]*")
_ARABIC_RUN = re.compile(r"[(\[]?[\u0600-\u06ff][\u0600-\u06ff ]*[)\]]?")

pytestmark = pytest.mark.slow


# Helpers ---------------------------------------------------------------------


def squash(text: str) -> str:
    """Text without spaces or hyphens: line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\u00ad\u2010\-]+", "", text)


@pytest.fixture
def sample_build(built_sample: Path) -> Project:
    """The sample project, its editions built once for the session with SOURCE_DATE_EPOCH set."""
    return load_project(built_sample)


def sample_pdf(project: Project, language: str) -> Path:
    return project.root / "build" / f"france-qatar-security.ar-{language}.pdf"


def sample_document(project: Project) -> tuple[Document, Any]:
    config = project.document("france-qatar-security")
    return load_document(project, config), config


@pytest.fixture
def water(tmp_path: Path) -> Path:
    """A copy of the small Markdown project (four heading levels, lists, a quotation)."""
    target = tmp_path / "water"
    shutil.copytree(FIXTURES / "pdf" / "water", target)
    return target


def water_catalog(root: Path) -> Path:
    return root / "locales" / "fr" / "LC_MESSAGES" / "water.po"


def edit_catalog(root: Path, msgid: str, msgstr: str, *, fuzzy: bool = False) -> None:
    """Give ``msgid`` a new translation (or none, with ``msgstr=""``) in the water catalog."""
    path = water_catalog(root)
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf'(msgid "{re.escape(msgid)}"\n)msgstr ".*"\n')
    assert pattern.search(text), msgid
    flag = "#, fuzzy\n" if fuzzy else ""
    text = pattern.sub(lambda m: flag + m.group(1) + f'msgstr "{msgstr}"\n', text)
    path.write_text(text, encoding="utf-8")


def text_block(page: pymupdf.Page, margins: dict[str, float]) -> pymupdf.Rect:
    """The page's text block: margins mirrored, inner on the spine side."""
    recto = page.number % 2 == 0  # page 1 is a right-hand page
    left = margins["inner"] if recto else margins["outer"]
    right = margins["outer"] if recto else margins["inner"]
    rect = page.trimbox
    return pymupdf.Rect(
        rect.x0 + left,
        rect.y0 + margins["top"] - 2,
        rect.x1 - right,
        rect.y1 - margins["bottom"] + 2,
    )


def margins_pt(project: Project) -> dict[str, float]:
    margins = project.editions[0].margins
    return {
        name: length_mm(getattr(margins, name)) * MM for name in ("top", "bottom", "inner", "outer")
    }


def body_pages(document: pymupdf.Document) -> Iterator[pymupdf.Page]:
    """The printed pages after the table of contents (the last pages holding links)."""
    contents = [page.number for page in document if page.get_links()]
    assert contents, "no table of contents"
    for page in document:
        if page.number > max(contents) and page.get_text().strip():
            yield page


def columns(path: Path, project: Project) -> tuple[str, str]:
    """The body's right-hand (source) and left-hand (translation) columns, each as one text."""
    margins = margins_pt(project)
    right, left = [], []
    with pymupdf.open(path) as document:
        for page in body_pages(document):
            block = text_block(page, margins)
            middle = (block.x0 + block.x1) / 2
            right.append(page.get_text(clip=pymupdf.Rect(middle, block.y0, block.x1, block.y1)))
            left.append(page.get_text(clip=pymupdf.Rect(block.x0, block.y0, middle, block.y1)))
    return "".join(right), "".join(left)


def pairs(document: Document, translation: Translation) -> Iterator[tuple[str, str]]:
    """Each block's source text and translation, markup removed."""
    for block in document.text_blocks():
        source = " ".join(plain_text(s.text, document.meta.markup) for s in block.segments)
        target = " ".join(
            plain_text(translation.lookup(s.text).text, document.meta.markup)
            for s in block.segments
        )
        yield source, target


def bare(text: str) -> str:
    """Squashed text without Arabic marks (harakat) and with doubled letters single.

    WeasyPrint gives each glyph one text for the whole file (the first context
    it met), so some of Amiri's ligatures extract wrongly: a tanween without
    its mark, "لك" as "للك". The drawing is right; the comparison forgives these.
    """
    text = "".join(c for c in squash(text) if unicodedata.category(c) != "Mn")
    return re.sub(r"(.)\1+", r"\1", text)


def assert_arabic_found(source: str, column: str) -> None:
    """Extractors misorder Latin runs inside Arabic lines: match the Arabic between them."""
    column = bare(column)
    for chunk in _LATIN_RUN.split(source):
        if bare(chunk):
            assert bare(chunk) in column, chunk
    for latin in _LATIN_RUN.findall(source):
        assert bare(latin) in column, latin


def assert_latin_found(target: str, column: str) -> None:
    """The translation is found whole; Arabic runs inside it are matched on their own."""
    column = squash(column)
    for chunk in _ARABIC_RUN.split(target):
        if squash(chunk):
            assert squash(chunk) in column, chunk
    for arabic in _ARABIC_RUN.findall(target):
        assert bare(arabic.strip("()[] ")) in bare(column), arabic


# The sample, side by side ----------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_paragraph_in_its_column(sample_build: Project, language: str) -> None:
    document, _ = sample_document(sample_build)
    translation = load_translation(sample_build, "france-qatar-security", language)
    right, left = columns(sample_pdf(sample_build, language), sample_build)
    right, left = squash(right), squash(left)
    count = 0
    for source, target in pairs(document, translation):
        assert_arabic_found(source, right)
        assert_latin_found(target, left)
        assert squash(target) not in right
        count += 1
    assert count == 19  # 4 headings and 15 paragraphs, none lost


def test_fonts_embedded_are_the_configured_files(sample_build: Project) -> None:
    expected = set()
    for face in find_faces():
        with TTFont(face.path, lazy=True) as font:
            expected.add(font["name"].getDebugName(6))
    for language in ("fr", "en"):
        with pymupdf.open(sample_pdf(sample_build, language)) as document:
            found = set()
            for page in document:
                for xref, ext, _type, basefont, *_ in page.get_fonts(full=True):
                    assert ext != "n/a", f"{basefont} is not embedded"
                    assert re.match(r"^[A-Z]{6}\+warraq-(Amiri|EB-Garamond)", basefont), basefont
                    _name, _ext, _kind, program = document.extract_font(xref)
                    with TTFont(io.BytesIO(program)) as font:
                        found.add(font["name"].getDebugName(6))
            assert found <= expected, found - expected
            assert {"Amiri-Regular", "Amiri-Bold", "EBGaramond12-Regular"} <= found


def test_metadata(sample_build: Project) -> None:
    with pymupdf.open(sample_pdf(sample_build, "fr")) as document:
        meta = document.metadata
        catalog = document.pdf_catalog()
        assert document.xref_get_key(catalog, "Lang") == ("string", "fr")
    assert meta["title"] == "La coopération sécuritaire entre la France et le Qatar"
    assert meta["author"] == "Auteur anonyme"
    assert meta["subject"] == "France–Qatar security cooperation"
    assert meta["creationDate"] == meta["modDate"] == "D:20240601000000Z"
    assert meta["creator"].startswith("warraq ")
    with pymupdf.open(sample_pdf(sample_build, "en")) as document:
        assert document.metadata["title"] == "Security Cooperation between France and Qatar"
        assert document.xref_get_key(document.pdf_catalog(), "Lang") == ("string", "en")


def _section_start_pages(path: Path, headings: list[tuple[str, str]]) -> dict[str, int]:
    """The 1-based page each heading (by its translation) first appears on, after the contents."""
    pages: dict[str, int] = {}
    with pymupdf.open(path) as document:
        for page in body_pages(document):
            text = squash(page.get_text())
            for _source, target in headings:
                if target not in pages and squash(target) in text:
                    pages[target] = page.number + 1
    return pages


@pytest.mark.parametrize("language", ["fr", "en"])
def test_bookmarks_and_contents_point_at_the_sections(sample_build: Project, language: str) -> None:
    document, config = sample_document(sample_build)
    translation = load_translation(sample_build, "france-qatar-security", language)
    headings = [
        (block.text, translation.lookup(block.text).text)
        for block in document.text_blocks()
        if isinstance(block, Heading)
    ]
    path = sample_pdf(sample_build, language)
    starts = _section_start_pages(path, headings)
    assert len(starts) == 4
    with pymupdf.open(path) as pdf:
        outline = pdf.get_toc()
        # Bookmarks: the translation's language, the Arabic alongside, on the section's page.
        for source, target in headings:
            [entry] = [e for e in outline if squash(target) in squash(e[1])]
            assert squash(source) in squash(entry[1])
            assert entry[2] == starts[target]
        assert outline[0][1].startswith(config.title(language))
        # Contents: each entry's printed numbers (both numeral systems) are the section's page.
        links: dict[str, list[dict[str, Any]]] = {}
        for page in pdf:
            for link in page.get_links():
                links.setdefault(link["nameddest"], []).append(link)
        assert len(links) == 4
        for group in links.values():
            [page] = [p for p in pdf if any(link in group for link in p.get_links())]
            target_page = group[0]["page"] + 1
            middle = page.rect.width / 2
            numbers = []
            for side in ("left", "right"):
                rects = [
                    link["from"]
                    for link in group
                    if (link["from"].x1 <= middle + 20) == (side == "left")
                ]
                area = pymupdf.Rect(rects[0])
                for rect in rects[1:]:
                    area |= rect
                text = western_digits(page.get_textbox(area))
                numbers.append(int(re.findall(r"\d+", text)[-1]))
            assert numbers == [target_page, target_page]
            assert target_page in starts.values()
        assert sorted(link[0]["page"] + 1 for link in links.values()) == sorted(starts.values())


def test_arabic_indic_folios_in_the_arabic_margin(sample_build: Project) -> None:
    with pymupdf.open(sample_pdf(sample_build, "fr")) as document:
        page = list(body_pages(document))[1]
        number = page.number + 1
        words = page.get_text("words")
        foot = [w for w in words if w[1] > page.rect.height - margins_pt(sample_build)["bottom"]]
        right = [w[4] for w in foot if w[0] > page.rect.width / 2]
        left = [w[4] for w in foot if w[2] < page.rect.width / 2]
    assert right == [str(number).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))]
    assert left == [str(number)]


def test_margins_mirror_on_facing_pages(sample_build: Project) -> None:
    margins = margins_pt(sample_build)
    with pymupdf.open(sample_pdf(sample_build, "fr")) as document:
        for page in list(body_pages(document))[:2]:
            blocks = page.get_text("blocks")
            top, bottom = margins["top"], page.rect.height - margins["bottom"]
            body = [b for b in blocks if b[1] >= top - 2 and b[3] <= bottom + 2]
            left_edge = min(b[0] for b in body)
            recto = page.number % 2 == 0
            expected = margins["inner"] if recto else margins["outer"]
            assert abs(left_edge - expected) < 1.5, (page.number, left_edge, expected)


def test_pairs_start_level(sample_build: Project) -> None:
    """Each pair's first lines share a baseline, and no pair starts in one column only."""
    from weasyprint import HTML

    options = BuildOptions(formats=("pdf",), languages=("fr",))
    document, _ = sample_document(sample_build)
    jobs = plan_jobs(sample_build, {"france-qatar-security": document}, {}, options)
    html, base = render_html(jobs[0])
    rendered = HTML(string=html, base_url=base.as_uri() + "/").render()
    assert rows_started_unlevel(rendered) == []
    checked = 0
    seen: set[str] = set()
    for page in rendered.pages:
        for row in pdf_passes._row_boxes(page._page_box):
            row_id = row.element.get("id")
            if not row_id or row_id in seen:
                continue
            seen.add(row_id)
            baselines = []
            for cell in row.children:
                line = next(_line_boxes(cell))
                baselines.append(line.position_y + line.baseline)
            assert abs(baselines[0] - baselines[1]) < 0.6, row_id  # CSS px
            checked += 1
    assert checked == 19


def _line_boxes(box: Any) -> Iterator[Any]:
    return outermost_boxes(box, lambda b: type(b).__name__ == "LineBox")


# The small project: failures, drafts, layouts, print options -----------------


def test_missing_translation_refused(water: Path, warraq: Runner) -> None:
    edit_catalog(water, "ثم أضاف أن الحل ممكن.", "")
    result = warraq("build", cwd=water)
    assert result.exit_code == 1
    assert "1 translations are missing or out of date" in result.stderr
    assert "water [fr] s-fb91b2bf90 (missing)" in result.stderr
    assert not (water / "build").exists()


def test_draft_marks_missing_and_fuzzy(water: Path, warraq: Runner) -> None:
    edit_catalog(water, "ثم أضاف أن الحل ممكن.", "")
    edit_catalog(water, "هكذا قال أحد الخبراء.", "Ainsi parlait un ancien expert.", fuzzy=True)
    assert warraq("build", cwd=water).exit_code == 1
    result = warraq("build", "--draft", cwd=water)
    assert result.exit_code == 0, result.stderr
    with pymupdf.open(water / "build" / "water.ar-fr.pdf") as document:
        text = "".join(page.get_text() for page in document)
        fills = {
            tuple(round(c, 2) for c in drawing["fill"])
            for page in document
            for drawing in page.get_drawings()
            if drawing.get("fill")
        }
    assert squash("[traduction manquante]") in squash(text)
    assert squash("Ainsi parlait un ancien expert.") in squash(text)
    assert "Brouillon" in text
    assert (0.98, 0.89, 0.89) in fills  # the missing translation's pink
    assert (1.0, 0.94, 0.66) in fills  # the out-of-date translation's yellow


def test_markup_in_the_text_is_printed_and_nothing_is_fetched(
    tmp_path: Path, warraq: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        'هذا نص فيه <script>alert(1)</script> وصورة <img src="http://example.invalid/a.png"> هنا'
    )
    target = 'Un texte avec <script>alert(1)</script> et <img src="file:///etc/passwd"> ici'
    (tmp_path / "unsafe.ar.txt").write_text(source + "\n", encoding="utf-8")
    catalog = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "unsafe.po"
    catalog.parent.mkdir(parents=True)
    quoted = target.replace('"', '\\"')
    catalog.write_text(
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        f'msgid "{source.replace(chr(34), chr(92) + chr(34))}"\nmsgstr "{quoted}"\n',
        encoding="utf-8",
    )
    fetchers: list[Any] = []
    original = pdf_renderer.make_fetcher

    def spy(*args: Any, **kwargs: Any) -> Any:
        fetcher = original(*args, **kwargs)
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf_renderer, "make_fetcher", spy)
    result = warraq(
        "build", "unsafe.ar.txt", "--to", "fr", "--format", "pdf", "-j", "1", cwd=tmp_path
    )
    assert result.exit_code == 0, result.stderr
    [fetcher] = fetchers
    fonts = {face.path.resolve().as_uri() for face in find_faces()}
    assert fetcher.refused == []
    assert set(fetcher.fetched) <= fonts
    with pymupdf.open(tmp_path / "build" / "unsafe.ar-fr.pdf") as document:
        text = squash("".join(page.get_text() for page in document))
    assert squash(target) in text
    # Latin runs inside Arabic extract out of order: look for their pieces.
    for piece in ("script", "alert", "img", "src", "http://example.invalid/a.png"):
        assert piece in text


def test_fetcher_serves_only_templates_theme_and_fonts(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "pdf").mkdir(parents=True)
    (templates / "pdf" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (templates / "pdf" / "link.txt").symlink_to(tmp_path / "secret.txt")
    font = find_faces()[0].path
    fetcher = make_fetcher((templates, THEME_DIR), (font,), overlay=(templates, THEME_DIR))
    theme_css = THEME_DIR / "pdf" / "book.css.j2"
    assert fetcher.resolve((templates / "pdf" / "logo.svg").as_uri()) is not None
    assert fetcher.resolve(font.as_uri()) == font.resolve()
    assert fetcher.resolve(theme_css.as_uri()) == theme_css.resolve()
    # A theme file asked for under the project's templates is served from the theme.
    assert fetcher.resolve((templates / "pdf" / "book.css.j2").as_uri()) == theme_css.resolve()
    for url in (
        "http://example.invalid/x.png",
        "https://example.invalid/x.png",
        "ftp://example.invalid/x",
        "file:///etc/passwd",
        (tmp_path / "secret.txt").as_uri(),
        (templates / "pdf" / "link.txt").as_uri(),
        (templates / "pdf").as_uri() + "/../../secret.txt",
        "file://example.invalid" + str(templates / "pdf" / "logo.svg"),
        font.parent.as_uri() + "/other.ttf",
    ):
        assert fetcher.resolve(url) is None, url
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 9


def test_template_asking_for_the_network_fails(water: Path, warraq: Runner) -> None:
    override = water / "templates" / "pdf" / "book.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        '<html lang="fr"><body><p>Remplacé : {{ view.title[1].text }}</p>'
        '<img src="https://example.invalid/logo.png"></body></html>',
        encoding="utf-8",
    )
    result = warraq("build", cwd=water)
    assert result.exit_code == 1
    assert "https://example.invalid/logo.png" in result.stderr
    assert not (water / "build" / "water.ar-fr.pdf").exists()
    override.write_text(
        '<html lang="fr"><head><style>{{ stylesheet }}</style></head>'
        "<body><p>Remplacé : {{ view.title[1].text }}</p></body></html>",
        encoding="utf-8",
    )
    assert warraq("build", cwd=water).exit_code == 0
    with pymupdf.open(water / "build" / "water.ar-fr.pdf") as document:
        assert "Remplacé : L’eau dans les villes arabes" in document[0].get_text()


@pytest.mark.parametrize("where", ["source", "catalog"])
def test_missing_glyph_fails_listing_characters(water: Path, warraq: Runner, where: str) -> None:
    if where == "catalog":
        edit_catalog(water, "هكذا قال أحد الخبراء.", "Ainsi parlait un expert (漢).")
        place = "locales/fr/LC_MESSAGES/water.po (s-d5ad1716eb)"
    else:
        source = water / "seeds" / "water.ar.md"
        text = source.read_text(encoding="utf-8").replace("حتى اليوم.", "حتى اليوم ☃.")
        source.write_text(text, encoding="utf-8")
        place = "seeds/water.ar.md line 27"
    result = warraq("build", "--draft", cwd=water)
    assert result.exit_code == 1
    char = "漢" if where == "catalog" else "☃"
    assert f"U+{ord(char):04X} '{char}'" in result.stderr
    assert place in result.stderr
    assert not (water / "build").exists()


def test_crop_marks_and_bleed_enlarge_the_page(water: Path, warraq: Runner) -> None:
    assert warraq("build", cwd=water).exit_code == 0
    with pymupdf.open(water / "build" / "water.ar-fr.pdf") as document:
        plain = document[0]
        plain_media, plain_trim = pymupdf.Rect(plain.mediabox), pymupdf.Rect(plain.trimbox)
    config = water / "warraq.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'crop_marks = true\nbleed = "3mm"\n', encoding="utf-8"
    )
    assert warraq("build", cwd=water).exit_code == 0
    with pymupdf.open(water / "build" / "water.ar-fr.pdf") as document:
        page = document[0]
        media, trim, bleed = (
            pymupdf.Rect(page.mediabox),
            pymupdf.Rect(page.trimbox),
            pymupdf.Rect(page.bleedbox),
        )
        lines = len(page.get_drawings())
    assert plain_media == plain_trim
    assert abs(plain_trim.width - 148 * MM) < 0.5 and abs(plain_trim.height - 210 * MM) < 0.5
    assert abs(trim.width - 148 * MM) < 0.5 and abs(trim.height - 210 * MM) < 0.5
    # The BleedBox is the 3mm bleed; the marks sit outside it, in a media box
    # 2 x 3mm + 6mm wider on each side (warraq.render.pdfx.css_bleed).
    assert abs(bleed.width - trim.width - 6 * MM) < 0.5
    assert abs(bleed.height - trim.height - 6 * MM) < 0.5
    assert abs(media.width - trim.width - 24 * MM) < 0.5
    assert abs(media.height - trim.height - 24 * MM) < 0.5
    assert lines > 0  # the crop marks


def test_translation_only_edition(water: Path, warraq: Runner) -> None:
    config = water / "warraq.toml"
    text = config.read_text(encoding="utf-8").replace(
        'name = "bilingual"', 'name = "french"\nlayout = "translation-only"'
    )
    config.write_text(text, encoding="utf-8")
    result = warraq("build", cwd=water)
    assert result.exit_code == 0, result.stderr
    path = water / "build" / "water.fr.pdf"
    project = load_project(water)
    document = load_document(project, project.documents[0])
    translation = load_translation(project, "water", "fr")
    with pymupdf.open(path) as pdf:
        body = squash("".join(page.get_text() for page in body_pages(pdf)))
        outline = pdf.get_toc()
    for source, target in pairs(document, translation):
        assert_latin_found(target, body)
        assert bare(source) not in bare(body)
    assert [entry[1] for entry in outline[2:]][:2] == ["Les causes de la crise", "L’agriculture"]


def test_single_file_mode(tmp_path: Path, warraq: Runner) -> None:
    shutil.copy2(FIXTURES / "sources" / "water.ar.md", tmp_path / "water.ar.md")
    result = warraq("build", "water.ar.md", "--to", "fr", "--format", "pdf", cwd=tmp_path)
    assert result.exit_code == 1
    assert "warraq translate --update-only" in result.stderr
    assert "locales/fr/LC_MESSAGES/water.po" in result.stderr
    result = warraq(
        "build", "water.ar.md", "--to", "fr", "--format", "pdf", "--draft", cwd=tmp_path
    )
    assert result.exit_code == 0, result.stderr
    assert "wrote build/water.ar-fr.pdf" in result.stdout
    with pymupdf.open(tmp_path / "build" / "water.ar-fr.pdf") as document:
        text = "".join(page.get_text() for page in document)
        assert squash("[traduction manquante]") in squash(text)
    # With the catalog beside it, the same command builds the real edition.
    shutil.copytree(FIXTURES / "pdf" / "water" / "locales", tmp_path / "locales")
    shutil.copy2(FIXTURES / "pdf" / "water" / "glossary.toml", tmp_path / "glossary.toml")
    out = tmp_path / "elsewhere"
    result = warraq(
        "build", "water.ar.md", "--to", "fr", "--format", "pdf", "--output", str(out), cwd=tmp_path
    )
    assert result.exit_code == 0, result.stderr
    with pymupdf.open(out / "water.ar-fr.pdf") as document:
        assert "Salma" not in document[0].get_text()  # no configuration: the source's author
        assert "سلمى الراشد" in document[0].get_text()


def test_a_draft_with_nothing_translated_marks_each_place_once_unstretched(
    tmp_path: Path, warraq: Runner
) -> None:
    shutil.copy2(FIXTURES / "sources" / "water.ar.md", tmp_path / "water.ar.md")
    assert warraq("translate", "--update-only", "water.ar.md", cwd=tmp_path).exit_code == 0
    result = warraq(
        "build", "water.ar.md", "--to", "fr", "--format", "pdf", "--draft", cwd=tmp_path
    )
    assert result.exit_code == 0, result.stderr
    marked = int(re.search(r"draft: (\d+) translations", result.stdout).group(1))  # type: ignore[union-attr]
    with pymupdf.open(tmp_path / "build" / "water.ar-fr.pdf") as document:
        title_page = document[0].get_text()
        words = [word for page in document for word in page.get_text("words")]
        footers = [page.get_text() for page in document][4:]
    assert footers and all("Brouillon" in text and "Épreuve" not in text for text in footers)
    # The Arabic author once (no translated author), the missing title marked.
    assert title_page.count("سلمى الراشد") == 1
    assert squash("[traduction manquante]") in squash(title_page)
    # One mark per missing sentence (the title is one of them), plus the title's
    # on the title page, in the imprint and beside the opening title.
    marks = [i for i, word in enumerate(words) if word[4] == "[traduction"]
    assert len(marks) == marked - 1 + 3
    # Justified narrow columns stretch the spaces between words, never inside a mark.
    # (A word space is about a quarter of the line's height.)
    gaps = [
        (words[i + 1][0] - words[i][2]) / (words[i][3] - words[i][1])
        for i in marks
        if words[i + 1][4] == "manquante]"
    ]
    assert len(gaps) == len(marks) and max(gaps) < 0.4, gaps


def test_source_date_epoch_makes_builds_identical(
    water: Path, warraq: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert warraq("build", "-j", "1", cwd=water).exit_code == 0
    path = water / "build" / "water.ar-fr.pdf"
    first = path.read_bytes()
    path.unlink()
    assert warraq("build", "-j", "1", cwd=water).exit_code == 0
    assert path.read_bytes() == first
    with pymupdf.open(path) as document:
        assert document.metadata["creationDate"] == "D:20231114221320Z"
        assert document.metadata["modDate"] == "D:20231114221320Z"


def test_pdf_variant_passes_through(water: Path, warraq: Runner) -> None:
    result = warraq("build", "--pdf-variant", "pdf/a-3b", cwd=water)
    assert result.exit_code == 0, result.stderr
    with pymupdf.open(water / "build" / "water.ar-fr.pdf") as document:
        xmp = document.get_xml_metadata()
        output_intents = document.xref_get_key(document.pdf_catalog(), "OutputIntents")
    assert "pdfaid:part" in xmp and "3" in xmp
    assert output_intents[0] == "array"


def test_no_weasyprint_warnings_and_french_spacing(
    water: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = load_project(water)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        build(project, BuildOptions(jobs=1))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    document = load_document(project, project.documents[0])
    jobs = plan_jobs(project, {"water": document}, {}, BuildOptions())
    html, _ = render_html(jobs[0])
    assert "principales\u202f:" in html
    assert "«\u202fNous devons" in html and "irrigation.\u202f»" in html
    assert "70\u202f%" in html and "foyers\u202f?" in html
    assert "vie\u202f;" in html


def test_a_pair_starting_in_one_column_only_is_moved_whole() -> None:
    from weasyprint import CSS, HTML

    filler = "<p>filler</p>" * 30
    words = " ".join(["mot"] * 400)
    html = f"""<html><head><style>
      @page {{ size: A6; margin: 10mm }}
      body {{ font-size: 10pt; line-height: 12pt }}
      td {{ vertical-align: top; width: 50% }}
      td.source {{ orphans: 12 }} td.target {{ orphans: 1 }}
    </style></head><body>{filler}<table dir="rtl">
      <tr id="pair"><td class="source">{words}</td><td class="target">{words}</td></tr>
    </table></body></html>"""
    document = HTML(string=html).render()
    assert rows_started_unlevel(document) == ["pair"]
    fixed = HTML(string=html).render(
        stylesheets=[CSS(string=pdf_passes.forced_breaks_css(["pair"]))]
    )
    assert rows_started_unlevel(fixed) == []


def test_template_mistake_names_file_and_line(water: Path, warraq: Runner) -> None:
    override = water / "templates" / "pdf" / "book.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text("<html>\n<body>{{ view.no_such_thing }}</body></html>\n", encoding="utf-8")
    result = warraq("build", cwd=water)
    assert result.exit_code == 1
    assert "templates/pdf/book.html.j2, line 2" in result.stderr
    assert "no_such_thing" in result.stderr
    assert "Traceback" not in result.stderr
