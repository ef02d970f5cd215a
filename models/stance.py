"""Stance toward a target per section, as news reports it (target-dependent sentiment): FAVOR =
the section portrays the target positively, AGAINST = negatively, NONE = neutrally or not at all.
The embedded head and the Hub (NLI zero-shot) adapter, each with its combining rule.

Embedded, per unit (section) × target:
1. mentions = the target's names, its configured aliases and the surname of a full personal name
   (`newsflow.targets.mention_spans`), found per sentence; a unit with none → NONE, score 1.0,
   evidence [], mentions 0.
2. the shared encoder pass keeps each mentioning sentence's token states after all-MiniLM-L6-v2's
   layers 1–2 (`states_to_keep` → `encoder.KeepStates`); only the head file's fine-tuned copies of
   layers 3–6 (`top_layers`; their number comes from the file) run again, on those sentences (a
   sentence not kept, e.g. from `predict_mentions`, runs layers 1–2 first); m = the mean state of the tokens inside the mention
   spans, s = the sentence mean; a linear head trained on NewsMTSC (+ PerSenT) scores [s, m, s*m]
   (`mention_features`).
3. roll-up (`rollup`): the unit's probabilities are the mean of the sentence probabilities, each
   sentence weighted by its number of mentions × its stance-bearing mass (1 − p_NONE)^gamma; label =
   argmax of log(prob) + the per-class offsets; gamma and the offsets were fitted on PerSenT
   (paragraph and document labels) and are stored in the head's metadata. Evidence = the 1–2
   mentioning sentences with the highest probability of that label (the second only if it
   also gives that label ≥ 0.5).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from newsflow.models.base import STANCE_LABELS, StanceResult, TextUnit
from newsflow.targets import Target, mention_spans, mentioning_sentences
from newsflow.errors import ModelLoadError
from newsflow.models.heads import STANCE_HEAD, head_probabilities, load_head
from newsflow.models.hub import ClassifierModel, norm_label

MODEL_ID = "newsflow/news-stance-head@minilm-l6-v2"
EVIDENCE_SECOND_MIN = 0.5
FEATURES = "[s, m, s*m]: s = sentence mean, m = mean of the mention spans' token states (L2-normalised)"
DEFAULT_ROLLUP = {"gamma": 1.0, "offsets": {"AGAINST": 0.0, "FAVOR": 0.0, "NONE": 0.0}}


def mention_features(sentences: np.ndarray, mentions: np.ndarray) -> np.ndarray:
    """Mention features used by training and inference (float32), one row per (sentence, target):
    [s, m, s*m], s = the sentence vector, m = the pooled vector of the target's mention tokens."""
    s = np.asarray(sentences, dtype=np.float32)
    m = np.asarray(mentions, dtype=np.float32)
    return np.concatenate([s, m, s * m], axis=1).astype(np.float32)


@dataclass(frozen=True)
class StanceBatch:
    features: "object"  # torch.FloatTensor (mentioning sentence × target, 3 * dim)
    pairs: list[tuple[int, int, list[int], list[int]]]  # (unit, target, sentence indices, mentions per sentence)


