"""Rendering a PDF: the templates filled, then typeset by WeasyPrint, pass after pass."""

from __future__ import annotations

import gc
import traceback
import warnings
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from warraq.errors import WarraqError
from warraq.render.fonts import find_faces
from warraq.render.job import EditionJob
from warraq.render.pdf.context import (
    shorten,
    template_context,
)
from warraq.render.pdf.faces import css_string, font_faces
from warraq.render.pdf.fetcher import make_fetcher
from warraq.render.pdf.passes import (
    MAX_LAYOUT_PASSES,
    forced_breaks_css,
    rows_started_unlevel,
)
from warraq.render.templates import THEME_DIR, template_environment
from warraq.render.view import job_view

PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")
"""The PDF variants WeasyPrint writes that ``warraq build --pdf-variant`` offers."""

HTML_TEMPLATE = "pdf/book.html.j2"
CSS_TEMPLATE = "pdf/book.css.j2"


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
    return data
