"""Translation throughput: warraq's batched argos engine against argostranslate's ``translate()``.

Runs in a process of its own (``benchmarks/translation.py``), with
``ARGOS_PACKAGES_DIR`` and the XDG folders pointing into the benchmark's
temporary folder, set before argostranslate is imported.

All paths run the same random-weight transformer-base model (built here with
``tests/tiny_argos.py``) on the same texts: the sample's distinct segments as
``warraq translate`` hands them to the engine (glossary terms already
replaced by placeholders). warraq's path is the argos engine's
``PairTranslator.translate``; argostranslate's is its ``translate()``, called
once per segment, with argos's thread settings and with one thread.

A random model never emits the end-of-sentence token, so each path would
decode to its own length limit (CTranslate2's default of 256 for
argostranslate, warraq's ``2 × longest + 32``); instead, every CTranslate2
translator is wrapped by :class:`SameDecoding`, which sets one
``max_decoding_length`` in every call: every hypothesis then decodes exactly
that many tokens in every path, and what differs is how the calls are made.
The other decoding options (beam size, length penalty, hypotheses) are
argos's in every path, and checked to be equal.
"""

from __future__ import annotations

import importlib.metadata
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warraq.catalogs import translatable_segments
from warraq.config import load_project
from warraq.document.structure import load_document
from warraq.glossary import project_glossary
from warraq.translate.models import install_package
from warraq.translate.protect import GlossaryShield

REPO = Path(__file__).resolve().parent.parent
SOURCE, TARGET = "ar", "en"
MODEL_SIZE: dict[str, int] = {"layers": 6, "d_model": 512, "heads": 8, "ffn": 2048}
"""Transformer-base: 6 encoder and 6 decoder layers, 8 heads, feed-forward 2048."""

# Options that decide how much work decoding is; they must be equal in both paths.
DECODING_OPTIONS = ("beam_size", "num_hypotheses", "length_penalty", "max_decoding_length")


def log(message: str) -> None:
    """Progress, on standard error (standard output carries the JSON result)."""
    print(f"  {message}", file=sys.stderr, flush=True)


class SameDecoding:
    """A CTranslate2 translator whose every call decodes ``max_decoding_length`` tokens.

    Records the options each call was made with and how many sentences it held.
    """

    def __init__(self, translator: Any, max_decoding_length: int) -> None:
        self.translator = translator
        self.max_decoding_length = max_decoding_length
        self.calls = 0
        self.sentences = 0
        self.options: dict[str, Any] = {}

    def translate_batch(self, source: list[list[str]], **options: Any) -> Any:
        """Translate with the caller's options, the maximum decoding length replaced."""
        options["max_decoding_length"] = self.max_decoding_length
        self.calls += 1
        self.sentences += len(source)
        self.options = {name: options.get(name) for name in DECODING_OPTIONS}
        return self.translator.translate_batch(source, **options)


class _OneSentence:
    """argostranslate's sentence splitter, replaced: each text is already one sentence.

    argos's own splitters download a model at translation time, which fails
    offline; warraq's segments are sentences already.
    """

    def split_sentences(self, text: str) -> list[str]:
        return [text]


def sample_texts(root: Path = REPO, target: str = TARGET) -> list[str]:
    """What ``warraq translate`` sends the engine for the project at ``root``, each text once.

    The first document's distinct segments into ``target``, glossary terms
    replaced by placeholders. By default, the repository's sample.
    """
    project = load_project(root)
    config = project.documents[0]
    document = load_document(project, config)
    shield = GlossaryShield(project_glossary(project), target)
    texts = dict.fromkeys(translatable_segments(project, config.name, document, target))
    return [shield.before(text) for text in texts]


def install_model(packages: Path) -> tuple[float, float]:
    """Build the random transformer-base ar→en model and install it; its size (MB) and seconds."""
    sys.path.insert(0, str(REPO))
    from tests.tiny_argos import build_argosmodel

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        archive = build_argosmodel(
            Path(folder),
            SOURCE,
            TARGET,
            layers=MODEL_SIZE["layers"],
            d_model=MODEL_SIZE["d_model"],
            heads=MODEL_SIZE["heads"],
            ffn=MODEL_SIZE["ffn"],
        )
        size_mb = archive.stat().st_size / 1e6
        install_package(archive, packages)
    log(f"built and installed a random {SOURCE}→{TARGET} transformer-base model ({size_mb:.0f} MB)")
    return size_mb, time.perf_counter() - started


