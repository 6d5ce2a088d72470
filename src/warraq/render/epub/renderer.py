"""Rendering an EPUB: the templates filled from the planned book, checked, then zipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import jinja2

from warraq.errors import WarraqError
from warraq.render.epub.characters import check_characters
from warraq.render.epub.container import zip_epub, zip_time
from warraq.render.epub.embedded_fonts import embed_font, plan_fonts, styled_characters
from warraq.render.epub.plan import plan_book
from warraq.render.fonts import (
    find_faces,
)
from warraq.render.job import EditionJob
from warraq.render.templates import template_environment
from warraq.render.view import job_view

TEMPLATES = ("container.xml", "package.opf", "nav.xhtml", "section.xhtml", "book.css")
"""The theme's EPUB templates, under ``epub/``; a project overrides one by
putting a file of the same name in ``templates/epub/``."""


def render_epub(job: EditionJob) -> bytes:
    """The EPUB 3 file of ``job``, as bytes."""
    check_characters(job)
    view = job_view(job, xml=True)
    project_templates = job.project.path(job.project.templates_dir)
    environment = template_environment(project_templates)
    overridden = [name for name in TEMPLATES if (project_templates / "epub" / name).is_file()]
    book = plan_book(job, view, overridden=overridden)
    files: dict[str, bytes] = {}
    files["META-INF/container.xml"] = _render(environment, "container.xml", book=book)
    documents = {"EPUB/nav.xhtml": _render(environment, "nav.xhtml", book=book, root="")}
    for chapter in book.chapters:
        documents[f"EPUB/{chapter.href}"] = _render(
            environment, "section.xhtml", book=book, chapter=chapter, root="../"
        )
    trees = [
        _check_well_formed(
            name, data, "nav.xhtml" if name.endswith("nav.xhtml") else "section.xhtml"
        )
        for name, data in documents.items()
    ]
    planned = plan_fonts(styled_characters(trees), find_faces(), exact="book.css" not in overridden)
    fonts = tuple(embed_font(face, characters) for face, characters in planned)
    stylesheet = _render(environment, "book.css", book=book, fonts=fonts)
    package = _render(environment, "package.opf", book=book, fonts=fonts)
    _check_well_formed("EPUB/package.opf", package, "package.opf")
    _check_well_formed("META-INF/container.xml", files["META-INF/container.xml"], "container.xml")
    files["EPUB/package.opf"] = package
    files["EPUB/css/book.css"] = stylesheet
    files.update(documents)
    for font in fonts:
        files[f"EPUB/{font.href}"] = font.data
    return zip_epub(files, zip_time(job))


def _render(environment: jinja2.Environment, name: str, **context: object) -> bytes:
    try:
        template = environment.get_template(f"epub/{name}")
        return template.render(**context).encode("utf-8")
    except jinja2.TemplateError as error:
        where = getattr(error, "filename", None) or f"epub/{name}"
        line = getattr(error, "lineno", None)
        at = f", line {line}" if line else ""
        raise WarraqError(f"{where}{at}: template error: {error}") from None


def _check_well_formed(name: str, data: bytes, template: str) -> ET.Element:
    """``data`` parsed; malformed XML (from a project's own template) is an error naming it."""
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise WarraqError(
            f"{name}: the template epub/{template} produced malformed XML ({error}); "
            f"fix templates/epub/{template} or remove it to use the theme's"
        ) from None
