"""Tagged PDF (pdf/ua-1): the structure tree read with pikepdf, against the source and the page."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from tests.conftest import EPOCH, FIXTURES, copy_sample
from tests.render.test_pdf import bare, pairs, sample_document, squash
from warraq.build.pipeline import BuildOptions, build
from warraq.catalogs import load_translation
from warraq.config import Project, load_project
from warraq.errors import WarraqError
from warraq.render.tagging import (
    TAGGED_VARIANTS,
    _Content,
    _grouped,
    _languages,
    _Node,
    _paired,
    hinted_tagging,
)

_ARABIC = re.compile(r"[\u0621-\u064a]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
_TABLE_ROLES = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TD", "/TH"}
_HEX = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def _build(root: Path, variant: str = "pdf/ua-1", languages: tuple[str, ...] | None = None) -> None:
    options = BuildOptions(formats=("pdf",), languages=languages, pdf_variant=variant, jobs=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(load_project(root), options)


@pytest.fixture(scope="module")
def ua_sample(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample in French, side by side, built as PDF/UA-1."""
    root = copy_sample(tmp_path_factory.mktemp("ua") / "sample")
    _build(root, languages=("fr",))
    return load_project(root)


@pytest.fixture(scope="module")
def ua_water(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Markdown project (headings, lists, a quotation), side by side and translation only."""
    root = tmp_path_factory.mktemp("ua") / "water"
    shutil.copytree(FIXTURES / "pdf" / "water", root)
    with (root / "warraq.toml").open("a", encoding="utf-8") as config:
        config.write('\n[[editions]]\nname = "translated"\nlayout = "translation-only"\n')
        config.write('trim = "A5"\nformats = ["pdf"]\n')
        config.write('\n[[editions]]\nname = "facing"\nlayout = "facing-pages"\n')
        config.write('trim = "A5"\nformats = ["pdf"]\n')
    _build(root)
    return root / "build"


@pytest.fixture(scope="module")
def ua_water_translation_first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Markdown project side by side, with the translation as primary language."""
    root = tmp_path_factory.mktemp("ua") / "water"
    shutil.copytree(FIXTURES / "pdf" / "water", root)
    config = root / "warraq.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('name = "bilingual"', 'name = "bilingual"\nprimary_language = "translation"')
    )
    _build(root)
    return root / "build" / "water.ar-fr.pdf"


def sample_pdf(project: Project) -> Path:
    return project.root / "build" / "france-qatar-security.ar-fr.pdf"


# Reading the structure tree ----------------------------------------------------


