"""Catalogs: each document's gettext template and catalogs, extracted, merged, read and saved.

One domain per document: ``locales/<document>.pot`` holds every distinct
sentence of the source (msgid = the segment's text, reference
``<document>:<segment id>``), and ``locales/<lang>/LC_MESSAGES/<document>.po``
its translations. The package's modules, one job each:

- :mod:`~warraq.catalogs.paths`: where templates and catalogs live;
- :mod:`~warraq.catalogs.entries`: which segments are entries, an entry's status
  and machine provenance;
- :mod:`~warraq.catalogs.extract`: the template of a document;
- :mod:`~warraq.catalogs.merge`: a template merged into a catalog, keeping
  translations, reviews and provenance;
- :mod:`~warraq.catalogs.load`: a catalog read into a :class:`Translation`;
- :mod:`~warraq.catalogs.save`: a catalog written back as work goes on;
- :mod:`~warraq.catalogs.pofile`: strict PO reading and a deterministic writer;
- :mod:`~warraq.catalogs.translation`: what the other stages read.

The names below are re-exported so that ``from warraq.catalogs import ...`` works.
"""

from __future__ import annotations

from warraq.catalogs.entries import (
    MACHINE_COMMENT_PREFIX,
    MEMORY_COMMENT_PREFIX,
    PREVIOUS_TRANSLATION_PREFIX,
    catalog_segments,
    entry_status,
    message_status,
    needs_translation,
    record_machine_translation,
    template_segments,
    translatable_segments,
)
from warraq.catalogs.extract import (
    ALT_NOTE,
    CAPTION_NOTE,
    FOOTNOTE_NOTE,
    HEADING_NOTE,
    ITEM_NOTE,
    TITLE_NOTE,
    extract_template,
    settle_template,
)
from warraq.catalogs.load import load_translation, read_catalog
from warraq.catalogs.merge import (
    SIMILARITY_CUTOFF,
    MergeReport,
    loose_key,
    merge_catalog,
    new_catalog,
)
from warraq.catalogs.paths import babel_locale, catalog_path, template_path
from warraq.catalogs.save import CatalogFile

__all__ = [
    "ALT_NOTE",
    "CAPTION_NOTE",
    "FOOTNOTE_NOTE",
    "HEADING_NOTE",
    "ITEM_NOTE",
    "MACHINE_COMMENT_PREFIX",
    "MEMORY_COMMENT_PREFIX",
    "PREVIOUS_TRANSLATION_PREFIX",
    "SIMILARITY_CUTOFF",
    "TITLE_NOTE",
    "CatalogFile",
    "MergeReport",
    "babel_locale",
    "catalog_path",
    "catalog_segments",
    "entry_status",
    "extract_template",
    "load_translation",
    "loose_key",
    "merge_catalog",
    "message_status",
    "needs_translation",
    "new_catalog",
    "read_catalog",
    "record_machine_translation",
    "settle_template",
    "template_path",
    "template_segments",
    "translatable_segments",
]
