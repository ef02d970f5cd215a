"""Choose and load the three task models from the run config, once per process."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from newsflow.config import EMBEDDED, ModelChoice
from newsflow.models.base import SentimentModel, StanceModel, Summarizer
from newsflow.models.heads import ARTIFACTS
from newsflow.models.device import resolve_device
from newsflow.models.hub import HubTaskModel
from newsflow.models.summarization import SUMMARY_RULE_VERSION
from newsflow.models.encoder import (EMBEDDED_MODEL_ID, INT8_SCHEME, SentenceEncoder, embedded_model_version,
                                     load_encoder)



def _file_version(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@dataclass(frozen=True)
class ModelSet:
    summarizer: Summarizer
    sentiment: SentimentModel
    stance: StanceModel
    encoder: SentenceEncoder | None  # present when any task runs on the shared embedded pass

    def ids(self) -> dict[str, str]:
        ids = {"summarizer": self.summarizer.model_id, "sentiment": self.sentiment.model_id,
               "stance": self.stance.model_id}
        if self.encoder is not None:  # the rows say how the encoder ran: int8, bf16 (a GPU, --precision bf16)
            ids["encoder"] = EMBEDDED_MODEL_ID + ("+int8" if self.encoder.quantized else "") + (
                "+bf16" if str(self.encoder.dtype) == "torch.bfloat16" else "")
        return ids


def model_versions(choice: ModelChoice) -> dict[str, str]:
    """What identifies each chosen model's weights, known without loading any of them: the
    encoder package version, the trained heads' file hashes, Hub ids as given."""
    versions: dict[str, str] = {}
    if choice.needs_encoder:  # the int8 scheme is part of the weights' identity: a new scheme redoes int8 outputs
        versions["encoder"] = embedded_model_version() + (f"+{INT8_SCHEME}" if choice.quantize else "")
    for task in ("summarizer", "sentiment", "stance"):
        model = getattr(choice, task)
        head = ARTIFACTS / f"{task}_head.safetensors"
        if model != EMBEDDED:
            versions[task] = model
        elif head.exists():
            versions[task] = _file_version(head)
    if choice.summarizer == EMBEDDED:  # a rule, no weights: its version says when its picks change
        versions["summarizer"] = f"rule-{SUMMARY_RULE_VERSION}"
    return versions


@lru_cache(maxsize=4)
def load_models(choice: ModelChoice = ModelChoice(), batch_size: int | None = None, device: str = "cpu",
                precision: str = "auto") -> ModelSet:
    """Load (or reuse: one set per process, choice, device and precision) the models; raises
    ModelLoadError (or DeviceUnavailableError) before any document is touched. `batch_size`: items
    per Hub model batch (their default if None). `device`: 'auto', 'cpu' or 'cuda[:N]', and
    `precision`: 'auto', 'fp32' or 'bf16' (`models.device.model_dtype`), for every model."""
    device = resolve_device(device)
    hub_options: dict[str, Any] = {"device": device, "precision": precision}
    if batch_size:
        hub_options["batch_size"] = batch_size
    encoder = load_encoder(None, choice.quantize, device, precision) if choice.needs_encoder else None

    if choice.summarizer == EMBEDDED:
        from newsflow.models.summarization import ExtractiveSummarizer

        summarizer: Summarizer = ExtractiveSummarizer()
    else:
        summarizer = load_hub_model("summarizer", choice.summarizer, **hub_options)

    if choice.sentiment == EMBEDDED:
        from newsflow.models.sentiment import load_embedded_sentiment

        sentiment: SentimentModel = load_embedded_sentiment()
    else:
        sentiment = load_hub_model("sentiment", choice.sentiment, **hub_options)

    if choice.stance == EMBEDDED:
        from newsflow.models.stance import load_embedded_stance

        stance: StanceModel = load_embedded_stance(encoder)
    else:
        stance = load_hub_model("stance", choice.stance, **hub_options)
    return ModelSet(summarizer, sentiment, stance, encoder)


def _hub_class(task: str):
    if task == "summarizer":
        from newsflow.models.summarization import HubSummarizer

        return HubSummarizer
    if task == "sentiment":
        from newsflow.models.sentiment import HubSentiment

        return HubSentiment
    if task == "stance":
        from newsflow.models.stance import HubStance

        return HubStance
    raise ValueError(f"unknown task {task!r}; expected one of ['sentiment', 'stance', 'summarizer']")


@lru_cache(maxsize=8)
def load_hub_model(task: Literal["summarizer", "sentiment", "stance"], model_id: str, **kw: Any) -> HubTaskModel:
    """One Hub adapter per (task, model id, options) per process."""
    return _hub_class(task)(model_id, **kw)