class EmbeddedStance:
    """Stance per unit × target from the mention-pooled token states of the mentioning sentences."""

    model_id = MODEL_ID

    def __init__(self, encoder: Any, path: str | Path | None = None):
        """`encoder`: the shared `SentenceEncoder` (mentions are pooled from its token states)."""
        from newsflow.errors import LabelMappingError

        self.path = Path(path or STANCE_HEAD)
        self.tensors, self.metadata = load_head(self.path)
        self.labels = tuple(json.loads(self.metadata.get("labels", "[]")))
        if sorted(self.labels) != sorted(STANCE_LABELS):
            raise LabelMappingError(str(self.path), self.labels)
        self.rollup = json.loads(self.metadata.get("rollup", json.dumps(DEFAULT_ROLLUP)))
        self.encoder = encoder
        if not hasattr(self.encoder, "encode_spans"):
            raise ValueError("EmbeddedStance needs the SentenceEncoder (encode_spans), "
                             f"got {type(self.encoder).__name__}")
        self.top_layers = top_layers(self.encoder, self.tensors, self.path)

    def states_to_keep(self, sentence_lists: Sequence[Sequence[str]],
                       targets: Sequence[Sequence[Target]]) -> Any:
        """The sentences that mention a target, to keep after the shared lower layers: `predict`
        then runs only the fine-tuned top layers on them (no second pass through the encoder)."""
        from newsflow.models.encoder import KeepStates

        if self.top_layers is None:
            return None
        wanted = frozenset(sentence for sentences, doc_targets in zip(sentence_lists, targets) for sentence in sentences
                           if any(mention_spans(sentence, t) for t in doc_targets))
        return KeepStates(wanted, len(self.encoder.model.encoder.layer) - len(self.top_layers)) if wanted else None

    # -- pipeline steps -------------------------------------------------------------------
    def preprocess(self, units: Sequence[TextUnit], targets: Sequence[Target],
                   assume_relevant: bool = False) -> StanceBatch:
        """Find the mentions, encode each distinct sentence once (however many targets it
        mentions), build the features."""
        return self.preprocess_documents([(units, targets)], assume_relevant)[0]

    def preprocess_documents(self, docs: Sequence[tuple[Sequence[TextUnit], Sequence[Target]]],
                             assume_relevant: bool = False) -> list[StanceBatch]:
        """`preprocess` for several documents, each with its own targets: one `encode_spans` call
        over every distinct mentioning sentence of them all (full batches for the fine-tuned
        layers, instead of one small batch per document)."""
        import torch

        keys: dict[tuple[str, tuple[tuple[int, int], ...]], int] = {}
        per_doc = []
        for units, targets in docs:
            rows, pairs = [], []
            for ui, unit in enumerate(units):
                for ti, target in enumerate(targets):
                    idx, counts = [], []
                    for si, sentence in enumerate(unit.sentences):
                        found = tuple(mention_spans(sentence, target))
                        if found or assume_relevant:
                            idx.append(si)
                            counts.append(len(found))
                            rows.append(keys.setdefault((sentence, found), len(keys)))
                    pairs.append((ui, ti, idx, counts))
            per_doc.append((rows, pairs))
        kept = {id(u.token_states): u.token_states for units, _ in docs for u in units if u.token_states}
        states = next(iter(kept.values())) if len(kept) == 1 else {k: v for d in kept.values() for k, v in d.items()}
        s, m = self.encoder.encode_spans([k[0] for k in keys], [list(k[1]) for k in keys],
                                         top_layers=self.top_layers, states=states)
        feats = mention_features(s, m)
        return [StanceBatch(torch.from_numpy(np.ascontiguousarray(
                    feats[rows] if rows else np.zeros((0, feats.shape[1]), np.float32))), pairs)
                for rows, pairs in per_doc]

    def forward(self, batch: StanceBatch):
        return head_probabilities(self.tensors, batch.features)

    def postprocess(self, probs, batch: StanceBatch, units: Sequence[TextUnit],
                    targets: Sequence[Target]) -> list[list[StanceResult]]:
        rows = [{k: float(v) for k, v in zip(self.labels, r)} for r in probs.tolist()]
        out: list[list[StanceResult]] = [[] for _ in units]
        pos = 0
        for ui, ti, idx, counts in batch.pairs:
            sent_probs = rows[pos:pos + len(idx)]
            pos += len(idx)
            out[ui].append(rollup(targets[ti].name, units[ui].sentences, idx, counts, sent_probs,
                                  **self.rollup))
        return out

    # -- public API -------------------------------------------------------------------------
    def predict_mentions(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[StanceResult]:
        """Per (sentence, mention character spans): the head's own reading of that mention, no
        roll-up (for mention-level data such as NewsMTSC)."""
        s, m = self.encoder.encode_spans([x for x, _ in items], [list(sp) for _, sp in items],
                                         top_layers=self.top_layers)
        probs = self.forward(StanceBatch(_tensor(mention_features(s, m)), [])).tolist()
        out = []
        for (sentence, spans), row in zip(items, probs):
            p = {k: float(v) for k, v in zip(self.labels, row)}
            label = max(("NONE", "FAVOR", "AGAINST"), key=lambda k: p[k])
            out.append(StanceResult(target=sentence[spans[0][0]:spans[0][1]] if spans else "", label=label,
                                    score=p[label], favor=p["FAVOR"], against=p["AGAINST"], none=p["NONE"],
                                    evidence=[sentence], mentions=len(spans)))
        return out

    def predict(self, units: Sequence[TextUnit], targets: Sequence[Target],
                assume_relevant: bool = False) -> list[list[StanceResult]]:
        """One result per target for each unit, in the order of `targets`.

        assume_relevant=True scores every sentence (a sentence without a mention pools the whole
        sentence): for texts the caller knows are about the target, e.g. posts collected for it.
        Default: only the sentences that mention the target.
        """
        return self.predict_documents([(units, targets)], assume_relevant)[0]

    def predict_documents(self, docs: Sequence[tuple[Sequence[TextUnit], Sequence[Target]]],
                          assume_relevant: bool = False) -> list[list[list[StanceResult]]]:
        """`predict` for several (units, targets) documents at once, with the same results: the
        fine-tuned layers run in full batches over all their mentioning sentences."""
        work = [k for k, (units, targets) in enumerate(docs) if units and targets]
        out: list[list[list[StanceResult]]] = [[[] for _ in units] for units, _ in docs]
        batches = self.preprocess_documents([docs[k] for k in work], assume_relevant) if work else []
        for k, batch in zip(work, batches):
            units, targets = docs[k]
            out[k] = self.postprocess(self.forward(batch), batch, units, targets)
        return out


def top_layers(encoder: Any, tensors: Mapping[str, Any], path: Path):
    """The head file's fine-tuned copies of the encoder's last layers (`top.<i>.…` tensors), as
    float modules in eval mode; None when the file has none (a head on the frozen encoder)."""
    import torch

    from newsflow.models.bert import BertLayer

    state = {k[len("top."):]: v for k, v in tensors.items() if k.startswith("top.")}
    if not state:
        return None
    n = 1 + max(int(k.split(".", 1)[0]) for k in state)
    layers = torch.nn.ModuleList([BertLayer(encoder.model.config) for _ in range(n)])
    try:
        layers.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise ModelLoadError(str(path), f"its fine-tuned encoder layers do not fit the encoder ({exc})") from exc
    return encoder.place(layers.eval())


def _tensor(x: np.ndarray):
    import torch

    return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))


