"""Render: turn a document and its translation into an edition's bytes (PDF, EPUB)."""

from __future__ import annotations

from collections.abc import Callable

from warraq.render.job import EditionJob

Renderer = Callable[[EditionJob], bytes]
"""``renderer(job) -> bytes``: the whole output file, written atomically by the caller."""


def _render_pdf(job: EditionJob) -> bytes:
    from warraq.render.pdf import render_pdf  # imported on use: WeasyPrint is slow to import

    return render_pdf(job)


RENDERERS: dict[str, Renderer] = {"pdf": _render_pdf}
