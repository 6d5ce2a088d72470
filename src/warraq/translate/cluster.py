"""Translation on a Dask cluster: the batches go to the workers, the catalogs stay here.

``warraq translate --cluster tcp://HOST:8786`` connects a
``distributed.Client`` to the scheduler. Each worker process loads the
engine and its models for a language pair once, on first use, and keeps them
(:func:`worker_pair`: a module-level cache, keyed by engine, device and pair;
a loaded CTranslate2 model cannot be pickled, so only texts travel, never
models). One task asks a worker how the engine groups the texts into batches
(:meth:`warraq.translate.argos.ArgosPair.batches`; fixed groups of
:data:`GROUP_SIZE` for engines without it), then every batch is one task,
translated whole on whichever worker the scheduler picks, exactly as the
local engine would translate it. The client yields each batch as it
arrives; the translate stage merges it and saves the catalog, so the lock,
the atomic writes and an interrupted run's finished work are as without a
cluster, and the catalogs are byte-identical to a local run's.

A worker lost mid-run takes its running tasks with it; the scheduler runs
them again on another worker (up to its ``allowed-failures``), and each
batch's result is merged once, when its task first completes: nothing is
translated twice into a catalog, nothing is lost.

Dask is imported only here, and this module only when a cluster is asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from warraq.errors import WarraqError
from warraq.translate.engine import Batch, PairTranslator

GROUP_SIZE = 16
"""Texts per task for an engine that does not say how it batches."""
CONNECT_SECONDS = 30
"""How long to wait for the scheduler to answer, and for a first worker to join it."""


@dataclass(frozen=True, slots=True)
class PairSpec:
    """What a worker needs to make a translator: the engine's name, the device, the pair."""

    engine: str
    device: str | None
    source: str
    target: str


_PAIRS: dict[PairSpec, PairTranslator] = {}
_LOADING = threading.Lock()


def worker_pair(spec: PairSpec) -> PairTranslator:
    """The translator for ``spec`` in this process, made (models loaded) on first use only."""
    with _LOADING:
        pair = _PAIRS.get(spec)
        if pair is None:
            from warraq.translate import make_engine

            pair = make_engine(spec.engine, spec.device).pair(spec.source, spec.target)
            _PAIRS[spec] = pair
    return pair


def open_pair(spec: PairSpec) -> str:
    """On a worker: load the pair's models; return the provenance the catalogs record."""
    return worker_pair(spec).provenance


def plan_batches(spec: PairSpec, texts: Sequence[str]) -> list[list[int]]:
    """On a worker: the indices of ``texts`` in each batch, as the engine would group them."""
    pair = worker_pair(spec)
    batches = getattr(pair, "batches", None)
    if callable(batches):
        plan: list[list[int]] = batches(texts)
        return plan
    return [
        list(range(start, min(start + GROUP_SIZE, len(texts))))
        for start in range(0, len(texts), GROUP_SIZE)
    ]


def translate_group(spec: PairSpec, texts: Sequence[str]) -> list[str]:
    """On a worker: the translation of every text of one batch, in order."""
    done: dict[int, str] = {}
    for batch in worker_pair(spec).translate(texts):
        done.update(batch)
    return [done[index] for index in range(len(texts))]


def _distributed() -> Any:
    """``dask.distributed``, imported on first use (its types stay out of warraq's)."""
    import distributed

    return distributed


class Cluster:
    """A connection to a Dask scheduler, for one translate run."""

    def __init__(self, address: str, engine: str, device: str | None) -> None:
        try:
            dask = _distributed()
        except ImportError:
            raise WarraqError(
                f"--cluster {address}: Dask is not installed; install it with "
                "pip install 'warraq[cluster]' (or translate without --cluster)"
            ) from None
        self.address = address
        self.engine = engine
        self.device = device
        try:
            self.client: Any = dask.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise WarraqError(
                f"--cluster {address}: cannot reach the Dask scheduler ({error}); start it with "
                f"'dask scheduler' and workers with 'dask worker {address}', or fix the address"
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError):
            self.client.close()
            raise WarraqError(
                f"--cluster {address}: no worker joined the scheduler in {CONNECT_SECONDS} s; "
                f"start one with 'dask worker {address}'"
            ) from None

    def __enter__(self) -> Cluster:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster itself keeps running)."""
        self.client.close()

    def pair(self, source: str, target: str) -> RemotePair:
        """A translator whose batches run on the workers; a worker checks it can load it."""
        spec = PairSpec(self.engine, self.device, source, target)
        provenance = self.result(self.client.submit(open_pair, spec, pure=False))
        return RemotePair(self, spec, str(provenance))

    def result(self, future: Any) -> Any:
        """The result of ``future``; a lost task is one line saying what to do."""
        try:
            return future.result()
        except _distributed().KilledWorker as error:
            raise WarraqError(
                f"--cluster {self.address}: workers died running a translation batch ({error}); "
                "everything translated so far is saved: check the workers' memory and logs, "
                "then run 'warraq translate' again"
            ) from None


class RemotePair:
    """A :class:`PairTranslator` whose batches are translated by the cluster's workers."""

    def __init__(self, cluster: Cluster, spec: PairSpec, provenance: str) -> None:
        self.cluster = cluster
        self.spec = spec
        self._provenance = provenance

    @property
    def provenance(self) -> str:
        """The workers' engine, models and versions, as they reported them."""
        return self._provenance

    def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
        """Send every batch to the cluster; yield each one as soon as it comes back."""
        texts = list(texts)
        if not texts:
            return
        client = self.cluster.client
        plan: list[list[int]] = self.cluster.result(
            client.submit(plan_batches, self.spec, texts, pure=False)
        )
        futures = {
            client.submit(
                translate_group, self.spec, [texts[index] for index in group], pure=False
            ): group
            for group in plan
        }
        try:
            for future in _distributed().as_completed(futures, loop=client.loop):
                outputs = self.cluster.result(future)
                yield list(zip(futures[future], outputs, strict=True))
        finally:
            client.cancel(list(futures))
