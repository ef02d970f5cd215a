"""Embedded sentiment: a small trained head on the frozen all-MiniLM-L6-v2 sentence vectors.

The head (multinomial logistic regression, see models/cards/sentiment_head.md) is trained by
`python -m newsflow.models.training.train_heads` on the project's own sentences and shipped as
models/artifacts/sentiment_head.safetensors. It reads the vectors of the shared encoder pass
(`TextUnit.embeddings`), so sentiment costs one tiny matrix product per section.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from newsflow.models.base import SENTIMENT_LABELS, SentimentResult, TextUnit

ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "sentiment_head.safetensors"
MODEL_ID = "newsflow/sentiment-head@minilm-l6-v2"

# Roll-up rule (section / document level), see rollup_sentiment
ROLLUP_MARGIN = 0.10


def load_head(path: str | Path) -> tuple[dict[str, "object"], dict[str, str]]:
    """Tensors and metadata of a head file; raises ModelLoadError when missing or unreadable."""
    from safetensors import safe_open

    from newsflow.errors import ModelLoadError

    try:
        with safe_open(str(path), framework="pt") as fh:
            tensors = {k: fh.get_tensor(k) for k in fh.keys()}
            meta = dict(fh.metadata() or {})
    except Exception as exc:
        raise ModelLoadError(str(path), f"could not read the head weights ({exc}); "
                             "run `python -m newsflow.models.training.train_heads`") from exc
    return tensors, meta


def head_logits(tensors: dict[str, "object"], x):
    """Forward pass shared by training and inference: linear, or one tanh hidden layer."""
    import torch

    if "w2" in tensors:
        h = torch.tanh(x @ tensors["w1"].T + tensors["b1"])
        return h @ tensors["w2"].T + tensors["b2"]
    return x @ tensors["w1"].T + tensors["b1"]


class EmbeddedSentiment:
    """negative / neutral / positive per sentence, from the shared MiniLM vectors."""

    model_id = MODEL_ID

    def __init__(self, path: str | Path | None = None,
                 encode: Callable[[Sequence[str]], np.ndarray] | None = None):
        from newsflow.errors import LabelMappingError

        self.path = Path(path or ARTIFACT)
        self.tensors, self.metadata = load_head(self.path)
        self.labels = tuple(json.loads(self.metadata.get("labels", "[]")))
        if sorted(self.labels) != sorted(SENTIMENT_LABELS):
            raise LabelMappingError(str(self.path), self.labels)
        self._encode = encode  # only used for units that arrive without embeddings

    # -- pipeline steps -------------------------------------------------------------------
    def preprocess(self, units: Sequence[TextUnit]) -> tuple["object", list[int]]:
        """All sentence vectors of the batch in one float32 tensor, plus each unit's size."""
        import torch

        dim = self.tensors["w1"].shape[1]
        blocks, sizes = [], []
        for unit in units:
            emb = unit.embeddings
            if emb is None:
                if self._encode is None:
                    raise ValueError("EmbeddedSentiment needs TextUnit.embeddings (or an encode callable)")
                emb = self._encode(unit.sentences)
            # an explicit width: a section without sentences is a (0, dim) block, not an error
            emb = np.asarray(emb, dtype=np.float32).reshape(len(unit.sentences), dim)
            blocks.append(emb)
            sizes.append(len(unit.sentences))
        matrix = np.concatenate(blocks, axis=0) if blocks else np.zeros((0, dim), np.float32)
        return torch.from_numpy(np.ascontiguousarray(matrix)), sizes

    def forward(self, x):
        import torch

        with torch.inference_mode():
            return torch.softmax(head_logits(self.tensors, x), dim=-1)

    def postprocess(self, probs, sizes: list[int]) -> list[list[SentimentResult]]:
        rows = probs.tolist()
        out: list[list[SentimentResult]] = []
        pos = 0
        for n in sizes:
            out.append([self._result(dict(zip(self.labels, row))) for row in rows[pos:pos + n]])
            pos += n
        return out

    @staticmethod
    def _result(p: dict[str, float]) -> SentimentResult:
        label = max(SENTIMENT_LABELS, key=lambda k: p[k])
        return SentimentResult(label=label, negative=float(p["negative"]),
                               neutral=float(p["neutral"]), positive=float(p["positive"]))

    # -- public API -------------------------------------------------------------------------
    def predict(self, units: Sequence[TextUnit]) -> list[list[SentimentResult]]:
        """One result per sentence of each unit."""
        if not units:
            return []
        x, sizes = self.preprocess(units)
        return self.postprocess(self.forward(x), sizes)

    def predict_sentences(self, sentences: Sequence[str],
                          embeddings: np.ndarray | None = None) -> list[SentimentResult]:
        """Convenience for plain sentence lists (embeddings computed with `encode` if not given)."""
        return self.predict([TextUnit(list(sentences), embeddings)])[0]


def rollup_sentiment(sentence_results: Sequence[SentimentResult],
                     weights: Sequence[float] | None = None) -> SentimentResult | None:
    """Section/document sentiment from its sentences' results.

    The probabilities are the (weighted) mean of the sentence probabilities. The label is
    neutral unless the polar mass clearly dominates: the stronger polarity must beat neutral
    AND beat the opposite polarity by ROLLUP_MARGIN (0.10). So one charged sentence among
    neutral news sentences, or a section mixing good and bad news, stays neutral.
    Empty input (a section without sentences) → None: no text, no sentiment (null in Parquet).
    Weights (e.g. sentence lengths) default to equal.
    """
    if not sentence_results:
        return None
    w = [1.0] * len(sentence_results) if weights is None else [float(x) for x in weights]
    if len(w) != len(sentence_results):
        raise ValueError("weights must have one entry per sentence result")
    if any(x < 0 for x in w) or sum(w) <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    total = sum(w)
    neg = sum(x * r.negative for x, r in zip(w, sentence_results)) / total
    neu = sum(x * r.neutral for x, r in zip(w, sentence_results)) / total
    pos = sum(x * r.positive for x, r in zip(w, sentence_results)) / total
    label = "neutral"
    if pos > neu and pos >= neg + ROLLUP_MARGIN:
        label = "positive"
    elif neg > neu and neg >= pos + ROLLUP_MARGIN:
        label = "negative"
    return SentimentResult(label=label, negative=float(neg), neutral=float(neu), positive=float(pos))


@lru_cache(maxsize=2)
def load_embedded_sentiment(path: str | None = None) -> EmbeddedSentiment:
    """One head per process."""
    return EmbeddedSentiment(path)
