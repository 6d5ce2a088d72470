"""The argos engine: argostranslate's installed packages, run in batches, offline.

argostranslate's own ``translate()`` splits text into sentences with a
splitter that downloads its model at run time (it fails offline) and then
translates one sentence at a time. warraq's segments are already sentences,
so this engine goes one level down: it loads each package with
``argostranslate.package.Package`` (metadata, tokenizer) and runs the
package's CTranslate2 model over all the texts of a run in length-sorted
batches, with argos's own decoding settings. With no direct model, it chains
packages through a pivot language (ar→en→fr), batch by batch. Unless argos's
settings pin the threads, several batches run at once, one thread each (see
:func:`thread_layout`).

argostranslate, ctranslate2 and sentencepiece are imported only when a model
is loaded, so the rest of warraq starts fast.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from warraq.errors import WarraqError
from warraq.translate.engine import Batch, MissingModel
from warraq.translate.models import ModelPackage, find_route, installed_packages, packages_dir

MAX_BATCH_SENTENCES = 16
"""At most this many sentences per batch: each batch is saved when done."""
MAX_BATCH_TOKENS = 2048
"""At most this many (padded) source tokens per batch, to bound memory."""
MAX_PARALLEL_BATCHES = 4
"""At most this many batches translated at once (each holds a working copy of the model)."""


def thread_layout(inter_threads: int, intra_threads: int) -> tuple[int, int]:
    """CTranslate2's ``(inter_threads, intra_threads)`` given argos's settings of the same names.

    Settings other than argos's defaults (1 and 0) are kept. By default, one
    batch runs per core (up to :data:`MAX_PARALLEL_BATCHES`) on one thread
    each: splitting one batch's small matrix products over several threads
    gains little and costs synchronisation, while independent batches scale
    with the cores (measured by ``make bench``; see benchmarks/README.md).

    >>> thread_layout(1, 2), thread_layout(3, 0)
    ((1, 2), (3, 0))
    """
    if (inter_threads, intra_threads) != (1, 0):
        return inter_threads, intra_threads
    return max(1, min(os.cpu_count() or 1, MAX_PARALLEL_BATCHES)), 1


class ArgosEngine:
    """Translates with the argos packages installed in ``directory`` (default: argos's own)."""

    name = "argos"

    def __init__(self, directory: Path | None = None, device: str | None = None) -> None:
        self.directory = directory
        self.device = device  # CTranslate2's device ("cpu", "cuda", "auto"); None: argos's
        self._models: dict[Path, _Model] = {}

    def pair(self, source: str, target: str) -> ArgosPair:
        """A translator for the pair, directly or through a pivot language."""
        directory = self.directory or packages_dir()
        packages = installed_packages(directory)
        route = find_route(packages, source, target)
        if route is None:
            installed = ", ".join(p.pair for p in packages) or "none"
            needs = models_needed(packages, source, target)
            raise MissingModel(
                f"no argos model translates {source}→{target} (installed in {directory}: "
                f"{installed}); install {needs} with: warraq models install FILE.argosmodel",
                source=source,
                target=target,
                needs=needs,
            )
        return ArgosPair([self._load(package) for package in route])

    def _load(self, package: ModelPackage) -> _Model:
        if package.path not in self._models:
            self._models[package.path] = _Model(package, self.device)
        return self._models[package.path]


def models_needed(packages: list[ModelPackage], source: str, target: str) -> str:
    """What to install to translate ``source`` into ``target``: direct, or the missing legs via en.

    >>> def p(a, b): return ModelPackage(f"translate-{a}_{b}", Path(), a, b, "1")
    >>> models_needed([], "ar", "fr")
    'an ar→fr model (or ar→en and en→fr, through English)'
    >>> models_needed([p("ar", "en")], "ar", "fr")
    'an ar→fr model (or en→fr, through English with the installed ar→en)'
    >>> models_needed([], "ar", "en")
    'an ar→en model'
    """
    direct = f"an {source}→{target} model"
    if "en" in (source, target):
        return direct
    legs = [
        f"{a}→{b}" for a, b in ((source, "en"), ("en", target)) if not find_route(packages, a, b)
    ]
    have = [f"{a}→{b}" for a, b in ((source, "en"), ("en", target)) if f"{a}→{b}" not in legs]
    through = "through English" + (f" with the installed {have[0]}" if have else "")
    return f"{direct} (or {' and '.join(legs)}, {through})"


class _Model:
    """One argos package, loaded: its tokenizer and its CTranslate2 translator."""

    def __init__(self, package: ModelPackage, device: str | None = None) -> None:
        import ctranslate2
        from argostranslate import settings
        from argostranslate.package import Package

        self.package = package
        self.parallel, intra_threads = thread_layout(settings.inter_threads, settings.intra_threads)
        try:
            self.argos = Package(package.path)
            self.translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=device or settings.device,
                inter_threads=self.parallel,
                intra_threads=intra_threads,
                compute_type=settings.compute_type,
            )
        except (OSError, RuntimeError, ValueError) as error:
            raise WarraqError(
                f"{package.path}: cannot load this argos model ({error}); reinstall it with "
                "warraq models install FILE"
            ) from None
        self.beam_size: int = settings.beam_size
        self.prefix: str = self.argos.target_prefix

    def encode(self, text: str) -> list[str]:
        """The model's tokens for ``text``."""
        tokens: list[str] = self.argos.tokenizer.encode(text)
        return tokens

    def submit(self, batch: list[list[str]]) -> Callable[[], list[str]]:
        """Start translating one batch of tokenized sentences (argos's decoding settings).

        The batch runs in the background, beside up to :attr:`parallel` - 1
        others; the function returned waits for it and gives its translations.
        """
        longest = max(len(tokens) for tokens in batch)
        pending: list[Any] = self.translator.translate_batch(
            batch,
            target_prefix=[[self.prefix]] * len(batch) if self.prefix else None,
            replace_unknowns=True,
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=0.2,
            # Bounded by the input, so that a model stuck repeating itself stops.
            max_decoding_length=min(512, 2 * longest + 32),
            asynchronous=True,
        )

        def collect() -> list[str]:
            return [self._decode(result.result().hypotheses[0]) for result in pending]

        return collect

    def run(self, batch: list[list[str]]) -> list[str]:
        """Translate one batch of tokenized sentences and wait for it."""
        return self.submit(batch)()

    def _decode(self, tokens: list[str]) -> str:
        text: str = self.argos.tokenizer.decode(tokens)
        if self.prefix and text.startswith(self.prefix):
            text = text[len(self.prefix) :]
        return text.strip()


