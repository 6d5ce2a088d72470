"""Runs of formatted text (bold, italic) as the Markdown-style emphasis markup segments keep."""

from __future__ import annotations

from dataclasses import dataclass

from warraq.document.inline import plain_text
from warraq.document.text import normalise_spaces

_SPECIAL = "\\*_"


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a paragraph's text with its formatting."""

    text: str
    bold: bool = False
    italic: bool = False


def escape(text: str) -> str:
    r"""Escape the characters inline markup reads, so that they stay literal.

    >>> escape("a*b_c\\")
    'a\\*b\\_c\\\\'
    """
    return "".join("\\" + char if char in _SPECIAL else char for char in text)


def runs_to_markup(runs: list[Run]) -> tuple[str, bool]:
    """The runs as one normalised text with ``*emphasis*`` and ``**strong**``.

    Returns the text and whether some emphasis had to be dropped (where two
    differently formatted runs meet inside a word, markup cannot say it); the
    letters are always kept: ``plain_text`` of the result is the runs' text.
    """
    groups: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if groups and (groups[-1].bold, groups[-1].italic) == (run.bold, run.italic):
            groups[-1] = Run(groups[-1].text + run.text, run.bold, run.italic)
        else:
            groups.append(run)
    plain = normalise_spaces("".join(run.text for run in groups))
    dropped = False
    parts: list[str] = []
    previous_marked = False
    for run in groups:
        core = run.text.strip()
        marker = ("**" if run.bold else "") + ("*" if run.italic else "")
        if not core or not marker:
            parts.append(escape(run.text))
            previous_marked = False
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip())]
        trail = run.text[len(run.text.rstrip()) :]
        if previous_marked and not lead:
            dropped = True  # touches the previous formatted run: keep its letters only
            parts.append(escape(run.text))
            previous_marked = False
            continue
        parts.append(f"{lead}{marker}{escape(core)}{marker}{trail}")
        previous_marked = not trail
    text = normalise_spaces("".join(parts))
    if plain_text(text, "markdown") != plain:
        return escape(plain), True
    return text, dropped
