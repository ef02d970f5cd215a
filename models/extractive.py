"""The embedded summarizer: extractive, on the shared MiniLM sentence vectors.

Sentences are ranked by position-aware (directed) centrality over their embedding similarities,
then picked greedily with maximal marginal relevance (MMR) so near-duplicates are not kept twice,
within a word budget, and returned in their original order.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from newsflow.models.base import SummaryResult, TextUnit
from newsflow.models.encoder import EMBEDDED_MODEL_ID

MMR_LAMBDA = 0.7  # weight of relevance against redundancy
# Directed centrality, PacSum (Zheng & Lapata 2019, "Sentence Centrality Revisited for Unsupervised
# Summarization"), with the paper's published CNN/DM settings: edges below
# min + BETA·(max − min) are dropped; similarity to later sentences adds (LATER_WEIGHT),
# similarity to earlier ones subtracts (EARLIER_WEIGHT) — a news lead is what the rest elaborates.
BETA = 0.6
EARLIER_WEIGHT = -2.0
LATER_WEIGHT = 1.0


POSITION_WEIGHT = 1.0  # lead prior: POSITION_WEIGHT / (rank + 1) added to the scaled centrality


def relevance_scores(embeddings: np.ndarray) -> np.ndarray:
    """Directed centrality (min-max scaled to [0, 1]) plus the lead-position prior."""
    position = POSITION_WEIGHT / np.arange(1, len(embeddings) + 1, dtype=np.float32)
    return directed_centrality(embeddings) + position


def directed_centrality(embeddings: np.ndarray) -> np.ndarray:
    """PacSum directed centrality, min-max scaled to [0, 1] (a single sentence scores 1)."""
    n = len(embeddings)
    if n == 1:
        return np.ones(1, dtype=np.float32)
    sim = embeddings @ embeddings.T
    off_diagonal = sim[~np.eye(n, dtype=bool)]
    lo, hi = float(off_diagonal.min()), float(off_diagonal.max())
    edges = np.maximum(sim - (lo + BETA * (hi - lo)), 0.0)
    later = np.triu(edges, k=1).sum(axis=1)  # j > i
    earlier = np.tril(edges, k=-1).sum(axis=1)  # j < i
    centrality = LATER_WEIGHT * later + EARLIER_WEIGHT * earlier
    span = float(centrality.max() - centrality.min())
    return (centrality - centrality.min()) / span if span > 0 else np.ones(n, dtype=np.float32)


def select_sentences(sentences: Sequence[str], embeddings: np.ndarray, max_words: int) -> list[int]:
    """Indices of the kept sentences, ascending. The best sentence is kept even when it alone is
    over budget, so no unit goes without a summary."""
    n = len(sentences)
    if n == 0:
        return []
    words = np.array([len(s.split()) for s in sentences])
    relevance = relevance_scores(embeddings).astype(np.float64)
    redundancy = np.zeros(n)  # max similarity to any kept sentence (0 while none is kept)
    available = np.ones(n, dtype=bool)
    chosen: list[int] = []
    used = 0
    while available.any():
        mmr = np.where(available, MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * redundancy, -np.inf)
        best = int(np.argmax(mmr))  # ties: the earlier sentence
        available[best] = False
        if chosen and used + words[best] > max_words:
            continue
        similarity = (embeddings @ embeddings[best]).astype(np.float64)
        redundancy = similarity if not chosen else np.maximum(redundancy, similarity)
        chosen.append(best)
        used += int(words[best])
        if used >= max_words:
            break
        available &= words <= max_words - used  # what no longer fits never will
    return sorted(chosen)


class ExtractiveSummarizer:
    model_id = f"newsflow/extractive-mmr@{EMBEDDED_MODEL_ID}"

    def summarize(self, units: Sequence[TextUnit], max_words: int) -> list[SummaryResult]:
        results = []
        for unit in units:
            if not unit.sentences:
                results.append(SummaryResult("", [], 1))
                continue
            if unit.embeddings is None:
                raise ValueError("the extractive summarizer needs the shared sentence embeddings; "
                                 "encode the unit's sentences first")
            kept = select_sentences(unit.sentences, unit.embeddings, max_words)
            results.append(SummaryResult(" ".join(unit.sentences[i] for i in kept), kept, 1))
        return results
