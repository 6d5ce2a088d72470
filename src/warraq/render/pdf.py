"""PDF editions: the bilingual view through jinja2 templates, typeset by WeasyPrint.

The theme's ``pdf/book.html.j2`` and ``pdf/book.css.j2`` (a project's
``templates/pdf/`` overrides either) make one HTML document: title page,
imprint, table of contents, then one table row per pair of blocks, Arabic on
the right. WeasyPrint fetches only through :class:`SafeFetcher`: the font
files :mod:`warraq.render.fonts` located, and files inside the project's
templates folder and the package theme. Nothing from the network.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import mimetypes
import re
import traceback
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
from markupsafe import Markup

from warraq import __version__
from warraq.document.text import text_direction
from warraq.errors import WarraqError
from warraq.render.fonts import ARABIC_FAMILY, LATIN_FAMILY, Face, find_faces
from warraq.render.job import EditionJob
from warraq.render.pdfx import css_bleed, finish_print, weasyprint_options
from warraq.render.templates import THEME_DIR, template_environment
from warraq.render.view import EditionView, job_view, label

HTML_TEMPLATE = "pdf/book.html.j2"
CSS_TEMPLATE = "pdf/book.css.j2"

# CSS family names for the embedded faces: private names, so that fontconfig
# cannot answer a request with an installed face of the same family (EB
# Garamond's 8-point optical size, say) instead of the file warraq chose.
FAMILY_ALIASES = {ARABIC_FAMILY: "warraq Amiri", LATIN_FAMILY: "warraq EB Garamond"}

_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt)$")
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def length_mm(length: str) -> float:
    """A CSS length as written in ``warraq.toml`` (``15mm``, ``6in``, ``12pt``), in millimetres.

    >>> round(length_mm("6in"), 2), length_mm("1.5cm")
    (152.4, 15.0)
    """
    match = _LENGTH.match(length)
    if match is None:
        raise WarraqError(f"'{length}' is not a length such as '15mm', '6in' or '12pt'")
    return float(match.group(1)) * _MM_PER_UNIT[match.group(2)]


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """The trim size, margins and print marks of an edition, as CSS lengths."""

    width: str
    height: str
    top: str
    bottom: str
    inner: str
    outer: str
    bleed: str | None
    crop_marks: bool
    content_height: str  # the height of the text block, for the title page

    @property
    def size(self) -> str:
        """``size`` for ``@page``."""
        return f"{self.width} {self.height}"


def page_geometry(job: EditionJob) -> PageGeometry:
    """The page of ``job``'s edition: trim, mirrored margins, bleed and crop marks."""
    edition = job.edition
    width, height = edition.page_size
    margins = edition.margins
    content = length_mm(height) - length_mm(margins.top) - length_mm(margins.bottom)
    bleed = css_bleed(length_mm(edition.bleed), edition.crop_marks)  # warraq.render.pdfx
    return PageGeometry(
        width=width,
        height=height,
        top=margins.top,
        bottom=margins.bottom,
        inner=margins.inner,
        outer=margins.outer,
        bleed=bleed,
        crop_marks=edition.crop_marks,
        content_height=f"{content:.2f}mm",
    )


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string.

    >>> css_string('a "b" \\\\ c')
    '"a \\\\22 b\\\\22  \\\\5c  c"'
    """
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\\n\r\f' or ord(char) < 0x20 else char for char in text
    )
    return f'"{escaped}"'


@dataclass(frozen=True, slots=True)
class FontFace:
    """One ``@font-face`` rule."""

    family: str
    weight: int
    style: str
    url: str
    path: Path

    @property
    def rule(self) -> Markup:
        """The rule, ready to put in a stylesheet."""
        return Markup(
            f"@font-face {{ font-family: {css_string(self.family)}; "
            f"src: url({css_string(self.url)}); "
            f"font-weight: {self.weight}; font-style: {self.style}; }}"
        )


def font_faces(faces: Iterable[Face]) -> tuple[FontFace, ...]:
    """``@font-face`` rules for the located faces, under warraq's private family names."""
    return tuple(
        FontFace(
            FAMILY_ALIASES.get(face.family, face.family),
            face.weight,
            face.style,
            face.path.resolve().as_uri(),
            face.path.resolve(),
        )
        for face in faces
    )


