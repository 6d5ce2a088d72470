"""Status: how far each document's translation into each language has come, and its findings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from warraq.catalogs import catalog_path, load_translation, translatable_segments
from warraq.catalogs.translation import Status
from warraq.checks.translations import configured_entries, run_checks
from warraq.config import Project
from warraq.document.structure import load_document
from warraq.errors import WarraqError
from warraq.glossary import project_glossary
from warraq.selection import select


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    """One document's segments counted by the status of their translation into one language."""

    document: str
    language: str
    catalog: str
    segments: int
    reviewed: int
    machine: int
    fuzzy: int
    missing: int
    errors: int = 0  # warraq check's error-level findings (a missing translation is one)
    warnings: int = 0  # and its warnings
    notes: int = 0  # the source's notes (their segments are among ``segments``)
    translator_notes: int = 0  # the translator's notes of this language
    figures: int = 0  # images (their alt text and caption are among ``segments``)

    @property
    def done(self) -> float:
        """Percentage of segments with a current translation, reviewed or not."""
        return _percent(self.reviewed + self.machine, self.segments)

    @property
    def reviewed_percent(self) -> float:
        """Percentage of segments whose translation a person wrote or reviewed."""
        return _percent(self.reviewed, self.segments)

    @property
    def complete(self) -> bool:
        """Nothing missing and nothing out of date."""
        return not self.missing and not self.fuzzy


def _percent(part: int, whole: int) -> float:
    return 100.0 if whole == 0 else 100.0 * part / whole


def project_status(
    project: Project,
    documents: tuple[str, ...] | None = None,
    languages: tuple[str, ...] | None = None,
) -> list[LanguageStatus]:
    """The status of every selected document in every selected target language.

    Segments are counted as the current source has them (a sentence that
    occurs twice counts twice); a sentence edited since the last ``warraq
    translate`` has no entry yet, so it counts as missing.
    """
    selection = select(project, documents, languages)
    names, targets = selection.names, selection.languages
    glossary = project_glossary(project)
    rows = []
    for name in names:
        config = project.document(name)
        document = load_document(project, config)
        for language in targets:
            translation = load_translation(project, name, language)
            # The same findings warraq check reports, so the two commands' counts agree.
            findings = run_checks(configured_entries(config, document, translation), glossary)
            counts = dict.fromkeys(Status, 0)
            segments = translatable_segments(project, name, document, language)
            for text in segments:
                counts[translation.lookup(text).status] += 1
            rows.append(
                LanguageStatus(
                    document=name,
                    language=language,
                    catalog=str(catalog_path(project, name, language)),
                    segments=len(segments),
                    reviewed=counts[Status.REVIEWED],
                    machine=counts[Status.MACHINE],
                    fuzzy=counts[Status.FUZZY],
                    missing=counts[Status.MISSING],
                    errors=sum(1 for f in findings if f.level == "error"),
                    warnings=sum(1 for f in findings if f.level == "warning"),
                    notes=len(document.notes),
                    translator_notes=len(translation.notes),
                    figures=sum(1 for _ in document.figures()),
                )
            )
    return rows


def status_table(rows: list[LanguageStatus]) -> str:
    """The status as an aligned text table, one row per document and language."""
    header: tuple[str, ...] = (
        "document",
        "lang",
        "segments",
        "reviewed",
        "machine",
        "fuzzy",
        "missing",
        "errors",
        "warnings",
        "done",
    )
    body: list[tuple[str, ...]] = [
        (
            row.document,
            row.language,
            str(row.segments),
            str(row.reviewed),
            str(row.machine),
            str(row.fuzzy),
            str(row.missing),
            str(row.errors),
            str(row.warnings),
            f"{row.done:.0f}% ({row.reviewed_percent:.0f}% reviewed)",
        )
        for row in rows
    ]
    if any(row.notes or row.translator_notes or row.figures for row in rows):
        # Books with notes or images say how many (``12+1``: the source's, the translator's).
        header = (*header[:-1], "notes", "figures", header[-1])
        body = [
            (
                *line[:-1],
                f"{row.notes}+{row.translator_notes}" if row.translator_notes else str(row.notes),
                str(row.figures),
                line[-1],
            )
            for line, row in zip(body, rows, strict=True)
        ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = []
    for line in [header, *body]:
        cells = [
            cell.ljust(widths[i]) if i < 2 or i == len(line) - 1 else cell.rjust(widths[i])
            for i, cell in enumerate(line)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def status_json(rows: list[LanguageStatus]) -> str:
    """The status as JSON: a list of objects, one per document and language."""
    data = [
        {
            **asdict(row),
            "done_percent": round(row.done, 1),
            "reviewed_percent": round(row.reviewed_percent, 1),
            "complete": row.complete,
        }
        for row in rows
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def require_complete(rows: list[LanguageStatus]) -> None:
    """Raise naming every document and language with missing or out-of-date translations."""
    incomplete = [
        f"{row.document} [{row.language}] {row.missing} missing, {row.fuzzy} fuzzy"
        for row in rows
        if not row.complete
    ]
    if incomplete:
        raise WarraqError(
            "translations incomplete: "
            + "; ".join(incomplete)
            + "; run 'warraq translate' (or fill in the catalogs by hand), then review them"
        )
