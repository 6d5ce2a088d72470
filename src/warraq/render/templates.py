"""The jinja2 environment: the project's ``templates/`` first, then the package's theme.

Autoescaping is on for every template and an undefined variable is an error,
so a typo in a template fails the build instead of printing nothing.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"


def template_environment(project_templates: Path | None) -> jinja2.Environment:
    """An environment that finds ``name`` in ``project_templates``, else in the theme.

    Template names are paths relative to either folder, e.g. ``pdf/book.html.j2``.
    """
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(project_templates))
    loaders.append(jinja2.FileSystemLoader(THEME_DIR))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def find_asset(name: str, project_templates: Path | None) -> Path | None:
    """The file ``name`` (e.g. ``pdf/book.css``) in the project's templates, else the theme."""
    for folder in (project_templates, THEME_DIR):
        if folder is None:
            continue
        candidate = (folder / name).resolve()
        if candidate.is_file() and candidate.is_relative_to(folder.resolve()):
            return candidate
    return None
