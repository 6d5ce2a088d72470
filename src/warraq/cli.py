"""The ``warraq`` command line: parse arguments, call the pipeline, report errors."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from warraq import __version__
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
