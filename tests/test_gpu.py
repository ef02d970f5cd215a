"""GPU outputs equal CPU outputs to the labels: the same articles analysed with the models on the
CPU (fp32) and on a CUDA GPU (bf16) give identical summaries, sentiment labels and stance labels,
and probabilities within 1e-2. Runs where torch sees a GPU; skipped elsewhere (tests/test_device.py
covers the CPU side of --device)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (torch sees none)")

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-2
# Hub adapters are checked on a tiny model with random weights, whose probabilities move more in bf16
# (on the CPU up to 0.0102 on tests/tiny_models' corpus, tests/test_precision.py); labels must agree
HUB_TOLERANCE = 3e-2
# The MiniLM folder: the installed package's (default), or where it is not installed, e.g. on the
# device machine, a copy (`benchmarks/device_bench.py --run-tests` sets it to the bundle's model/)
ENCODER_PATH = os.environ.get("NEWSFLOW_TEST_ENCODER") or None


def model_set(device: str, precision: str = "auto"):
    """The embedded models on `device` in `precision`, from the registry (or around the ENCODER_PATH copy)."""
    from newsflow.models.encoder import load_encoder
    from newsflow.models.registry import ModelSet, load_models
    from newsflow.models.sentiment import load_embedded_sentiment
    from newsflow.models.stance import load_embedded_stance
    from newsflow.models.summarization import ExtractiveSummarizer

    if ENCODER_PATH is None:
        return load_models(device=device, precision=precision)
    encoder = load_encoder(ENCODER_PATH, False, device, precision)
    return ModelSet(ExtractiveSummarizer(), load_embedded_sentiment(), load_embedded_stance(encoder), encoder)


def corpus_files() -> list[Path]:
    folders = [ROOT / "seeds", ROOT / "tests" / "articles", ROOT / "tests" / "real_shaped"]
    return sorted(p for folder in folders for p in folder.iterdir() if p.suffix in (".txt", ".md"))


@pytest.fixture(scope="module")
def prepared():
    from newsflow.analysis import prepare_documents
    from newsflow.ingest import SourceDocument, read_document

    files = corpus_files()
    docs = [read_document(p, p.parent) for p in files]
    prepared, failed = prepare_documents([d for d in docs if isinstance(d, SourceDocument)])
    assert len(prepared) >= 10 and not failed
    return prepared


def analyse(prepared, device: str, precision: str = "auto"):
    from newsflow.analysis import analyse_batch
    from newsflow.config import RunConfig

    config = RunConfig(execution={"device": device, "precision": precision})
    models = model_set(device, precision)
    assert models.encoder.device.type == device.split(":")[0]
    result = analyse_batch(prepared, models, config)
    assert not result.failed
    return result.documents


def close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or abs(a - b) <= TOLERANCE


def test_gpu_analysis_equals_cpu_to_the_labels(prepared):
    assert_equal_to_the_labels(analyse(prepared, "cpu"), analyse(prepared, "cuda"))


def assert_equal_to_the_labels(cpu, gpu) -> None:
    """Identical summaries, targets and labels; probabilities within TOLERANCE (also used by
    tests/test_precision.py for bf16 on the CPU)."""
    n_stances = 0
    for c, g in zip(cpu, gpu):
        assert g.summary.text == c.summary.text
        assert [t.target.name for t in g.targets] == [t.target.name for t in c.targets]
        assert (g.sentiment and g.sentiment.label) == (c.sentiment and c.sentiment.label)
        for cs, gs in zip(c.sections, g.sections):
            assert gs.summary.text == cs.summary.text
            if cs.sentiment is not None:
                assert gs.sentiment.label == cs.sentiment.label, cs.sentences
                for k in ("negative", "neutral", "positive"):
                    assert close(getattr(gs.sentiment, k), getattr(cs.sentiment, k))
            assert [s.label for s in gs.stances] == [s.label for s in cs.stances], cs.sentences
            for a, b in zip(cs.stances, gs.stances):
                assert a.mentions == b.mentions
                assert all(close(getattr(a, k), getattr(b, k)) for k in ("favor", "against", "none", "score"))
                n_stances += 1
    assert n_stances > 20  # the corpus exercises the stance head, not only NONE for absent targets


def test_gpu_vectors_are_within_1e_2_of_cpu(prepared):
    from newsflow.models.encoder import load_encoder

    sentences = [s for d in prepared for s in d.sentences]
    cpu = load_encoder(ENCODER_PATH, False, "cpu").encode(sentences)
    gpu = load_encoder(ENCODER_PATH, False, "cuda").encode(sentences, token_budget=131072, max_batch=8192)
    assert gpu.dtype == np.float32 and gpu.shape == cpu.shape
    assert float(np.abs(gpu - cpu).max()) <= TOLERANCE
    assert float((gpu * cpu).sum(1).min()) > 0.999  # cosine of unit vectors


def test_models_sit_on_the_gpu_in_bf16():
    models = model_set("cuda")
    params = list(models.encoder.model.parameters()) + list(models.stance.top_layers.parameters())
    assert {p.device.type for p in params} == {"cuda"}
    assert {p.dtype for p in params} == {torch.bfloat16}
    assert models.encoder.span_batching == (131072, 8192)


def test_hub_adapter_on_the_gpu_matches_the_cpu(tmp_path):
    from newsflow.models.base import TextUnit
    from newsflow.models.sentiment import HubSentiment
    from tests.tiny_models import CORPUS, build_tiny_models

    tiny = build_tiny_models(tmp_path)
    units = [TextUnit(CORPUS[:8]), TextUnit(CORPUS[8:])]
    cpu = HubSentiment(tiny["sentiment"], batch_size=4, device="cpu").predict(units)
    gpu_model = HubSentiment(tiny["sentiment"], batch_size=4, device="cuda")
    assert next(gpu_model.model.parameters()).dtype == torch.bfloat16
    gpu = gpu_model.predict(units)
    for cu, gu in zip(cpu, gpu):
        for a, b in zip(cu, gu):
            assert a.label == b.label
            assert all(abs(getattr(a, k) - getattr(b, k)) <= HUB_TOLERANCE for k in ("negative", "neutral", "positive"))
