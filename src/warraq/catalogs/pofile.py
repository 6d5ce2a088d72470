"""PO files: strict reading into babel catalogs, and a deterministic writer.

Reading goes through babel's parser, after a stricter check of every line:
babel silently accepts an unterminated string or a duplicate msgid, and drops
what it does not model (previous msgids ``#|``, references that are not
``file:number``), so those are checked and kept here. Writing is done here
rather than with babel's ``write_po``, which wraps ``#|`` lines into invalid
PO (msgfmt rejects them) and always wraps comments: this writer never wraps a
message or comment, keeps the header's fields and their order, and writes the
same bytes for the same catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, normalize, unescape

from warraq.errors import WarraqError

# Flags babel adds by itself when a msgid looks like a Python format string;
# meaningless for prose, and msgfmt --check would then check them.
_AUTOMATIC_FLAGS = frozenset({"python-format", "python-brace-format"})
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(.*)")
_STRING = re.compile(r'"(?:[^"\\]|\\[\\"abfnrtv])*"')
_LOCATION_WIDTH = 79


class PoCatalog(Catalog):
    """A babel catalog that keeps its header as written: every field in order, and its comments."""

    def __init__(self, locale: str | None = None) -> None:
        self.header_fields: list[tuple[str, str]] = []
        self.header_comments: list[str] = []
        self.header_fuzzy = False
        super().__init__(locale=locale, fuzzy=False)

    def __setitem__(self, id: Any, message: Message) -> None:
        if id == "" and not message.context:
            self.header_fields = _header_fields(message.string)
            self.header_comments = list(message.user_comments)
            self.header_fuzzy = "fuzzy" in message.flags
        super().__setitem__(id, message)

    def header(self, name: str) -> str | None:
        """The value of header field ``name`` (case-insensitive), if present."""
        for key, value in self.header_fields:
            if key.lower() == name.lower():
                return value
        return None

    def set_header(self, name: str, value: str) -> None:
        """Set header field ``name``, in place if present, else at the end."""
        for index, (key, _) in enumerate(self.header_fields):
            if key.lower() == name.lower():
                self.header_fields[index] = (key, value)
                return
        self.header_fields.append((name, value))

    def messages(self) -> list[Message]:
        """The catalog's messages in order, without the header."""
        return [message for message in self if message.id]


def _header_fields(text: Any) -> list[tuple[str, str]]:
    fields = []
    for line in str(text or "").split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields.append((name.strip(), value.strip()))
    return fields


# Reading ---------------------------------------------------------------------


class PoSyntaxError(WarraqError):
    """A PO file warraq cannot read; the message names the file and line."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(
            f"{where}: not a valid PO file ({problem}); fix it by hand "
            f"(msgfmt --check {path} shows the problem) — warraq will not overwrite it"
        )
        self.path = path
        self.line = line


@dataclass
class _Entry:
    """What the line check learns about one entry that babel's parser does not keep."""

    line: int  # of its msgid, 1-based
    obsolete: bool
    locations: list[str]
    previous_id: str | None
    context: list[str] | None = None
    msgid: list[str] = field(default_factory=list)
    has_msgstr: bool = False