def _weasyprint_fetcher_base() -> type:
    from weasyprint import URLFetcher  # imported here: WeasyPrint takes a second to import

    return URLFetcher  # type: ignore[no-any-return]


def make_fetcher(
    roots: Sequence[Path], files: Iterable[Path], overlay: tuple[Path, Path] | None = None
) -> Any:
    """A WeasyPrint URL fetcher that serves only ``files`` and files under ``roots``.

    ``overlay`` is ``(project_templates, theme)``: a file asked for under the
    project's templates folder but absent there is served from the same place
    in the theme, so a template override can still use the theme's assets.
    Every other URL (network, ``file://`` elsewhere, ``..`` escapes, symbolic
    links out) is refused and recorded in the fetcher's ``refused`` list.
    """
    base = _weasyprint_fetcher_base()
    resolved_roots = tuple(root.resolve() for root in roots)
    allowed_files = frozenset(path.resolve() for path in files)

    class SafeFetcher(base):  # type: ignore[valid-type, misc]
        """Serves local files from an allow-list; refuses everything else."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",))
            self.refused: list[str] = []
            self.fetched: list[str] = []

        def resolve(self, url: str) -> Path | None:
            """The allowed file ``url`` names, or ``None``."""
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                return None
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if path in allowed_files:
                return path
            if overlay is not None:
                project, theme = (folder.resolve() for folder in overlay)
                if not path.is_file() and path.is_relative_to(project):
                    path = (theme / path.relative_to(project)).resolve()
                    if not path.is_relative_to(theme):
                        return None
            if path.is_file() and any(path.is_relative_to(root) for root in resolved_roots):
                return path
            return None

        def fetch(self, url: str, headers: Any = None) -> Any:
            from weasyprint.urls import URLFetcherResponse

            path = self.resolve(url)
            if path is None:
                self.refused.append(url)
                raise ValueError(f"warraq does not fetch {url}")
            self.fetched.append(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
            )

    return SafeFetcher()


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis.

    Short words (articles, prepositions) do not end a shortened title.

    >>> shorten("Quels sont les principaux domaines de la coopération\u202f?", 42)
    'Quels sont les principaux domaines…'
    >>> shorten("كيف تؤثر هذه الدبلوماسية على الاستقرار الإقليمي؟", 32)
    'كيف تؤثر هذه الدبلوماسية…'
    >>> shorten("Court", 24)
    'Court'
    """
    if len(text) <= limit:
        return text
    cut = max(limit - 1, 1)
    words = text[:cut].split()
    if len(words) > 1 and not text[cut - 1].isspace() and not text[cut].isspace():
        words.pop()  # the last word was cut in two
    while len(words) > 2 and len(words[-1].strip(",;:.،؛")) <= 3:
        words.pop()
    return " ".join(words).rstrip(" \u00a0\u202f,;:.،؛-–—") + "…"


def running_head_chars(geometry: PageGeometry) -> dict[str, int]:
    """How many characters of a section title fit in half the running head, per side.

    A rough count from average glyph widths (EB Garamond italic 8.5pt,
    Amiri 10pt); the stylesheet's ``text-overflow`` catches what it misses.
    """
    text_width = length_mm(geometry.width) - length_mm(geometry.inner) - length_mm(geometry.outer)
    half = text_width * 0.47
    return {"target": int(half / 1.3), "source": int(half / 1.45)}


# Characters per millimetre of line in the default theme's body type (Amiri
# 11.5pt, EB Garamond 10.25pt), measured on the sample edition.
_CHARS_PER_MM = {"rtl": 0.67, "ltr": 0.81}
# A pair splits only when each column has orphans + widows lines (3 + 2 Arabic,
# 4 + 2 translated), one more for the estimate's error.
_SPLITTABLE_LINES = {"rtl": 6, "ltr": 7}


def short_rows(view: EditionView, geometry: PageGeometry) -> frozenset[str]:
    """Ids of the pairs too short to split across pages: they move whole instead.

    Line counts are estimated from text lengths; a wrong guess only costs a
    second layout pass (see :func:`rows_started_unlevel`).
    """
    text_width = length_mm(geometry.width) - length_mm(geometry.inner) - length_mm(geometry.outer)
    column = text_width / 2 - 3.5
    short = set()
    for row in view.rows:
        if row.kind == "heading":
            continue
        for side in (row.source, row.target):
            per_line = max(column * _CHARS_PER_MM[side.direction], 1)
            if len(side.text) / per_line < _SPLITTABLE_LINES[side.direction]:
                short.add(row.id)
    return frozenset(short)


