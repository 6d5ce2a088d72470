"""The ``warraq`` command line: parse arguments, call the pipeline, report errors."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from warraq import __version__
from warraq.build.pipeline import BuildOptions, build
from warraq.build.watch import watch
from warraq.catalogs.memory import export_memory, import_compendium
from warraq.checks.outputs import verify_outputs
from warraq.checks.status import project_status, require_complete, status_json, status_table
from warraq.checks.translations import CHECKS, check_project, format_findings
from warraq.config import CONFIG_NAME, FORMATS, Format, Project, load_project, single_source_project
from warraq.document.model import document_to_json
from warraq.document.outline import outline
from warraq.document.structure import structure_source
from warraq.errors import WarraqError
from warraq.init import init_project
from warraq.render.pdf import PDF_VARIANTS
from warraq.selection import split_languages
from warraq.translate import ENGINES, ModelsMissing, TranslateOptions, translate
from warraq.translate.index import available_packages, index_url, install_pair
from warraq.translate.models import (
    install_package,
    installed_packages,
    is_pair,
    packages_dir,
    pivot_routes,
)
from warraq.util.progress import progress_for


class _Commands(click.Group):
    """click's group, but Ctrl-C in a command ends it with warraq's one line.

    (click would print an empty line first, and lose what the command said was saved.)
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as interrupt:
            _interrupted(interrupt)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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


@cli.command(short_help="Show how warraq reads a source.")
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


def _to_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--to``: target languages, repeatable and comma-separated, the same in every command."""
    return click.option(
        "--to",
        "to",
        metavar="LANGS",
        multiple=True,
        help="Target languages: comma-separated or repeated (--to fr,en; --to fr --to en).",
    )(command)


def _document_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--document``: one document of warraq.toml, repeatable, the same in every command."""
    return click.option(
        "--document",
        "documents",
        metavar="NAME",
        multiple=True,
        help="Only this document (its name in warraq.toml); repeatable.",
    )(command)


@cli.command(name="init", short_help="Start a project around some sources.")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@_to_option
@click.pass_context
def init_command(ctx: click.Context, sources: tuple[Path, ...], to: tuple[str, ...]) -> None:
    """Create warraq.toml, seeds/, locales/, templates/, .gitignore and glossary.toml.

    One document per SOURCE (default: the files in seeds/), named from its file
    name and titled from its metadata or first heading; sources outside the
    project are copied into seeds/. No existing file is overwritten.
    """
    result = init_project(ctx.obj, list(sources), targets=split_languages(to) or ())
    for path in result.created:
        click.echo(f"created {path}{'/' if (result.root / path).is_dir() else ''}")
    for document in result.documents:
        count = len(document.omitted)
        left = f"; {count} passage{'s' if count > 1 else ''} left out" if count else ""
        click.echo(f"document {document.name}: {document.source}{left}")
        if document.omitted:
            click.echo(f"  see them with: warraq structure {document.source}")
    languages = ", ".join(result.target_languages)
    click.echo(
        f"from {result.source_language} into {languages}; next: warraq translate, "
        "then warraq build (or warraq build --draft before the catalogs are reviewed)"
    )


def _project(ctx: click.Context, source: Path | None, targets: tuple[str, ...] | None) -> Project:
    """The project in the -C directory, or a one-document project around SOURCE."""
    root: Path = ctx.obj
    if source is None:
        return load_project(root)
    return single_source_project(source, root=root, targets=targets or ("fr", "en"))


