"""The one typed run configuration: the flow's parameter, passed down explicitly."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from newsflow.targets import Target
from newsflow.models.hub import HUB_PROFILE

SCHEMA_VERSION = "1"
EMBEDDED = "embedded"

PROFILES: dict[str, dict[str, str]] = {
    "embedded": {"summarizer": EMBEDDED, "sentiment": EMBEDDED, "stance": EMBEDDED},
    "hub": HUB_PROFILE,
}


class RunConfig(BaseModel):
    """Everything that decides what a run reads, computes and writes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_dir: Path = Path("seeds")
    output_dir: Path = Path("outputs")
    summarizer: str = Field(EMBEDDED, description="'embedded' or a Hugging Face seq2seq id / local folder")
    sentiment: str = Field(EMBEDDED, description="'embedded' or a sequence-classification id / folder")
    stance: str = Field(EMBEDDED, description="'embedded' or an NLI model id / folder")
    targets: tuple[Target, ...] = Field((), description="stance targets; empty: discovered per article")
    batch_size: int = Field(64, ge=1, le=4096, description="sentences per model batch")
    token_budget: int = Field(8192, ge=256, description="padded tokens per encoder batch")
    docs_per_batch: int = Field(32, ge=1, description="documents processed and written together")
    max_batches_in_flight: int = Field(2, ge=1, description="batches processed concurrently (bounds memory)")
    summary_words: int = Field(60, ge=5, description="word budget of a section summary")
    document_summary_words: int = Field(100, ge=5, description="word budget of a document summary")
    discovered_targets: int = Field(5, ge=0, le=20, description="targets found per article when none given")
    max_file_bytes: int = Field(20_000_000, ge=1)
    quantize: bool = Field(False, description="int8 dynamic quantization of the embedded encoder")
    torch_threads: int = Field(0, ge=0, description="torch threads per process; 0: its share of the cores "
                                                    "(a Dask worker: its nthreads; else every core it may use)")

    @classmethod
    def with_profile(cls, profile: Literal["embedded", "hub"], **overrides: object) -> "RunConfig":
        return cls(**{**PROFILES[profile], **overrides})

    def model_settings(self) -> dict[str, object]:
        """What decides the numbers in the outputs; its hash keys the skip index."""
        return self.model_dump(mode="json", exclude={"input_dir", "output_dir", "batch_size", "token_budget",
                                                     "docs_per_batch", "max_batches_in_flight", "max_file_bytes",
                                                     "torch_threads"})

    def fingerprint(self, model_versions: dict[str, str]) -> str:
        payload = {"schema": SCHEMA_VERSION, "settings": self.model_settings(), "versions": model_versions}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