class ArgosPair:
    """A chain of loaded packages from one language to another."""

    def __init__(self, models: list[_Model]) -> None:
        self.models = models
        self.batches_run = 0
        try:
            version = importlib.metadata.version("argostranslate")
        except importlib.metadata.PackageNotFoundError:
            version = "?"
        chain = " + ".join(model.package.describe() for model in self.models)
        self._provenance = f"argostranslate {version}, {chain}"

    @property
    def provenance(self) -> str:
        """``argostranslate 1.11.0, translate-ar_en-1_0 1.0 (ar→en) + …``."""
        return self._provenance

    def batches(self, texts: Sequence[str]) -> list[list[int]]:
        """How :meth:`translate` groups ``texts``: the indices of each batch, in its order.

        Translating one such group alone gives the same batch, and so the
        same translations (what a cluster's workers do, one group each).
        """
        encoded = self._encode(texts)
        plan = [[index for index, tokens in encoded if not tokens]]
        plan += [[index for index, _ in batch] for batch in _batches([i for i in encoded if i[1]])]
        return [batch for batch in plan if batch]

    def _encode(self, texts: Sequence[str]) -> list[tuple[int, list[str]]]:
        """Every text's tokens for the first model, sorted by length (stable)."""
        first = self.models[0]
        return sorted(
            ((index, first.encode(text)) for index, text in enumerate(texts)),
            key=lambda item: len(item[1]),
        )

    def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
        """Translate all texts in batches of similar length; yield each batch when done.

        The first model keeps :attr:`_Model.parallel` batches running; each
        batch is yielded, in order, as soon as it is finished.
        """
        first = self.models[0]
        encoded = self._encode(texts)
        empty = [(index, "") for index, tokens in encoded if not tokens]
        if empty:
            yield empty  # nothing to translate; the stage refuses empty output
        batches = _batches([item for item in encoded if item[1]])
        running: deque[tuple[list[tuple[int, list[str]]], Callable[[], list[str]]]] = deque()

        def start_next() -> None:
            batch = next(batches, None)
            if batch is not None:
                running.append((batch, first.submit([tokens for _, tokens in batch])))

        for _ in range(first.parallel):
            start_next()
        while running:
            batch, collect = running.popleft()
            outputs = collect()
            start_next()
            for model in self.models[1:]:
                # An empty output stays empty rather than turning into noise.
                todo = [i for i, text in enumerate(outputs) if text]
                if todo:
                    for i, text in zip(
                        todo, model.run([model.encode(outputs[i]) for i in todo]), strict=True
                    ):
                        outputs[i] = text
            self.batches_run += 1
            yield [(index, output) for (index, _), output in zip(batch, outputs, strict=True)]


def _batches(encoded: list[tuple[int, list[str]]]) -> Iterator[list[tuple[int, list[str]]]]:
    """Consecutive runs of ``encoded`` (sorted by length) within the batch limits."""
    batch: list[tuple[int, list[str]]] = []
    for item in encoded:
        width = len(item[1])  # the longest so far: the list is sorted by length
        if batch and (
            len(batch) >= MAX_BATCH_SENTENCES or width * (len(batch) + 1) > MAX_BATCH_TOKENS
        ):
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch
