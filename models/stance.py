"""Stance (FAVOR / AGAINST / NONE toward a target) per section: the embedded head and the Hub
(NLI zero-shot) adapter, each with its combining rule.

Embedded, on the frozen MiniLM vectors:

Per unit (section) × target:
1. relevant sentences = those naming the target (`mentioning_sentences`, aliases included) plus
   those whose vector is close to the target's vector (cosine ≥ the head's relevance threshold,
   stored in its metadata); none → NONE, score 1.0, evidence [].
2. a trained head scores each relevant sentence from [s, t, s*t, extras] (`stance_features`):
   s = sentence vector, t = target vector, extras = cos(s, t), the sentence's cosine to
   "I support {target}"-style and "I oppose {target}"-style prototype sentences (and their
   difference), the sentiment head's probabilities of the sentence, and those times cos(s, t).
3. the unit's probabilities are a weighted mean over relevant sentences, each weighted by its
   stance-bearing mass (1 − p_none, floored at 0.05), so one clear statement is not drowned by
   neutral mentions; label = argmax; evidence = the 1–2 relevant sentences with the highest
   probability of that label (the second only if it also gives that label ≥ 0.5).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from newsflow.models.encoder import EMBEDDING_DIM
from newsflow.models.base import STANCE_LABELS, StanceResult, TextUnit
from newsflow.targets import Target, mentioning_sentences
from newsflow.errors import ModelLoadError
from newsflow.models.heads import SENTIMENT_HEAD, STANCE_HEAD, head_probabilities, load_head
from newsflow.models.hub import ClassifierModel, norm_label

MODEL_ID = "newsflow/stance-head@minilm-l6-v2"
MIN_WEIGHT = 0.05
EVIDENCE_SECOND_MIN = 0.5

Encode = Callable[[Sequence[str]], np.ndarray]


# Prototype statements: the sentence's cosine to these, with the target's names filled in,
# is a target-conditioned cue that carries over to targets the head never saw.
PROTO_FAVOR = ("I support {}.", "{} is good.", "I am in favour of {}.")
PROTO_AGAINST = ("I oppose {}.", "{} is bad.", "I am against {}.")
FEATURES = ("[s, t, s*t, cos(s,t), cos(s,favor_proto), cos(s,against_proto), difference, "
            "sentiment_probs(s), sentiment_probs(s)*cos(s,t)]")


def stance_features(sentences: np.ndarray, targets: np.ndarray, favor: np.ndarray,
                    against: np.ndarray, sentiment: np.ndarray) -> np.ndarray:
    """Pair features used by training and inference (float32), one row per (sentence, target):
    [s, t, s*t, cos(s,t), cos(s,f), cos(s,a), cos(s,f)-cos(s,a), p_sent, p_sent*cos(s,t)], where
    f/a are the target's favor/against prototype vectors and p_sent the sentiment head's
    (negative, neutral, positive) probabilities of the sentence."""
    s = np.asarray(sentences, dtype=np.float32)
    t = np.asarray(targets, dtype=np.float32)
    p = np.asarray(sentiment, dtype=np.float32)
    cos_t = (s * t).sum(axis=1, keepdims=True)
    cf = (s * np.asarray(favor, dtype=np.float32)).sum(axis=1, keepdims=True)
    ca = (s * np.asarray(against, dtype=np.float32)).sum(axis=1, keepdims=True)
    return np.concatenate([s, t, s * t, cos_t, cf, ca, cf - ca, p, p * cos_t], axis=1).astype(np.float32)


def _mean_vectors(encode: Encode, groups: Sequence[Sequence[str]]) -> np.ndarray:
    """One L2-normalised vector per group of texts: the mean of their vectors."""
    flat = [x for g in groups for x in g]
    if not flat:
        return np.zeros((0, 0), np.float32)
    emb = np.asarray(encode(flat), dtype=np.float32)
    out, pos = [], 0
    for g in groups:
        v = emb[pos:pos + len(g)].mean(axis=0)
        pos += len(g)
        out.append(v / max(float(np.linalg.norm(v)), 1e-9))
    return np.stack(out).astype(np.float32)


def target_vectors(encode: Encode, targets: Sequence[Target]) -> np.ndarray:
    """One L2-normalised vector per target: the mean of its names' vectors."""
    return _mean_vectors(encode, [t.names for t in targets])


