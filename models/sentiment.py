"""Sentiment, per sentence, rolled up per section and document: the embedded head and the Hub adapter.

Embedded: a small trained head on the frozen all-MiniLM-L6-v2 sentence vectors.

The head (multinomial logistic regression, see models/cards/sentiment_head.md) is trained by
`python -m newsflow.models.training.train_heads` on the project's own sentences and shipped as
models/artifacts/sentiment_head.safetensors. It reads the vectors of the shared encoder pass
(`TextUnit.embeddings`), so sentiment costs one tiny matrix product per section.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from newsflow.errors import LabelMappingError
from newsflow.models.base import SENTIMENT_LABELS, SentimentResult, TextUnit
from newsflow.models.heads import SENTIMENT_HEAD, head_probabilities, load_head
from newsflow.models.hub import ClassifierModel, norm_label

MODEL_ID = "newsflow/sentiment-head@minilm-l6-v2"

# Roll-up rule (section / document level), see rollup_sentiment
ROLLUP_MARGIN = 0.10






class EmbeddedSentiment:
    """negative / neutral / positive per sentence, from the shared MiniLM vectors."""

    model_id = MODEL_ID

    def __init__(self, path: str | Path | None = None):
        from newsflow.errors import LabelMappingError

        self.path = Path(path or SENTIMENT_HEAD)
        self.tensors, self.metadata = load_head(self.path)
        self.labels = tuple(json.loads(self.metadata.get("labels", "[]")))
        if sorted(self.labels) != sorted(SENTIMENT_LABELS):
            raise LabelMappingError(str(self.path), self.labels)

    # -- pipeline steps -------------------------------------------------------------------
    def preprocess(self, units: Sequence[TextUnit]) -> tuple["object", list[int]]:
        """All sentence vectors of the batch in one float32 tensor, plus each unit's size."""
        import torch

        dim = self.tensors["w1"].shape[1]
        blocks, sizes = [], []
        for unit in units:
            emb = unit.embeddings
            if emb is None:
                raise ValueError("EmbeddedSentiment needs TextUnit.embeddings: encode the unit's sentences first")
            # an explicit width: a section without sentences is a (0, dim) block, not an error
            emb = np.asarray(emb, dtype=np.float32).reshape(len(unit.sentences), dim)
            blocks.append(emb)
            sizes.append(len(unit.sentences))
        matrix = np.concatenate(blocks, axis=0) if blocks else np.zeros((0, dim), np.float32)
        return torch.from_numpy(np.ascontiguousarray(matrix)), sizes

    def forward(self, x):
        return head_probabilities(self.tensors, x)

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


# --------------------------------------------------------------------------------------------
# Hub: any sequence-classification checkpoint with named labels
# --------------------------------------------------------------------------------------------
_SENTIMENT_NAMES = {
    "negative": "negative", "neg": "negative", "very negative": "negative",
    "neutral": "neutral", "neu": "neutral", "neut": "neutral",
    "positive": "positive", "pos": "positive", "very positive": "positive",
}


_STARS = re.compile(r"^([1-5]) stars?$")


def map_sentiment_labels(model_id: str, id2label: Mapping[Any, Any]) -> list[str]:
    """For each class index 0..n-1, the sentiment it counts towards.

    negative/NEG/neg, neutral/NEU, positive/POS (any case; "very ..." too) and "1 star".."5 stars"
    (1-2 negative, 3 neutral, 4-5 positive). Negative and positive must both be present; neutral
    may be absent (its probability is then 0.0). Anything else (LABEL_0, ...) → LabelMappingError.
    """
    labels = {int(k): v for k, v in id2label.items()}
    if not labels or sorted(labels) != list(range(len(labels))):
        raise LabelMappingError(model_id, dict(id2label))
    mapping: list[str] = []
    for idx in range(len(labels)):
        name = norm_label(labels[idx])
        star = _STARS.match(name)
        if name in _SENTIMENT_NAMES:
            mapping.append(_SENTIMENT_NAMES[name])
        elif star:
            n = int(star.group(1))
            mapping.append("negative" if n <= 2 else "neutral" if n == 3 else "positive")
        else:
            raise LabelMappingError(model_id, labels)
    if "negative" not in mapping or "positive" not in mapping:
        raise LabelMappingError(model_id, labels)
    return mapping


class HubSentiment(ClassifierModel):
    """Per-sentence sentiment from any sequence-classification checkpoint with named labels."""

    task = "sentiment"

    def __init__(self, model_id: str | os.PathLike[str], batch_size: int = 32, **kw: Any):
        super().__init__(model_id, batch_size=batch_size, **kw)

    def _after_load(self) -> None:
        self.class_to_sentiment = map_sentiment_labels(self.model_id, self.model.config.id2label)

    def count_tokens(self, items: Sequence[str]) -> list[int]:
        enc = self.tokenizer(list(items), add_special_tokens=True, verbose=False)
        return [len(x) for x in enc["input_ids"]]

    def preprocess(self, items: Sequence[str]) -> dict[str, Any]:
        enc = self.tokenizer(list(items), padding=True, truncation=True,
                             max_length=self.max_input_tokens, return_tensors="pt")
        return self._to_device(enc)

    def postprocess(self, raw: Any, items: Sequence[str]) -> list[SentimentResult]:
        results = []
        for row in raw.cpu().tolist():
            sums = dict.fromkeys(SENTIMENT_LABELS, 0.0)
            for p, name in zip(row, self.class_to_sentiment):
                sums[name] += p
            label = max(SENTIMENT_LABELS, key=lambda k: sums[k])  # first wins a tie
            results.append(SentimentResult(label=label, **sums))
        return results

    def predict(self, units: Sequence[TextUnit]) -> list[list[SentimentResult]]:
        flat = [s for u in units for s in u.sentences]
        results = self.run(flat)
        out, pos = [], 0
        for u in units:
            out.append(results[pos: pos + len(u.sentences)])
            pos += len(u.sentences)
        return out
