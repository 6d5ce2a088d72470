"""Rendering an EPUB: the templates filled from the planned book, checked, then zipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2

from warraq.errors import WarraqError
from warraq.render.characters import check_characters
from warraq.render.epub.container import zip_epub, zip_time
from warraq.render.epub.embedded_fonts import embed_font, plan_fonts, styled_characters
from warraq.render.epub.plan import plan_book
from warraq.render.epub.references import check_references, check_stylesheet
from warraq.render.fonts import (
    find_faces,
)
from warraq.render.job import EditionJob
from warraq.render.templates import project_stylesheet, render_template, template_environment
from warraq.render.view import job_view

TEMPLATES = (
    "container.xml.j2",
    "package.opf.j2",
    "nav.xhtml.j2",
    "section.xhtml.j2",
    "book.css.j2",
)
"""The theme's EPUB templates, under ``epub/``; a project overrides one by
putting a file of the same name in ``templates/epub/``."""
EXTRA_CSS = "extra.css"
"""A project's optional ``templates/epub/extra.css``, appended to the book's stylesheet."""


def render_epub(job: EditionJob) -> bytes:
    """The EPUB 3 file of ``job``, as bytes."""
    check_characters(job)
    view = job_view(job, xml=True)
    project_templates = job.project.path(job.project.templates_dir)
    environment = template_environment(project_templates)
    overridden = _overridden(project_templates / "epub")
    book = plan_book(job, view, overridden=overridden)
    container = _render(environment, "container.xml.j2", book=book)
    documents = {"EPUB/nav.xhtml": _render(environment, "nav.xhtml.j2", book=book, root="")}
    for chapter in book.chapters:
        documents[f"EPUB/{chapter.href}"] = _render(
            environment, "section.xhtml.j2", book=book, chapter=chapter, root="../"
        )
    trees = []
    for name, data in documents.items():
        template = "nav.xhtml.j2" if name.endswith("nav.xhtml") else "section.xhtml.j2"
        trees.append(_checked(name, data, template))
    extra = project_stylesheet(project_templates, f"epub/{EXTRA_CSS}")
    # Checked before the fonts are planned: with an extra stylesheet they are embedded whole (slow).
    check_stylesheet("EPUB/css/book.css", "epub/book.css.j2 (and extra.css)", extra)
    exact = "book.css.j2" not in overridden and EXTRA_CSS not in overridden
    planned = plan_fonts(styled_characters(trees), find_faces(), exact=exact)
    fonts = tuple(embed_font(face, characters) for face, characters in planned)
    stylesheet = _render(environment, "book.css.j2", book=book, fonts=fonts)
    if extra:
        stylesheet += f"\n/* {EXTRA_CSS} */\n{extra}".encode()
    check_stylesheet("EPUB/css/book.css", "epub/book.css.j2 (and extra.css)", stylesheet.decode())
    package = _render(environment, "package.opf.j2", book=book, fonts=fonts)
    _checked("EPUB/package.opf", package, "package.opf.j2")
    _checked("META-INF/container.xml", container, "container.xml.j2")
    files: dict[str, bytes] = {
        "META-INF/container.xml": container,
        "EPUB/package.opf": package,
        "EPUB/css/book.css": stylesheet,
        **documents,
    }
    for font in fonts:
        files[f"EPUB/{font.href}"] = font.data
    for figure in view.figures:
        if figure.file is not None:
            files[f"EPUB/{figure.href}"] = figure.file.read_bytes()
    return zip_epub(files, zip_time(job))


def _overridden(folder: Path) -> list[str]:
    """The theme's EPUB files the project replaces or adds to; old names are an error."""
    for name in TEMPLATES:
        old = folder / name.removesuffix(".j2")
        if old.is_file():
            raise WarraqError(f"{old}: EPUB templates end in .j2 now; rename it to {name}")
    names = [name for name in TEMPLATES if (folder / name).is_file()]
    return names + ([EXTRA_CSS] if (folder / EXTRA_CSS).is_file() else [])


def _render(environment: jinja2.Environment, name: str, **context: object) -> bytes:
    return render_template(environment, f"epub/{name}", context).encode("utf-8")


def _checked(name: str, data: bytes, template: str) -> ET.Element:
    """``data`` parsed and free of outside references; malformed XML is an error naming it."""
    try:
        tree = ET.fromstring(data)
    except ET.ParseError as error:
        raise WarraqError(
            f"{name}: the template epub/{template} produced malformed XML ({error}); "
            f"fix templates/epub/{template} or remove it to use the theme's"
        ) from None
    check_references(name, f"epub/{template}", tree)
    return tree