def _build_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options shared by ``build`` and ``watch``."""
    options: list[Callable[[Callable[..., None]], Callable[..., None]]] = [
        click.argument("source", required=False, type=click.Path(path_type=Path)),
        _to_option,
        click.option(
            "--format",
            "formats",
            type=click.Choice(FORMATS),
            multiple=True,
            help="Output format; repeat for several (default: the edition's, pdf and epub).",
        ),
        _document_option,
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
            "--chunks",
            is_flag=True,
            help="Typeset PDFs chapter by chapter, in parallel, again only where changed.",
        ),
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
    to: tuple[str, ...],
    formats: tuple[Format, ...],
    documents: tuple[str, ...],
    output: Path | None,
    draft: bool,
    reviewed_only: bool,
    pdf_variant: str | None,
    force: bool,
    chunks: bool,
    jobs: int | None,
) -> BuildOptions:
    return BuildOptions(
        formats=formats or None,
        languages=split_languages(to),
        documents=documents or None,
        output_dir=output,
        draft=draft,
        reviewed_only=reviewed_only,
        pdf_variant=pdf_variant,
        force=force,
        chunks=chunks,
        jobs=jobs,
    )


@cli.command(name="build", short_help="Build the editions from the catalogs (offline).")
@_build_options
@click.pass_context
def build_command(ctx: click.Context, /, source: Path | None, **settings: Any) -> None:
    """Build the bilingual editions from the catalogs (offline; never translates).

    With SOURCE and no warraq.toml, builds that one file with default settings
    into build/, like pandoc. Outputs whose inputs did not change are kept.
    """
    options = _options(**settings)
    build(_project(ctx, source, options.languages), options, report=click.echo)


@cli.command(name="watch", short_help="Build, then rebuild whenever an input changes.")
@_build_options
@click.pass_context
def watch_command(ctx: click.Context, /, source: Path | None, **settings: Any) -> None:
    """Build, then rebuild the affected editions whenever an input changes (Ctrl-C stops)."""
    options = _options(**settings)
    root: Path = ctx.obj
    watch(
        lambda: _project(ctx, source, options.languages),
        options,
        report=click.echo,
        files=[root / CONFIG_NAME] if source is None else [source],
    )


@cli.command(name="check", short_help="Check the translations (and the outputs).")
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@_document_option
@_to_option
@click.option("--list", "list_checks", is_flag=True, help="List the checks and exit.")
@click.option(
    "--outputs",
    is_flag=True,
    help="Also validate build/: EPUBCheck, PDF fonts, every segment in every output.",
)
@click.pass_context
def check_command(
    ctx: click.Context,
    source: Path | None,
    as_json: bool,
    documents: tuple[str, ...],
    to: tuple[str, ...],
    list_checks: bool,
    outputs: bool,
) -> None:
    """Check the translations: missing, untranslated, numbers, punctuation, glossary...

    Exits with status 1 when an error-level finding exists.
    With SOURCE and no warraq.toml, checks that one file's catalogs (in locales/).
    """
    if list_checks:
        for check in CHECKS.values():
            click.echo(f"{check.name:20} {check.level:8} {check.description}")
        return
    languages = split_languages(to)
    project = _project(ctx, source, languages)
    findings = check_project(project, documents=documents or None, languages=languages)
    if outputs:
        findings += verify_outputs(
            project,
            documents=documents or None,
            languages=languages,
            progress=progress_for(sys.stderr, unit="outputs", interval=0),
        )
    if as_json:
        click.echo(
            json.dumps([dataclasses.asdict(f) for f in findings], ensure_ascii=False, indent=2)
        )
    else:
        click.echo(format_findings(findings), nl=False)
    if any(f.level == "error" for f in findings):
        ctx.exit(1)


@cli.command(name="translate", short_help="Update the catalogs; translate what is new.")
@click.argument("source", required=False, type=click.Path(path_type=Path))
@_to_option
@click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    metavar="ENGINE",  # the choices include the tests' double, which users need not see
    help="Machine-translation engine: argos (default: the project's).",
)
@_document_option
@click.option("--wait", is_flag=True, help="If another run holds the catalogs, wait for it.")
@click.option(
    "--update-only",
    is_flag=True,
    help="Update the template and catalogs from the source; translate nothing.",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Translate on a Dask cluster, e.g. tcp://10.0.0.5:8786 (default: [translate] cluster).",
)
@click.pass_context
def translate_command(
    ctx: click.Context,
    source: Path | None,
    to: tuple[str, ...],
    engine: str | None,
    documents: tuple[str, ...],
    wait: bool,
    update_only: bool,
    cluster: str | None,
) -> None:
    """Update the catalogs from the source and machine-translate what is new or changed.

    Entries a person wrote or reviewed are never replaced. Machine translations
    are marked fuzzy, with a "machine translation" comment, until reviewed.
    Sentences the translation memory knows (every catalog of the project, and
    the compendia) are filled from it without the engine.
    With SOURCE and no warraq.toml, works on that one file (catalogs in locales/).
    """
    targets = split_languages(to)
    project = _project(ctx, source, targets)
    options = TranslateOptions(
        languages=targets,
        documents=documents or None,
        engine=engine,
        wait=wait,
        update_only=update_only,
        cluster=cluster,
    )
    try:
        summaries = translate(
            project,
            options,
            progress=progress_for(sys.stderr),
            report=lambda line: click.echo(line, err=True),
        )
    except ModelsMissing as error:
        for summary in error.summaries:
            click.echo(summary.line())
        raise
    for summary in summaries:
        click.echo(summary.line())
        if summary.refused:
            for text in summary.refused[:5]:
                click.echo(f"  refused: {text[:60]}", err=True)


@cli.command(name="status", short_help="How much is reviewed, machine, fuzzy, missing.")
@click.argument("source", required=False, type=click.Path(path_type=Path))
@_to_option
@_document_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.option(
    "--require-complete",
    "require_complete_",
    is_flag=True,
    help="Exit non-zero when any translation is missing or out of date.",
)
@click.pass_context
def status_command(
    ctx: click.Context,
    source: Path | None,
    to: tuple[str, ...],
    documents: tuple[str, ...],
    as_json: bool,
    require_complete_: bool,
) -> None:
    """Show, per document and language, how many segments are reviewed, machine, fuzzy, missing.

    reviewed: written or checked by a person; machine: machine translation nobody
    has reviewed; fuzzy: the source changed since it was translated; missing: no
    translation.
    """
    targets = split_languages(to)
    project = _project(ctx, source, targets)
    rows = project_status(project, documents or None, targets)
    click.echo(status_json(rows) if as_json else status_table(rows), nl=False)
    if require_complete_:
        require_complete(rows)


@cli.group(name="tm", short_help="Export and import the translation memory.")
def tm() -> None:
    """The translation memory: export the reviewed translations, import compendia."""


@tm.command(name="export")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["tmx", "po"]),
    default="tmx",
    show_default=True,
    help="TMX 1.4b (every language in one file) or a compendium PO (one language).",
)
@click.option("--to", "to", metavar="LANG", multiple=True, help="The language of a PO compendium.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: build/translation-memory.tmx or .LANG.po).",
)
@click.pass_context
def tm_export(ctx: click.Context, format_: str, to: tuple[str, ...], output: Path | None) -> None:
    """Write the project's reviewed translations as TMX or as a compendium PO."""
    project = load_project(ctx.obj)
    path, count = export_memory(project, format_, split_languages(to), output)
    click.echo(f"wrote {count} reviewed translations to {path}")


