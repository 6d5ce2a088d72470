"""Translation on a real Dask cluster (a LocalCluster of 2 worker processes on 127.0.0.1)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EPOCH, REPO, Runner
from tests.tiny_argos import build_argosmodel
from warraq.translate import cluster as cluster_module

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


def _local_cluster(*, processes: bool) -> distributed.LocalCluster:
    """Two single-threaded workers on 127.0.0.1, no dashboard.

    The scheduler's HTTP server (metrics) takes a free port: its default,
    8787, may be taken by another cluster, which would be a warning.
    """
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=processes,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )


@pytest.fixture
def cluster(monkeypatch: pytest.MonkeyPatch) -> Iterator[distributed.LocalCluster]:
    """Two single-threaded worker processes, slowed so that a run lasts a few seconds."""
    monkeypatch.setenv("WARRAQ_FAKE_DELAY", "0.05")
    # Both runs date their catalogs alike, however long apart they run.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")
    src = str(Path(__file__).resolve().parents[2] / "src")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    with _local_cluster(processes=True) as local:
        yield local


def _catalogs(project: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(project)): path.read_bytes()
        for path in sorted((project / "locales").rglob("*.po*"))
    }


def _translated(project: Path) -> int:
    """Entries the fake engine has translated so far, in the catalogs on disk."""
    return sum(
        path.read_text(encoding="utf-8").count('msgstr "[')
        for path in (project / "locales").glob("*/LC_MESSAGES/*.po")
    )


def test_cluster_catalogs_equal_a_local_run_even_when_a_worker_dies(
    blank_sample: Path,
    warraq: Runner,
    cluster: distributed.LocalCluster,
    tmp_path: Path,
) -> None:
    local = tmp_path / "local"
    shutil.copytree(blank_sample, local)
    assert warraq("translate", "--engine", "fake", cwd=local).exit_code == 0

    with distributed.Client(cluster.scheduler_address) as client:
        pids = sorted(client.run(os.getpid).values())
    assert len(pids) == 2

    at_kill: list[int] = []

    def kill_one() -> None:
        # Once a first batch is saved, so that the worker dies with the run under way.
        deadline = time.monotonic() + 60
        while _translated(blank_sample) < 16 and time.monotonic() < deadline:
            time.sleep(0.02)
        at_kill.append(_translated(blank_sample))
        os.kill(pids[0], signal.SIGKILL)

    killer = threading.Thread(target=kill_one)
    killer.start()
    result = warraq(
        "translate", "--engine", "fake", "--cluster", cluster.scheduler_address, cwd=blank_sample
    )
    killer.join()
    assert result.exit_code == 0, result.stderr
    with pytest.raises(ProcessLookupError):
        os.kill(pids[0], 0)  # the worker really died
    assert 16 <= at_kill[0] < 2 * 56  # halfway: after the first batch, before the last
    assert _catalogs(blank_sample) == _catalogs(local)


@pytest.fixture
def argos_models(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, warraq: Runner
) -> Path:
    """A tiny ar→en argos model installed in an ARGOS_PACKAGES_DIR of this test's own."""
    packages = tmp_path_factory.mktemp("argos-packages")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    model = build_argosmodel(tmp_path_factory.mktemp("models"), "ar", "en", seed=1)
    assert warraq("models", "install", str(model)).exit_code == 0
    return packages


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_the_documented_dask_commands_translate_like_a_local_run(
    blank_sample: Path,
    warraq: Runner,
    argos_models: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's ``dask scheduler``, ``dask worker ADDRESS``, ``warraq translate --cluster``."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    local = tmp_path / "local"
    shutil.copytree(blank_sample, local)
    result = warraq("translate", "--to", "en", cwd=local)
    assert result.exit_code == 0, result.stderr

    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = str(Path(sys.executable).with_name("dask"))
    # The workers need warraq (this checkout's) and the models: the environment has both.
    environment = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    commands = [
        [dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1]],
        [dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--host", "127.0.0.1"],
    ]
    logs = tmp_path / "dask.log"
    processes: list[subprocess.Popen[bytes]] = []
    with logs.open("wb") as log:
        try:
            for command in commands:
                processes.append(
                    subprocess.Popen(
                        [*command, "--no-dashboard"],
                        env=environment,
                        stdout=log,
                        stderr=log,
                        start_new_session=True,
                    )
                )
            result = warraq("translate", "--to", "en", "--cluster", address, cwd=blank_sample)
        finally:
            for process in reversed(processes):
                os.killpg(process.pid, signal.SIGTERM)  # the worker's nannies and processes too
            for process in processes:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
    assert result.exit_code == 0, result.stderr + logs.read_text(errors="replace")
    assert "france-qatar-security [en]: 56 translated" in result.stdout
    assert _catalogs(blank_sample) == _catalogs(local)
    assert "argostranslate" in _catalogs(blank_sample)[
        "locales/en/LC_MESSAGES/france-qatar-security.po"
    ].decode("utf-8")


def test_the_configured_device_reaches_ctranslate2_on_the_workers(
    blank_sample: Path,
    warraq: Runner,
    argos_models: Path,
    translator_devices: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Workers in threads of this process, so that they construct the patched Translator;
    # none has the models loaded yet.
    monkeypatch.setattr(cluster_module, "_PAIRS", {})
    config = blank_sample / "warraq.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[translate]\ndevice = "cuda"\n')
    with _local_cluster(processes=False) as local:
        result = warraq(
            "translate", "--to", "en", "--cluster", local.scheduler_address, cwd=blank_sample
        )
    assert result.exit_code == 0, result.stderr
    assert "france-qatar-security [en]: 56 translated" in result.stdout
    assert translator_devices and set(translator_devices) == {"cuda"}
    assert {spec.device for spec in cluster_module._PAIRS} == {"cuda"}


def test_no_dask_without_cluster(blank_sample: Path) -> None:
    code = (
        "import sys; from warraq.cli import main\n"
        "try:\n    main(['translate', '--engine', 'fake'])\nexcept SystemExit:\n    pass\n"
        "print('distributed' in sys.modules, 'dask' in sys.modules)"
    )
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code], cwd=blank_sample, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False False"
