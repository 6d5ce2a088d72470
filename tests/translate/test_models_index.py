"""``warraq models install SOURCE TARGET`` and ``models available``, from an index on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import Runner
from tests.tiny_argos import build_argosmodel
from warraq.translate.models import installed_packages


class _Quiet(SimpleHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        _Quiet.requests.append(self.path)


@pytest.fixture(scope="module")
def argosmodels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("index-models")
    return {
        "ar_en": build_argosmodel(folder, "ar", "en", seed=11),
        "en_fr": build_argosmodel(folder, "en", "fr", seed=12),
    }


@pytest.fixture
def index(
    tmp_path: Path, argosmodels: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A real HTTP server on 127.0.0.1 serving index.json and the models, as ARGOS_PACKAGE_INDEX."""
    root = tmp_path / "index"
    root.mkdir()
    for path in argosmodels.values():
        shutil.copy2(path, root / path.name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    entries = []
    for pair, path in sorted(argosmodels.items()):
        source, target = pair.split("_")
        entry = {
            "package_version": "1.0",
            "argos_version": "1.0",
            "from_code": source,
            "from_name": {"ar": "Arabic", "en": "English"}[source],
            "to_code": target,
            "to_name": {"en": "English", "fr": "French"}[target],
            "links": [f"{base}{path.name}"],
            "type": "translate",
        }
        if pair == "ar_en":  # the real index gives no checksums; one here does
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        entries.append(entry)
    (root / "index.json").write_text(json.dumps(entries, indent=2))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Quiet.requests = []
    try:
        yield root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_install_a_pair_installs_both_legs_of_the_pivot(
    index: Path, tmp_path: Path, warraq: Runner
) -> None:
    result = warraq("models", "install", "ar", "fr")
    assert result.exit_code == 0, result.stderr
    assert "installed translate-ar_en-1_0 1.0 (ar→en)" in result.stdout
    assert "installed translate-en_fr-1_0 1.0 (en→fr)" in result.stdout
    assert "translate-ar_en: " in result.stderr and " KB" in result.stderr  # the progress
    pairs = [p.pair for p in installed_packages(tmp_path / "packages")]
    assert pairs == ["ar→en", "en→fr"]
    assert sorted(_Quiet.requests) == [
        "/index.json",
        "/translate-ar_en-1_0.argosmodel",
        "/translate-en_fr-1_0.argosmodel",
    ]
    listing = warraq("models", "list").stdout
    assert "ar→fr" in listing and "through another language" in listing
    again = warraq("models", "install", "ar", "en")
    assert again.exit_code == 0 and "ar→en: already installed" in again.stdout
    assert not list((tmp_path / "packages").glob(".*"))  # no staging left behind


def test_models_available_lists_the_index(index: Path, warraq: Runner) -> None:
    result = warraq("models", "available")
    assert result.exit_code == 0, result.stderr
    assert "offers 2 models" in result.stdout
    assert "ar→en" in result.stdout and "en→fr" in result.stdout


def test_a_checksum_mismatch_installs_nothing(index: Path, tmp_path: Path, warraq: Runner) -> None:
    entries = json.loads((index / "index.json").read_text())
    entries[0]["sha256"] = "0" * 64
    (index / "index.json").write_text(json.dumps(entries))
    result = warraq("models", "install", "ar", "en")
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("warraq: error")]
    assert len(errors) == 1 and "checksum mismatch" in errors[0]
    assert installed_packages(tmp_path / "packages") == []


def test_a_pair_the_index_lacks_is_a_clear_error(index: Path, warraq: Runner) -> None:
    result = warraq("models", "install", "fr", "ar")
    assert result.exit_code != 0 and "offers no way from fr to ar" in result.stderr


def test_offline_is_one_line_saying_how_to_install_from_files(
    tmp_path: Path, warraq: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{port}/")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    result = warraq("models", "install", "ar", "en")
    assert result.exit_code != 0
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "cannot reach the Argos package index" in message
    assert "warraq models install FILE.argosmodel" in message
