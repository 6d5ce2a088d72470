"""Rendering a PDF: the templates filled, then typeset by WeasyPrint, pass after pass."""

from __future__ import annotations

import functools
import gc
import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from warraq.config import length_mm
from warraq.document.structure import figure_path
from warraq.errors import WarraqError
from warraq.render.fonts import find_faces
from warraq.render.job import EditionJob
from warraq.render.pdf.context import (
    HtmlContext,
    shorten,
    template_context,
)
from warraq.render.pdf.faces import css_string, font_faces
from warraq.render.pdf.fetcher import make_fetcher
from warraq.render.pdf.kashida import justify
from warraq.render.pdf.kashida import plan as plan_kashida
from warraq.render.pdf.passes import (
    MAX_LAYOUT_PASSES,
    forced_breaks_css,
    rows_started_unlevel,
)
from warraq.render.pdfx import finish_print, weasyprint_options
from warraq.render.tagging import write_pdf
from warraq.render.templates import (
    THEME_DIR,
    project_stylesheet,
    render_template,
    template_environment,
)
from warraq.render.view import job_view

PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1", "pdf/ua-2", "pdf/x-4", "pdf/x-1a")
"""The PDF variants WeasyPrint writes that ``warraq build --pdf-variant`` offers."""

HTML_TEMPLATE = "pdf/book.html.j2"
CSS_TEMPLATE = "pdf/book.css.j2"
EXTRA_CSS = "pdf/extra.css"
"""A project's optional stylesheet, appended after the theme's (not a template)."""


def render_html(job: EditionJob) -> tuple[str, Path]:
    """The edition as one HTML document, and the folder relative URLs resolve against."""
    faces = font_faces(find_faces())
    view = job_view(job)
    templates = job.project.path(job.project.templates_dir)
    environment = template_environment(templates)
    environment.filters["css_string"] = css_string
    environment.filters["shorten"] = shorten
    context = template_context(job, view, faces)
    css = render_template(environment, CSS_TEMPLATE, context)
    extra = project_stylesheet(templates, EXTRA_CSS)
    if extra:
        css = f"{css}\n/* {EXTRA_CSS} */\n{extra}"
    html_context = HtmlContext(**context, stylesheet=Markup(css))
    html = render_template(environment, HTML_TEMPLATE, html_context)
    return html, (templates / "pdf").resolve()


def render_pdf(job: EditionJob) -> bytes:
    """Typeset ``job`` as a PDF; the whole file as bytes."""
    html, base = render_html(job)
    templates = job.project.path(job.project.templates_dir).resolve()
    images = tuple(figure_path(job.project, job.document_config, f) for f in job.document.figures())
    data = typeset(html, base, templates, job.pdf_variant, job.output.name, images=images, job=job)
    # Print: page boxes, PDF/X output intent and colours (warraq.render.pdfx).
    bleed = length_mm(job.edition.bleed)
    return finish_print(data, job.pdf_variant, bleed, job.edition.crop_marks)


def typeset(
    html: str,
    base: Path,
    templates: Path,
    variant: str | None,
    name: str,
    stylesheets: tuple[str, ...] = (),
    images: tuple[Path, ...] = (),
    job: EditionJob | None = None,
    stylesheet: str = "",
) -> bytes:
    """``html`` typeset by WeasyPrint, pass after pass, as PDF bytes (before print finishing).

    ``stylesheets`` are added after the document's own (the chunked renderer's
    page counter, :mod:`warraq.render.pdf.chunks`); ``images`` are the figures
    the HTML may load; ``name`` names the output in errors. With the whole
    edition's ``job`` (one pass), its kashida justification and tagged
    variants apply; a chunk is typeset without. A ``stylesheet`` given apart
    from ``html`` (a chunk's, the book's own) is parsed, and its fonts loaded,
    once per process for every document that has it (:func:`shared_stylesheet`).
    """
    from weasyprint import CSS, HTML

    fetcher = pdf_fetcher(templates, images)
    options: dict[str, Any] = {"pdf_variant": variant, "pdf_identifier": True}
    options |= weasyprint_options(variant)  # PDF/X: see warraq.render.pdfx
    source = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    added = [CSS(string=sheet) for sheet in stylesheets]
    shared: dict[str, Any] = {}  # the layout's own font and counter styles, when shared
    if stylesheet:
        sheet, fonts, counters = shared_stylesheet(stylesheet, base, templates, name)
        added.insert(0, sheet)
        shared = {"font_config": fonts, "counter_style": counters}
    document = source.render(stylesheets=added, **options, **shared)
    breaks: list[str] = []
    for _ in range(MAX_LAYOUT_PASSES - 1):
        late = [row for row in rows_started_unlevel(document) if row not in breaks]
        if not late:
            break
        breaks.extend(late)
        document = None  # one layout in memory at a time: drop this one before the next
        gc.collect()
        sheets = [*added, CSS(string=forced_breaks_css(breaks))]
        document = source.render(stylesheets=sheets, **options, **shared)
    if job is not None and job.edition.arabic_justification == "kashida":
        sheets = [*added, *([CSS(string=forced_breaks_css(breaks))] if breaks else [])]
        plans = plan_kashida(document)
        if plans:
            document = None  # one layout in memory at a time
            gc.collect()
            document, _ = justify(
                lambda: source.render(stylesheets=sheets, **options, **shared), plans
            )
    # Layout leaves its discarded boxes in reference cycles (some 35 MB on a
    # 300-page book) that Python frees only at its next full collection; freeing
    # them now lets writing the PDF reuse that memory instead of adding to it.
    gc.collect()
    _refuse_fetches(name, fetcher.refused, templates)
    with warnings.catch_warnings():
        # WeasyPrint leaves its sRGB profile file open when writing PDF/A.
        warnings.simplefilter("ignore", ResourceWarning)
        # Tagged variants: structure tree rebuilt (warraq.render.tagging).
        data = write_pdf(document, job, **options) if job else document.write_pdf(**options)
    # Attachments and the images of inline SVG are fetched only while writing.
    _refuse_fetches(name, fetcher.refused, templates)
    return data


