"""Translation on a real Dask cluster (a LocalCluster of 2 worker processes on 127.0.0.1)."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Runner

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster(monkeypatch: pytest.MonkeyPatch) -> Iterator[distributed.LocalCluster]:
    """Two single-threaded worker processes, slowed so that a run lasts a few seconds."""
    monkeypatch.setenv("WARRAQ_FAKE_DELAY", "0.05")
    # Both runs date their catalogs alike, however long apart they run.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")
    src = str(Path(__file__).resolve().parents[2] / "src")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as local:
        yield local


def _catalogs(project: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(project)): path.read_bytes()
        for path in sorted((project / "locales").rglob("*.po*"))
    }


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

    def kill_one() -> None:
        time.sleep(1.0)
        os.kill(pids[0], signal.SIGKILL)

    killer = threading.Thread(target=kill_one)
    killer.start()
    result = warraq(
        "translate", "--engine", "fake", "--cluster", cluster.scheduler_address, cwd=blank_sample
    )
    killer.join()
    assert result.exit_code == 0, result.stderr
    with pytest.raises(ProcessLookupError):
        os.kill(pids[0], 0)  # the worker really died during the run
    assert _catalogs(blank_sample) == _catalogs(local)


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
