"""The embedded summarizer: extractive, on the shared MiniLM sentence vectors.

Sentences are ranked by centrality (cosine to the unit's centroid) plus a lead-position prior,
then picked greedily with maximal marginal relevance (MMR) so near-duplicates are not kept twice,
within a word budget, and returned in their original order.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from models.base import SummaryResult, TextUnit
from models.encoder import EMBEDDED_MODEL_ID

MMR_LAMBDA = 0.7  # weight of relevance against redundancy
POSITION_WEIGHT = 0.15  # news puts the point first


def relevance_scores(embeddings: np.ndarray) -> np.ndarray:
    """Centrality to the centroid plus a 1/sqrt(rank) position prior."""
    centroid = embeddings.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    centrality = embeddings @ centroid
    position = 1.0 / np.sqrt(np.arange(1, len(embeddings) + 1, dtype=np.float32))
    return centrality + POSITION_WEIGHT * position


def select_sentences(sentences: Sequence[str], embeddings: np.ndarray, max_words: int) -> list[int]:
    """Indices of the kept sentences, ascending. The best sentence is kept even when it alone is
    over budget, so no unit goes without a summary."""
    n = len(sentences)
    if n == 0:
        return []
    words = [len(s.split()) for s in sentences]
    relevance = relevance_scores(embeddings)
    similarity = embeddings @ embeddings.T
    chosen: list[int] = []
    used = 0
    candidates = set(range(n))
    while candidates:
        def mmr(i: int) -> float:
            redundancy = max((float(similarity[i, j]) for j in chosen), default=0.0)
            return MMR_LAMBDA * float(relevance[i]) - (1 - MMR_LAMBDA) * redundancy

        best = max(sorted(candidates), key=mmr)
        candidates.discard(best)
        if chosen and used + words[best] > max_words:
            continue
        chosen.append(best)
        used += words[best]
        if used >= max_words:
            break
    return sorted(chosen)


class ExtractiveSummarizer:
    model_id = f"newsflow/extractive-mmr@{EMBEDDED_MODEL_ID}"

    def summarize(self, units: Sequence[TextUnit], max_words: int) -> list[SummaryResult]:
        results = []
        for unit in units:
            if unit.embeddings is None:
                raise ValueError("the extractive summarizer needs the shared sentence embeddings; "
                                 "encode the unit's sentences first")
            kept = select_sentences(unit.sentences, unit.embeddings, max_words)
            results.append(SummaryResult(" ".join(unit.sentences[i] for i in kept), kept, 1))
        return results
