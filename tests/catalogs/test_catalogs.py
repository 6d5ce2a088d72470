"""Catalogs: PO reading and writing, template extraction, merging, statuses."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from tests.conftest import SAMPLE_SOURCE, msgfmt_check
from warraq.catalogs import (
    MACHINE_COMMENT_PREFIX,
    PREVIOUS_TRANSLATION_PREFIX,
    CatalogFile,
    entry_status,
    extract_template,
    load_translation,
    merge_catalog,
    message_status,
    needs_translation,
    read_catalog,
    record_machine_translation,
)
from warraq.catalogs.pofile import PoCatalog, parse_po, reference, render_po
from warraq.catalogs.translation import Status
from warraq.config import load_project
from warraq.document.structure import structure_source
from warraq.errors import WarraqError

# A long sentence (over 300 characters, one segment), and the same with one word changed.
LONG = (
    "تندرج التعاون الأمني بين فرنسا وقطر في سياق جيوسياسي معقد حيث تسعى الدولتان لتعزيز "
    "موقعهما الاستراتيجي في الشرق الأوسط، وتأتي هذه التعاون نتيجة الإرادة المتبادلة للحفاظ "
    "على الاستقرار الإقليمي ومواجهة التهديدات الناشئة مثل الإرهاب وانتشار الأسلحة والهجمات "
    "السيبرانية، في حين تلعب الدبلوماسية الأمنية بين البلدين دوراً حاسماً في استقرار المنطقة."
)
LONG_EDITED = LONG.replace("الناشئة", "الجديدة")
OTHER = "يتجلى التعاون بين فرنسا وقطر في مجال الأمن في عدة مجالات رئيسية."


def template_of(*texts: str) -> PoCatalog:
    """A template with one entry per text, as extraction makes them."""
    template = PoCatalog()
    template.header_fields = [
        ("Project-Id-Version", "doc"),
        ("POT-Creation-Date", "2024-06-01 00:00+0000"),
    ]
    for number, text in enumerate(texts):
        template.add(text, "", locations=[reference(f"doc:s-{number}")])
    return template


def catalog_of(*entries: Message) -> PoCatalog:
    """A French catalog holding ``entries``."""
    catalog = PoCatalog(locale="fr")
    catalog.header_fields = [("Language", "fr")]
    for message in entries:
        catalog[message.id] = message
    return catalog


def machine(text: str, translation: str) -> Message:
    """An unreviewed machine translation."""
    return Message(
        text, translation, flags={"fuzzy"}, auto_comments=[f"{MACHINE_COMMENT_PREFIX}: argos x 1.0"]
    )


def write(path: Path, catalog: PoCatalog) -> Path:
    path.write_bytes(render_po(catalog))
    return path


# Reading and writing -------------------------------------------------------------


def test_po_round_trip_keeps_everything_and_passes_msgfmt(tmp_path: Path) -> None:
    catalog = catalog_of(
        Message(
            "نص جديد.",
            "Nouveau texte.",
            locations=[reference("doc:s-1"), reference("doc:s-1-2")],
            flags={"fuzzy"},
            auto_comments=[
                "heading",
                f"{MACHINE_COMMENT_PREFIX}: argos, translate-ar_en 1.0 (ar→en)",
            ],
            user_comments=[f"{PREVIOUS_TRANSLATION_PREFIX}Ancien texte.", "a note by a reviewer"],
            previous_id=LONG,
        ),
        Message('سطر "أول"\nسطر ثان', 'ligne "une"\nligne deux', locations=[reference("doc:s-2")]),
        Message("نص بلا ترجمة", ""),
    )
    catalog.header_comments = ["Hand-written header.", "", "Second paragraph."]
    catalog.header_fields.append(("X-Generator", "Poedit 3.4"))
    catalog.obsolete["نص قديم"] = Message("نص قديم", "Vieux texte.", user_comments=["kept"])
    path = write(tmp_path / "fr.po", catalog)
    msgfmt_check(path)

    again = read_catalog(path, locale="fr")
    assert render_po(again) == path.read_bytes()
    first = again["نص جديد."]
    assert first.previous_id == [LONG]
    assert first.locations == [("doc:s-1", None), ("doc:s-1-2", None)]
    assert message_status(first) is Status.MACHINE
    assert again['سطر "أول"\nسطر ثان'].string == 'ligne "une"\nligne deux'
    assert again.header("X-Generator") == "Poedit 3.4"
    assert again.header_comments == ["Hand-written header.", "", "Second paragraph."]
    assert again.obsolete["نص قديم"].string == "Vieux texte."
    text = path.read_text(encoding="utf-8")
    assert f'#| msgid "{LONG}"\n' in text  # one line: babel's writer would wrap it into invalid PO
    assert "python-format" not in text


def test_flags_babel_invents_are_not_written(tmp_path: Path) -> None:
    # "%s" and "{0}" make babel flag a message python-format, which msgfmt would then check.
    catalog = catalog_of(Message("٥٠% s من {0}", "50 % s de {1}"))
    path = write(tmp_path / "fr.po", catalog)
    assert "format" not in path.read_text(encoding="utf-8")
    msgfmt_check(path)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('msgid "a"\nmsgstr "b\n', 2, "unterminated"),
        ('msgid "a"\nmsgstr "b"c"\n', 2, "unescaped quote"),
        ('msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 1, "msgid without msgstr"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "the same msgid as line 1"),
        ('msgid "a"\nmsgstr "b"\nmsgtxt "c"\n', 3, "unknown keyword 'msgtxt'"),
        ('# comment\n"stray"\n', 2, "no msgid or msgstr before it"),
        ('msgid "a"\n# note\nmsgstr "b"\n', 2, "between msgid and msgstr"),
        ('#-#-#-#-#  fr.po  #-#-#-#-#\nmsgid "a"\nmsgstr "b"\n', 1, "merge conflict"),
        ('msgid "a\\q"\nmsgstr "b"\n', 1, "bad escape"),
    ],
)
def test_a_corrupt_po_file_is_an_error_naming_file_and_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "fr.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WarraqError) as error:
        read_catalog(path)
    assert f"{path}, line {line}:" in error.value.message
    assert problem in error.value.message
    assert "will not overwrite" in error.value.message


def test_non_utf8_po_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_bytes(b'msgid "caf\xe9"\nmsgstr ""\n')
    with pytest.raises(WarraqError, match="not UTF-8"):
        read_catalog(path)


def test_reads_what_gettext_tools_write(tmp_path: Path) -> None:
    """Wrapped strings, several references on a line, obsolete previous msgids, a BOM."""
    text = (
        "\ufeff# header\n"
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        "#: a.txt:12 doc:s-1\n#, fuzzy\n"
        '#| msgid "old "\n#| "text"\n'
        'msgid ""\n"new "\n"text"\nmsgstr "nouveau "\n"texte"\n\n'
        '#~| msgid "gone"\n#~ msgid "gone too"\n#~ msgstr "parti"\n'
    )
    path = tmp_path / "fr.po"
    path.write_text(text, encoding="utf-8")
    catalog = read_catalog(path)
    message = catalog["new text"]
    assert message.string == "nouveau texte"
    assert message.previous_id == ["old text"]
    assert message.locations == [("a.txt:12", None), ("doc:s-1", None)]
    assert catalog.obsolete["gone too"].string == "parti"


# Extracting -------------------------------------------------------------------------


def test_template_has_one_entry_per_distinct_sentence_with_every_location(tmp_path: Path) -> None:
    source = tmp_path / "doc.ar.txt"
    source.write_text(
        "العنوان الأول؟\nجملة تتكرر. جملة أخرى.\nجملة تتكرر. جملة ثالثة.\n", encoding="utf-8"
    )
    document = structure_source(source, title="عنوان الكتاب")
    template = extract_template(document, "doc", "ar")
    ids = [m.id for m in template.messages()]
    assert ids == ["عنوان الكتاب", "العنوان الأول؟", "جملة تتكرر.", "جملة أخرى.", "جملة ثالثة."]
    repeated = template["جملة تتكرر."]
    segment_ids = [s.id for s in document.segments() if s.text == "جملة تتكرر."]
    assert [name for name, _ in repeated.locations] == [f"doc:{i}" for i in segment_ids]
    assert len(segment_ids) == 2
    assert template["عنوان الكتاب"].auto_comments == ["title of the document"]
    assert template["العنوان الأول؟"].auto_comments == ["heading"]
    assert template.header("X-Source-Language") == "ar"


def test_sample_template_covers_every_segment() -> None:
    document = structure_source(SAMPLE_SOURCE)
    template = extract_template(document, "france-qatar-security", "ar")
    assert {m.id for m in template.messages()} == {s.text for s in document.segments()}


# Merging ------------------------------------------------------------------------------


def test_merge_keeps_reviewed_and_machine_entries_with_their_provenance() -> None:
    old = catalog_of(
        Message(OTHER, "Traduit à la main.", user_comments=["checked by Amina"]),
        machine(LONG, "Traduction automatique."),
    )
    merged, report = merge_catalog(old, template_of(OTHER, LONG), "fr", "doc")
    assert report.unchanged == 2
    assert merged[OTHER].string == "Traduit à la main."
    assert merged[OTHER].user_comments == ["checked by Amina"]
    assert message_status(merged[OTHER]) is Status.REVIEWED
    # babel's Catalog.update would take the automatic comments from the template, losing this.
    assert merged[LONG].auto_comments == [f"{MACHINE_COMMENT_PREFIX}: argos x 1.0"]
    assert message_status(merged[LONG]) is Status.MACHINE
    assert merged[LONG].locations == [("doc:s-1", None)]
    assert not needs_translation(merged[OTHER]) and not needs_translation(merged[LONG])


def test_small_edit_to_a_long_sentence_keeps_its_translation_as_stale() -> None:
    old = catalog_of(Message(LONG, "Une longue phrase relue."), Message(OTHER, "Autre."))
    merged, report = merge_catalog(old, template_of(LONG_EDITED, OTHER), "fr", "doc")
    entry = merged[LONG_EDITED]
    assert report.changed == 1
    assert entry.string == "Une longue phrase relue."
    assert entry.previous_id == [LONG]
    assert message_status(entry) is Status.FUZZY
    assert needs_translation(entry)
    # The reviewed original is kept too (obsolete, still reviewed), to come back with its sentence.
    assert merged.obsolete[LONG].string == "Une longue phrase relue."
    assert "fuzzy" not in merged.obsolete[LONG].flags


def test_stale_machine_entry_loses_its_provenance() -> None:
    old = catalog_of(machine(LONG, "Traduction automatique."))
    merged, _ = merge_catalog(old, template_of(LONG_EDITED), "fr", "doc")
    assert message_status(merged[LONG_EDITED]) is Status.FUZZY  # not "machine": it must be redone


@pytest.mark.parametrize(
    "edited",
    [
        OTHER.replace("فرنسا وقطر", "فرنسا  وقطر"),  # whitespace
        OTHER.replace(".", "!"),  # punctuation
        OTHER.replace(" رئيسية.", "، رئيسية ."),
    ],
)
def test_whitespace_or_punctuation_change_keeps_translation_and_review(edited: str) -> None:
    old = catalog_of(Message(OTHER, "Relu par une personne."), machine(LONG, "Machine."))
    merged, report = merge_catalog(old, template_of(edited, LONG), "fr", "doc")
    assert report.respelled == 1
    assert merged[edited].string == "Relu par une personne."
    assert message_status(merged[edited]) is Status.REVIEWED
    assert OTHER not in merged.obsolete


def test_an_unrelated_new_sentence_is_new_and_the_removed_one_obsolete() -> None:
    old = catalog_of(Message(OTHER, "Autre."))
    merged, report = merge_catalog(old, template_of("ما هي التحديات؟"), "fr", "doc")
    assert report.new == 1 and report.changed == 0
    assert message_status(merged["ما هي التحديات؟"]) is Status.MISSING
    assert merged["ما هي التحديات؟"].previous_id == []
    assert merged.obsolete[OTHER].string == "Autre."
    assert report.obsolete == [OTHER]

    # The sentence comes back: so does its translation, reviewed as before.
    back, report = merge_catalog(merged, template_of(OTHER), "fr", "doc")
    assert report.revived == 1
    assert back[OTHER].string == "Autre."
    assert message_status(back[OTHER]) is Status.REVIEWED
    assert OTHER not in back.obsolete


def test_the_best_similar_sentence_is_the_previous_one() -> None:
    heading = "ما هو مستقبل التعاون الأمني بين فرنسا وقطر؟"
    sentence = "يبدو أن مستقبل التعاون الأمني بين فرنسا وقطر واعد بفضل الإرادة المشتركة."
    edited = sentence.replace("واعد", "مشرق")
    old = catalog_of(Message(heading, "Titre."), Message(sentence, "Phrase."))
    merged, _ = merge_catalog(old, template_of(heading, edited), "fr", "doc")
    assert merged[edited].previous_id == [sentence]
    assert merged[edited].string == "Phrase."


def test_machine_translation_of_a_stale_entry_keeps_the_old_one_as_context() -> None:
    old = catalog_of(Message(LONG, "Relue."))
    merged, _ = merge_catalog(old, template_of(LONG_EDITED), "fr", "doc")
    entry = merged[LONG_EDITED]
    record_machine_translation(entry, "Nouvelle.", "argos, translate-ar_fr 1.0 (ar→fr)")
    assert entry.string == "Nouvelle."
    assert entry.user_comments == [f"{PREVIOUS_TRANSLATION_PREFIX}Relue."]
    assert entry.previous_id == [LONG]
    assert entry.auto_comments == [f"{MACHINE_COMMENT_PREFIX}: argos, translate-ar_fr 1.0 (ar→fr)"]
    assert message_status(entry) is Status.MACHINE
    # A reviewer clears the flag, as Poedit does: the entry is reviewed from then on.
    entry.flags.discard("fuzzy")
    assert message_status(entry) is Status.REVIEWED


def test_new_catalog_header(tmp_path: Path) -> None:
    merged, _ = merge_catalog(None, template_of(OTHER), "fr", "doc")
    assert merged.header("Language") == "fr"
    assert merged.header("Plural-Forms")
    assert "French translation" in merged.header_comments[0]
    msgfmt_check(write(tmp_path / "fr.po", merged))


def test_an_entry_a_person_flagged_is_left_to_the_person() -> None:
    flagged = Message(OTHER, "Brouillon.", flags={"fuzzy"})  # "needs work", no source change
    assert message_status(flagged) is Status.FUZZY
    assert not needs_translation(flagged)
    assert needs_translation(Message(OTHER, "Ancien.", flags={"fuzzy"}, previous_id=LONG))
    assert needs_translation(Message(OTHER, ""))


def test_entry_status() -> None:
    assert entry_status(set(), []) is Status.REVIEWED
    assert entry_status({"fuzzy"}, ["heading", "machine translation: fake"]) is Status.MACHINE
    assert entry_status({"fuzzy"}, ["heading"]) is Status.FUZZY


# Saving ---------------------------------------------------------------------------------


def test_saving_an_unchanged_catalog_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    first, _ = merge_catalog(None, template_of(OTHER), "fr", "doc")
    record_machine_translation(first[OTHER], "Autre.", "fake")
    assert CatalogFile(path, first, None).save()
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    on_disk = read_catalog(path)
    merged, _ = merge_catalog(on_disk, template_of(OTHER), "fr", "doc")
    assert not CatalogFile(path, merged, on_disk).save()
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_a_changed_catalog_gets_a_new_revision_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717243200")  # 2024-06-01 12:00 UTC
    path = write(tmp_path / "fr.po", catalog_of(Message(OTHER, "")))
    on_disk = read_catalog(path)
    merged, _ = merge_catalog(on_disk, template_of(OTHER), "fr", "doc")
    record_machine_translation(merged[OTHER], "Autre.", "fake")
    assert CatalogFile(path, merged, on_disk).save()
    assert read_catalog(path).header("PO-Revision-Date") == "2024-06-01 12:00+0000"


def test_saving_refuses_to_overwrite_a_file_changed_meanwhile(tmp_path: Path) -> None:
    path = write(tmp_path / "fr.po", catalog_of(Message(OTHER, "")))
    on_disk = read_catalog(path)
    file = CatalogFile(path, on_disk, on_disk)
    edited = path.read_text(encoding="utf-8").replace('msgstr ""\n', 'msgstr "À la main."\n')
    path.write_text(edited + "\n", encoding="utf-8")
    record_machine_translation(on_disk[OTHER], "Machine.", "fake")
    with pytest.raises(WarraqError, match="changed on disk"):
        file.save()
    assert "À la main." in path.read_text(encoding="utf-8")


# The sample -------------------------------------------------------------------------------


def test_sample_catalogs_are_complete_reviewed_and_valid() -> None:
    project = load_project(SAMPLE_SOURCE.parent.parent)
    document = structure_source(SAMPLE_SOURCE)
    for language in ("fr", "en"):
        path = project.root / "locales" / language / "LC_MESSAGES" / "france-qatar-security.po"
        msgfmt_check(path)
        assert "not machine translations" in path.read_text(encoding="utf-8")
        translation = load_translation(project, "france-qatar-security", language)
        for segment in document.segments():
            assert translation.lookup(segment.text).status is Status.REVIEWED, segment.text
        parse_po(path.read_bytes(), path)  # strict reading accepts them


def test_a_catalog_rewrapped_by_gettext_tools_reads_back_the_same(tmp_path: Path) -> None:
    """Poedit and msgcat wrap long lines at 79 columns; nothing is lost in the round trip."""
    old = catalog_of(Message(LONG, "Une longue phrase relue."), machine(OTHER, "Autre."))
    merged, _ = merge_catalog(old, template_of(LONG_EDITED, OTHER), "fr", "doc")
    record_machine_translation(merged[LONG_EDITED], "Une longue phrase, " * 8, "argos, x 1.0")
    path = write(tmp_path / "fr.po", merged)
    wrapped = tmp_path / "wrapped.po"
    subprocess.run(["msgcat", "-o", str(wrapped), str(path)], check=True)
    assert wrapped.read_bytes() != path.read_bytes()  # really rewrapped
    assert render_po(read_catalog(wrapped)) == path.read_bytes()


def test_a_plural_entry_is_refused_with_a_message_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "plural.po"
    data = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "un fichier"\n'
        'msgstr[1] "%d fichiers"\n'
    )
    path.write_text(data, encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=True)  # valid PO
    with pytest.raises(WarraqError) as caught:
        read_catalog(path)
    message = str(caught.value)
    assert f"{path}, line 7:" in message and "plural" in message
    assert "unterminated" not in message and "\n" not in message
