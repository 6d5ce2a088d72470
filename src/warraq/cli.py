"""The ``warraq`` command line: parse arguments, call the pipeline, report errors."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from warraq import __version__
from warraq.build import PDF_VARIANTS, BuildOptions, build
from warraq.check import CHECKS, check_project, format_findings
from warraq.config import FORMATS, Format, Project, load_project, single_source_project
from warraq.errors import WarraqError
from warraq.model import document_to_json
from warraq.outline import outline
from warraq.structure import structure_source
from warraq.watch import watch


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="warraq")
@click.option(
    "-C",
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Project directory (holding warraq.toml).",
)
@click.pass_context
def cli(ctx: click.Context, project_dir: Path) -> None:
    """warraq: Arabic sources to bilingual PDF and EPUB editions.

    Structure a source, machine-translate it into gettext catalogs, correct
    the catalogs by hand, and build side-by-side editions that read offline.
    """
    ctx.obj = project_dir


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the document model as JSON.")
@click.option(
    "--language",
    default=None,
    help="Source language (default: the front matter's, else ar).",
)
def structure(source: Path, as_json: bool, language: str | None) -> None:
    """Read SOURCE and show its structure: headings, paragraphs, segments."""
    document = structure_source(source, language=language)
    click.echo(document_to_json(document) if as_json else outline(document), nl=False)


def _languages(value: str | None) -> tuple[str, ...] | None:
    """``fr,en`` as ``("fr", "en")``."""
    if value is None:
        return None
    languages = tuple(part.strip() for part in value.split(",") if part.strip())
    if not languages:
        raise WarraqError("--to: give at least one language, e.g. --to fr,en")
    return languages


def _project(ctx: click.Context, source: Path | None, targets: tuple[str, ...] | None) -> Project:
    """The project in the -C directory, or a one-document project around SOURCE."""
    root: Path = ctx.obj
    if source is None:
        return load_project(root)
    return single_source_project(source, root=root, targets=targets or ("fr", "en"))


def _build_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options shared by ``build`` and ``watch``."""
    options = [
        click.argument("source", required=False, type=click.Path(path_type=Path)),
        click.option(
            "--to", "to", metavar="LANGS", help="Target languages, comma-separated (fr,en)."
        ),
        click.option(
            "--format",
            "formats",
            type=click.Choice(FORMATS),
            multiple=True,
            help="Output format; repeat for several (default: the edition's, pdf and epub).",
        ),
        click.option("--document", "documents", multiple=True, help="Build only this document."),
        click.option(
            "--output",
            type=click.Path(file_okay=False, path_type=Path),
            help="Output folder (default: build/).",
        ),
        click.option(
            "--draft",
            is_flag=True,
            help="Build despite missing or out-of-date translations, marked.",
        ),
        click.option(
            "--reviewed-only", is_flag=True, help="Refuse unreviewed machine translation."
        ),
        click.option(
            "--pdf-variant", type=click.Choice(PDF_VARIANTS), help="Archival or tagged PDF."
        ),
        click.option("--force", is_flag=True, help="Rebuild every output, even those up to date."),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            help="Parallel processes (default: one per core).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _options(
    to: str | None,
    formats: tuple[Format, ...],
    documents: tuple[str, ...],
    output: Path | None,
    draft: bool,
    reviewed_only: bool,
    pdf_variant: str | None,
    force: bool,
    jobs: int | None,
) -> BuildOptions:
    return BuildOptions(
        formats=formats or None,
        languages=_languages(to),
        documents=documents or None,
        output_dir=output,
        draft=draft,
        reviewed_only=reviewed_only,
        pdf_variant=pdf_variant,
        force=force,
        jobs=jobs,
    )


@cli.command(name="build")
@_build_options
@click.pass_context
def build_command(ctx: click.Context, /, source: Path | None, **settings: Any) -> None:
    """Build the bilingual editions from the catalogs (offline; never translates).

    With SOURCE and no warraq.toml, builds that one file with default settings
    into build/, like pandoc. Outputs whose inputs did not change are kept.
    """
    options = _options(**settings)
    build(_project(ctx, source, options.languages), options, report=click.echo)


@cli.command(name="watch")
@_build_options
@click.pass_context
def watch_command(ctx: click.Context, /, source: Path | None, **settings: Any) -> None:
    """Build, then rebuild the affected editions whenever an input changes (Ctrl-C stops)."""
    options = _options(**settings)
    watch(lambda: _project(ctx, source, options.languages), options, report=click.echo)


@cli.command(name="check")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--document", "documents", multiple=True, help="Check only this document.")
@click.option("--to", "to", metavar="LANGS", help="Check only these languages (fr,en).")
@click.option("--list", "list_checks", is_flag=True, help="List the checks and exit.")
@click.pass_context
def check_command(
    ctx: click.Context,
    as_json: bool,
    documents: tuple[str, ...],
    to: str | None,
    list_checks: bool,
) -> None:
    """Check the translations: missing, untranslated, numbers, punctuation, glossary...

    Exits with status 1 when an error-level finding exists.
    """
    if list_checks:
        click.echo(f"{'missing':20} {'error':8} no translation (the other checks need one)")
        click.echo(f"{'stale':20} {'warning':8} the source changed since it was translated")
        for check in CHECKS.values():
            click.echo(f"{check.name:20} {check.level:8} {check.description}")
        return
    project = load_project(ctx.obj)
    findings = check_project(project, documents=documents or None, languages=_languages(to))
    if as_json:
        click.echo(
            json.dumps([dataclasses.asdict(f) for f in findings], ensure_ascii=False, indent=2)
        )
    else:
        click.echo(format_findings(findings), nl=False)
    if any(f.level == "error" for f in findings):
        ctx.exit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command line, turning user errors into one-line messages."""
    try:
        # Without standalone mode, click returns ctx.exit()'s code instead of exiting.
        code = cli.main(args=argv, prog_name="warraq", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except WarraqError as error:
        click.echo(f"warraq: error: {error.message}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("warraq: aborted", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("warraq: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
