"""Build tiny argos models (.argosmodel files) offline, for tests and benchmarks.

A model is a sentencepiece tokenizer trained on a few lines and a CTranslate2
transformer filled with small random weights: it translates gibberish, through
the real argos and CTranslate2 code paths, in milliseconds. With the
transformer-base sizes (6 layers, d_model 512, 8 heads, ffn 2048) it costs
about what a real model costs per token.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import sentencepiece as spm

# ctranslate2.specs imports torch (1.7 s) only to accept torch tensors; numpy is enough here.
_TORCH_LOADED = "torch" in sys.modules
if not _TORCH_LOADED:
    sys.modules["torch"] = None  # type: ignore[assignment]
try:
    from ctranslate2.specs import transformer_spec
finally:
    if not _TORCH_LOADED:
        del sys.modules["torch"]

SAMPLE_SOURCE = Path(__file__).resolve().parent.parent / "seeds" / "france-qatar-security.ar.txt"

TRAINING_LINES = [
    "La coopération sécuritaire entre la France et le Qatar.",
    "Security cooperation between France and Qatar.",
    "Les deux pays échangent des renseignements.",
    "The two countries exchange intelligence.",
]


def build_argosmodel(
    folder: Path,
    source: str,
    target: str,
    *,
    version: str = "1.0",
    layers: int = 1,
    d_model: int = 32,
    heads: int = 2,
    ffn: int = 64,
    seed: int = 0,
) -> Path:
    """Write ``translate-<source>_<target>-<version>.argosmodel`` into ``folder``; return it."""
    lines = SAMPLE_SOURCE.read_text(encoding="utf-8").splitlines() + TRAINING_LINES * 3
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=1000,
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    tokenizer = spm.SentencePieceProcessor(model_proto=model.getvalue())
    vocabulary = [tokenizer.id_to_piece(i) for i in range(tokenizer.get_piece_size())]
    spec = transformer_spec.TransformerSpec.from_config((layers, layers), heads)
    rng = np.random.default_rng(seed)

    def fill(layer: object, name: str, value: object) -> None:
        if value is not None:
            return
        if name.endswith("gamma"):
            array = np.ones(d_model)
        elif name.endswith("beta"):
            array = np.zeros(d_model)
        elif name.endswith(("embeddings_0/weight", "embeddings/weight", "projection/weight")):
            array = rng.normal(0, 0.1, (len(vocabulary), d_model))
        elif "self_attention/linear_0" in name:
            array = rng.normal(0, 0.1, (3 * d_model, d_model))  # queries, keys, values
        elif "/attention/linear_1" in name:
            array = rng.normal(0, 0.1, (2 * d_model, d_model))  # keys, values of the source
        elif "ffn/linear_0" in name:
            array = rng.normal(0, 0.1, (ffn, d_model))
        elif "ffn/linear_1" in name:
            array = rng.normal(0, 0.1, (d_model, ffn))
        else:
            array = rng.normal(0, 0.1, (d_model, d_model))
        setattr(layer, name.split("/")[-1], array.astype(np.float32))

    spec.encoder._visit(fill)
    spec.decoder._visit(fill)
    # Random weights would stop at random; never ending keeps the output non-empty.
    bias = np.zeros(len(vocabulary), dtype=np.float32)
    bias[tokenizer.eos_id()] = -1e4
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()

    name = f"translate-{source}_{target}-{version.replace('.', '_')}"
    build = folder / f".build-{name}"
    (build / "model").mkdir(parents=True)
    spec.save(str(build / "model"))
    metadata = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": source,
        "to_code": target,
        "from_name": source,
        "to_name": target,
        "type": "translate",
    }
    archive = folder / f"{name}.argosmodel"
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr(f"{name}/metadata.json", json.dumps(metadata))
        zip_file.writestr(f"{name}/sentencepiece.model", model.getvalue())
        for path in sorted((build / "model").iterdir()):
            zip_file.write(path, f"{name}/model/{path.name}")
    return archive
