"""Facing-page editions: the source on one page, its translation on the page opposite, in step.

CSS has one flow, so two flows kept in step are planned here, the way
reledpar does it in TeX: every passage (heading, paragraph, list item) is laid
out once per language at the page's measure (one WeasyPrint layout of all the
passages of both languages, each language on its own tall page), the height
of each passage and of each of its sentences' lines is read from the boxes,
and the spreads are packed from those heights. A passage that does not fit
continues on the next spread on both pages, split after the same sentence
(the split pieces are laid out again to know their exact heights); a heading
starts level on both pages (the shorter side is padded above it) and is never
left at the foot of a spread. The pages are then typeset once, each page its
own block; a page that still overflows has its spread packed tighter and the
book is typeset again.

A layout's memory grows with its pages, so the planned pages are typeset in
parts (:data:`PART_PAGES`), each a WeasyPrint document of its own, and joined
by :func:`warraq.render.pdf.chunks.assemble`: the front matter alone, its
contents numbered from the plan (the text starts on the verso after it), then
runs of whole spreads, each after a throw-away lead page that sets the running
heads and bookmarks it continues and numbered from the page the plan gives
it. The variants (PDF/A, PDF/UA, PDF/X) are typeset as one document.

Each segment is a span with the id ``<language>-<segment id>``; WeasyPrint
makes every id a named destination, so the PDF itself says which segments
each page holds (``pdfinfo -dests``), which is what the tests and ``warraq
check --outputs`` verify.
"""

from __future__ import annotations

import dataclasses
import gc
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from warraq.config import length_mm
from warraq.document.structure import figure_path
from warraq.document.text import text_direction
from warraq.errors import WarraqError
from warraq.render.fonts import find_faces
from warraq.render.job import EditionJob
from warraq.render.pdf import (
    css_string,
    font_faces,
    page_geometry,
    shorten,
    template_context,
)
from warraq.render.pdf.chunks import assemble, cut, guess_front_pages, subset_glyphs
from warraq.render.pdf.geometry import running_head_chars, text_width_mm
from warraq.render.pdf.renderer import pdf_fetcher
from warraq.render.pdfx import finish_print, weasyprint_options
from warraq.render.tagging import write_pdf
from warraq.render.templates import template_environment
from warraq.render.view import EditionView, Row, Side, job_view, segment_sides
from warraq.render.words import word

HTML_TEMPLATE = "pdf/facing.html.j2"
CSS_TEMPLATE = "pdf/facing.css.j2"
SIDES = ("source", "target")
PX_PER_MM = 96 / 25.4  # WeasyPrint's boxes are measured in CSS pixels
MAX_MEASURE_PASSES = 6
"""Layouts of split pieces tried while packing (each settles the pieces the last chose)."""
MAX_RENDER_PASSES = 3
"""Typesettings tried while a page overflows (each packs the overflowing spreads tighter)."""
PART_PAGES = 96
"""Pages of text typeset as one document at most (an even number: whole spreads). A
layout's memory grows with its pages (benchmarks/README.md, part 8)."""
_TIGHTEN_PX = 20.0  # how much less room a spread gets after it overflowed
# Room left at the foot of every page: WeasyPrint places the last lines of a
# page's last passage as if its bottom padding (2.6mm in the theme, ~9.8px)
# came after them twice, so a page planned fuller than that loses its last
# lines to the next page; 1px more for rounding.
_SLACK_PX = 11.0


@dataclass(frozen=True, slots=True)
class Unit:
    """A passage to place: the opening title (``row`` None) or a row of the view."""

    row: Row | None
    segments: tuple[tuple[str, Side, Side], ...]  # (segment id, source side, target side)
    kind: str
    notes: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()  # each segment's, per side

    def note_ids(self, side: int, start: int, end: int) -> tuple[str, ...]:
        """The notes called in segments ``start`` to ``end`` on ``side`` (0 source, 1 target)."""
        return tuple(note for pair in self.notes[start:end] for note in pair[side])

    @property
    def heading(self) -> bool:
        """Headings (and the opening title) start level and are kept with what follows."""
        return self.kind in ("heading", "opening")