@functools.cache
def _vertical_metrics(path: Path) -> tuple[float, float]:
    """Ascent and descent of a font file, in ems, as HarfBuzz (and so WeasyPrint) reads them."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        units = font["head"].unitsPerEm
        os2 = font.get("OS/2", None)
        if os2 is not None and os2.fsSelection & (1 << 7):  # USE_TYPO_METRICS
            return os2.sTypoAscender / units, -os2.sTypoDescender / units
        hhea = font["hhea"]
        return hhea.ascent / units, -hhea.descent / units


def first_baseline(path: Path, size: float, leading: float) -> float:
    """Where the first baseline of a block falls below its top, in points.

    The line box is ``leading`` high; the glyphs' ascent and descent are
    centred in it (CSS half-leading).
    """
    ascent, descent = _vertical_metrics(path)
    return leading / 2 + (ascent - descent) * size / 2


def baseline_padding(faces: Sequence[FontFace], source_family: str, target_family: str) -> Any:
    """A template function: padding-tops that put two columns' first baselines level.

    ``level(source_size, source_leading, target_size, target_leading)`` (points)
    returns ``{"source": "0pt", "target": "2.87pt"}``: the padding for the top
    of each cell, so that a pair's first lines stand on one baseline.
    """
    regular = {
        face.family: face.path for face in faces if face.weight == 400 and face.style == "normal"
    }

    def level(
        source_size: float, source_leading: float, target_size: float, target_leading: float
    ) -> dict[str, str]:
        source = first_baseline(regular[source_family], source_size, source_leading)
        target = first_baseline(regular[target_family], target_size, target_leading)
        return {
            "source": f"{max(target - source, 0):.2f}pt",
            "target": f"{max(source - target, 0):.2f}pt",
        }

    return level


def _metadata_date(job: EditionJob) -> str:
    moment = job.timestamp or dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def template_context(
    job: EditionJob, view: EditionView, faces: Sequence[FontFace]
) -> dict[str, Any]:
    """What the PDF templates are filled from."""
    source, target = view.source_language, view.target_language
    languages = {"source": source, "target": target}
    side_by_side = job.edition.layout == "side-by-side"
    edition = "bilingual" if side_by_side else "translated"
    return {
        "view": view,
        "layout": job.edition.layout,
        "side_by_side": side_by_side,
        "page": page_geometry(job),
        "head_chars": running_head_chars(page_geometry(job)),
        "short_rows": short_rows(view, page_geometry(job)),
        "level": baseline_padding(
            faces, FAMILY_ALIASES[ARABIC_FAMILY], FAMILY_ALIASES[LATIN_FAMILY]
        ),
        "fonts": faces,
        "families": {
            "arabic": css_string(FAMILY_ALIASES[ARABIC_FAMILY]),
            "latin": css_string(FAMILY_ALIASES[LATIN_FAMILY]),
        },
        "numbers": {
            "source": "arabic-indic"
            if job.edition.page_numbers == "arabic-indic" and text_direction(source) == "rtl"
            else "decimal",
            "target": "decimal",
        },
        "labels": {
            key: {
                side: label(name, language, source=source, target=target)
                for side, language in languages.items()
            }
            for key, name in (
                ("contents", "contents"),
                ("draft", "draft"),
                ("missing", "missing"),
                ("edition", edition),
            )
        },
        "meta": {
            "title": view.title[1].text,
            "author": view.author[1] if view.author else None,
            "language": target,
            "subject": view.subject,
            "keywords": ", ".join(
                [label(edition, target, source=source, target=target), view.title[0].text]
            ),
            "created": _metadata_date(job),
            "generator": f"warraq {__version__}",
        },
    }


def render_html(job: EditionJob) -> tuple[str, Path]:
    """The edition as one HTML document, and the folder relative URLs resolve against."""
    faces = font_faces(find_faces())
    view = job_view(job)
    templates = job.project.path(job.project.templates_dir)
    environment = template_environment(templates)
    environment.filters["css_string"] = css_string
    environment.filters["shorten"] = shorten
    context = template_context(job, view, faces)
    css = _render_template(environment, CSS_TEMPLATE, context)
    html = _render_template(environment, HTML_TEMPLATE, {**context, "stylesheet": Markup(css)})
    return html, (templates / "pdf").resolve()


def _render_template(environment: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``; a mistake in it is an error naming its file and line."""
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or name}, line {error.lineno}"
        raise WarraqError(f"{where}: {error.message}; fix the template") from None
    except jinja2.TemplateError as error:
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.endswith(".j2")
        ]
        where = f"{frames[-1].filename}, line {frames[-1].lineno}" if frames else name
        raise WarraqError(f"{where}: {error}; fix the template") from None