def pdf_fetcher(templates: Path, images: tuple[Path, ...] = ()) -> Any:
    """What a PDF's WeasyPrint may fetch: the located font files, ``images`` (the
    figures), and files under the project's ``templates`` folder or the theme."""
    return make_fetcher(
        roots=(templates, THEME_DIR),
        files=[*(face.path for face in font_faces(find_faces())), *images],
        overlay=(templates, THEME_DIR),
    )


@dataclass(slots=True)
class _ProcessFonts:
    """This process's WeasyPrint font configuration, shared by the documents it typesets."""

    pid: int
    config: Any


_PROCESS_FONTS: list[_ProcessFonts] = []


def _process_fonts() -> Any:
    """One font configuration a process (a forked worker makes its own): the system's
    fonts and every ``@font-face`` loaded once, not again for each document."""
    from multiprocessing.util import Finalize

    from weasyprint.text.fonts import FontConfiguration

    if _PROCESS_FONTS and _PROCESS_FONTS[0].pid == os.getpid():
        return _PROCESS_FONTS[0].config
    fonts = _ProcessFonts(os.getpid(), FontConfiguration())
    _PROCESS_FONTS[:] = [fonts]
    # A worker ends with os._exit, which skips WeasyPrint's own clean-up of the
    # folder it copies @font-face files into; multiprocessing's exit hook runs
    # (in any process, before the interpreter tears its modules down).
    Finalize(None, _release_fonts, args=(fonts,), exitpriority=0)
    return fonts.config


def _release_fonts(fonts: _ProcessFonts) -> None:
    """Remove the font configuration's folder and let it go (once, in its own process)."""
    if fonts.pid != os.getpid():
        return
    folder = getattr(fonts.config, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        fonts.config._folder = None  # nothing left for WeasyPrint's __del__ to remove
    shared_stylesheet.cache_clear()
    _PROCESS_FONTS.clear()


@functools.lru_cache(maxsize=4)
def shared_stylesheet(text: str, base: Path, templates: Path, name: str) -> tuple[Any, Any, Any]:
    """``text`` parsed by WeasyPrint once a process: the stylesheet, the font
    configuration its ``@font-face`` rules loaded into, and its counter styles.

    A stylesheet passed this way is of WeasyPrint's *user* origin, not the
    *author* origin of a ``<style>`` in the document; the two cascade alike as
    long as the document has no other stylesheet and no ``!important`` in a
    ``style`` attribute, which :func:`warraq.render.pdf.chunks.cut` checks
    before it takes the stylesheet out of a chunk.
    """
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    fetcher = pdf_fetcher(templates)
    fonts = _process_fonts()
    counters = CounterStyle()
    sheet = CSS(
        string=text,
        base_url=base.as_uri() + "/",
        url_fetcher=fetcher,
        font_config=fonts,
        counter_style=counters,
    )
    _refuse_fetches(name, fetcher.refused, templates)  # raised, so not cached
    return sheet, fonts, counters


def _refuse_fetches(name: str, refused: list[str], templates: Path) -> None:
    """Stop the build when the templates asked for anything the fetcher refused."""
    if refused:
        raise WarraqError(
            f"{name}: the templates ask for {', '.join(sorted(set(refused)))}; "
            f"warraq fetches nothing from the network and only files inside {templates} "
            "or its own theme: copy the file into the templates folder and refer to it there"
        )
