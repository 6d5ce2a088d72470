"""A Markdown book with many notes and two images, written into a test's folder.

Done-when fixture of issue #14: 33 notes (some long and in several paragraphs,
one too long for one page, some in lists and quotations), a translator's note
in French only, two small PNG images with captions, and a reviewed French catalog;
built side by side, interleaved, translation-only and as facing pages. The sentences are
made from a few word lists so that every one is distinct and its translation
is known.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

SUBJECTS = [
    ("المدينة القديمة", "La vieille ville"),
    ("قناة الري", "Le canal d’irrigation"),
    ("السوق الكبير", "Le grand marché"),
    ("مجلس الحي", "Le conseil du quartier"),
    ("البئر العميقة", "Le puits profond"),
    ("الحديقة العامة", "Le jardin public"),
    ("مكتبة الجامع", "La bibliothèque de la mosquée"),
]
VERBS = [
    ("حفظت", "a conservé"),
    ("غيّرت", "a changé"),
    ("نظّمت", "a organisé"),
    ("وصفت", "a décrit"),
    ("حمت", "a protégé"),
]
OBJECTS = [
    ("مياه الشرب", "l’eau potable"),
    ("طرق التجارة", "les routes du commerce"),
    ("حياة السكان", "la vie des habitants"),
    ("ذاكرة الحي", "la mémoire du quartier"),
    ("أسماء الشوارع", "les noms des rues"),
    ("مواسم الحصاد", "les saisons de la récolte"),
]

CHAPTERS = [
    ("الماء في المدينة", "L’eau dans la ville"),
    ("الأسواق", "Les marchés"),
    ("الذاكرة", "La mémoire"),
]
LONG_NOTES = {5, 17, 29}  # notes of several sentences and two paragraphs
RUNNING_OVER = 20  # a note of six paragraphs: too long for the foot of one page
NOTES = 34


class Book:
    """Collects source lines and catalog entries as sentences are made."""

    def __init__(self) -> None:
        self.counter = 0
        self.entries: list[tuple[str, str]] = []

    def sentence(self, call: str = "", tcall: str | None = None) -> tuple[str, str]:
        """A new distinct sentence in Arabic and French, with the note call ``call``."""
        self.counter += 1
        n = self.counter
        subject = SUBJECTS[n % len(SUBJECTS)]
        verb = VERBS[(n // 7) % len(VERBS)]
        obj = OBJECTS[(n // 3) % len(OBJECTS)]
        year = 1700 + n
        tcall = call if tcall is None else tcall
        arabic = f"{subject[0]} {verb[0]} {obj[0]} في عام {year}.{call}"
        french = f"{subject[1]} {verb[1]} {obj[1]} en {year}.{tcall}"
        self.entries.append((arabic, french))
        return arabic, french

    def text(self, text: tuple[str, str]) -> str:
        self.entries.append(text)
        return text[0]


def write_notes_book(root: Path) -> Path:
    """Write the project into ``root``; return ``root``."""
    book = Book()
    lines = ["---", "title: تاريخ الماء والمدينة", "---", "# تاريخ الماء والمدينة", ""]
    definitions: list[str] = []
    note = 0

    def call() -> str:
        nonlocal note
        note += 1
        return f"[^{note}]"

    def define(label: int) -> None:
        if label == RUNNING_OVER:
            paragraphs = [" ".join(book.sentence()[0] for _ in range(4)) for _ in range(6)]
            definitions.append(f"[^{label}]: {paragraphs[0]}")
            for paragraph in paragraphs[1:]:
                definitions.extend(["", f"    {paragraph}"])
        elif label in LONG_NOTES:
            first = " ".join(book.sentence()[0] for _ in range(4))
            second = " ".join(book.sentence()[0] for _ in range(3))
            definitions.extend([f"[^{label}]: {first}", "", f"    {second}"])
        else:
            definitions.append(f"[^{label}]: {book.sentence()[0]}")

    for index, chapter in enumerate(CHAPTERS):
        lines += [f"# {book.text(chapter)}", ""]
        for paragraph in range(4):
            parts = []
            for _ in range(4):
                label = call() if note < NOTES and len(parts) % 2 == 0 else ""
                if label == "[^2]":
                    parts.append(book.sentence(label, "[^2][^traducteur]")[0])
                else:
                    parts.append(book.sentence(label)[0])
            lines += [" ".join(parts), ""]
            if paragraph == 0 and index < 2:
                image = f"images/plan-{index + 1}.png"
                alt = book.text(
                    (f"مخطط رقم {index + 1} للمدينة", f"Plan numéro {index + 1} de la ville")
                )
                caption = book.text(
                    (
                        f"الشكل {index + 1}: مخطط الأحياء",
                        f"Figure {index + 1}\u00a0: plan des quartiers",
                    )
                )
                lines += [f'![{alt}]({image} "{caption}")', ""]
        lines += [
            f"- {book.sentence(call())[0]}",
            f"- {book.sentence()[0]}",
            f"- {book.sentence(call())[0]}",
            "",
        ]
        lines += [f"> {book.sentence(call())[0]} {book.sentence()[0]}", ""]
    assert note >= 30, note
    for label in range(1, note + 1):
        define(label)
    lines += ["", *definitions, ""]
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "book.ar.md").write_text("\n".join(lines), encoding="utf-8")
    images = root / "seeds" / "images"
    images.mkdir()
    for number, colour in ((1, (40, 90, 160)), (2, (160, 90, 40))):
        picture = Image.new("RGB", (120, 60), (235, 230, 220))
        for x in range(10, 110):
            for y in range(10 + number * 5, 40):
                picture.putpixel((x, y), colour)
        picture.save(images / f"plan-{number}.png")
    (root / "warraq.toml").write_text(
        """[project]
source_language = "ar"
target_languages = ["fr"]

[[documents]]
name = "book"
source = "seeds/book.ar.md"
date = "2024-03-22"

[documents.title]
fr = "Histoire de l’eau et de la ville"

[[editions]]
name = "bilingual"
trim = "A5"
formats = ["pdf", "epub"]

[[editions]]
name = "interleaved"
layout = "interleaved"
trim = "A5"
formats = ["pdf", "epub"]

[[editions]]
name = "french"
layout = "translation-only"
trim = "A5"
formats = ["pdf", "epub"]
note_numbering = "chapter"

[[editions]]
name = "facing"
layout = "facing-pages"
trim = "A5"
formats = ["pdf"]
page_numbers = "arabic-indic"
""",
        encoding="utf-8",
    )
    catalog = root / "locales" / "fr" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    po = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: fr\\n"',
        "",
    ]
    seen = set()
    for arabic, french in book.entries:
        if arabic in seen:
            continue
        seen.add(arabic)
        po += [f'msgid "{arabic}"', f'msgstr "{french}"', ""]
    (catalog / "book.po").write_text("\n".join(po), encoding="utf-8")
    (catalog / "book.notes.md").write_text(
        "[^traducteur]: Le mot arabe traduit ici par « conseil » désigne aussi une assemblée.\n",
        encoding="utf-8",
    )
    return root
