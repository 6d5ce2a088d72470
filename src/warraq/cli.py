"""The ``warraq`` command line: parse arguments, call the pipeline, report errors."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from warraq import __version__
from warraq.build import PDF_VARIANTS, BuildOptions, build
from warraq.config import FORMATS, Format, Project, load_project, single_source_project
from warraq.errors import WarraqError
from warraq.model import document_to_json
from warraq.outline import outline
from warraq.structure import structure_source


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


@cli.command(name="build")
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--to", "to", metavar="LANGS", help="Target languages, comma-separated (fr,en).")
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Output format; repeat for several (default: the edition's, pdf and epub).",
)
@click.option("--document", "documents", multiple=True, help="Build only this document.")
@click.option(
    "--output", type=click.Path(file_okay=False, path_type=Path), help="Output folder (build/)."
)
@click.option(
    "--draft", is_flag=True, help="Build despite missing or out-of-date translations, marked."
)
@click.option("--reviewed-only", is_flag=True, help="Refuse unreviewed machine translation.")
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS), help="Archival or tagged PDF.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Editions rendered at once, each in its own process (default: one per core).",
)
@click.pass_context
def build_command(
    ctx: click.Context,
    source: Path | None,
    to: str | None,
    formats: tuple[Format, ...],
    documents: tuple[str, ...],
    output: Path | None,
    draft: bool,
    reviewed_only: bool,
    pdf_variant: str | None,
    jobs: int | None,
) -> None:
    """Build the bilingual editions from the catalogs (offline; never translates).

    With SOURCE and no warraq.toml, builds that one file with default settings
    into build/, like pandoc.
    """
    targets = _languages(to)
    project = _project(ctx, source, targets)
    options = BuildOptions(
        formats=formats or None,
        languages=targets,
        documents=documents or None,
        output_dir=output,
        draft=draft,
        reviewed_only=reviewed_only,
        pdf_variant=pdf_variant,
        jobs=jobs,
    )
    build(project, options, report=click.echo)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command line, turning user errors into one-line messages."""
    try:
        cli.main(args=argv, prog_name="warraq", standalone_mode=False)
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