@dataclass(frozen=True, slots=True)
class Placed:
    """A piece of a passage on a spread: segments ``start`` to ``end``, and the padding above."""

    unit: int
    start: int
    end: int
    pad: tuple[float, float] = (0.0, 0.0)  # source, target, in px


@dataclass(slots=True)
class Lines:
    """One passage as measured on one side: its height and where each segment's lines are."""

    height: float
    top: float  # padding above the first line
    bottom: float  # padding below the last line
    lines: list[tuple[float, float]] = field(default_factory=list)  # each line's top, bottom
    segments: list[tuple[int, int]] = field(default_factory=list)  # each segment's first, last line

    def estimate(self, start: int, end: int) -> float:
        """The height of segments ``start`` to ``end`` set on their own, from the whole's lines."""
        if (start, end) == (0, len(self.segments)) or not self.lines:
            return self.height
        first = self.segments[start][0]
        last = self.segments[end - 1][1]
        return self.top + self.lines[last][1] - self.lines[first][0] + self.bottom


Key = tuple[int, int, int, int]  # side (0 source, 1 target), unit, start, end


class Heights:
    """Piece heights: exact for what was laid out, estimated from lines for the rest."""

    def __init__(self, whole: dict[tuple[int, int], Lines]) -> None:
        self.whole = whole
        self.exact: dict[Key, float] = {}
        self.estimated: set[Key] = set()

    def __call__(self, side: int, unit: int, start: int, end: int) -> float:
        key = (side, unit, start, end)
        if key in self.exact:
            return self.exact[key]
        lines = self.whole[(side, unit)]
        if (start, end) == (0, len(lines.segments)):
            return lines.height
        self.estimated.add(key)
        return lines.estimate(start, end)


def pack(
    units: tuple[Unit, ...],
    height: Callable[[int, int, int, int], float],
    capacity: float,
    tighter: dict[int, float] | None = None,
    notes: Callable[[int, int, int, int], float] | None = None,
    note_room: float = 0.0,
) -> list[list[Placed]]:
    """Spreads of placed pieces, every page at most ``capacity`` px (less ``tighter[spread]``).

    Greedy: a passage goes whole onto the spread when both its sides fit;
    else it is split after the last sentence at which both sides still fit,
    and continues at the top of the next spread; a passage with not one
    sentence fitting moves whole. A heading starts level on both pages and is
    carried to the next spread rather than left last on one. A sentence taller
    than a page is set alone on its spread (it overflows).

    ``notes`` gives the height of the footnotes a piece calls (same arguments
    as ``height``): they take room at the foot of the piece's page, and the
    first notes of a page ``note_room`` more (the footnote area's rule and
    spacing), so a passage is split or moved rather than a note deferred.
    """
    tighter = tighter or {}
    spreads: list[list[Placed]] = []
    current: list[Placed] = []
    used = [0.0, 0.0]
    foot = [0.0, 0.0]  # the notes at the foot of each page
    index, start = 0, 0

    def feet(side: int, unit: int, first: int, end: int) -> float:
        extra = notes(side, unit, first, end) if notes is not None else 0.0
        if extra and not foot[side]:
            extra += note_room
        return foot[side] + extra

    def fits(first: int, end: int, tops: list[float]) -> bool:
        return all(
            tops[side] + height(side, index, first, end) + feet(side, index, first, end) <= room()
            for side in (0, 1)
        )

    def room() -> float:
        return capacity - _SLACK_PX - tighter.get(len(spreads), 0.0)

    def close() -> None:
        nonlocal current, used, foot, index, start
        trailing = 0
        while trailing < len(current) and units[current[-1 - trailing].unit].heading:
            trailing += 1
        if 0 < trailing < len(current):
            index, start = current[-trailing].unit, 0
            current = current[:-trailing]
        spreads.append(current)
        current, used, foot = [], [0.0, 0.0], [0.0, 0.0]

    while index < len(units):
        unit = units[index]
        count = len(unit.segments) or 1
        if unit.heading:
            top = max(used) if current else 0.0
            sizes = [height(side, index, 0, count) for side in (0, 1)]
            if current and not fits(0, count, [top, top]):
                close()
                continue
            current.append(Placed(index, 0, count, (top - used[0], top - used[1])))
            foot = [feet(side, index, 0, count) for side in (0, 1)]
            used = [top + sizes[0], top + sizes[1]]
            index += 1
            continue
        sizes = [height(side, index, start, count) for side in (0, 1)]
        if fits(start, count, used):
            current.append(Placed(index, start, count))
            foot = [feet(side, index, start, count) for side in (0, 1)]
            used = [used[0] + sizes[0], used[1] + sizes[1]]
            index, start = index + 1, 0
            continue
        # A figure is never split (its alt text and caption are one piece).
        split = next(
            (end for end in range(count - 1, start, -1) if fits(start, end, used)),
            None,
        )
        if unit.kind == "figure":
            split = None
        if split is not None:
            current.append(Placed(index, start, split))
            start = split
            close()
        elif not current:
            # One sentence taller than a page: set it alone, it overflows.
            current.append(Placed(index, start, start + 1))
            start += 1
            if start >= count:
                index, start = index + 1, 0
            close()
        else:
            close()
    if current:
        spreads.append(current)
    return spreads


