"""The note-calls check, translator's notes files, and status counts of notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.render.notes_book import write_notes_book
from warraq.catalogs.load import load_translation
from warraq.catalogs.translation import Status
from warraq.checks.translations import CHECKS, Context, Entry
from warraq.config import load_project
from warraq.errors import WarraqError


def calls(source: str, translation: str, translator: frozenset[str] = frozenset()) -> list[str]:
    entry = Entry("d", "s-1", "fr", source, translation, Status.REVIEWED, "markdown", translator)
    return list(CHECKS["note-calls"].function(entry, Context()))


def test_note_calls_must_match_in_count_and_order() -> None:
    assert calls("أ[^1] ب[^2].", "a[^1] b[^2].") == []
    assert calls("أ[^1] ب[^2].", "a b[^2].") == [
        "note calls [^2] where the source has [^1] [^2] (same notes, same order)"
    ]
    assert calls("أ[^1] ب[^2].", "a[^2] b[^1].") != []
    assert calls("أ[^1].", "a[^1] b[^1].") != []  # called twice
    assert calls("أ.", "a[^x].") != []  # a note nobody defined


def test_a_translation_may_call_its_own_translator_notes() -> None:
    assert calls("أ[^1].", "a[^1][^tdt].", frozenset({"tdt"})) == []
    assert calls("أ[^1].", "a[^tdt].", frozenset({"tdt"})) != []  # but not drop the author's


def test_plain_text_sources_have_no_note_calls() -> None:
    entry = Entry("d", "s-1", "fr", "أ[^1].", "a.", Status.REVIEWED, "text")
    assert list(CHECKS["note-calls"].function(entry, Context())) == []


def test_translator_notes_are_read_from_the_notes_file(tmp_path: Path) -> None:
    root = write_notes_book(tmp_path / "book")
    translation = load_translation(load_project(root), "book", "fr")
    (note,) = translation.notes
    assert (note.label, note.kind) == ("traducteur", "translator")
    assert "assemblée" in next(note.text_blocks()).text


def test_a_notes_file_holds_only_definitions(tmp_path: Path) -> None:
    root = write_notes_book(tmp_path / "book")
    notes = root / "locales" / "fr" / "LC_MESSAGES" / "book.notes.md"
    notes.write_text("[^a]: Une note.\n\nUn paragraphe perdu.\n", encoding="utf-8")
    with pytest.raises(WarraqError, match=r"book.notes.md, line 3: a notes file holds only"):
        load_translation(load_project(root), "book", "fr")


def test_status_counts_notes_and_figures(tmp_path: Path) -> None:
    from warraq.checks.status import project_status, status_table

    root = write_notes_book(tmp_path / "book")
    (row,) = project_status(load_project(root))
    assert (row.notes, row.translator_notes, row.figures) == (33, 1, 2)
    assert row.errors == 0 and row.missing == 0
    table = status_table([row])
    assert "notes" in table.splitlines()[0] and "33+1" in table
