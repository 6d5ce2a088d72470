"""The jinja2 environment: the project's ``templates/`` first, then the package's theme.

Templates run sandboxed (jinja2's ``SandboxedEnvironment``): they can read the
values warraq gives them, but not Python's internals, so a shared theme or a
cloned project cannot run code. The loader reads only files that are inside
the project's templates folder or the theme once symbolic links are resolved.
Autoescaping is on for every template and an undefined variable is an error,
so a typo in a template fails the build instead of printing nothing.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from jinja2.exceptions import SecurityError

from warraq.errors import WarraqError

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
THEME_PREFIX = "warraq"
"""Templates named ``warraq/<name>`` are always the theme's, so that a project's
``pdf/book.html.j2`` can ``{% extends "warraq/pdf/book.html.j2" %}``."""


class TemplateOutside(jinja2.TemplateError):
    """A template file that resolves to a place outside the templates folder and the theme."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses files whose real path lies outside its folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The source of ``template``, if its real path is inside the folder."""
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not real.is_relative_to(self.folder):
            raise TemplateOutside(
                f"{filename} leads to {real}, outside {self.folder}; templates may "
                "only read files inside the templates folder and warraq's theme"
            )
        return source, filename, uptodate


def template_environment(project_templates: Path | None) -> jinja2.Environment:
    """A sandboxed environment that finds ``name`` in ``project_templates``, else in the theme.

    Template names are paths relative to either folder, e.g. ``pdf/book.html.j2``;
    ``warraq/pdf/book.html.j2`` is always the theme's.
    """
    theme = ConfinedLoader(THEME_DIR)
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({THEME_PREFIX: theme})]
    if project_templates is not None and project_templates.is_dir():
        loaders.append(ConfinedLoader(project_templates))
    loaders.append(theme)
    return jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(environment: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name``; a mistake in it is a one-line error naming its file and line."""
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or name}, line {error.lineno}"
        raise WarraqError(f"{where}: {error.message}; fix the template") from None
    except jinja2.TemplateError as error:
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.endswith(".j2")
        ]
        where = f"{frames[-1].filename}, line {frames[-1].lineno}" if frames else name
        if isinstance(error, SecurityError):
            raise WarraqError(
                f"{where}: {error} Templates run sandboxed and cannot reach Python's "
                "internals; remove it from the template"
            ) from None
        raise WarraqError(f"{where}: {error}; fix the template") from None


def find_asset(name: str, project_templates: Path | None) -> Path | None:
    """The file ``name`` (e.g. ``pdf/extra.css``) in the project's templates, else the theme."""
    for folder in (project_templates, THEME_DIR):
        if folder is None:
            continue
        candidate = (folder / name).resolve()
        if candidate.is_file() and candidate.is_relative_to(folder.resolve()):
            return candidate
    return None


def project_stylesheet(project_templates: Path, name: str) -> str:
    """The project's optional ``name`` (``pdf/extra.css``), appended after the theme's CSS.

    Empty when absent; a file that leads outside the templates folder is refused.
    """
    path = project_templates / name
    if not path.exists():
        return ""
    real = path.resolve()
    if not real.is_file() or not real.is_relative_to(project_templates.resolve()):
        raise WarraqError(
            f"{path} leads to {real}, outside {project_templates}; "
            "put the stylesheet itself in the templates folder"
        )
    try:
        text = real.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise WarraqError(f"{path}: not UTF-8 ({error.reason}); save it as UTF-8") from None
    if "</style" in text.lower():
        raise WarraqError(f"{path}: a stylesheet may not contain '</style'; remove it")
    return text
