"""Choose and load the three task models from the run config, once per process."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsflow.models.base import SentimentModel, StanceModel, Summarizer
from newsflow.models.encoder import EMBEDDED_MODEL_ID, SentenceEncoder, embedded_model_version, load_encoder

EMBEDDED = "embedded"
ARTIFACTS = Path(__file__).parent / "artifacts"


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
        if self.encoder is not None:
            ids["encoder"] = EMBEDDED_MODEL_ID + ("+int8" if self.encoder.quantized else "")
        return ids


def model_versions(summarizer: str, sentiment: str, stance: str) -> dict[str, str]:
    """What identifies each chosen model's weights, known without loading any of them: the
    encoder package version, the trained heads' file hashes, Hub ids as given."""
    versions: dict[str, str] = {}
    if EMBEDDED in (summarizer, sentiment, stance):
        versions["encoder"] = embedded_model_version()
    for task, choice in (("summarizer", summarizer), ("sentiment", sentiment), ("stance", stance)):
        head = ARTIFACTS / f"{task}_head.safetensors"
        if choice != EMBEDDED:
            versions[task] = choice
        elif head.exists():
            versions[task] = _file_version(head)
    return versions


@lru_cache(maxsize=4)
def load_models(summarizer: str = EMBEDDED, sentiment: str = EMBEDDED, stance: str = EMBEDDED,
                quantize: bool = False, batch_size: int | None = None) -> ModelSet:
    """Load (or reuse) the model set; raises ModelLoadError before any document is touched."""
    hub_options = {"batch_size": batch_size} if batch_size else {}
    needs_encoder = EMBEDDED in (summarizer, sentiment, stance)
    encoder = load_encoder(None, quantize) if needs_encoder else None

    if summarizer == EMBEDDED:
        from newsflow.models.extractive import ExtractiveSummarizer

        summarizer_model: Summarizer = ExtractiveSummarizer()
    else:
        from newsflow.models.hub import load_hub_model

        summarizer_model = load_hub_model("summarizer", summarizer, **hub_options)

    if sentiment == EMBEDDED:
        from newsflow.models.sentiment import load_embedded_sentiment

        sentiment_model: SentimentModel = load_embedded_sentiment()
    else:
        from newsflow.models.hub import load_hub_model

        sentiment_model = load_hub_model("sentiment", sentiment, **hub_options)

    if stance == EMBEDDED:
        from newsflow.models.stance import load_embedded_stance

        stance_model: StanceModel = load_embedded_stance(encoder.encode)
    else:
        from newsflow.models.hub import load_hub_model

        stance_model = load_hub_model("stance", stance, **hub_options)
    return ModelSet(summarizer_model, sentiment_model, stance_model, encoder)
