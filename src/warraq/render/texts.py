"""What an edition prints: every text of its pages, with where each comes from.

One answer for the checks that need it: the glyph check before rendering (can
the fonts draw it?) and the output verification after (is it in the file?).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from warraq.catalogs import catalog_path
from warraq.catalogs.paths import notes_path
from warraq.document.inline import plain_text
from warraq.render.job import EditionJob
from warraq.render.typography import apply_conventions
from warraq.render.view import job_view
from warraq.render.words import word


@dataclass(frozen=True, slots=True)
class PrintedText:
    """One text an edition prints: where it comes from, the segment it renders, the text."""

    where: str  # the file and place a person would fix: "seeds/x.txt line 3 (p-1.1)"
    segment_id: str  # "" for the edition's own furniture (title page, labels)
    source: str  # the segment's source text ("" for furniture)
    text: str  # as printed: plain text, the translation with its typographic conventions
    is_translation: bool


def segment_texts(job: EditionJob) -> Iterator[PrintedText]:
    """The source (when the layout prints it) and translation of every segment of ``job``."""
    project, config, document = job.project, job.document_config, job.document
    markup = document.meta.markup
    catalog_name = str(project.shown(catalog_path(project, config.name, job.language)))
    for segment, line, what in document.located_segments():
        if what in ("title", "image alt"):
            continue  # the title page is edition_texts'; alt text is not printed on the page
        if job.edition.bilingual:
            yield PrintedText(
                f"{config.source} line {line} ({segment.id}{_kind(what)})",
                segment.id,
                segment.text,
                plain_text(segment.text, markup),
                False,
            )
        rendering = job.translation.lookup(segment.text)
        if rendering.text:
            yield PrintedText(
                f"{catalog_name} ({segment.id}{_kind(what)})",
                segment.id,
                segment.text,
                plain_text(apply_conventions(rendering.text, job.language), markup),
                True,
            )
    notes_file = notes_path(project, config.name, job.language)
    for note in job.translation.notes:
        for block in note.text_blocks():
            for segment in block.segments:
                yield PrintedText(
                    f"{notes_file.name} line {block.line} (translator's note [^{note.label}])",
                    segment.id,
                    "",
                    plain_text(apply_conventions(segment.text, job.language), markup),
                    True,
                )


def _kind(what: str) -> str:
    return f", {what}" if what in ("footnote", "caption") else ""


def edition_texts(job: EditionJob) -> Iterator[tuple[str, str]]:
    """Every text ``job``'s edition prints, as ``(where, text)``: where names the file and place."""
    view = job_view(job)
    source, target = job.document.meta.language, job.language
    yield "the title page (title)", view.title[0].text + view.title[1].text
    if view.author:
        yield "the title page (author)", view.author[0] + view.author[1]
    yield "the title page (date)", view.date[0] + view.date[1]
    for key in ("contents", "draft", "missing", "bilingual", "translated"):
        for language in (source, target):
            yield "the edition's headings", word(key, language, source=source, target=target)
    for printed in segment_texts(job):
        yield printed.where, printed.text