def edition_units(view: EditionView, job: EditionJob) -> tuple[Unit, ...]:
    """The opening title, then every row of the view with its segments' sides."""
    sides = segment_sides(job)
    title = view.title
    target_title = view.target_title or _blank(title[1])
    units = [Unit(None, (("", title[0], target_title),), "opening")]
    for row in view.rows:
        segments = tuple((sid, sides[sid].source, sides[sid].target) for sid in row.segment_ids)
        notes = tuple(sides[sid].notes for sid in row.segment_ids)
        if not segments:
            segments = (("", row.source, row.target),)
            notes = (((), ()),)
        units.append(Unit(row, segments, row.kind, notes))
    return tuple(units)


def _blank(side: Side) -> Side:
    return Side(side.language, side.direction, Markup(""), "")


@dataclass(frozen=True, slots=True)
class SegmentHTML:
    """One segment in a piece: its anchor id (empty when measuring), index and HTML."""

    anchor: str
    index: int
    html: Markup


@dataclass(frozen=True, slots=True)
class PieceHTML:
    """What the template writes for one piece on one page."""

    tag: str
    classes: str
    side: Side
    segments: tuple[SegmentHTML, ...]
    marker: str = ""
    pad: float = 0.0
    key: str = ""
    bookmark: str = ""
    head: str = ""
    pair: str = ""  # the same on both pages: the tagged PDF reads the two pieces in a row
    groups: str = ""  # the quotation, list and list item it is in (see warraq.render.tagging)
    image: str = ""  # a figure: its file's URI (its caption is the second segment)
    alt: str = ""


@dataclass(frozen=True, slots=True)
class PageHTML:
    """One page of the text: which side, which hand, its pieces."""

    side: str
    hand: str
    language: str
    direction: str
    pieces: tuple[PieceHTML, ...]
    opening: bool = False
    index: int = 0  # in the text, from 0 (``data-page``)