@tm.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a compendium of the same name.")
@click.pass_context
def tm_import(ctx: click.Context, file: Path, replace: bool) -> None:
    """Add FILE (a PO compendium or a TMX file) to the translation memory."""
    project = load_project(ctx.obj)
    target, counts = import_compendium(project, file, replace=replace)
    languages = ", ".join(f"{language}: {count}" for language, count in counts.items())
    click.echo(f"imported {file} as {target} ({languages}); warraq translate now uses it")


@cli.group(name="models", short_help="Install and list the translation models.")
def models() -> None:
    """Install and list the argos translation models (.argosmodel files)."""


@models.command(name="install")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def models_install(files: tuple[Path, ...]) -> None:
    """Install argos models from .argosmodel FILES (no network needed), or by language pair.

    \b
    warraq models install translate-ar_en-1_0.argosmodel ...
    warraq models install ar fr   (from the Argos package index: ar→en and en→fr)
    """
    directory = packages_dir()
    if is_pair(files):
        source, target = (str(f) for f in files)
        for leg, installed in install_pair(
            source, target, directory=directory, progress=progress_for(sys.stderr, "KB")
        ):
            if installed is None:
                click.echo(f"{leg.pair}: already installed ({leg.name} {leg.version} or newer)")
            else:
                click.echo(f"installed {installed.describe()} in {directory}")
        return
    for file in files:
        package, replaced = install_package(file, directory)
        note = "".join(
            f"; replaced {old.describe()}" for old in replaced if old.path != package.path
        )
        click.echo(f"installed {package.describe()} in {directory}{note}")


@models.command(name="available")
def models_available() -> None:
    """List the language pairs the Argos package index offers (ARGOS_PACKAGE_INDEX)."""
    offered = available_packages()
    installed = {(p.source, p.target): p.version for p in installed_packages(packages_dir())}
    click.echo(f"the package index at {index_url()} offers {len(offered)} models:")
    for package in offered:
        have = installed.get((package.source, package.target))
        note = f"  (installed: {have})" if have else ""
        click.echo(f"  {package.pair:<10} {package.version:<8} {package.name}{note}")
    click.echo("install a pair with: warraq models install SOURCE TARGET, e.g. ar fr")


@models.command(name="list")
def models_list() -> None:
    """List the installed models: language pair, version, package, where."""
    directory = packages_dir()
    packages = installed_packages(directory)
    if not packages:
        click.echo(
            f"no models installed in {directory}; install one with: "
            "warraq models install FILE.argosmodel"
        )
        return
    width = max(len(p.name) for p in packages)
    click.echo(f"models in {directory}:")
    for package in packages:
        click.echo(
            f"  {package.pair:<10} {package.version:<8} {package.name:<{width}}  {package.path}"
        )
    routes = pivot_routes(packages)
    if routes:
        click.echo("through another language:")
        for route in routes:
            pair = f"{route[0].source}→{route[-1].target}"
            click.echo(f"  {pair:<10} " + " + ".join(p.describe() for p in route))


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
    except click.Abort as abort:
        if isinstance(abort.__context__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            _interrupted(abort.__context__)
        click.echo("warraq: aborted", err=True)
        sys.exit(1)
    except KeyboardInterrupt as interrupt:
        _interrupted(interrupt)
    except OSError as error:  # a full disk, a read-only folder, a file where a folder belongs
        where = f"{error.filename}: " if error.filename else ""
        click.echo(
            f"warraq: error: {where}{error.strerror or error}; free space or fix the folder's "
            "permissions, then run again (files are written whole or not at all)",
            err=True,
        )
        sys.exit(1)


def _interrupted(interrupt: KeyboardInterrupt) -> NoReturn:
    """Ctrl-C: one line, with what was saved when the command says, and status 130."""
    saved = f"; {interrupt.args[0]}" if interrupt.args else ""
    click.echo(f"warraq: interrupted{saved}", err=True)
    sys.exit(130)


if __name__ == "__main__":
    main()