def rollup(target: str, sentences: Sequence[str], idx: Sequence[int], counts: Sequence[int],
           sent_probs: Sequence[Mapping[str, float]], gamma: float = 1.0,
           offsets: Mapping[str, float] | None = None) -> StanceResult:
    """One StanceResult from the mentioning sentences' probabilities (see module docstring)."""
    mentions = int(sum(counts))
    if not idx:
        return StanceResult(target=target, label="NONE", score=1.0, favor=0.0, against=0.0,
                            none=1.0, evidence=[], mentions=0)
    offsets = offsets or {}
    weights = [max(c, 1) * max(1.0 - p["NONE"], 1e-6) ** gamma for c, p in zip(counts, sent_probs)]
    total = sum(weights)
    agg = {k: sum(w * p[k] for w, p in zip(weights, sent_probs)) / total for k in STANCE_LABELS}
    label = max(("NONE", "FAVOR", "AGAINST"),
                key=lambda k: math.log(max(agg[k], 1e-12)) + float(offsets.get(k, 0.0)))
    ranked = sorted(range(len(idx)), key=lambda j: (-sent_probs[j][label], idx[j]))
    evidence = [sentences[idx[ranked[0]]]]
    if len(ranked) > 1 and sent_probs[ranked[1]][label] >= EVIDENCE_SECOND_MIN:
        evidence.append(sentences[idx[ranked[1]]])
    return StanceResult(target=target, label=label, score=float(agg[label]),
                        favor=float(agg["FAVOR"]), against=float(agg["AGAINST"]),
                        none=float(agg["NONE"]), evidence=evidence, mentions=mentions)


@lru_cache(maxsize=2)
def load_embedded_stance(encoder: Any, path: str | None = None) -> EmbeddedStance:
    """One head per process (and per encoder)."""
    return EmbeddedStance(encoder, path)


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
                   against_entail: Sequence[float], mentions: int = 0) -> StanceResult:
    """The stance rule (see module docstring) over the mentioning sentences of one unit."""
    if not sentences:
        return StanceResult(target=target, label="NONE", score=1.0, favor=0.0, against=0.0,
                            none=1.0, evidence=[], mentions=mentions)
    f_max, a_max = max(favor_entail), max(against_entail)
    favor, against, none = _normalise(f_max, a_max)
    label = _stance_label(favor, against, none)
    evidence = [s for s, f, a in zip(sentences, favor_entail, against_entail)
                if _stance_label(*_normalise(f, a)) == label]
    score = {"FAVOR": favor, "AGAINST": against, "NONE": none}[label]
    return StanceResult(target=target, label=label, score=score, favor=favor, against=against,
                        none=none, evidence=evidence, mentions=mentions)


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

    def states_to_keep(self, sentence_lists: Sequence[Sequence[str]],
                       targets: Sequence[Sequence[Target]]) -> None:
        return None  # runs its own checkpoint, not the shared encoder pass

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
                mentions = sum(len(mention_spans(s, t)) for s in sents)
                res.append(combine_stance(t.name, sents, fav, ag, mentions))
            out.append(res)
        return out

    def predict_documents(self, docs: Sequence[tuple[Sequence[TextUnit], Sequence[Target]]],
                          assume_relevant: bool = False) -> list[list[list[StanceResult]]]:
        """`predict` per (units, targets) document (each batches its own premise pairs)."""
        return [self.predict(units, targets, assume_relevant) for units, targets in docs]
