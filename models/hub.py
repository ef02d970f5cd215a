"""Hugging Face Hub adapters for summary, sentiment and stance, for users who have the checkpoints.

All three share `HubTaskModel`: one `from_pretrained` load (safetensors only, no remote code), one
device, and `run()`, which tokenizes every item once, sorts the items by token length into batches
of `batch_size` (little padding), runs preprocess → forward → postprocess per batch and puts the
results back in input order. The subclasses only say what an item is and how to read the logits.

Nothing here downloads anything by itself beyond what `from_pretrained` does for a Hub id; with
HF_HUB_OFFLINE=1 (or a local folder) only local files are read. Every loading failure surfaces as
`ModelLoadError` at construction time, never on the first document.

Rules (documented in models/cards/hub_models.md):
- Summary: a unit's sentences are packed greedily into windows of at most the model's input budget
  (sentences are never cut unless one alone is over the budget, then it is cut on token
  boundaries). Nothing is truncated. With one window the window is summarized straight to the word
  target; with several, each window is summarized to at most half its tokens, the summaries are
  joined, and the joined text goes round again (split into windows if it is still over the budget)
  until one window is left; `chunks` is the number of first-level windows.
- Stance: per mentioning sentence s, f_s = P(entailment | s, favor hypothesis) and
  a_s = P(entailment | s, against hypothesis). F = max_s f_s, A = max_s a_s, N = 1 - max(F, A);
  (favor, against, none) = (F, A, N) / (F + A + N). Label = argmax, ties going NONE, then FAVOR.
"""

from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Hashable, Literal, Mapping, Sequence

from newsflow.models.base import (
    SENTIMENT_LABELS,
    SentimentResult,
    StanceResult,
    SummaryResult,
    TextUnit,
)
from newsflow.targets import Target, mentioning_sentences
from newsflow.errors import LabelMappingError, ModelLoadError

logger = logging.getLogger(__name__)

HUB_PROFILE: dict[str, str] = {
    "summarizer": "sshleifer/distilbart-cnn-12-6",
    "sentiment": "cardiffnlp/twitter-roberta-base-sentiment-latest",
    "stance": "MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli",
}

# Models whose position ids start at padding_idx + 1, so max_position_embeddings overstates the
# usable length by pad_token_id + 1 (514 → 512 for RoBERTa).
_PADDING_OFFSET_MODEL_TYPES = frozenset({
    "roberta", "xlm-roberta", "xlm-roberta-xl", "camembert", "longformer", "roberta-prelayernorm",
    "data2vec-text", "mpnet", "ibert", "xmod", "luke", "mluke",
})
_SANE_MAX_TOKENS = 1_000_000  # tokenizers without a limit report int(1e30)
_FALLBACK_MAX_TOKENS = 512
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


# --------------------------------------------------------------------------------------------
# helpers (pure, tested directly)
# --------------------------------------------------------------------------------------------

def max_input_tokens(tokenizer: Any, config: Any) -> int:
    """Input budget in tokens (special tokens included): the smaller sane one of
    `tokenizer.model_max_length` and `config.max_position_embeddings` (minus the RoBERTa offset)."""
    candidates: list[int] = []
    tml = getattr(tokenizer, "model_max_length", None)
    if isinstance(tml, int) and 0 < tml < _SANE_MAX_TOKENS:
        candidates.append(tml)
    mpe = getattr(config, "max_position_embeddings", None)
    if isinstance(mpe, int) and 0 < mpe < _SANE_MAX_TOKENS:
        if getattr(config, "model_type", None) in _PADDING_OFFSET_MODEL_TYPES:
            mpe -= int(getattr(config, "pad_token_id", None) or 0) + 1
        if mpe > 0:
            candidates.append(mpe)
    return min(candidates) if candidates else _FALLBACK_MAX_TOKENS


