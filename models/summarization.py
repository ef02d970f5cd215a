"""Summaries of sections and documents: the embedded extractive summarizer and the Hub
(abstractive, seq2seq) adapter.

Embedded: extractive, on the shared MiniLM sentence vectors. News puts its key facts first, so a
sentence's relevance is a lead-position prior plus a small centrality term,

    relevance_i = LEAD_DECAY ** i + CENTRALITY_WEIGHT * centrality_i      (i: rank in the unit)

with centrality the similarity to the unit's mean vector, min-max scaled to [0, 1]. Sentences are
taken by relevance while they fit the caller's word budget, and no more once the summary holds
STOP_WORDS words (a news summary's length: CNN/DailyMail's highlights average 57 words), and
returned in their original order. With CENTRALITY_WEIGHT = 0 and a budget under STOP_WORDS the
rule is LEAD-k (the first sentences that fit the budget); a central sentence can only pass
neighbours whose prior is within CENTRALITY_WEIGHT of its own. All three settings were chosen by
cross-validation on 150 CNN/DailyMail articles, where a redundancy penalty (MMR) did not help and
was dropped (`models/cards/extractive_summarizer.md`).
Sections use the same rule: the rank restarts at each section's first sentence, its topic
sentence under the subheading.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Hashable, Sequence

import numpy as np

from newsflow.models.base import SummaryResult, TextUnit
from newsflow.errors import ModelLoadError
from newsflow.models.encoder import EMBEDDED_MODEL_ID
from newsflow.models.hub import HubTaskModel
from newsflow.sectioning import is_furniture, split_sentences

LEAD_DECAY = 0.9  # position prior of the sentence at rank i: LEAD_DECAY ** i
CENTRALITY_WEIGHT = 0.2  # weight of the centrality term (itself in [0, 1])
STOP_WORDS = 65  # no sentence is added once the summary holds this many words (the budget stays a cap)
# In the skip fingerprint. 2: page furniture (bylines, captions, …) never picked; 3: STOP_WORDS;
# 4: a sentence wholly in square brackets (an editor's aside, a newsletter promo) is furniture.
SUMMARY_RULE_VERSION = "4"


def relevance_scores(embeddings: np.ndarray, weight: float = CENTRALITY_WEIGHT) -> np.ndarray:
    """Lead-position prior plus weighted centroid centrality, one score per sentence."""
    position = LEAD_DECAY ** np.arange(len(embeddings), dtype=np.float64)
    return position + weight * centroid_centrality(embeddings)


def centroid_centrality(embeddings: np.ndarray) -> np.ndarray:
    """Similarity of each sentence to the unit's mean vector, min-max scaled to [0, 1]; 1 for all
    when they are equally central (a single sentence, say)."""
    vectors = np.asarray(embeddings, dtype=np.float64)
    similarity = vectors @ vectors.mean(axis=0)
    span = float(similarity.max() - similarity.min())
    return (similarity - similarity.min()) / span if span > 0 else np.ones(len(vectors))


def keep_by_score(scores: np.ndarray, sentences: Sequence[str], max_words: int,
                  stop_words: float | None = None) -> list[int]:
    """Indices of the kept sentences, ascending: the highest scores first (ties: the earlier) while
    they fit the word budget, until the kept ones hold `stop_words` words (None: the budget). The
    best one is kept even when it alone is over budget."""
    chosen: list[int] = []
    used = 0
    enough = max_words if stop_words is None else min(max_words, stop_words)
    for i in np.argsort(-np.asarray(scores), kind="stable").tolist():
        words = len(sentences[i].split())
        if chosen and used + words > max_words:
            continue
        chosen.append(i)
        used += words
        if used >= enough:
            break
    return sorted(chosen)


def select_sentences(sentences: Sequence[str], embeddings: np.ndarray, max_words: int) -> list[int]:
    """Indices of the kept sentences, ascending: the most relevant while they fit the word budget,
    until they hold STOP_WORDS words (`keep_by_score`), so no unit goes without a summary. Page
    furniture (a byline, caption, dateline, teaser line or bracketed aside:
    `sectioning.is_furniture`) is never kept unless the unit has nothing else; the ranks and
    centrality count prose only."""
    if not sentences:
        return []
    prose = [i for i, s in enumerate(sentences) if not is_furniture(s)] or list(range(len(sentences)))
    kept = keep_by_score(relevance_scores(np.asarray(embeddings)[prose]), [sentences[i] for i in prose], max_words,
                         STOP_WORDS)
    return [prose[j] for j in kept]


class ExtractiveSummarizer:
    model_id = f"newsflow/extractive-lead-centroid@{EMBEDDED_MODEL_ID}"

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


# --------------------------------------------------------------------------------------------
# Hub: any seq2seq checkpoint. A unit's sentences are packed greedily into windows of at most the
# model's input budget (sentences are never cut unless one alone is over the budget, then it is
# cut on token boundaries). Nothing is truncated. With one window the window is summarized
# straight to the word target; with several, each window is summarized to at most half its
# tokens, the summaries are joined, and the joined text goes round again (split into windows if
# it is still over the budget) until one window is left; `chunks` is the number of first-level
# windows.
# --------------------------------------------------------------------------------------------
def trim_words(text: str, max_words: int) -> str:
    """At most `max_words` words; cut after the last full sentence when that keeps half of them."""
    words = text.split()
    if len(words) <= max_words:
        return " ".join(words)
    kept = words[:max_words]
    min_keep = (max_words + 1) // 2
    for end in range(len(kept), min_keep - 1, -1):  # keep kept[:end]
        if end > 0 and kept[end - 1].endswith((".", "!", "?")):
            return " ".join(kept[:end])
    return " ".join(kept)


@dataclass(frozen=True)
class _Window:
    text: str
    max_new_tokens: int


@dataclass(frozen=True)
class _GenerationBatch:
    encoding: dict[str, Any]
    max_new_tokens: int


class HubSummarizer(HubTaskModel):
    """Abstractive summary from any seq2seq checkpoint; long units map-reduced over token windows."""

    task = "summarizer"
    auto_class = "AutoModelForSeq2SeqLM"

    def __init__(self, model_id: str | os.PathLike[str], batch_size: int = 8,
                 max_new_tokens: int = 142, num_beams: int = 4, max_levels: int = 16, **kw: Any):
        if max_new_tokens < 1 or num_beams < 1 or max_levels < 1:
            raise ValueError("max_new_tokens, num_beams and max_levels must be >= 1")
        self.max_new_tokens = int(max_new_tokens)
        self.num_beams = int(num_beams)
        self.max_levels = int(max_levels)
        super().__init__(model_id, batch_size=batch_size, **kw)

    def _after_load(self) -> None:
        # The decoder cannot emit more tokens than it has positions for.
        decoder_positions = getattr(self.model.config, "max_position_embeddings", None)
        if decoder_positions:
            self.max_new_tokens = min(self.max_new_tokens, int(decoder_positions) - 2)
        self.window_capacity = self.max_input_tokens - self.tokenizer.num_special_tokens_to_add(pair=False)
        if self.window_capacity < 8:
            raise ModelLoadError(self.model_id, f"input budget of {self.max_input_tokens} tokens is "
                                 "too small to summarize anything")

    # -- token windows -------------------------------------------------------------------
    def content_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def split_windows(self, sentences: Sequence[str]) -> list[str]:
        """Pack sentences greedily into texts of at most `window_capacity` content tokens (exact
        count of the joined text). A sentence over the capacity alone is cut on token boundaries."""
        cap = self.window_capacity
        pieces: list[str] = []
        for s in sentences:
            s = s.strip()
            if not s:
                continue
            pieces.extend([s] if self.content_tokens(s) <= cap else self._split_long(s, cap))
        windows: list[str] = []
        current: list[str] = []
        for p in pieces:
            if current and self.content_tokens(" ".join([*current, p])) > cap:
                windows.append(" ".join(current))
                current = []
            current.append(p)
        if current:
            windows.append(" ".join(current))
        return windows

    def _split_long(self, text: str, cap: int) -> list[str]:
        try:
            offsets = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True,
                                     verbose=False)["offset_mapping"]
        except Exception:  # tokenizers without offsets: cut on whitespace, then characters
            return self._split_by_chars(text, cap)
        pieces: list[str] = []
        start_tok, n = 0, len(offsets)
        while start_tok < n:
            end_tok = min(start_tok + cap, n)
            while True:
                if end_tok < n:  # prefer a cut at whitespace in the second half of the window
                    for k in range(end_tok, start_tok + max(1, (end_tok - start_tok) // 2) - 1, -1):
                        if offsets[k][0] > 0 and text[offsets[k][0] - 1].isspace():
                            end_tok = k
                            break
                cut = offsets[end_tok][0] if end_tok < n else len(text)
                piece = text[offsets[start_tok][0]:cut].strip()
                if end_tok - start_tok <= 1 or self.content_tokens(piece) <= cap:
                    break
                end_tok -= 1
            if piece:
                pieces.extend([piece] if self.content_tokens(piece) <= cap else self._split_by_chars(piece, cap))
            start_tok = end_tok
        return pieces

    def _split_by_chars(self, text: str, cap: int) -> list[str]:
        if self.content_tokens(text) <= cap or len(text) <= 1:
            return [text]
        mid = len(text) // 2
        space = text.rfind(" ", 0, mid)
        cut = space if space > 0 else mid
        return [p for half in (text[:cut], text[cut:]) if (h := half.strip())
                for p in self._split_by_chars(h, cap)]

    # -- generation ----------------------------------------------------------------------
    def count_tokens(self, items: Sequence[_Window]) -> list[int]:
        return [len(x) for x in self.tokenizer([w.text for w in items], verbose=False)["input_ids"]]

    def batch_key(self, item: _Window) -> Hashable:
        return item.max_new_tokens

    def preprocess(self, items: Sequence[_Window]) -> _GenerationBatch:
        enc = self.tokenizer([w.text for w in items], padding=True, truncation=False, return_tensors="pt")
        if enc["input_ids"].shape[1] > self.max_input_tokens:  # split_windows guarantees otherwise
            raise RuntimeError(f"window of {enc['input_ids'].shape[1]} tokens exceeds the budget")
        return _GenerationBatch(self._to_device(enc), items[0].max_new_tokens)

    def forward(self, batch: _GenerationBatch):
        import torch

        min_length = min(int(getattr(self.model.generation_config, "min_length", 0) or 0),
                         batch.max_new_tokens // 2)
        with torch.inference_mode():
            return self.model.generate(**batch.encoding, max_new_tokens=batch.max_new_tokens,
                                       min_length=min_length, num_beams=self.num_beams,
                                       do_sample=False)

    def postprocess(self, raw: Any, items: Sequence[_Window]) -> list[str]:
        texts = self.tokenizer.batch_decode(raw.cpu(), skip_special_tokens=True)
        return [" ".join(t.split()) for t in texts]

    def generate(self, windows: Sequence[_Window]) -> list[str]:
        return self.run(windows)

    @staticmethod
    def tokens_for_words(max_words: int) -> int:
        return math.ceil(max_words * 4 / 3) + 2  # ~1.3 subword tokens per English word

    def summarize(self, units: Sequence[TextUnit], max_words: int) -> list[SummaryResult]:
        if max_words < 1:
            raise ValueError(f"max_words must be >= 1, got {max_words}")
        final_cap = min(self.max_new_tokens, self.tokens_for_words(max_words))
        current = [self.split_windows(u.sentences) for u in units]
        chunks = [len(w) for w in current]
        texts = ["" for _ in units]
        pending = [i for i, w in enumerate(current) if w]
        for level in range(self.max_levels):
            if not pending:
                break
            items: list[_Window] = []
            owners: list[int] = []
            for u in pending:
                windows = current[u]
                for w in windows:
                    cap = final_cap if len(windows) == 1 else min(
                        self.max_new_tokens, max(1, self.content_tokens(w) // 2))
                    items.append(_Window(w, cap))
                    owners.append(u)
            outputs = self.generate(items)
            by_unit: dict[int, list[str]] = {u: [] for u in pending}
            for u, text in zip(owners, outputs):
                by_unit[u].append(text)
            next_pending = []
            for u in pending:
                if len(current[u]) == 1:
                    texts[u] = by_unit[u][0]
                    continue
                joined = " ".join(t for t in by_unit[u] if t)
                windows = self.split_windows(split_sentences(joined))
                if len(windows) <= 1 and len(joined.split()) <= max_words:
                    texts[u] = joined
                else:
                    current[u] = windows
                    next_pending.append(u)
            pending = next_pending
        if pending:
            raise RuntimeError(f"{self.model_id}: summaries did not fit one window after "
                               f"{self.max_levels} levels")
        return [SummaryResult(text=trim_words(t, max_words), sentence_indices=[], chunks=c)
                for t, c in zip(texts, chunks)]