def piece_html(
    units: tuple[Unit, ...],
    placed: Placed,
    side: int,
    head_chars: dict[str, int],
    *,
    measuring: bool = False,
) -> PieceHTML:
    """The markup of one piece on the source (``side`` 0) or target (1) page."""
    unit = units[placed.unit]
    row = unit.row
    name = SIDES[side]
    chosen = unit.segments[placed.start : placed.end]
    sides = [(sid, source if side == 0 else target) for sid, source, target in chosen]
    whole_side: Side = (row.source if side == 0 else row.target) if row else sides[0][1]
    segments = tuple(
        SegmentHTML(
            "" if measuring or not sid else f"{this.language}-{sid}",
            placed.start + offset,
            this.html,
        )
        for offset, (sid, this) in enumerate(sides)
    )
    classes = ["passage", unit.kind]
    if row is not None:
        if row.kind == "heading":
            classes.append(f"level-{row.level}")
        if row.quote:
            classes.append("quote")
        classes.append(f"status-{row.status}")
    if placed.end < len(unit.segments) and unit.kind != "heading":
        classes.append("continues")
    if placed.start > 0:
        classes.append("continued")
    tag = "div"
    bookmark = head = ""
    if unit.kind == "opening":
        tag = "h1"
        head = shorten(whole_side.text, head_chars[name]) if whole_side.text else ""
    elif row is not None and row.kind == "heading":
        tag = f"h{min(row.level + 1, 6)}"
        if not row.quote and placed.start == 0:
            if side == 1:
                bookmark = f"{row.target.text} — {row.source.text}"
            if row.level == 1:
                head = shorten(whole_side.text, head_chars[name])
    elif row is not None and row.figure is not None:
        tag = "figure"
    elif row is not None:
        tag = "p"
    marker = ""
    if row is not None and row.marker and placed.start == 0:
        marker = row.marker[side]
    groups = []
    if row is not None:
        groups += ["blockquote"] if row.quote else []
        groups += [f"list:{row.list_id}", f"item:{placed.unit}"] if row.list_id else []
    return PieceHTML(
        tag=tag,
        classes=" ".join(classes),
        side=whole_side,
        segments=segments,
        marker=marker,
        pad=placed.pad[side],
        key=f"{side}:{placed.unit}:{placed.start}:{placed.end}" if measuring else "",
        bookmark=bookmark if not measuring else "",
        head=head if not measuring else "",
        pair="" if measuring else f"{placed.unit}:{placed.start}",
        groups="" if measuring else " ".join(groups),
        image=row.figure.file.as_uri() if row and row.figure and row.figure.file else "",
        alt=row.figure.alt[side].text if row and row.figure else "",
    )


