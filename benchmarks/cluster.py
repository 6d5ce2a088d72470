"""Translation on a Dask cluster against the same engine in one process: the 300-page book.

Runs in a process of its own (``benchmarks/cluster.py``), like
``benchmarks/translation.py`` and with its model: a random-weight argos
ar→en model at transformer-base size, installed in ``ARGOS_PACKAGES_DIR``
(set by the caller before argostranslate is imported, and inherited by the
workers). The texts are the long book's distinct segments as ``warraq
translate`` hands them to the engine.

- *local*: ``ArgosEngine().pair("ar", "en").translate(texts)``, the engine
  the translate stage uses without ``--cluster``;
- *cluster*: a ``LocalCluster`` of ``WORKERS`` worker processes of one thread
  each on 127.0.0.1, and ``warraq.translate.cluster.Cluster(address,
  "argos").pair("ar", "en").translate(texts)``, what ``--cluster`` uses: one
  task per batch, each worker holding its own copy of the model;
- *scheduling overhead*: the same texts, the same way, with the fake engine
  (no delay): what the cluster costs per batch when translating costs
  nothing; and, from Dask's task stream during the argos run, the worker time
  not spent translating, per batch.

Every CTranslate2 translator, in this process and on the workers, decodes
exactly ``max_decoding_length`` tokens per hypothesis (``SameDecoding``, as
in the translation benchmark). Prints the result as JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORKERS = 2


def same_decoding_everywhere(max_decoding_length: int) -> None:
    """Make every CTranslate2 translator this process creates from now on decode a fixed length."""
    import ctranslate2

    from benchmarks.translation import SameDecoding

    real = getattr(ctranslate2, "_bench_real_translator", ctranslate2.Translator)

    def translator(*args: Any, **options: Any) -> SameDecoding:
        return SameDecoding(real(*args, **options), max_decoding_length)

    ctranslate2._bench_real_translator = real
    ctranslate2.Translator = translator


def measure(runs: int, max_decoding_length: int, packages: Path, book: Path) -> dict[str, Any]:
    """Install the model, then time local and cluster translation ``runs`` times, alternating."""
    from benchmarks.translation import install_model, log, sample_texts

    install_model(packages)
    texts = sample_texts(book, "en")
    log(f"{len(texts)} distinct segments of the book, as the engine gets them")

    import distributed

    from warraq.translate.argos import ArgosEngine
    from warraq.translate.cluster import Cluster, PairSpec, open_pair, plan_batches

    same_decoding_everywhere(max_decoding_length)
    local = ArgosEngine(packages).pair("ar", "en")
    plan = local.batches(texts)
    list(local.translate(texts[:2]))  # warm-up: the tokenizer loads on first use

    started = time.perf_counter()
    with distributed.LocalCluster(
        n_workers=WORKERS,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as local_cluster:
        address = local_cluster.scheduler_address
        with distributed.Client(address) as client:
            client.run(same_decoding_everywhere, max_decoding_length)
            # Every worker loads the model now, so that no timed run pays for it.
            client.run(open_pair, PairSpec("argos", None, "ar", "en"))
        cluster_start = time.perf_counter() - started
        log(f"LocalCluster of {WORKERS} workers up, model loaded on each, in {cluster_start:.1f} s")
        with Cluster(address, "argos", None) as cluster, Cluster(address, "fake", None) as noop:
            remote = cluster.pair("ar", "en")
            fake = noop.pair("ar", "en")
            fake_plan: list[list[int]] = noop.result(
                noop.client.submit(plan_batches, fake.spec, texts, pure=False)
            )
            list(remote.translate(texts[:2]))
            list(fake.translate(texts[:2]))
            times: dict[str, list[float]] = {"local": [], "cluster": [], "fake": []}
            compute: list[float] = []
            for run in range(1, runs + 1):
                start = time.perf_counter()
                done = sum(len(batch) for batch in local.translate(texts))
                times["local"].append(time.perf_counter() - start)
                assert done == len(texts)
                with distributed.get_task_stream(client=cluster.client) as stream:
                    start = time.perf_counter()
                    done = sum(len(batch) for batch in remote.translate(texts))
                    times["cluster"].append(time.perf_counter() - start)
                assert done == len(texts)
                compute.append(
                    sum(
                        part["stop"] - part["start"]
                        for task in stream.data
                        if str(task.get("key", "")).startswith("translate_group")
                        for part in task["startstops"]
                        if part["action"] == "compute"
                    )
                )
                start = time.perf_counter()
                done = sum(len(batch) for batch in fake.translate(texts))
                times["fake"].append(time.perf_counter() - start)
                assert done == len(texts)
                log(
                    f"run {run}/{runs}: local {len(texts) / times['local'][-1]:.1f} segments/s, "
                    f"cluster {len(texts) / times['cluster'][-1]:.1f} segments/s "
                    f"({compute[-1]:.0f} worker-s translating), no-op engine on the cluster "
                    f"{times['fake'][-1]:.2f} s for {len(fake_plan)} batches"
                )
    layout = local.models[0].parallel
    return {
        "segments": len(texts),
        "workers": WORKERS,
        "threads_per_worker": 1,
        "local_parallel_batches": layout,
        "batches": len(plan),
        "fake_batches": len(fake_plan),
        "batch_sizes": {
            "median": statistics.median(len(b) for b in plan),
            "max": max(map(len, plan)),
        },
        "max_decoding_length": max_decoding_length,
        "cluster_start_seconds": cluster_start,
        "seconds": times,
        "cluster_compute_seconds": compute,
        "cores": os.cpu_count(),
    }


def main(argv: Sequence[str]) -> None:
    """``cluster RUNS MAX_DECODING_LENGTH PACKAGES_DIR BOOK_DIR``: print the result as JSON."""
    runs, length, packages, book = int(argv[0]), int(argv[1]), Path(argv[2]), Path(argv[3])
    json.dump(measure(runs, length, packages, book), sys.stdout)


if __name__ == "__main__":
    sys.path[:0] = [str(REPO / "src"), str(REPO)]
    main(sys.argv[1:])
