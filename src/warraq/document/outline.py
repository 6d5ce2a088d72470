"""A readable outline of a structured document, for ``warraq structure``."""

from __future__ import annotations

from warraq.document.model import Document, Heading, ListBlock, Paragraph, Quote, TextBlock


def _count(blocks: list[TextBlock], kind: type) -> int:
    return sum(1 for block in blocks if isinstance(block, kind))


def outline(document: Document) -> str:
    """Headings with the paragraphs and segments under each, totals, and what was left out."""
    meta = document.meta
    lines = [f"{meta.source}  (language {meta.language}, {meta.markup})"]
    lines.append(f"title: {meta.title.text if meta.title else '(none)'}")
    if meta.author:
        lines.append(f"author: {meta.author}")
    lines.append("")

    sections: list[tuple[Heading | None, list[TextBlock]]] = [(None, [])]
    for block in document.text_blocks():
        if isinstance(block, Heading):
            sections.append((block, []))
        else:
            sections[-1][1].append(block)
    for heading, body in sections:
        if heading is None and not body:
            continue
        paragraphs = _count(body, Paragraph)
        segments = sum(len(block.segments) for block in body)
        extra = f", {len(body) - paragraphs} list items" if len(body) > paragraphs else ""
        counts = f"{paragraphs} paragraphs{extra}, {segments} segments"
        if heading is None:
            lines.append(f"(before the first heading)  {counts}")
        else:
            indent = "  " * (heading.level - 1)
            lines.append(f"{indent}{'#' * heading.level} {heading.text}  [line {heading.line}]")
            lines.append(f"{indent}    {counts}")

    all_blocks = list(document.text_blocks())
    lists = sum(1 for b in document.blocks if isinstance(b, ListBlock))
    quotes = sum(1 for b in document.blocks if isinstance(b, Quote))
    lines.append("")
    lines.append(
        f"{_count(all_blocks, Heading)} headings, {_count(all_blocks, Paragraph)} paragraphs, "
        f"{lists} lists, {quotes} quotes, {sum(1 for _ in document.segments())} segments"
    )
    figures = sum(1 for _ in document.figures())
    if document.notes or figures:
        note_paragraphs = sum(1 for note in document.notes for _ in note.text_blocks())
        lines.append(
            f"{len(document.notes)} notes ({note_paragraphs} paragraphs), {figures} figures"
        )
    if document.omitted:
        lines.append("")
        lines.append(f"left out ({len(document.omitted)}):")
        for omission in document.omitted:
            lines.append(f"  line {omission.line}: {omission.text!r}: {omission.reason}")
    else:
        lines.append("nothing left out")
    return "\n".join(lines) + "\n"