class FacingTypesetter:
    """Measures, packs and typesets one facing-pages edition."""

    def __init__(self, job: EditionJob) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.job = job
        self.view = job_view(job)
        self.units = edition_units(self.view, job)
        self.faces = font_faces(find_faces())
        self.templates = job.project.path(job.project.templates_dir).resolve()
        self.environment = template_environment(self.templates)
        self.environment.filters["css_string"] = css_string
        self.environment.filters["shorten"] = shorten
        self.font_config = FontConfiguration()
        self.context = facing_context(job, self.view, self.faces)
        geometry = page_geometry(job)
        self.capacity = float(geometry.content_height.removesuffix("mm")) * PX_PER_MM
        self.options: dict[str, Any] = {"pdf_variant": job.pdf_variant, "pdf_identifier": True}
        self.options |= weasyprint_options(job.pdf_variant)  # PDF/X: see warraq.render.pdfx
        self.refused: list[str] = []
        self.images = tuple(
            figure_path(job.project, job.document_config, figure)
            for figure in job.document.figures()
        )
        self.note_heights: dict[str, float] = {}  # each note's footnotes, by note id
        self.note_room = 0.0  # a footnote area's rule and spacing, above its notes
        self.note_pages: dict[str, int] = {}  # the page (from 0, in the text) of each note
        # Which page holds the source, and which page of a spread is read first.
        self.rtl_binding = _binding(job, self.view) == "rtl"
        self.source_hand = job.edition.source_page

    # Layout -----------------------------------------------------------------

    def _layout(self, html: str, css: str = "") -> Any:
        from weasyprint import CSS, HTML

        fetcher = pdf_fetcher(self.templates, self.images)
        base = (self.templates / "pdf").resolve().as_uri() + "/"
        sheets = [CSS(string=css, font_config=self.font_config)] if css else []
        document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=self.font_config, **self.options
        )
        self.refused.extend(fetcher.refused)
        return document

    def _html(
        self,
        pages: list[PageHTML],
        *,
        measure: bool,
        front: bool = True,
        lead: list[PageHTML] | None = None,
    ) -> str:
        context = {**self.context, "pages": pages, "measure": measure, "front": front}
        context["lead"] = lead
        css = _render_template(self.environment, CSS_TEMPLATE, context)
        return _render_template(
            self.environment, HTML_TEMPLATE, {**context, "stylesheet": Markup(css)}
        )

    def measure(self, pieces: list[Key]) -> dict[Key, Lines]:
        """Lay out ``pieces`` (side, unit, start, end) on tall pages; their measurements."""
        pages = []
        for side in (0, 1):
            chosen = [
                piece_html(
                    self.units, Placed(u, s, e), side, self.context["head_chars"], measuring=True
                )
                for (sd, u, s, e) in pieces
                if sd == side
            ]
            if chosen:
                pages.append(self._page(side, "right", tuple(chosen)))
        document = self._layout(self._html(pages, measure=True))
        found: dict[Key, Lines] = {}
        notes: dict[str, float] = {}
        for page in document.pages:
            for box in _descendants(page._page_box):
                element = getattr(box, "element", None)
                if element is None or getattr(box, "element_tag", "") == "span":
                    continue
                key = element.get("data-m")
                if not key or not hasattr(box, "border_height") or box.is_for_root_element:
                    continue
                parsed = tuple(int(part) for part in key.split(":"))
                if parsed in found or type(box).__name__ not in ("BlockBox",):
                    continue
                found[parsed] = _lines(box, parsed[3] - parsed[2])  # type: ignore[index]
            self._measure_notes(page._page_box, notes)
        for note, size in notes.items():
            self.note_heights.setdefault(note, size)
        del document
        gc.collect()
        return found

    def _measure_notes(self, page_box: Any, notes: dict[str, float]) -> None:
        """Add each note's height in the footnote area of a measuring page to ``notes``;
        note the area's own (its rule and spacing)."""
        for area in page_box.children:
            if type(area).__name__ != "FootnoteAreaBox" or not area.children:
                continue
            total = 0.0
            for footnote in area.children:
                element = getattr(footnote, "element", None)
                note = element.get("data-note") if element is not None else None
                size = footnote.margin_height()
                total += size
                if note:
                    notes[note] = notes.get(note, 0.0) + size
            self.note_room = max(self.note_room, area.margin_height() - total)

    def note_height(self, side: int, unit: int, start: int, end: int) -> float:
        """The height of the footnotes that segments ``start`` to ``end`` call on ``side``."""
        ids = self.units[unit].note_ids(side, start, end) if self.units[unit].notes else ()
        return sum(self.note_heights.get(note, 0.0) for note in ids)

    def _page(
        self,
        side: int,
        hand: str,
        pieces: tuple[PieceHTML, ...],
        *,
        opening: bool = False,
        index: int = 0,
    ) -> PageHTML:
        language = self.view.source_language if side == 0 else self.view.target_language
        direction = text_direction(language)
        return PageHTML(SIDES[side], hand, language, direction, pieces, opening, index)

    # Packing ----------------------------------------------------------------

    def plan(self, tighter: dict[int, float]) -> list[list[Placed]]:
        """Spreads whose every piece's height is a measured one."""
        heights = self.heights
        for _ in range(MAX_MEASURE_PASSES):
            heights.estimated = set()
            spreads = pack(
                self.units, heights, self.capacity, tighter, self.note_height, self.note_room
            )
            used = {
                (side, p.unit, p.start, p.end)
                for spread in spreads
                for p in spread
                for side in (0, 1)
            }
            missing = sorted(key for key in used if key in heights.estimated)
            if not missing:
                return spreads
            # Measure the pieces chosen and their neighbours one sentence shorter.
            wanted = set(missing)
            for side, unit, start, end in missing:
                if end - 1 > start:
                    wanted.add((side, unit, start, end - 1))
            wanted -= set(heights.exact)
            for key, lines in self.measure(sorted(wanted)).items():
                heights.exact[key] = lines.height
        return pack(self.units, heights, self.capacity, tighter, self.note_height, self.note_room)

    def pages(self, spreads: list[list[Placed]]) -> list[PageHTML]:
        """The pages in reading order: each spread's first-read page, then the other."""
        source_right = self.source_hand == "right"
        order = (0, 1) if source_read_first(self.job) else (1, 0)
        pages: list[PageHTML] = []
        self.note_pages = {}
        for number, spread in enumerate(spreads):
            by_side = [
                tuple(piece_html(self.units, p, side, self.context["head_chars"]) for p in spread)
                for side in (0, 1)
            ]
            hands = {0: "right" if source_right else "left", 1: "left" if source_right else "right"}
            for side in order:
                for placed in spread:
                    for note in self.units[placed.unit].note_ids(side, placed.start, placed.end):
                        self.note_pages[note] = len(pages)
                page = self._page(
                    side, hands[side], by_side[side], opening=number == 0, index=len(pages)
                )
                pages.append(page)
        return pages

    def render(self, *, parts: bool = True) -> bytes:
        """The edition's PDF: measured, packed, then typeset until no page overflows, in
        parts of :data:`PART_PAGES` pages, or as one document (``parts`` false, and
        always for the PDF variants, which are validated on a whole-book file)."""
        whole_keys = [
            (side, index, 0, len(unit.segments))
            for index, unit in enumerate(self.units)
            for side in (0, 1)
        ]
        measured = self.measure(whole_keys)
        self.heights = Heights({(k[0], k[1]): v for k, v in measured.items()})
        for key, lines in measured.items():
            self.heights.exact[key] = lines.height
        if not parts or self.job.pdf_variant is not None:
            return self._render_whole()
        tighter: dict[int, float] = {}
        for _ in range(MAX_RENDER_PASSES):
            spreads = self.plan(tighter)
            pages = self.pages(spreads)
            front, first = self._front(pages)
            typeset: list[tuple[bytes, int]] = []
            overflowing: set[int] = set()
            for start in range(0, len(pages), PART_PAGES):
                part, lead, over = self._part(spreads, pages, start, first)
                typeset.append((part, lead))
                overflowing.update(over)
            if not overflowing:
                break
            for spread in overflowing:
                tighter[spread] = tighter.get(spread, 0.0) + _TIGHTEN_PX
        self._check_fetches()
        return assemble(front, typeset, subset_glyphs, recto=False)

    def _render_whole(self) -> bytes:
        """The edition's PDF typeset as one document (the tagged and PDF/A variants)."""
        tighter: dict[int, float] = {}
        document: Any = None
        for _ in range(MAX_RENDER_PASSES):
            spreads = self.plan(tighter)
            document = None
            gc.collect()
            document = self._layout(self._html(self.pages(spreads), measure=False))
            overflowing = overflowing_spreads(document, self.note_pages)
            if not overflowing:
                break
            for spread in overflowing:
                tighter[spread] = tighter.get(spread, 0.0) + _TIGHTEN_PX
        gc.collect()
        self._check_fetches()
        return self._write(document)

    def _write(self, document: Any) -> bytes:
        finisher = _viewer_preferences(rtl=self.rtl_binding)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            return write_pdf(document, self.job, finisher=finisher, **self.options)

    def _check_fetches(self) -> None:
        if self.refused:
            raise WarraqError(
                f"{self.job.output.name}: the templates ask for "
                f"{', '.join(sorted(set(self.refused)))}; warraq fetches nothing from the "
                f"network and only files inside {self.templates} or its own theme"
            )

    # Parts ------------------------------------------------------------------

    def _front(self, pages: list[PageHTML]) -> tuple[bytes, int]:
        """The front matter as its own PDF, its contents numbered; the text's first page.

        The text starts on the first verso after the front matter, whose length
        is guessed from its contents entries, then typeset again if it was wrong.
        """
        book = cut(self._html([], measure=False))
        assert book is not None  # the template's <main> is the body's child
        where: dict[str, int] = {}
        for page in pages:
            for piece in page.pieces:
                for segment in piece.segments:
                    if segment.anchor:
                        where.setdefault(segment.anchor, page.index)
        count = guess_front_pages(len(self.view.sections))
        for _ in range(MAX_RENDER_PASSES):
            first = count + 2 - count % 2
            numbers = {anchor: first + index for anchor, index in where.items()}
            document = self._layout(book.front_html(numbers))
            count = len(document.pages)
            if count + 2 - count % 2 == first:
                return self._write(document), first
        raise RuntimeError(f"{self.job.output.name}: the front matter's length did not settle")

    def _part(
        self, spreads: list[list[Placed]], pages: list[PageHTML], start: int, first: int
    ) -> tuple[bytes, int, list[int]]:
        """Pages ``start`` to ``start + PART_PAGES`` of the text as a PDF after a lead page
        (numbered from ``first``, the text's first page): the PDF, its lead pages and the
        spreads that overflowed."""
        chosen = pages[start : start + PART_PAGES]
        opened = spreads[start // 2][0].unit if start else 0
        lead = [
            self._page(
                side, "right", tuple(self._lead_piece(unit, side) for unit in self._open(opened))
            )
            for side in (0, 1)
        ]
        html = self._html(chosen, measure=False, front=False, lead=lead)
        expected = 1
        for _ in range(2):
            gc.collect()
            css = f"@page :first {{ counter-reset: page {first + start - expected} }}"
            document = self._layout(html, css)
            lead_pages = next(
                number
                for number, page in enumerate(document.pages)
                if any(
                    getattr(box, "element", None) is not None
                    and box.element.get("data-page") is not None
                    for box in _descendants(page._page_box, stop="div")
                )
            )
            if lead_pages == expected:
                break
            expected = lead_pages
        overflowing = overflowing_spreads(document, self.note_pages)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            data: bytes = document.write_pdf(**self.options)
        return data, lead_pages, overflowing

    def _open(self, before: int) -> list[int]:
        """The opening title and the headings still open at unit ``before``, outermost first."""
        chain = [0]
        for index in range(1, before):
            row = self.units[index].row
            if row is None or row.kind != "heading" or row.quote:
                continue
            chain = [c for c in chain if c == 0 or _level(self.units[c]) < row.level] + [index]
        return chain

    def _lead_piece(self, unit: int, side: int) -> PieceHTML:
        """A heading as the lead page sets it: its running head and bookmark, no text."""
        placed = Placed(unit, 0, len(self.units[unit].segments))
        piece = piece_html(self.units, placed, side, self.context["head_chars"])
        return dataclasses.replace(piece, segments=(), pair="", groups="", marker="")


def _level(unit: Unit) -> int:
    return unit.row.level if unit.row is not None else 0


def overflowing_spreads(document: Any, note_pages: dict[str, int] | None = None) -> list[int]:
    """Spreads (counted from 0) one of whose pages ran onto another page, or one of
    whose notes (``note_pages``: the page each note belongs on) was set elsewhere."""
    seen: dict[str, int] = {}
    over: set[int] = set()
    for number, page in enumerate(document.pages):
        here: set[int] = set()
        for box in _descendants(page._page_box, stop="div"):
            element = getattr(box, "element", None)
            if element is None or element.get("data-page") is None:
                continue
            index = element.get("data-page")
            here.add(int(index))
            if index in seen and seen[index] != number:
                over.add(int(index) // 2)
            seen.setdefault(index, number)
        for area in page._page_box.children:
            if type(area).__name__ != "FootnoteAreaBox":
                continue
            for footnote in area.children:
                element = getattr(footnote, "element", None)
                note = element.get("data-note") if element is not None else None
                wanted = (note_pages or {}).get(note or "")
                if wanted is not None and wanted not in here:
                    over.add(wanted // 2)
    return sorted(over)


def _descendants(box: Any, stop: str | None = None) -> Iterator[Any]:
    yield box
    if stop is not None and getattr(box, "element_tag", None) == stop:
        return
    for child in getattr(box, "children", ()):
        yield from _descendants(child, stop)


def _lines(box: Any, count: int) -> Lines:
    """The measurement of a passage's block box: height, line extents, segments' lines."""
    top = box.border_box_y()
    height = box.border_height()
    content_top = box.content_box_y() - top
    content_bottom = height - content_top - box.height
    lines: list[tuple[float, float]] = []
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for child in box.children:
        if type(child).__name__ != "LineBox":
            continue
        number = len(lines)
        lines.append((child.position_y - top, child.position_y - top + child.margin_height()))
        for inner in _descendants(child):
            element = getattr(inner, "element", None)
            if element is None or element.get("data-seg") is None:
                continue
            seg = int(element.get("data-seg"))
            first.setdefault(seg, number)
            last[seg] = number
    segments = []
    known = sorted(first)
    for seg in known:
        segments.append((first[seg], last[seg]))
    while len(segments) < count:  # an empty segment (a draft's missing translation)
        segments.append(segments[-1] if segments else (0, 0))
    return Lines(height, content_top, content_bottom, lines, segments[:count] or [(0, 0)])


def _binding(job: EditionJob, view: EditionView) -> str:
    """``rtl`` when the book opens to the right (its primary language is written right to left)."""
    primary = (
        view.source_language if job.edition.primary_language == "source" else view.target_language
    )
    return text_direction(primary)


def source_read_first(job: EditionJob) -> bool:
    """True when each spread's source page comes first in the PDF (it is read first).

    The first-read page of a spread is the right-hand one in a book bound on
    the right (an Arabic-led one), else the left-hand one.
    """
    source, target = job.document.meta.language, job.language
    primary = source if job.edition.primary_language == "source" else target
    rtl_binding = text_direction(primary) == "rtl"
    return (job.edition.source_page == "right") == rtl_binding


def _viewer_preferences(*, rtl: bool) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher: show spreads, right to left when the book is bound so."""

    def finish(_document: Any, pdf: Any) -> None:
        import pydyf  # type: ignore[import-untyped]

        pdf.catalog["PageLayout"] = "/TwoPageRight" if not rtl else "/TwoPageLeft"
        if rtl:
            # Added to the tagged variants' preferences (DisplayDocTitle), not replacing them.
            preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
            preferences["Direction"] = "/R2L"
            pdf.catalog["ViewerPreferences"] = preferences

    return finish


def facing_context(job: EditionJob, view: EditionView, faces: Any) -> dict[str, Any]:
    """What the facing-pages templates are filled from: the PDF context, plus the binding
    direction, the text block's width and each section's link per language."""
    context: dict[str, Any] = dict(template_context(job, view, faces))
    source, target = view.source_language, view.target_language
    for side, language in (("source", source), ("target", target)):
        context["labels"]["edition"][side] = word(
            "bilingual", language, source=source, target=target
        )
    context["meta"]["keywords"] = ", ".join(
        [word("bilingual", target, source=source, target=target), view.title[0].text]
    )
    geometry = page_geometry(job)
    context["text_width"] = f"{text_width_mm(geometry):.3f}mm"
    context["side_by_side"] = True
    context["binding"] = _binding(job, view)
    context["head_chars"] = running_head_chars(geometry, share=0.9)
    context["toc_href"] = section_links(view)
    context["front"] = True
    context["lead"] = None
    return context


def section_links(view: EditionView) -> dict[str, tuple[str, str]]:
    """Each section's anchor on the source page and on the translation page."""
    rows = {row.id: row for row in view.rows}
    links = {}
    for section in view.sections:
        row = rows[section.id]
        first = row.segment_ids[0] if row.segment_ids else section.id
        links[section.id] = (f"{view.source_language}-{first}", f"{view.target_language}-{first}")
    return links


def _render_template(environment: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateError as error:
        where = getattr(error, "filename", None) or name
        line = getattr(error, "lineno", None)
        raise WarraqError(
            f"{where}{f', line {line}' if line else ''}: {error}; fix the template"
        ) from None


def render_facing_pdf(job: EditionJob) -> bytes:
    """Typeset ``job`` as a facing-pages PDF; the whole file as bytes."""
    data = FacingTypesetter(job).render()
    # Print: page boxes, PDF/X output intent and colours, as for the other layouts.
    return finish_print(data, job.pdf_variant, length_mm(job.edition.bleed), job.edition.crop_marks)
