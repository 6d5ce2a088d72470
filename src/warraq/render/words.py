"""The words an edition prints around the text, in each language, and the names of languages."""

from __future__ import annotations

# Per key, the word in each language warraq knows (English when it knows none).
# ``{source}`` and ``{target}`` are language names, written in the word's language.
WORDS: dict[str, dict[str, str]] = {
    "contents": {"ar": "المحتويات", "fr": "Table des matières", "en": "Contents"},
    "landmarks": {"ar": "معالم الكتاب", "fr": "Repères", "en": "Landmarks"},
    "titlepage": {"ar": "صفحة العنوان", "fr": "Page de titre", "en": "Title page"},
    "start": {"ar": "بداية النص", "fr": "Début du texte", "en": "Start of the text"},
    "missing": {"ar": "ترجمة ناقصة", "fr": "traduction manquante", "en": "missing translation"},
    "draft": {
        "ar": "مسودة: الترجمات الناقصة أو القديمة معلَّمة",
        "fr": "Brouillon : les traductions manquantes ou à revoir sont signalées",
        "en": "Draft: missing and out-of-date translations are marked",
    },
    "bilingual": {
        "ar": "طبعة ثنائية اللغة، {source} – {target}",
        "fr": "Édition bilingue {source} – {target}",
        "en": "Bilingual edition, {source} – {target}",
    },
    "translator_note": {"ar": "ملاحظة المترجم", "fr": "N.d.T.", "en": "Translator’s note"},
    "back_to_text": {"ar": "العودة إلى النص", "fr": "Retour au texte", "en": "Back to the text"},
    "translated": {
        "ar": "مترجم عن {source}",
        "fr": "Traduit de l’{source}",
        "en": "Translated from the {source}",
    },
}


def word(key: str, language: str, *, source: str = "", target: str = "") -> str:
    """The edition's word ``key`` in ``language``, in English when warraq does not know it.

    ``source`` and ``target`` are language codes, named in ``language``.

    >>> word("contents", "fr"), word("contents", "de")
    ('Table des matières', 'Contents')
    >>> word("bilingual", "en", source="ar", target="fr")
    'Bilingual edition, Arabic – French'
    """
    texts = WORDS[key]
    text = texts.get(language.split("-")[0], texts["en"])
    return text.format(
        source=language_name(source, language) if source else "",
        target=language_name(target, language) if target else "",
    )


def language_name(code: str, language: str) -> str:
    """The name of language ``code`` as written in ``language`` (babel's names; else ``code``).

    >>> language_name("ar", "fr"), language_name("fr", "ar"), language_name("ar", "en")
    ('arabe', 'الفرنسية', 'Arabic')
    """
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(language.replace("-", "_")).languages
    except (UnknownLocaleError, ValueError):
        names = Locale("en").languages
    return str(names.get(code.split("-")[0], code))
