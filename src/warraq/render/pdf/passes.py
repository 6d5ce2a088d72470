"""Layout passes: which pairs may split, and pairs moved whole when their columns start apart."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from warraq.config import length_mm
from warraq.render.pdf.geometry import PageGeometry
from warraq.render.pdf.typesizes import body_chars_per_mm
from warraq.render.view import EditionView

# A pair splits only when each column has orphans + widows lines (3 + 2 Arabic,
# 4 + 2 translated), one more for the estimate's error.
_SPLITTABLE_LINES = {"rtl": 6, "ltr": 7}


def short_rows(view: EditionView, geometry: PageGeometry) -> frozenset[str]:
    """Ids of the pairs too short to split across pages: they move whole instead.

    Line counts are estimated from text lengths; a wrong guess only costs a
    second layout pass (see :func:`rows_started_unlevel`).
    """
    text_width = length_mm(geometry.width) - length_mm(geometry.inner) - length_mm(geometry.outer)
    column = text_width / 2 - 3.5
    short = set()
    for row in view.rows:
        if row.kind == "heading":
            continue
        for side in (row.source, row.target):
            per_line = max(column * body_chars_per_mm(side.direction), 1)
            if len(side.text) / per_line < _SPLITTABLE_LINES[side.direction]:
                short.add(row.id)
    return frozenset(short)


MAX_LAYOUT_PASSES = 4
"""Layouts tried while moving pairs whose columns would start on different pages."""


def forced_breaks_css(row_ids: Sequence[str]) -> str:
    """A stylesheet starting each of ``row_ids`` on a new page."""
    selectors = ", ".join(f'tr[id="{row_id}"]' for row_id in row_ids)
    return f"{selectors} {{ break-inside: avoid; break-before: page; }}"


def rows_started_unlevel(document: Any) -> list[str]:
    """Ids of table rows whose first fragment shows one column and not the other.

    Each column of a pair breaks on its own (orphans and widows count lines,
    and the columns' lines differ in height), so at the foot of a page one
    column may start a pair while the other begins on the next page. Those
    pairs are moved whole to the next page.
    """
    seen: set[str] = set()
    late: list[str] = []
    for page in document.pages:
        for row in _row_boxes(page._page_box):
            row_id = row.element.get("id")
            if not row_id or row_id in seen:
                continue
            seen.add(row_id)
            cells = [cell for cell in row.children if cell.element is not None]
            written = ["".join(cell.element.itertext()).strip() != "" for cell in cells]
            shown = [bool(cell.children) for cell in cells]
            if any(shown) and any(w and not s for w, s in zip(written, shown, strict=True)):
                late.append(row_id)
    return late


def outermost_boxes(box: Any, matches: Callable[[Any], bool]) -> Iterator[Any]:
    """The boxes under ``box`` (itself included) that ``matches``, not looking inside them."""
    if matches(box):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from outermost_boxes(child, matches)


def _row_boxes(box: Any) -> Iterator[Any]:
    return outermost_boxes(box, lambda b: getattr(b, "element_tag", None) == "tr")
