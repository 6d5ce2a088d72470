"""TMX 1.4b files: translation units read from any CAT tool's export, and written for them.

A translation unit (``<tu>``) holds one text in several languages, each a
``<tuv xml:lang="...">`` with its ``<seg>``. Reading keeps the plain text of
each segment (inline markup such as ``<bpt>`` or ``<ph>`` holds the original
format's codes and is left out; ``<hi>`` and ``<sub>`` text is kept) and
accepts TMX 1.1-1.3's ``lang`` attribute too. Writing follows the TMX 1.4b
DTD: a header naming the creation tool and the source language, one
``<tu>`` per source text, ``xml:lang`` on every ``<tuv>``; the same units give
the same bytes (the creation date comes from ``SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from warraq import __version__
from warraq.errors import WarraqError
from warraq.util.clock import now

Unit = Mapping[str, str]
"""One translation unit: its text by language tag (``{"ar": ..., "fr": ...}``)."""

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_KEPT_INLINE = frozenset({"hi", "sub"})  # their text is part of the segment's text
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def write_tmx(units: Sequence[Unit], source_language: str) -> bytes:
    """The TMX 1.4b document holding ``units``, with ``source_language`` as ``srclang``."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "warraq",
            "creationtoolversion": __version__,
            "datatype": "plaintext",
            "segtype": "sentence",
            "adminlang": "en",
            "srclang": source_language,
            "o-tmf": "warraq gettext catalogs",
            "creationdate": now().strftime("%Y%m%dT%H%M%SZ"),
        },
    )
    body = ET.SubElement(root, "body")
    for unit in units:
        tu = ET.SubElement(body, "tu")
        for language, text in unit.items():
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: language})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n{xml}\n'.encode()


def read_tmx(path: Path) -> tuple[str | None, list[dict[str, str]]]:
    """The header's ``srclang`` (``None`` if absent or ``*all*``) and every unit of ``path``.

    A file that is not TMX is an error naming the file and line.
    """
    try:
        tree = ET.parse(path)
    except OSError as error:
        raise WarraqError(f"{path}: cannot read ({error.strerror})") from None
    except ET.ParseError as error:
        line, column = error.position
        raise WarraqError(
            f"{path}, line {line}, column {column}: not well-formed XML ({error.msg}); "
            "export it again from your CAT tool as TMX"
        ) from None
    root = tree.getroot()
    if root.tag != "tmx" or root.find("body") is None:
        raise WarraqError(f"{path}: not a TMX file (no <tmx> with a <body>); give a .tmx export")
    header = root.find("header")
    srclang = header.get("srclang") if header is not None else None
    units: list[dict[str, str]] = []
    for tu in root.iter("tu"):
        unit: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            language = tuv.get(_XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if language and seg is not None:
                unit.setdefault(language, _text(seg))
        if len(unit) >= 2:
            units.append(unit)
    return (srclang if srclang and srclang != "*all*" else None), units


def _text(element: ET.Element) -> str:
    """The text of a ``<seg>``: its characters, without the native codes of inline markup."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in _KEPT_INLINE:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def same_language(tag: str, language: str) -> bool:
    """Whether TMX language ``tag`` is ``language``: ``fr-FR`` is ``fr``, ``fr`` is not ``fr-CA``.

    >>> same_language("FR-fr", "fr"), same_language("fr", "fr-CA"), same_language("ar", "ar")
    (True, False, True)
    """
    tag, language = tag.lower(), language.lower()
    return tag == language or ("-" not in language and tag.split("-")[0] == language)
