"""What every Hugging Face Hub adapter shares (the task adapters live in summarization.py,
sentiment.py and stance.py, beside their embedded counterparts).

`HubTaskModel`: one `from_pretrained` load (safetensors only, no remote code), one device, and
`run()`, which tokenizes every item once, sorts the items by token length into batches of
`batch_size` (little padding), runs preprocess → forward → postprocess per batch and puts the
results back in input order. The subclasses only say what an item is and how to read the logits.

Nothing here downloads anything by itself beyond what `from_pretrained` does for a Hub id; with
HF_HUB_OFFLINE=1 (or a local folder) only local files are read. Every loading failure surfaces as
`ModelLoadError` at construction time, never on the first document.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any, ClassVar, Hashable, Sequence

from newsflow.errors import ModelLoadError
from newsflow.models.batching import length_sorted_batches
from newsflow.models.device import model_dtype, resolve_device, to_device

logger = logging.getLogger(__name__)


_PADDING_OFFSET_MODEL_TYPES = frozenset({
    "roberta", "xlm-roberta", "xlm-roberta-xl", "camembert", "longformer", "roberta-prelayernorm",
    "data2vec-text", "mpnet", "ibert", "xmod", "luke", "mluke",
})


_SANE_MAX_TOKENS = 1_000_000  # tokenizers without a limit report int(1e30)


_FALLBACK_MAX_TOKENS = 512


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


def norm_label(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(name).lower()).strip()


def _looks_like_path(model_id: str) -> bool:
    return (os.path.isabs(model_id) or model_id.startswith(("./", "../", "~", ".\\"))
            or model_id.count("/") > 1 or os.path.exists(model_id))


def _offline_env() -> bool:
    return any(os.environ.get(v, "").strip().lower() in ("1", "true", "yes", "on")
               for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


class HubTaskModel:
    """Load once; batch items sorted by token length; preprocess → forward → postprocess."""

    task: ClassVar[str]
    auto_class: ClassVar[str]  # attribute name in `transformers`
    head_prefixes: ClassVar[tuple[str, ...]] = ()  # missing weights under these = random head

    def __init__(self, model_id: str | os.PathLike[str], *, batch_size: int, device: str = "cpu",
                 threads: int | None = None, local_files_only: bool | None = None, precision: str = "auto"):
        if int(batch_size) < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.model_id = str(model_id)
        self.batch_size = int(batch_size)
        import torch

        if threads:
            torch.set_num_threads(int(threads))  # process-wide, like every torch thread setting
        self.device = torch.device(resolve_device(device))  # DeviceUnavailableError: a GPU asked, none seen
        self.dtype = model_dtype(self.device.type, precision)
        self.tokenizer, self.model = self._load(local_files_only)
        self.max_input_tokens = max_input_tokens(self.tokenizer, self.model.config)
        self._after_load()

    # -- loading -------------------------------------------------------------------------
    def _load(self, local_files_only: bool | None):
        import torch
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
        try:  # bf16 on a GPU or with --precision bf16 (the classifiers' softmax runs in fp32); else as loaded
            model.to(self.device, **({} if self.dtype == torch.float32 and self.device.type == "cpu"
                                     else {"dtype": self.dtype}))
        except Exception as exc:  # e.g. out of GPU memory
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
        for idx in length_sorted_batches(lengths, max_batch=self.batch_size, keys=keys):
            batch_items = [items[i] for i in idx]
            results = self.postprocess(self.forward(self.preprocess(batch_items)), batch_items)
            for i, r in zip(idx, results):
                out[i] = r
        return out

    def _to_device(self, encoding: Any) -> dict[str, Any]:
        return to_device(dict(encoding), self.device)


class ClassifierModel(HubTaskModel):
    auto_class = "AutoModelForSequenceClassification"
    head_prefixes = ("classifier", "classification_head", "score", "pooler", "logits_proj")

    def forward(self, batch: dict[str, Any]):
        import torch

        with torch.inference_mode():
            logits = self.model(**batch).logits
            return torch.softmax(logits.float(), dim=-1)