def measure(runs: int, max_decoding_length: int, packages: Path) -> dict[str, Any]:
    """Build and install the model, then time both paths ``runs`` times, alternating."""
    _, built = install_model(packages)

    import ctranslate2
    from argostranslate import settings

    from warraq.translate.argos import ArgosEngine, thread_layout

    texts = sample_texts()
    # warraq's path: the argos engine's PairTranslator, exactly as `warraq translate` uses it.
    pair = ArgosEngine(packages).pair(SOURCE, TARGET)
    model = pair.models[0]
    batched = SameDecoding(model.translator, max_decoding_length)
    model.translator = batched
    tokens = [len(model.encode(text)) for text in texts]
    _, warraq_intra = thread_layout(settings.inter_threads, settings.intra_threads)

    # argostranslate's path: its translate(), one call per sentence, on a translator made
    # as argos makes it (its settings: threads left to CTranslate2), and on one with a
    # single thread, the fastest for one sentence at a time on the benchmark's machine.
    import argostranslate.translate

    translation = argostranslate.translate.get_translation_from_codes(SOURCE, TARGET)
    underlying = translation.underlying  # a CachedTranslation around the package's translation
    underlying.sentencizer = _OneSentence()

    def argos_translator(inter_threads: int, intra_threads: int) -> SameDecoding:
        translator = ctranslate2.Translator(
            str(underlying.pkg.package_path / "model"),
            device=settings.device,
            inter_threads=inter_threads,
            intra_threads=intra_threads,
            compute_type=settings.compute_type,
        )
        return SameDecoding(translator, max_decoding_length)

    single = {
        "default": argos_translator(settings.inter_threads, settings.intra_threads),
        "one_thread": argos_translator(1, 1),
    }

    def run_batched() -> float:
        start = time.perf_counter()
        done = sum(len(batch) for batch in pair.translate(texts))
        seconds = time.perf_counter() - start
        assert done == len(texts)
        return seconds

    def run_single(translator: SameDecoding) -> float:
        underlying.translator = translator
        start = time.perf_counter()
        for text in texts:
            argostranslate.translate.translate(text, SOURCE, TARGET)
        return time.perf_counter() - start

    # Warm-up, not counted: tokenizers and models load lazily on first use.
    list(pair.translate(texts[:2]))
    for translator in single.values():
        underlying.translator = translator
        for text in texts[:2]:
            argostranslate.translate.translate(text, SOURCE, TARGET)
    for proxy in (batched, *single.values()):
        proxy.calls = proxy.sentences = 0

    times: dict[str, list[float]] = {"batched": [], "default": [], "one_thread": []}
    for run in range(1, runs + 1):
        times["batched"].append(run_batched())
        for name, translator in single.items():
            times[name].append(run_single(translator))
        log(
            f"run {run}/{runs}: warraq batched {len(texts) / times['batched'][-1]:.1f} "
            f"segments/s; argostranslate per sentence "
            f"{len(texts) / times['default'][-1]:.1f} (argos's thread settings), "
            f"{len(texts) / times['one_thread'][-1]:.1f} (one thread)"
        )
    for name, translator in single.items():
        if batched.options != translator.options:
            raise RuntimeError(
                f"decoding options differ: warraq {batched.options}, "
                f"argostranslate ({name}) {translator.options}"
            )
    return {
        "segments": len(texts),
        "source_tokens": {"median": statistics.median(tokens), "max": max(tokens)},
        "model": {
            **MODEL_SIZE,
            "vocabulary": model.argos.tokenizer.lazy_processor().get_piece_size(),
        },
        "model_build_seconds": built,
        "decoding": {
            **batched.options,
            "device": settings.device,
            "compute_type": settings.compute_type,
        },
        "threads": {
            "argos_settings": {
                "inter_threads": settings.inter_threads,
                "intra_threads": settings.intra_threads,
            },
            "warraq": {"parallel_batches": model.parallel, "intra_threads": warraq_intra},
        },
        "batched": {"seconds": times["batched"], "calls_per_run": batched.calls // runs},
        "per_sentence": {
            name: {"seconds": times[name], "calls_per_run": single[name].calls // runs}
            for name in single
        },
        "versions": {
            name: importlib.metadata.version(name) for name in ("argostranslate", "ctranslate2")
        },
    }


def main(argv: Sequence[str]) -> None:
    """``translation RUNS MAX_DECODING_LENGTH PACKAGES_DIR``: print the result as JSON."""
    runs, length, packages = int(argv[0]), int(argv[1]), Path(argv[2])
    json.dump(measure(runs, length, packages), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
