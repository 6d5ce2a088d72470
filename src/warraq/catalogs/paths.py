"""Where a document's template and catalogs live, and how babel names their locales."""

from __future__ import annotations

from pathlib import Path

from warraq.config import Project


def template_path(project: Project, document: str) -> Path:
    """``locales/<document>.pot``."""
    return project.path(project.locales_dir) / f"{document}.pot"


def catalog_path(project: Project, document: str, language: str) -> Path:
    """``locales/<language>/LC_MESSAGES/<document>.po``."""
    return project.path(project.locales_dir) / language / "LC_MESSAGES" / f"{document}.po"


def babel_locale(language: str) -> str:
    """A language tag as babel names locales: ``pt-BR`` is ``pt_BR``."""
    return language.replace("-", "_")


def notes_path(project: Project, document: str, language: str) -> Path:
    """``locales/<language>/LC_MESSAGES/<document>.notes.md``: the translator's notes."""
    return catalog_path(project, document, language).with_suffix(".notes.md")