def prototype_vectors(encode: Encode, targets: Sequence[Target]) -> tuple[np.ndarray, np.ndarray]:
    """Per target, the mean vector of the favor and of the against prototypes over its names."""
    fav = _mean_vectors(encode, [[p.format(n) for n in t.names for p in PROTO_FAVOR] for t in targets])
    ag = _mean_vectors(encode, [[p.format(n) for n in t.names for p in PROTO_AGAINST] for t in targets])
    return fav, ag


def sentiment_probabilities(tensors: dict, sentences: np.ndarray) -> np.ndarray:
    """The sentiment head's probabilities (its own label order) for sentence vectors."""
    return head_probabilities(tensors, np.asarray(sentences, dtype=np.float32)).numpy()


@dataclass(frozen=True)
class StanceBatch:
    features: "object"  # torch.FloatTensor (pairs, 3*dim)
    pairs: list[tuple[int, int, list[int]]]  # (unit index, target index, relevant sentence indices)


class EmbeddedStance:
    """Stance per unit × target from the shared sentence vectors and the target's vector."""

    model_id = MODEL_ID

    def __init__(self, encode: Encode, path: str | Path | None = None):
        from newsflow.errors import LabelMappingError

        self.path = Path(path or STANCE_HEAD)
        self.tensors, self.metadata = load_head(self.path)
        self.labels = tuple(json.loads(self.metadata.get("labels", "[]")))
        if sorted(self.labels) != sorted(STANCE_LABELS):
            raise LabelMappingError(str(self.path), self.labels)
        self.relevance_threshold = float(self.metadata.get("relevance_threshold", "1.1"))
        self.encode = encode
        # the sentiment probabilities are stance features: the head was trained with this file
        self.sentiment_tensors, _ = load_head(SENTIMENT_HEAD)
        self._target_cache: dict[Target, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def _target(self, target: Target) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(target vector, favor prototype vector, against prototype vector), cached."""
        if target not in self._target_cache:
            fav, ag = prototype_vectors(self.encode, [target])
            self._target_cache[target] = (target_vectors(self.encode, [target])[0], fav[0], ag[0])
        return self._target_cache[target]

    def target_vector(self, target: Target) -> np.ndarray:
        return self._target(target)[0]

    def relevant_sentences(self, unit: TextUnit, target: Target, emb: np.ndarray) -> list[int]:
        """Sentences naming the target, plus those semantically close to it."""
        named = set(mentioning_sentences(unit.sentences, target))
        if len(emb):
            sims = emb @ self.target_vector(target)
            named.update(int(i) for i in np.nonzero(sims >= self.relevance_threshold)[0])
        return sorted(named)

    # -- pipeline steps -------------------------------------------------------------------
    def _embeddings(self, unit: TextUnit) -> np.ndarray:
        emb = unit.embeddings
        if emb is None:
            emb = self.encode(unit.sentences) if unit.sentences else np.zeros((0, EMBEDDING_DIM), np.float32)
        # an explicit width: a section without sentences is a (0, dim) block, not an error
        return np.asarray(emb, dtype=np.float32).reshape(len(unit.sentences), EMBEDDING_DIM)

    def preprocess(self, units: Sequence[TextUnit], targets: Sequence[Target],
                   assume_relevant: bool = False) -> StanceBatch:
        import torch

        rows, pairs = [], []
        for ui, unit in enumerate(units):
            emb = self._embeddings(unit)
            for ti, target in enumerate(targets):
                idx = (list(range(len(unit.sentences))) if assume_relevant
                       else self.relevant_sentences(unit, target, emb))
                pairs.append((ui, ti, idx))
                if idx:
                    tv, fv, av = (np.repeat(v[None, :], len(idx), axis=0) for v in self._target(target))
                    sent = sentiment_probabilities(self.sentiment_tensors, emb[idx])
                    rows.append(stance_features(emb[idx], tv, fv, av, sent))
        dim = self.tensors["w1"].shape[1]
        feats = np.concatenate(rows, axis=0) if rows else np.zeros((0, dim), np.float32)
        return StanceBatch(torch.from_numpy(np.ascontiguousarray(feats)), pairs)

    def forward(self, batch: StanceBatch):
        return head_probabilities(self.tensors, batch.features)

    def postprocess(self, probs, batch: StanceBatch, units: Sequence[TextUnit],
                    targets: Sequence[Target]) -> list[list[StanceResult]]:
        rows = [dict(zip(self.labels, r)) for r in probs.tolist()]
        out: list[list[StanceResult]] = [[] for _ in units]
        pos = 0
        for ui, ti, idx in batch.pairs:
            sent_probs = rows[pos:pos + len(idx)]
            pos += len(idx)
            out[ui].append(aggregate(targets[ti].name, units[ui].sentences, idx, sent_probs))
        return out

    # -- public API -------------------------------------------------------------------------
    def predict(self, units: Sequence[TextUnit], targets: Sequence[Target],
                assume_relevant: bool = False) -> list[list[StanceResult]]:
        """One result per target for each unit, in the order of `targets`.

        assume_relevant=True skips the relevance gate (every sentence is scored): for texts the
        caller knows are about the target, e.g. posts collected for it. Default: gated.
        """
        if not units:
            return []
        if not targets:
            return [[] for _ in units]
        batch = self.preprocess(units, targets, assume_relevant)
        return self.postprocess(self.forward(batch), batch, units, targets)


def aggregate(target: str, sentences: Sequence[str], idx: Sequence[int],
              sent_probs: Sequence[dict[str, float]]) -> StanceResult:
    """One StanceResult from the relevant sentences' probabilities (see module docstring)."""
    if not idx:
        return StanceResult(target=target, label="NONE", score=1.0, favor=0.0, against=0.0,
                            none=1.0, evidence=[])
    weights = [max(1.0 - p["NONE"], MIN_WEIGHT) for p in sent_probs]
    total = sum(weights)
    agg = {k: sum(w * p[k] for w, p in zip(weights, sent_probs)) / total for k in STANCE_LABELS}
    label = max(("FAVOR", "AGAINST", "NONE"), key=lambda k: agg[k])
    ranked = sorted(range(len(idx)), key=lambda j: (-sent_probs[j][label], idx[j]))
    evidence = [sentences[idx[ranked[0]]]]
    if len(ranked) > 1 and sent_probs[ranked[1]][label] >= EVIDENCE_SECOND_MIN:
        evidence.append(sentences[idx[ranked[1]]])
    return StanceResult(target=target, label=label, score=float(agg[label]),
                        favor=float(agg["FAVOR"]), against=float(agg["AGAINST"]),
                        none=float(agg["NONE"]), evidence=evidence)


@lru_cache(maxsize=2)
def load_embedded_stance(encode: Encode, path: str | None = None) -> EmbeddedStance:
    """One head per process (and per encode callable)."""
    return EmbeddedStance(encode, path)


# --------------------------------------------------------------------------------------------
# Hub: zero-shot stance from an NLI checkpoint
# Per mentioning sentence s, f_s = P(entailment | s, favor hypothesis) and a_s = P(entailment |
# s, against hypothesis). F = max_s f_s, A = max_s a_s, N = 1 - max(F, A); (favor, against, none)
# = (F, A, N) / (F + A + N). Label = argmax, ties going NONE, then FAVOR.
# --------------------------------------------------------------------------------------------
def find_nli_indices(model_id: str, id2label: Mapping[Any, Any]) -> tuple[int, int]:
    """(entailment index, contradiction index) from id2label, case-insensitively."""
    labels = {int(k): norm_label(v) for k, v in id2label.items()}
    entail = [i for i, n in labels.items() if n in ("entailment", "entail", "entailed")]
    contra = [i for i, n in labels.items() if n in ("contradiction", "contradict", "contradicted")]
    if len(entail) != 1 or len(contra) != 1:
        raise ModelLoadError(model_id, f"id2label {dict(id2label)!r} does not name exactly one "
                             "'entailment' and one 'contradiction' class, so it is not a usable NLI "
                             "model for zero-shot stance")
    return entail[0], contra[0]


def combine_stance(target: str, sentences: Sequence[str], favor_entail: Sequence[float],
                   against_entail: Sequence[float]) -> StanceResult:
    """The stance rule (see module docstring) over the mentioning sentences of one unit."""
    if not sentences:
        return StanceResult(target=target, label="NONE", score=1.0, favor=0.0, against=0.0,
                            none=1.0, evidence=[])
    f_max, a_max = max(favor_entail), max(against_entail)
    favor, against, none = _normalise(f_max, a_max)
    label = _stance_label(favor, against, none)
    evidence = [s for s, f, a in zip(sentences, favor_entail, against_entail)
                if _stance_label(*_normalise(f, a)) == label]
    score = {"FAVOR": favor, "AGAINST": against, "NONE": none}[label]
    return StanceResult(target=target, label=label, score=score, favor=favor, against=against,
                        none=none, evidence=evidence)


def _normalise(f: float, a: float) -> tuple[float, float, float]:
    n = 1.0 - max(f, a)
    total = f + a + n  # >= 1 - max + max > 0
    return f / total, a / total, n / total


def _stance_label(favor: float, against: float, none: float) -> str:
    label, best = "NONE", none
    if favor > best:
        label, best = "FAVOR", favor
    if against > best:
        label = "AGAINST"
    return label


class HubStance(ClassifierModel):
    """Zero-shot stance from an NLI checkpoint: does the sentence entail "supports"/"opposes"?"""

    task = "stance"

    def __init__(self, model_id: str | os.PathLike[str], batch_size: int = 16,
                 hypothesis_favor: str = "The author supports {target}.",
                 hypothesis_against: str = "The author opposes {target}.", **kw: Any):
        for name, template in (("hypothesis_favor", hypothesis_favor),
                               ("hypothesis_against", hypothesis_against)):
            if "{target}" not in template:
                raise ValueError(f"{name} must contain '{{target}}', got {template!r}")
        self.hypothesis_favor = hypothesis_favor
        self.hypothesis_against = hypothesis_against
        super().__init__(model_id, batch_size=batch_size, **kw)

    def _after_load(self) -> None:
        self.entailment_index, _ = find_nli_indices(
            self.model_id, self.model.config.id2label)

    def count_tokens(self, items: Sequence[tuple[str, str]]) -> list[int]:
        enc = self.tokenizer([p for p, _ in items], [h for _, h in items], add_special_tokens=True,
                             verbose=False)
        return [len(x) for x in enc["input_ids"]]

    def preprocess(self, items: Sequence[tuple[str, str]]) -> dict[str, Any]:
        # only the premise is ever shortened, and only past the model's limit (logged in run())
        enc = self.tokenizer([p for p, _ in items], [h for _, h in items], padding=True,
                             truncation="only_first", max_length=self.max_input_tokens,
                             return_tensors="pt")
        return self._to_device(enc)

    def postprocess(self, raw: Any, items: Sequence[tuple[str, str]]) -> list[float]:
        return [float(x) for x in raw[:, self.entailment_index].cpu().tolist()]

    def entailment(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """P(entailment) for (premise, hypothesis) pairs, softmax over the model's own classes."""
        return self.run(pairs)

    def predict(self, units: Sequence[TextUnit], targets: Sequence[Target],
                assume_relevant: bool = False) -> list[list[StanceResult]]:
        """Per unit and target, over its sentences naming the target (every sentence with
        assume_relevant=True)."""
        plan: list[list[tuple[Target, list[str]]]] = []
        pairs: dict[tuple[str, str], int] = {}  # unique (premise, hypothesis) → slot
        for u in units:
            row = []
            for t in targets:
                sents = list(u.sentences) if assume_relevant else [
                    u.sentences[i] for i in mentioning_sentences(u.sentences, t)]
                row.append((t, sents))
                for s in sents:
                    for template in (self.hypothesis_favor, self.hypothesis_against):
                        pairs.setdefault((s, template.format(target=t.name)), len(pairs))
            plan.append(row)
        probs = self.entailment(list(pairs))
        out = []
        for row in plan:
            res = []
            for t, sents in row:
                fav = [probs[pairs[(s, self.hypothesis_favor.format(target=t.name))]] for s in sents]
                ag = [probs[pairs[(s, self.hypothesis_against.format(target=t.name))]] for s in sents]
                res.append(combine_stance(t.name, sents, fav, ag))
            out.append(res)
        return out