class _Checker:
    """Checks a PO file line by line; collects references and previous msgids per entry."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[_Entry] = []
        self.current: _Entry | None = None
        self.context: list[str] | None = None
        self.context_line = 0
        self.keyword: str | None = None  # what a string continuation line adds to
        self.locations: list[str] = []
        self.previous: list[str] | None = None
        self.previous_keyword: str | None = None
        self.previous_done = False

    def error(self, line: int, problem: str) -> PoSyntaxError:
        return PoSyntaxError(self.path, line, problem)

    def check(self, lines: list[str]) -> list[str]:
        """Check ``lines``; return them with the lines babel cannot read blanked out."""
        for number, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line:
                continue
            if line.startswith(("#|", "#~|")):
                self.previous_line(number, line[3:] if line.startswith("#~|") else line[2:])
                lines[number - 1] = ""
            elif line.startswith("#~"):
                self.message_line(number, line[2:].strip(), obsolete=True)
            elif line.startswith("#-"):
                raise self.error(number, "merge conflict markers; resolve the conflict first")
            elif line.startswith("#"):
                self.comment_line(number, line)
            else:
                self.message_line(number, line, obsolete=False)
        self.finish_entry(len(lines))
        if self.context is not None:
            raise self.error(self.context_line, "msgctxt without a msgid after it")
        return lines

    def comment_line(self, number: int, line: str) -> None:
        if self.current is not None and not self.current.has_msgstr:
            raise self.error(number, "a comment between msgid and msgstr")
        self.finish_entry(number)
        if self.context is not None:
            raise self.error(number, "a comment between msgctxt and msgid")
        if line.startswith("#:"):
            self.locations.extend(line[2:].split())

    def previous_line(self, number: int, body: str) -> None:
        body = body.strip()
        if body.startswith('"'):
            self.string(number, body)
            if self.previous is not None and self.previous_keyword == "msgid":
                self.previous.append(unescape(body))
            return
        match = _KEYWORD.fullmatch(body)
        if not match:
            raise self.error(number, f"cannot read the previous-msgid line {body!r}")
        self.string(number, match.group(2))
        self.previous_keyword = match.group(1)
        if match.group(1) == "msgid":
            self.previous = [unescape(match.group(2))]

    def message_line(self, number: int, body: str, *, obsolete: bool) -> None:
        if body.startswith('"'):
            self.string(number, body)
            text = unescape(body)
            if self.keyword == "msgctxt" and self.context is not None:
                self.context.append(text)
            elif self.keyword == "msgid" and self.current is not None:
                self.current.msgid.append(text)
            elif self.keyword is None:
                raise self.error(number, "a quoted string with no msgid or msgstr before it")
            return
        match = _KEYWORD.fullmatch(body)
        if not match:
            word = body.split()[0] if body.split() else body
            raise self.error(
                number, f"unknown keyword {word!r}; expected msgid, msgstr or a string"
            )
        keyword, argument = match.groups()
        if keyword == "msgid_plural":
            raise WarraqError(
                f"{self.path}, line {number}: a plural entry (msgid_plural); warraq's entries are "
                "sentences and use no plurals: remove this entry"
            )
        self.string(number, argument)
        text = unescape(argument)
        if keyword == "msgctxt":
            self.finish_entry(number)
            self.context, self.context_line = [text], number
        elif keyword == "msgid":
            self.finish_entry(number)
            self.current = _Entry(number, obsolete, self.locations, self.joined_previous())
            self.current.context, self.current.msgid = self.context, [text]
            self.locations, self.context = [], None
        elif self.current is None or (keyword == "msgid_plural" and self.current.has_msgstr):
            raise self.error(number, f"{keyword} without a msgid before it")
        else:
            if self.current.obsolete != obsolete:
                raise self.error(number, "an entry that mixes obsolete (#~) and active lines")
            if keyword.startswith("msgstr"):
                self.current.has_msgstr = True
        self.keyword = keyword.split("[")[0]

    def string(self, number: int, text: str) -> None:
        if not _STRING.fullmatch(text):
            raise self.error(
                number, "a string that is unterminated, has an unescaped quote or a bad escape"
            )

    def joined_previous(self) -> str | None:
        previous = "".join(self.previous) if self.previous is not None else None
        self.previous, self.previous_keyword = None, None
        return previous

    def finish_entry(self, number: int) -> None:
        entry = self.current
        if entry is None:
            return
        if not entry.has_msgstr:
            raise self.error(entry.line, "msgid without msgstr")
        self.entries.append(entry)
        self.current, self.keyword = None, None


def parse_po(data: bytes, path: Path, *, locale: str | None = None) -> PoCatalog:
    """Read PO (or POT) ``data`` from ``path``; any problem names the file and line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WarraqError(
            f"{path}: not UTF-8 (byte offset {error.start}); save it as UTF-8"
        ) from None
    text = text.removeprefix("\ufeff")
    checker = _Checker(path)
    lines = checker.check(text.split("\n"))
    seen: dict[tuple[str | None, str], int] = {}
    for entry in checker.entries:
        if entry.obsolete:
            continue
        key = ("".join(entry.context) if entry.context is not None else None, "".join(entry.msgid))
        if key in seen:
            raise PoSyntaxError(
                path, entry.line, f"the same msgid as line {seen[key]}; merge the two entries"
            )
        seen[key] = entry.line
    catalog = PoCatalog(locale=locale)
    try:
        PoFileParser(catalog, abort_invalid=True).parse(lines)
    except PoFileError as error:
        raise PoSyntaxError(path, error.lineno + 1, str(error).rsplit(" on ", 1)[0]) from None
    except ValueError as error:
        raise PoSyntaxError(path, None, str(error)) from None
    by_line = {entry.line: entry for entry in checker.entries}
    for message in [*catalog.messages(), *catalog.obsolete.values()]:
        found = by_line.get(message.lineno or 0)
        if found is not None:
            message.locations = [reference(location) for location in found.locations]
            message.previous_id = [found.previous_id] if found.previous_id is not None else []
        message.flags -= _AUTOMATIC_FLAGS
    return catalog


def reference(location: str) -> tuple[str, int]:
    """A reference (``#:``) written as given: babel types its line as an int, but allows none."""
    return cast(tuple[str, int], (location, None))


def read_po_file(path: Path, *, locale: str | None = None) -> PoCatalog:
    """Read the PO or POT file at ``path``."""
    return parse_po(path.read_bytes(), path, locale=locale)


# Writing ---------------------------------------------------------------------


def render_po(catalog: PoCatalog, *, header: bool = True) -> bytes:
    """The PO text of ``catalog``: header, messages in order, then obsolete messages.

    With ``header=False``, only the messages: what changes when a translation does.
    """
    lines: list[str] = []
    if header:
        lines.extend(_comment("", comment) for comment in catalog.header_comments)
        if catalog.header_fuzzy:
            lines.append("#, fuzzy")
        lines += ['msgid ""', 'msgstr ""']
        lines.extend(
            normalize(f"{name}: {value}\n", width=0) for name, value in catalog.header_fields
        )
    for message in catalog.messages():
        if lines:
            lines.append("")
        lines.extend(_message_lines(message, obsolete=False))
    for message in catalog.obsolete.values():
        if lines:
            lines.append("")
        lines.extend(_message_lines(message, obsolete=True))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _comment(prefix: str, text: str) -> str:
    text = " ".join(text.splitlines())
    return f"#{prefix} {text}" if text else f"#{prefix}"


def _message_lines(message: Message, *, obsolete: bool) -> list[str]:
    lines = [_comment("", comment) for comment in message.user_comments]
    lines += [_comment(".", comment) for comment in message.auto_comments]
    if not obsolete:
        lines += _location_lines(
            [name if not line else f"{name}:{line}" for name, line in message.locations]
        )
    flags = sorted(message.flags - _AUTOMATIC_FLAGS)
    if flags:
        lines.append("#, " + ", ".join(flags))
    if message.previous_id and not obsolete:
        lines.append("#| msgid " + normalize(message.previous_id[0], prefix="#| ", width=0))
    prefix = "#~ " if obsolete else ""

    def keyword(name: str, value: str) -> str:
        return f"{prefix}{name} {normalize(value, prefix=prefix, width=0)}"

    if message.context is not None:
        lines.append(keyword("msgctxt", message.context))
    if isinstance(message.id, (list, tuple)):
        lines.append(keyword("msgid", message.id[0]))
        lines.append(keyword("msgid_plural", message.id[1]))
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        lines.extend(
            keyword(f"msgstr[{index}]", value or "") for index, value in enumerate(strings)
        )
    else:
        lines.append(keyword("msgid", message.id))
        lines.append(keyword("msgstr", str(message.string or "")))
    return lines


def _location_lines(locations: list[str]) -> list[str]:
    lines: list[str] = []
    current = "#:"
    for location in locations:
        if current != "#:" and len(current) + 1 + len(location) > _LOCATION_WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + location
    if current != "#:":
        lines.append(current)
    return lines
