"""The command line: help everywhere, version, structure output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest

from warraq import __version__
from warraq.cli import cli

from .conftest import FIXTURES, SAMPLE_SOURCE, Runner


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


def test_help_on_every_command(warraq: Runner) -> None:
    commands = _commands(cli)
    assert ("structure",) in commands
    for command in [(), *commands]:
        result = warraq(*command, "--help")
        assert result.exit_code == 0, command
        assert "Usage: warraq" in result.stdout


def test_version(warraq: Runner) -> None:
    result = warraq("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_structure_outline(warraq: Runner) -> None:
    result = warraq("structure", str(SAMPLE_SOURCE))
    assert result.exit_code == 0
    assert "4 headings, 15 paragraphs" in result.stdout
    assert "'Thank you!'" in result.stdout and "residue" in result.stdout


def test_structure_json(warraq: Runner) -> None:
    result = warraq("structure", str(SAMPLE_SOURCE), "--json")
    data = json.loads(result.stdout)
    assert data["schema_version"] == 2 and data["notes"] == []
    types = [block["type"] for block in data["blocks"]]
    assert types.count("heading") == 4 and types.count("paragraph") == 15
    assert all(
        set(segment) == {"id", "text"} for block in data["blocks"] for segment in block["segments"]
    )


def test_unknown_command_is_a_usage_error(warraq: Runner) -> None:
    result = warraq("bulid")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


@pytest.mark.parametrize(
    ("command", "value", "expected"),
    [
        (["check", "--to"], "xx", "'xx' is not a target language"),
        (["status", "--to"], "fr,../x", "'../x' is not a language code"),
        (["check", "--to"], "../../x", "is not a language code"),
        (["status", "--to"], "../../x", "is not a language code"),
        (["status", "--to"], "zz", "'zz' is not a target language"),
        (["check", "--document"], "nosuch", "no document named 'nosuch'"),
    ],
)
def test_unknown_languages_and_documents_are_errors(
    sample_project: Path, warraq: Runner, command: list[str], value: str, expected: str
) -> None:
    result = warraq(*command, value, cwd=sample_project)
    assert result.exit_code != 0
    assert expected in result.stderr
    assert "no findings" not in result.stdout


def test_to_is_repeatable_and_comma_separated(sample_project: Path, warraq: Runner) -> None:
    for arguments in (["--to", "fr", "--to", "en"], ["--to", "fr,en"]):
        result = warraq("status", "--json", *arguments, cwd=sample_project)
        assert result.exit_code == 0, result.stderr
        assert [row["language"] for row in json.loads(result.stdout)] == ["fr", "en"]


def test_help_lists_every_command_whole_and_hides_the_test_engine(warraq: Runner) -> None:
    top = warraq("--help").stdout
    commands = top.split("Commands:")[1].strip().splitlines()
    assert len(commands) == len(cli.commands)
    assert not [line for line in commands if line.rstrip().endswith("...")]
    assert "fake" not in warraq("translate", "--help").stdout


def test_check_takes_a_source_like_the_other_commands(tmp_path: Path, warraq: Runner) -> None:
    takes_source = {
        name
        for name, command in cli.commands.items()
        if any(isinstance(p, click.Argument) and p.name == "source" for p in command.params)
    }
    assert takes_source == {"structure", "translate", "status", "check", "build", "watch"}
    shutil.copy2(FIXTURES / "sources" / "water.ar.md", tmp_path / "article.md")
    assert warraq("translate", "--update-only", "article.md", cwd=tmp_path).exit_code == 0
    result = warraq("check", "article.md", "--to", "en", "--json", cwd=tmp_path)
    assert result.exit_code == 1, result.stderr
    findings = json.loads(result.stdout)
    assert findings and {(f["document"], f["language"]) for f in findings} == {("article", "en")}
    assert {f["check"] for f in findings} == {"missing"}
    status = warraq("status", "article.md", "--to", "en", "--json", cwd=tmp_path)
    assert json.loads(status.stdout)[0]["errors"] == len(findings)  # the same findings


def test_to_and_document_are_the_same_option_in_every_command() -> None:
    options: dict[str, set[tuple[str | None, str | None, bool]]] = {
        "--to": set(),
        "--document": set(),
    }
    users: dict[str, set[str]] = {"--to": set(), "--document": set()}
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and param.opts[0] in options:
                options[param.opts[0]].add((param.metavar, param.help, param.multiple))
                users[param.opts[0]].add(name)
    assert users["--document"] == {"translate", "check", "status", "build", "watch"}
    assert users["--to"] >= users["--document"]
    assert all(len(found) == 1 for found in options.values()), options
