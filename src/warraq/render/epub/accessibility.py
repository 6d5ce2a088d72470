"""The accessibility metadata: what the edition is, claiming only what holds."""

from __future__ import annotations

from warraq import __version__
from warraq.catalogs.translation import Status
from warraq.render.epub.book import (
    Accessibility,
)
from warraq.render.job import EditionJob
from warraq.render.view import EditionView, Row
from warraq.render.words import language_name

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def plan_accessibility(
    job: EditionJob,
    view: EditionView,
    rows: list[Row],
    *,
    bilingual: bool,
    overridden: tuple[str, ...],
) -> Accessibility:
    """Accessibility metadata that says what this edition is, and claims only what holds.

    Conformance is claimed only for what warraq's own theme makes and its tests
    check: not for a draft (untranslated or stale passages), and not when the
    project overrides the EPUB templates (warraq cannot vouch for those).
    """
    source = language_name(view.source_language, "en")
    target = language_name(view.target_language, "en")
    if bilingual:
        summary = [
            f"A bilingual edition: each {source} passage is followed by its {target} "
            "translation, side by side on wide screens and one after the other on narrow ones.",
        ]
    else:
        summary = [f"The {target} translation of a text written in {source}."]
    figures = len(view.figures)
    if figures:
        summary.append(
            f"The text is reflowable, with {figures} image{'s' if figures > 1 else ''}, each "
            "with a text alternative and a caption where the author gave one; no audio or "
            "video. Every passage is marked with its language and direction, so that "
            "text-to-speech can switch voices."
        )
    else:
        summary.append(
            "The text is reflowable, with no images, audio or video. Every passage is marked "
            "with its language and direction, so that text-to-speech can switch voices."
        )
    if view.notes:
        summary.append("Notes are linked from their calls and link back to them.")
    summary.append(
        "Headings give the structure, and the table of contents is in "
        + (f"both {source} and {target}." if bilingual else f"{target}.")
    )
    machine = sum(1 for row in rows if row.status is Status.MACHINE)
    if machine:
        summary.append(
            f"Part of the {target} text is machine translation no person has reviewed yet."
        )
    reasons = []
    if job.draft:
        reasons.append("it is a draft, with missing or out-of-date translations marked")
    if overridden:
        reasons.append("its templates were customised (" + ", ".join(overridden) + ")")
    if reasons:
        conformance = None
        summary.append("No accessibility conformance is claimed: " + "; ".join(reasons) + ".")
        certified_by = None
    else:
        conformance = CONFORMANCE
        certified_by = f"warraq {__version__} (self-declared)"
        summary.append(
            "Conformance to EPUB Accessibility 1.1 and WCAG 2.1 AA is declared by the "
            "software that made this edition, from the design and tests of its theme; "
            "no independent evaluator has reviewed it."
        )
    features = ["displayTransformability", "readingOrder", "structuralNavigation"]
    features.append("tableOfContents")
    if figures:
        features.append("alternativeText")
    return Accessibility(
        modes=("textual", "visual") if figures else ("textual",),
        sufficient=("textual",),
        features=tuple(sorted(features)),
        summary=" ".join(summary),
        conformance=conformance,
        certified_by=certified_by,
    )
