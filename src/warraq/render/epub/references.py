"""References out of the book: an EPUB loads nothing from the network or the disk."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from warraq.errors import WarraqError

# Attributes through which a reading system loads a resource by itself.
_RESOURCE_ATTRIBUTES = ("src", "href", "{http://www.w3.org/1999/xlink}href", "data", "poster")
# Hyperlinks are followed only when the reader chooses to: they may point anywhere.
_LINK_TAGS = frozenset({"a", "area"})
_ABSOLUTE = re.compile(r"^\s*(?://|[A-Za-z][A-Za-z0-9+.-]*:)")
_CSS_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{1,6})\s?|\\(.)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_REFERENCE = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)|(["'])(.*?)\3""", re.DOTALL)


def is_outside(url: str) -> bool:
    """True for a URL that names something outside the book (``data:`` URLs are inside).

    >>> is_outside("http://x/a.png"), is_outside("//x/a"), is_outside("../css/book.css")
    (True, True, False)
    >>> is_outside("file:///etc/passwd"), is_outside("data:image/png;base64,AA")
    (True, False)
    """
    return bool(_ABSOLUTE.match(url)) and not url.strip().lower().startswith("data:")


def css_references(css: str) -> list[str]:
    """The ``url()`` values and strings of a stylesheet that name something outside the book."""

    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            return chr(min(int(match.group(1), 16), 0x10FFFF))
        return match.group(2)

    plain = _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub("", css))
    found = []
    for match in _CSS_REFERENCE.finditer(plain):
        url = match.group(2) if match.group(2) is not None else match.group(4)
        if url is not None and is_outside(url):
            found.append(url.strip())
    return found


def check_references(name: str, template: str, tree: ET.Element) -> None:
    """Refuse a content document that would load a resource from outside the book."""
    for element in tree.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag not in _LINK_TAGS:
            for attribute in _RESOURCE_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None and is_outside(value):
                    _refuse(name, template, value, f"<{tag} {attribute.rsplit('}', 1)[-1]}>")
            for candidate in (element.get("srcset") or "").split(","):
                url = candidate.strip().split(" ")[0]
                if url and is_outside(url):
                    _refuse(name, template, url, f"<{tag} srcset>")
        if tag == "style" and element.text:
            check_stylesheet(name, template, element.text)
        if element.get("style"):
            check_stylesheet(name, template, element.get("style") or "")


def check_stylesheet(name: str, template: str, css: str) -> None:
    """Refuse a stylesheet that imports or uses anything from outside the book."""
    for url in css_references(css):
        _refuse(name, template, url, "a stylesheet")


def _refuse(name: str, template: str, url: str, where: str) -> None:
    raise WarraqError(
        f"{name}: the template {template} refers to {url} ({where}); an EPUB loads nothing "
        "from the network or the disk: put the file in the templates folder or remove it"
    )