def render_pdf(job: EditionJob) -> bytes:
    """Typeset ``job`` as a PDF; the whole file as bytes."""
    from weasyprint import CSS, HTML

    html, base = render_html(job)
    templates = job.project.path(job.project.templates_dir).resolve()
    fetcher = make_fetcher(
        roots=(templates, THEME_DIR),
        files=(face.path for face in font_faces(find_faces())),
        overlay=(templates, THEME_DIR),
    )
    options: dict[str, Any] = {"pdf_variant": job.pdf_variant, "pdf_identifier": True}
    options |= weasyprint_options(job.pdf_variant)  # PDF/X: see warraq.render.pdfx
    source = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    document = source.render(**options)
    breaks: list[str] = []
    for _ in range(MAX_LAYOUT_PASSES - 1):
        late = [row for row in rows_started_unlevel(document) if row not in breaks]
        if not late:
            break
        breaks.extend(late)
        document = None  # one layout in memory at a time: drop this one before the next
        gc.collect()
        document = source.render(stylesheets=[CSS(string=forced_breaks_css(breaks))], **options)
    # Layout leaves its discarded boxes in reference cycles (some 35 MB on a
    # 300-page book) that Python frees only at its next full collection; freeing
    # them now lets writing the PDF reuse that memory instead of adding to it.
    gc.collect()
    if fetcher.refused:
        raise WarraqError(
            f"{job.output.name}: the templates ask for {', '.join(sorted(set(fetcher.refused)))}; "
            f"warraq fetches nothing from the network and only files inside {templates} "
            "or its own theme: copy the file into the templates folder and refer to it there"
        )
    with warnings.catch_warnings():
        # WeasyPrint leaves its sRGB profile file open when writing PDF/A.
        warnings.simplefilter("ignore", ResourceWarning)
        data: bytes = document.write_pdf(**options)
    # Print: page boxes, PDF/X output intent and colours (warraq.render.pdfx).
    bleed = length_mm(job.edition.bleed)
    return finish_print(data, job.pdf_variant, bleed, job.edition.crop_marks)


MAX_LAYOUT_PASSES = 4
"""Layouts tried while moving pairs whose columns would start on different pages."""


def forced_breaks_css(row_ids: Sequence[str]) -> str:
    """A stylesheet starting each of ``row_ids`` on a new page."""
    selectors = ", ".join(f'tr[id="{row_id}"]' for row_id in row_ids)
    return f"{selectors} {{ break-inside: avoid; break-before: page; }}"


def rows_started_unlevel(document: Any) -> list[str]:
    """Ids of table rows whose first fragment shows one column and not the other.

    Each column of a pair breaks on its own (orphans and widows count lines,
    and the columns' lines differ in height), so at the foot of a page one
    column may start a pair while the other begins on the next page. Those
    pairs are moved whole to the next page.
    """
    seen: set[str] = set()
    late: list[str] = []
    for page in document.pages:
        for row in _row_boxes(page._page_box):
            row_id = row.element.get("id")
            if not row_id or row_id in seen:
                continue
            seen.add(row_id)
            cells = [cell for cell in row.children if cell.element is not None]
            written = ["".join(cell.element.itertext()).strip() != "" for cell in cells]
            shown = [bool(cell.children) for cell in cells]
            if any(shown) and any(w and not s for w, s in zip(written, shown, strict=True)):
                late.append(row_id)
    return late


def _row_boxes(box: Any) -> Any:
    if getattr(box, "element_tag", None) == "tr":
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _row_boxes(child)
