"""Shared fixtures: the repository's paths, project copies, and an in-process CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from warraq.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_SOURCE = REPO / "seeds" / "france-qatar-security.ar.txt"


# Fixtures that typeset whole editions: a test that uses one is slow, whatever its module.
EDITION_FIXTURES = frozenset({"built_sample", "built", "books", "epubcheck_reports"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a built edition ``slow`` (``make test-fast`` leaves it out)."""
    for item in items:
        if EDITION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep every test away from the user's home: argos settings, caches, models."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for name, folder in (
            ("XDG_DATA_HOME", "share"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_CACHE_HOME", "cache"),
            ("ARGOS_PACKAGES_DIR", "argos-packages"),
        ):
            (home / folder).mkdir()
            patch.setenv(name, str(home / folder))
        # Greedy decoding on one thread keeps the argos tests fast; the code path is the same.
        patch.setenv("ARGOS_BEAM_SIZE", "1")
        patch.setenv("ARGOS_INTRA_THREADS", "1")
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        patch.delenv("WARRAQ_FAKE_DELAY", raising=False)
        yield


def msgfmt_check(path: Path) -> None:
    """Assert that GNU msgfmt --check accepts the PO file at ``path``."""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@dataclass
class Result:
    """What one run of the ``warraq`` command printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


Runner = Callable[..., Result]


@pytest.fixture
def warraq(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    """Run ``warraq ARGS...`` in-process, in directory ``cwd`` if given."""

    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = 0
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


EPOCH = "1717200000"  # 2024-06-01T00:00:00Z: the session's SOURCE_DATE_EPOCH for sample builds


def copy_sample(target: Path, *, glossary: bool = False) -> Path:
    """Copy the repository's sample project (configuration, source, catalogs) to ``target``."""
    target.mkdir(parents=True)
    shutil.copy2(REPO / "warraq.toml", target / "warraq.toml")
    shutil.copytree(REPO / "seeds", target / "seeds")
    shutil.copytree(REPO / "locales", target / "locales")
    if glossary:
        shutil.copy2(REPO / "glossary.toml", target / "glossary.toml")
    return target


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of the repository's sample project (configuration, source, catalogs).

    The glossary is left out: tests that need it copy it (see ``with_glossary``).
    """
    return copy_sample(tmp_path / "sample")


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project, with its glossary, and its four editions, built once a session.

    Built with ``SOURCE_DATE_EPOCH`` set. Read it; copy it before changing it.
    """
    from warraq.build.pipeline import BuildOptions, build
    from warraq.config import load_project

    root = copy_sample(tmp_path_factory.mktemp("built") / "sample", glossary=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(load_project(root), BuildOptions(jobs=2))
    return root


@pytest.fixture
def blank_sample(sample_project: Path) -> Path:
    """The sample project without its catalogs."""
    shutil.rmtree(sample_project / "locales")
    return sample_project


def po(project: Path, language: str, document: str = "france-qatar-security") -> Path:
    """The catalog of ``document`` in ``language`` inside ``project``."""
    return project / "locales" / language / "LC_MESSAGES" / f"{document}.po"


def with_glossary(project: Path) -> Path:
    """Give ``project`` the sample's glossary."""
    shutil.copy2(REPO / "glossary.toml", project / "glossary.toml")
    return project


def copy_fixture(relative: str, tmp_path: Path) -> Path:
    """Copy ``tests/fixtures/<relative>`` (a file or a folder) into ``tmp_path``."""
    source = FIXTURES / relative
    target = tmp_path / source.name
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
    return target
