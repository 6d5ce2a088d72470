"""Render: turn a document and its translation into an edition's bytes (PDF, EPUB)."""

from __future__ import annotations

from collections.abc import Callable

from warraq.render.epub import render_epub
from warraq.render.job import EditionJob

Renderer = Callable[[EditionJob], bytes]
"""``renderer(job) -> bytes``: the whole output file, written atomically by the caller."""

RENDERERS: dict[str, Renderer] = {"epub": render_epub}
