"""Render: turn a document and its translation into an edition's bytes (PDF, EPUB)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from warraq.render.job import EditionJob

Renderer = Callable[[EditionJob], bytes]
"""``renderer(job) -> bytes``: the whole output file, written atomically by the caller."""


def _render_pdf(job: EditionJob) -> bytes:
    if job.edition.layout in PDF_LAYOUTS:
        return PDF_LAYOUTS[job.edition.layout](job)
    from warraq.render.pdf import render_pdf  # imported on use: WeasyPrint is slow to import

    return render_pdf(job)


def _render_facing(job: EditionJob) -> bytes:
    from warraq.render.facing import render_facing_pdf

    return render_facing_pdf(job)


PDF_LAYOUTS: dict[str, Renderer] = {
    "facing-pages": _render_facing,
}
"""PDF layouts with their own renderer; the others are ``warraq.render.pdf``'s."""


def _render_epub(job: EditionJob) -> bytes:
    from warraq.render.epub import render_epub  # imported on use, like the PDF renderer

    return render_epub(job)


RENDERERS: dict[str, Renderer] = {"pdf": _render_pdf, "epub": _render_epub}

PRELOAD: dict[str, tuple[str, ...]] = {
    "pdf": ("weasyprint", "warraq.render.pdf", "warraq.render.facing"),
    "epub": ("warraq.render.epub",),
}
"""Modules a format's renderer imports, loaded once before editions render in
parallel so that the worker processes share them instead of each importing them."""


def preload(formats: set[str]) -> None:
    """Import the modules the renderers of ``formats`` need."""
    for fmt in sorted(formats):
        for module in PRELOAD.get(fmt, ()):
            importlib.import_module(module)