def elements(node: Any, ancestors: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Every structure element below ``node``, depth first, with its ancestors."""
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid, ancestors
            yield from elements(kid, (*ancestors, kid))


def role(element: Any) -> str:
    return str(element.S)


def kids_of(element: Any) -> list[Any]:
    kids = element.get("/K", [])
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def element_kids(element: Any) -> list[Any]:
    return [
        kid
        for kid in kids_of(element)
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem"
    ]


def marked(element: Any, pages: dict[Any, int]) -> Iterator[tuple[int, int]]:
    """(page, MCID) of the content ``element`` holds directly."""
    page = pages.get(element.Pg.objgen) if "/Pg" in element else None
    for kid in kids_of(element):
        if isinstance(kid, int):
            assert page is not None
            yield page, int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield pages[kid.Pg.objgen], int(kid.MCID)


def _to_unicode(font: Any) -> dict[bytes, str]:
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    table = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in _HEX.findall(block):
            table[bytes.fromhex(code)] = bytes.fromhex(text).decode("utf-16-be")
    assert "beginbfrange" not in cmap  # WeasyPrint writes single codes only
    return table


def content_texts(pdf: Any) -> tuple[dict[tuple[int, int], str], list[str]]:
    """The text of every marked-content sequence by (page, MCID), and the artifacts' texts."""
    texts: dict[tuple[int, int], str] = {}
    artifacts: list[str] = []
    for number, page in enumerate(pdf.pages):
        fonts = {name: _to_unicode(font) for name, font in page.Resources.Font.items()}
        stack: list[tuple[int, int] | str | None] = []
        table: dict[bytes, str] = {}
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name == "BDC":
                mcid = operands[1].get("/MCID") if len(operands) == 2 else None
                stack.append((number, int(mcid)) if mcid is not None else None)
                if mcid is not None:
                    texts[(number, int(mcid))] = ""
            elif name == "BMC":
                stack.append("artifact" if operands[0] == "/Artifact" else None)
                if operands[0] == "/Artifact":
                    artifacts.append("")
            elif name == "EMC":
                stack.pop()
            elif name == "Tf":
                table = fonts[str(operands[0])]
            elif name in ("Tj", "TJ"):
                strings = operands[0] if name == "TJ" else [operands[0]]
                raw = b"".join(bytes(s) for s in strings if isinstance(s, pikepdf.String))
                text = "".join(table.get(raw[i : i + 2], "") for i in range(0, len(raw), 2))
                owner = next((entry for entry in reversed(stack) if entry is not None), None)
                if owner == "artifact":
                    artifacts[-1] += text
                elif owner is not None:
                    assert isinstance(owner, tuple)
                    texts[owner] += text
                else:
                    raise AssertionError(f"page {number + 1}: text outside marked content: {text}")
    return texts, artifacts


def _distance(found: Counter[str], expected: Counter[str]) -> int:
    return ((found - expected) + (expected - found)).total()


class Tree:
    """A tagged PDF's structure tree, with the text of each element."""

    def __init__(self, path: Path) -> None:
        self.pdf = pikepdf.open(path)
        self.pages = {page.obj.objgen: index for index, page in enumerate(self.pdf.pages)}
        self.document = self.pdf.Root.StructTreeRoot.K[0]
        self.texts, self.artifacts = content_texts(self.pdf)

    def all(self) -> list[tuple[Any, tuple[Any, ...]]]:
        return [(self.document, ()), *elements(self.document, (self.document,))]

    def own_text(self, element: Any) -> str:
        return "".join(self.texts[key] for key in marked(element, self.pages))

    def text(self, element: Any) -> str:
        parts = [self.own_text(element)]
        parts += [self.own_text(kid) for kid, _ in elements(element)]
        return "".join(parts)

    def part(self) -> Any:
        return next(element for element, _ in self.all() if role(element) == "/Part")


@pytest.fixture(scope="module")
def tree(ua_sample: Project) -> Iterator[Tree]:
    parsed = Tree(sample_pdf(ua_sample))
    yield parsed
    parsed.pdf.close()


# The sample --------------------------------------------------------------------


@pytest.mark.slow
def test_document_language_is_the_primary_one(tree: Tree) -> None:
    assert str(tree.pdf.Root.Lang) == "ar"  # primary_language = "source" (the default)
    assert str(tree.document.Lang) == "ar"


@pytest.mark.slow
def test_every_element_carries_the_language_of_its_text(tree: Tree) -> None:
    languages: Counter[str] = Counter()
    for element, _ in tree.all():
        assert "/Lang" in element, role(element)
        language = str(element.Lang)
        languages[language] += 1
        own = tree.own_text(element)
        if not own.strip():
            continue
        arabic, latin = bool(_ARABIC.search(own)), bool(_LATIN.search(own))
        if arabic and not latin:
            assert language == "ar", (role(element), own)
        elif latin and not arabic:
            assert language in ("fr", "und-Latn"), (role(element), language, own)
        else:
            raise AssertionError(f"{role(element)} ({language}) mixes scripts: {own}")
    assert languages["ar"] > 30 and languages["fr"] > 30
    # "blockchain" inside an Arabic paragraph: a run of its own, Latin script.
    blockchain = [e for e, _ in tree.all() if str(e.Lang) == "und-Latn"]
    assert [tree.text(e) for e in blockchain] == ["blockchain"]
    assert all(str(e.P.Lang) == "ar" and role(e.P) == "/P" for e in blockchain)


@pytest.mark.slow
def test_reading_order_is_the_source_order(tree: Tree, ua_sample: Project) -> None:
    """Title, then each block in Arabic and then in French, block by block, pages merged."""
    document, config = sample_document(ua_sample)
    translation = load_translation(ua_sample, "france-qatar-security", "fr")
    expected = [(config.title("ar"), "ar"), (config.title("fr"), "fr")]
    for source, target in pairs(document, translation):
        expected += [(source, "ar"), (target, "fr")]
    blocks = [
        element
        for element, _ in elements(tree.part())
        if role(element) in ("/P", "/H1", "/H2", "/H3")
    ]
    assert len(blocks) == len(expected) == 2 + 2 * 19
    arabic = [
        Counter(_ARABIC.findall(bare(text))) for text, language in expected if language == "ar"
    ]
    spanned = 0
    for element, (text, language) in zip(blocks, expected, strict=True):
        assert str(element.Lang) == language
        found = tree.text(element)
        if language == "ar":
            # Glyphs come in visual order and a few of Amiri's ligatures extract
            # wrongly (see test_pdf.bare): the letters found are nearest to this
            # block's, and nearly all of them.
            letters = Counter(_ARABIC.findall(bare(found)))
            distances = [_distance(letters, block) for block in arabic]
            assert distances.index(min(distances)) == arabic.index(
                Counter(_ARABIC.findall(bare(text)))
            ), text[:40]
            assert min(distances) <= max(2, letters.total() // 50), text[:40]
        else:
            assert squash(found).replace("-", "") == squash(text).replace("-", ""), text[:40]
        pages = {page for page, _ in marked(element, tree.pages)}
        spanned += len(pages) > 1
    assert spanned >= 2  # pairs running over a page are one element each, not two


@pytest.mark.slow
def test_headings_and_paragraphs(tree: Tree) -> None:
    roles = Counter(role(element) for element, _ in tree.all())
    assert roles["/H1"] == 3  # the title page, the opening title in both languages
    assert roles["/H2"] == 2 + 8  # the contents title in both languages, four sections
    assert roles["/P"] >= 30 + 8  # 15 paragraphs in both languages, the contents' entries
    assert roles["/Div"] == 2  # the title page's foot and the imprint's block
    assert all(role(element) != "/Div" for element, _ in elements(tree.part()))
    for element, _ in elements(tree.part()):
        if role(element) in ("/P", "/H1", "/H2"):
            # The text directly, not one Span per line.
            assert {role(kid) for kid in element_kids(element)} <= {"/Span"}
            assert all(str(kid.Lang) != str(element.Lang) for kid in element_kids(element))


@pytest.mark.slow
def test_no_layout_table_and_the_contents_is_a_toc(tree: Tree) -> None:
    roles = {role(element) for element, _ in tree.all()}
    assert not roles & _TABLE_ROLES
    (toc,) = [element for element, _ in tree.all() if role(element) == "/TOC"]
    # The contents' title in both languages, headings beside the TOC (which holds TOCI only).
    assert [(role(kid), str(kid.Lang)) for kid in element_kids(toc.P)] == [
        ("/H2", "ar"),
        ("/H2", "fr"),
        ("/TOC", "ar"),
    ]
    entries = element_kids(toc)
    assert [role(entry) for entry in entries] == ["/TOCI"] * 4
    for entry in entries:
        sides = element_kids(entry)
        assert [(role(side), str(side.Lang)) for side in sides] == [("/P", "ar"), ("/P", "fr")]
        assert all(role(link) == "/Link" for side in sides for link in element_kids(side))


@pytest.mark.slow
def test_running_heads_and_folios_are_artifacts(tree: Tree) -> None:
    owned = set()
    for element, _ in tree.all():
        owned |= set(marked(element, tree.pages))
    assert owned == set(tree.texts)  # every marked sequence belongs to an element
    heads = squash("".join(tree.artifacts))
    assert "Quelssontlesprincipauxdomaines" in heads  # a running head over the French column
    assert "٥" in heads  # an Arabic-Indic folio
    # and the parent tree says so: each page's MCIDs map to their element
    for nums in [tree.pdf.Root.StructTreeRoot.ParentTree.Nums]:
        for index in range(0, len(nums), 2):
            key, value = int(nums[index]), nums[index + 1]
            if key < len(tree.pdf.pages):
                for mcid, owner in enumerate(value):
                    assert (owner is None) == ((key, mcid) not in owned)


# Lists and quotations ----------------------------------------------------------


def _roles_below(element: Any) -> list[tuple[str, str]]:
    return [(role(kid), str(kid.Lang)) for kid in element_kids(element)]


@pytest.mark.slow
def test_lists_and_quotation_side_by_side(ua_water: Path) -> None:
    tree = Tree(ua_water / "water.ar-fr.pdf")
    lists = [element for element, _ in tree.all() if role(element) == "/L"]
    assert [len(element_kids(items)) for items in lists] == [3, 3]
    for items in lists:
        for item in element_kids(items):
            assert role(item) == "/LI"
            (body,) = element_kids(item)
            assert role(body) == "/LBody"
            assert _roles_below(body) == [("/P", "ar"), ("/P", "fr")]
    (quote,) = [element for element, _ in tree.all() if role(element) == "/BlockQuote"]
    assert _roles_below(quote) == [("/P", "ar"), ("/P", "fr")]
    arabic, french = (tree.text(side) for side in element_kids(quote))
    assert _ARABIC.search(arabic) and not _LATIN.search(arabic)
    assert _LATIN.search(french) and not _ARABIC.search(french)
    headings = Counter(role(element) for element, _ in tree.all() if role(element)[1] == "H")
    # The title (the Markdown's level-1 heading) is H1; its sections H2, H3, H4.
    assert headings == {"/H1": 3, "/H2": 2 + 4, "/H3": 2, "/H4": 2}


@pytest.mark.slow
def test_lists_and_quotation_translation_only(ua_water: Path) -> None:
    tree = Tree(ua_water / "water.fr.pdf")
    assert str(tree.pdf.Root.Lang) == "fr"
    lists = [element for element, _ in tree.all() if role(element) == "/L"]
    assert [len(element_kids(items)) for items in lists] == [3, 3]
    (quote,) = [element for element, _ in tree.all() if role(element) == "/BlockQuote"]
    assert [name for name, _ in _roles_below(quote)] == ["/P"]
    assert not {role(element) for element, _ in tree.all()} & _TABLE_ROLES


@pytest.mark.slow
def test_facing_pages_read_passage_by_passage(ua_water: Path) -> None:
    tree = Tree(ua_water / "water.ar-fr.facing.pdf")
    assert not {role(element) for element, _ in tree.all()} & _TABLE_ROLES
    assert all(role(element) != "/Div" for element, _ in elements(tree.part()))  # no page Div
    blocks = [
        (role(element), str(element.Lang))
        for element, _ in elements(tree.part())
        if role(element) in ("/P", "/H1", "/H2", "/H3", "/H4")
    ]
    # Each passage's Arabic page piece, then its translation on the facing page.
    assert [language for _, language in blocks] == ["ar", "fr"] * (len(blocks) // 2)
    assert all(blocks[i][0] == blocks[i + 1][0] for i in range(0, len(blocks), 2))
    assert Counter(role(element) for element, _ in tree.all())["/LI"] == 6
    assert Counter(role(element) for element, _ in tree.all())["/BlockQuote"] == 1


@pytest.mark.slow
def test_translation_first_edition_reads_the_translation_first(
    ua_water_translation_first: Path,
) -> None:
    tree = Tree(ua_water_translation_first)
    assert str(tree.pdf.Root.Lang) == "fr" and str(tree.document.Lang) == "fr"
    languages = [
        str(element.Lang)
        for element, _ in elements(tree.part())
        if role(element) in ("/P", "/H1", "/H2", "/H3", "/H4")
    ]
    assert languages == ["fr", "ar"] * (len(languages) // 2)


# An independent checker --------------------------------------------------------


def _check_pdf_ua(path: Path, *, known: frozenset[str] = frozenset()) -> None:
    """``page`` (PyPI ``page-validation``, MIT): veraPDF's PDF/UA-1 rules, no JVM.

    ``known``: rules failed for reasons outside the structure tree.
    """
    import page

    report = page.validate_pdf(path, profile="ua1")
    failures = [
        f"{failure.rule_id}: {failure.message}"
        for failure in report.failures
        if failure.rule_id not in known
    ]
    assert not failures
    assert report.rules.total > 100


@pytest.mark.slow
def test_the_sample_passes_an_independent_pdf_ua_checker(ua_sample: Project) -> None:
    _check_pdf_ua(sample_pdf(ua_sample))


# WeasyPrint maps a glyph that shares its cluster with another (Amiri's
# uni062E.medi_FaaHaaInit in "فخ"-like joins) to an empty string in the font's
# ToUnicode CMap, which the rule calls malformed; the same happens without
# warraq's tagging. Only an /ActualText per cluster would fix it.
_EMPTY_GLYPH_TEXT = frozenset({"PDFUA1-FONT-UNICODE-MAPPING-001"})


@pytest.mark.slow
@pytest.mark.parametrize("name", ["water.ar-fr.pdf", "water.fr.pdf", "water.ar-fr.facing.pdf"])
def test_every_layout_passes_an_independent_pdf_ua_checker(ua_water: Path, name: str) -> None:
    _check_pdf_ua(ua_water / name, known=_EMPTY_GLYPH_TEXT)


# The module's parts, without a build ------------------------------------------


def test_the_hook_point_exists_in_this_weasyprint() -> None:
    from weasyprint.pdf import tags  # the private function warraq.render.tagging wraps

    assert callable(tags._build_box_tree)
    assert TAGGED_VARIANTS == ("pdf/ua-1", "pdf/ua-2")  # the variants WeasyPrint tags


def test_a_weasyprint_without_the_hook_point_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from weasyprint.pdf import tags

    monkeypatch.delattr(tags, "_build_box_tree")
    with pytest.raises(WarraqError, match=r"_build_box_tree.*pdf/ua-1"), hinted_tagging():
        pass


def _p(language: str, groups: str = "", pair: str = "") -> _Node:
    hint = {"Key": f"{language}{groups}{pair}", "Tag": "p", "Role": "paragraph"}
    if pair:
        hint["Pair"] = pair
    return _Node("P", language, hint, [_Content(0, mcid=0)], groups=groups.split())


def test_consecutive_rows_of_a_list_inside_a_quotation_are_grouped() -> None:
    kids: list[_Node | _Content] = [
        _p("ar"),
        _p("ar", "blockquote"),
        _p("fr", "blockquote"),
        _p("ar", "blockquote list:l1"),
        _p("fr", "blockquote list:l1"),
        _p("ar"),
    ]
    grouped = _grouped(kids)
    assert [node.role for node in grouped if isinstance(node, _Node)] == ["P", "BlockQuote", "P"]
    quote = grouped[1]
    assert isinstance(quote, _Node)
    assert [kid.role for kid in quote.kids if isinstance(kid, _Node)] == ["P", "P", "L"]


def test_facing_pieces_are_read_in_pairs() -> None:
    kids: list[_Node | _Content] = [
        _p("ar", pair="1:0"),
        _p("ar", pair="2:0"),
        _p("fr", pair="1:0"),
        _p("fr", pair="2:0"),
    ]
    paired = [kid.hint["Pair"] + kid.lang for kid in _paired(kids) if isinstance(kid, _Node)]
    assert paired == ["1:0ar", "1:0fr", "2:0ar", "2:0fr"]


def test_a_container_of_two_languages_takes_the_primary_one() -> None:
    pair = _Node("LBody", None, {}, [_p("ar"), _p("fr")])
    single = _Node("Div", "fr", {}, [_p("ar")])
    document = _Node("Document", "ar", {}, [pair, single])
    _languages(document, "ar")
    assert (pair.lang, single.lang, document.lang) == ("ar", "ar", "ar")
    _languages(document, "fr")
    assert pair.lang == "fr"