def length_sorted_batch_indices(lengths: Sequence[int], batch_size: int,
                                keys: Sequence[Hashable] | None = None) -> list[list[int]]:
    """Indices sorted by (key, length), cut into batches of at most `batch_size`; a batch never
    mixes keys (items that must share generation settings share a key)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    key_list: Sequence[Hashable] = keys if keys is not None else [0] * len(lengths)
    # sort by the key's repr so mixed-type keys never compare; stable on input order for ties
    order = sorted(range(len(lengths)), key=lambda i: (repr(key_list[i]), lengths[i]))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (len(current) >= batch_size or key_list[current[0]] != key_list[i]):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def _norm_label(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(name).lower()).strip()


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
        name = _norm_label(labels[idx])
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


def find_nli_indices(model_id: str, id2label: Mapping[Any, Any]) -> tuple[int, int]:
    """(entailment index, contradiction index) from id2label, case-insensitively."""
    labels = {int(k): _norm_label(v) for k, v in id2label.items()}
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


def split_sentences(text: str) -> list[str]:
    """Sentence split of generated text (summaries carry no sentence list of their own)."""
    return [s for s in (p.strip() for p in _SENTENCE_END.split(text)) if s]


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


def _looks_like_path(model_id: str) -> bool:
    return (os.path.isabs(model_id) or model_id.startswith(("./", "../", "~", ".\\"))
            or model_id.count("/") > 1 or os.path.exists(model_id))


def _offline_env() -> bool:
    return any(os.environ.get(v, "").strip().lower() in ("1", "true", "yes", "on")
               for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


# --------------------------------------------------------------------------------------------
# shared base
# --------------------------------------------------------------------------------------------

class HubTaskModel:
    """Load once; batch items sorted by token length; preprocess → forward → postprocess."""

    task: ClassVar[str]
    auto_class: ClassVar[str]  # attribute name in `transformers`
    head_prefixes: ClassVar[tuple[str, ...]] = ()  # missing weights under these = random head

    def __init__(self, model_id: str | os.PathLike[str], *, batch_size: int, device: str = "cpu",
                 threads: int | None = None, local_files_only: bool | None = None):
        if int(batch_size) < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.model_id = str(model_id)
        self.batch_size = int(batch_size)
        import torch

        if threads:
            torch.set_num_threads(int(threads))  # process-wide, like every torch thread setting
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = torch.device(device)
        self.tokenizer, self.model = self._load(local_files_only)
        self.max_input_tokens = max_input_tokens(self.tokenizer, self.model.config)
        self._after_load()

    # -- loading -------------------------------------------------------------------------
    def _load(self, local_files_only: bool | None):
        import transformers

        model_id = self.model_id
        local = _looks_like_path(model_id)
        if local:
            path = Path(model_id).expanduser()
            if not path.is_dir():
                raise ModelLoadError(model_id, f"{path} is not an existing local folder")
            model_id = str(path)
        offline = bool(local_files_only) if local_files_only is not None else (local or _offline_env())
        auto_model = getattr(transformers, self.auto_class)
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(
                model_id, trust_remote_code=False, local_files_only=offline)
            model, info = auto_model.from_pretrained(
                model_id, trust_remote_code=False, use_safetensors=True,
                local_files_only=offline, output_loading_info=True)
        except Exception as exc:  # OSError, ValueError, safetensors errors, JSON errors, ...
            hint = " (offline: only the local cache is read)" if offline and not local else ""
            raise ModelLoadError(self.model_id, f"{type(exc).__name__}: {exc}{hint}") from exc
        missing = sorted(info.get("missing_keys") or ())
        head_missing = [k for k in missing if k.startswith(self.head_prefixes)] if self.head_prefixes else []
        if head_missing:
            raise ModelLoadError(self.model_id, f"the checkpoint lacks trained weights for {head_missing}; "
                                 f"it is not a {self.task} checkpoint (its head would be random)")
        if info.get("mismatched_keys"):
            raise ModelLoadError(self.model_id, "weights with the wrong shape for this architecture: "
                                 f"{sorted(info['mismatched_keys'])}")
        if missing:
            logger.warning("%s: weights not in the checkpoint (initialised): %s", self.model_id, missing)
        if tokenizer.pad_token is None:
            if tokenizer.eos_token is None:
                raise ModelLoadError(self.model_id, "the tokenizer has neither a pad nor an eos token")
            tokenizer.pad_token = tokenizer.eos_token
        model.eval()
        try:
            model.to(self.device)
        except Exception as exc:  # e.g. device="cuda" without a GPU
            raise ModelLoadError(self.model_id, f"cannot move the model to {self.device}: {exc}") from exc
        return tokenizer, model

    def _after_load(self) -> None:
        """Hook: label mapping checks (raise at load time)."""

    # -- the pipeline --------------------------------------------------------------------
    def count_tokens(self, items: Sequence[Any]) -> list[int]:
        raise NotImplementedError

    def batch_key(self, item: Any) -> Hashable:
        return None

    def preprocess(self, items: Sequence[Any]) -> Any:
        raise NotImplementedError

    def forward(self, batch: Any) -> Any:
        raise NotImplementedError

    def postprocess(self, raw: Any, items: Sequence[Any]) -> list[Any]:
        raise NotImplementedError

    def run(self, items: Sequence[Any]) -> list[Any]:
        """Results for `items`, in their order, computed in length-sorted batches."""
        if not items:
            return []
        lengths = self.count_tokens(items)
        over = sum(n > self.max_input_tokens for n in lengths)
        if over:
            logger.warning("%s: %d of %d inputs are longer than %d tokens and are truncated",
                           self.model_id, over, len(items), self.max_input_tokens)
        keys = [self.batch_key(it) for it in items]
        out: list[Any] = [None] * len(items)
        for idx in length_sorted_batch_indices(lengths, self.batch_size, keys):
            batch_items = [items[i] for i in idx]
            results = self.postprocess(self.forward(self.preprocess(batch_items)), batch_items)
            for i, r in zip(idx, results):
                out[i] = r
        return out

    def _to_device(self, encoding: Any) -> dict[str, Any]:
        return {k: v.to(self.device) for k, v in encoding.items()}


class _ClassifierModel(HubTaskModel):
    auto_class = "AutoModelForSequenceClassification"
    head_prefixes = ("classifier", "classification_head", "score", "pooler", "logits_proj")

    def forward(self, batch: dict[str, Any]):
        import torch

        with torch.inference_mode():
            logits = self.model(**batch).logits
            return torch.softmax(logits.float(), dim=-1)


# --------------------------------------------------------------------------------------------
# sentiment
# --------------------------------------------------------------------------------------------

class HubSentiment(_ClassifierModel):
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


# --------------------------------------------------------------------------------------------
# stance
# --------------------------------------------------------------------------------------------

class HubStance(_ClassifierModel):
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
        self.entailment_index, self.contradiction_index = find_nli_indices(
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

    def predict(self, units: Sequence[TextUnit], targets: Sequence[Target]) -> list[list[StanceResult]]:
        plan: list[list[tuple[Target, list[str]]]] = []
        pairs: dict[tuple[str, str], int] = {}  # unique (premise, hypothesis) → slot
        for u in units:
            row = []
            for t in targets:
                sents = [u.sentences[i] for i in mentioning_sentences(u.sentences, t)]
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


# --------------------------------------------------------------------------------------------
# summary
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# factory
# --------------------------------------------------------------------------------------------

_TASKS: dict[str, type[HubTaskModel]] = {
    "summarizer": HubSummarizer,
    "sentiment": HubSentiment,
    "stance": HubStance,
}


@lru_cache(maxsize=8)
def load_hub_model(task: Literal["summarizer", "sentiment", "stance"], model_id: str | None = None,
                   **kw: Any) -> HubTaskModel:
    """One adapter per (task, model id, options) per process; `model_id=None` → HUB_PROFILE."""
    if task not in _TASKS:
        raise ValueError(f"unknown task {task!r}; expected one of {sorted(_TASKS)}")
    return _TASKS[task](model_id or HUB_PROFILE[task], **kw)
