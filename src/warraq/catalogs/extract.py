"""Extracting: a document's gettext template, one entry per distinct sentence, in reading order."""

from __future__ import annotations

from collections.abc import Iterable

from warraq.catalogs.pofile import PoCatalog, reference, render_po
from warraq.document.model import Document, Segment
from warraq.util.clock import now, po_date

TITLE_NOTE = "title of the document"
HEADING_NOTE = "heading"
ITEM_NOTE = "list item"
FOOTNOTE_NOTE = "footnote"
ALT_NOTE = "image alt"
CAPTION_NOTE = "caption"
_NOTES = {
    "title": TITLE_NOTE,
    "heading": HEADING_NOTE,
    "list item": ITEM_NOTE,
    "footnote": FOOTNOTE_NOTE,
    "image alt": ALT_NOTE,
    "caption": CAPTION_NOTE,
}
"""The automatic comment that tells the translator what an entry is, by where it stands."""


def extract_template(
    document: Document,
    name: str,
    source_language: str,
    *,
    segments: Iterable[Segment] | None = None,
) -> PoCatalog:
    """The template of ``document``: one entry per distinct segment text, in reading order.

    Each entry lists where the sentence occurs (``<name>:<segment id>``) and
    notes for the translator whether it is the title, a heading, a list item, a
    footnote, an image's alt text or a caption.
    With ``segments`` (see :func:`~warraq.catalogs.entries.template_segments`),
    only those segments are entries.
    """
    keep = {segment.id for segment in segments} if segments is not None else None
    template = PoCatalog()
    template.header_comments = [
        f'Source text of the warraq document "{name}",',
        f"from {document.meta.source}: one entry per sentence.",
        "Written by `warraq translate`; edit the source, not this file.",
    ]
    template.header_fuzzy = True
    template.header_fields = [
        ("Project-Id-Version", name),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", po_date(now())),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("Language", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Source-Language", source_language),
    ]
    for segment, _line, what in document.located_segments():
        if keep is not None and segment.id not in keep:
            continue
        _add_occurrence(template, name, segment.id, segment.text, _NOTES.get(what))
    return template


def _add_occurrence(
    template: PoCatalog, name: str, segment_id: str, text: str, note: str | None
) -> None:
    message = template.get(text)
    if message is None:
        message = template.add(text, "")
    message.locations.append(reference(f"{name}:{segment_id}"))
    if note and note not in message.auto_comments:
        message.auto_comments.append(note)


def settle_template(template: PoCatalog, previous: PoCatalog | None) -> bool:
    """Keep the previous template's creation date when nothing in it changed.

    Returns whether the template changed.
    """
    if previous is not None and render_po(previous, header=False) == render_po(
        template, header=False
    ):
        created = previous.header("POT-Creation-Date")
        if created:
            template.set_header("POT-Creation-Date", created)
        return False
    return True
