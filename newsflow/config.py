"""The one typed run configuration: the flow's parameter, passed down explicitly.

`RunConfig` = where to read and write + `InputSettings` (how record files are read: which column
holds the text, the title, the id, the targets) + `AnalysisSettings` (everything that decides a value in
the outputs: the models chosen, the targets, the summary budgets) + `Execution` (how the run is
carried out: batch sizes, threads, limits; never an output value). The split is by construction:
the skip fingerprint hashes `AnalysisSettings` and the input options that change a document's text
or targets (never the id column: that names the document), so a new operational field can never
change it, and a new analysis field always does. Every default is stated here, once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsflow.targets import Target

SCHEMA_VERSION = "2"  # 2: stances.mentions (nullable, additive)
DISCOVERY_VERSION = "4"  # targets.discover_targets; 2: contractions, titles, demonyms, places, lower-case use,
# camel case; 3: institution nouns kept in names ("Press Council"), common opening words ("See Facebook")
# 4: from the prose only: no page furniture, no wire place line ("WASHINGTON (AP) —", a first sentence
# "WASHINGTON — …"; analysis.choose_targets)
MENTION_RULE_VERSION = "2"  # targets.form_pattern; 2: acronyms and capital initials as written ("US" is not "us")
SECTIONING_VERSION = "3"  # sectioning.parse_article; 2: captions (Markdown images, whole caption lines) go to the
# photo credits, out of the sections' paragraphs; a dateline may end in a byline ("… 7:11 AM PST BY TMZ STAFF");
# 3: mojibake repaired before parsing (repair.fix_mojibake: titles, sections, quotes, summaries); a
# Reuters "FILE PHOTO: …" line is a caption
EMBEDDED = "embedded"


class ModelChoice(BaseModel):
    """Which model does each task: 'embedded' (offline default) or a Hugging Face id / local
    folder. Frozen and hashable: the value of a profile, the model cache key, a fingerprint input."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summarizer: str = Field(EMBEDDED, description="'embedded' or a Hugging Face seq2seq id / local folder")
    sentiment: str = Field(EMBEDDED, description="'embedded' or a sequence-classification id / folder")
    stance: str = Field(EMBEDDED, description="'embedded' or an NLI model id / folder")
    quantize: bool = Field(False, description="int8 dynamic quantization of the embedded encoder")

    @property
    def needs_encoder(self) -> bool:
        return EMBEDDED in (self.summarizer, self.sentiment, self.stance)

    def with_tasks(self, **choices: str | None) -> "ModelChoice":
        """This choice with some tasks replaced (None leaves a task as it is)."""
        return self.model_copy(update={k: v for k, v in choices.items() if v})


PROFILES: dict[str, ModelChoice] = {
    "embedded": ModelChoice(),
    "hub": ModelChoice(summarizer="sshleifer/distilbart-cnn-12-6",
                       sentiment="cardiffnlp/twitter-roberta-base-sentiment-latest",
                       stance="MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli"),
}


class AnalysisSettings(BaseModel):
    """What decides the numbers and texts in the outputs: its hash keys the skip index."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    models: ModelChoice = ModelChoice()
    targets: tuple[Target, ...] = Field((), description="stance targets; empty: discovered per article")
    summary_words: int = Field(60, ge=5, description="word budget of a section summary")
    document_summary_words: int = Field(100, ge=5, description="word budget of a document summary")
    discovered_targets: int = Field(5, ge=0, le=20, description="targets found per article when none given")
    languages: tuple[str, ...] = Field(
        ("en",), min_length=1, description="languages (ISO 639-1) the models analyse; an article in any other is "
                                           "sectioned and stored without summary, sentiment or stance")

    @model_validator(mode="after")
    def _embedded_models_read_english(self) -> "AnalysisSettings":
        if self.models.needs_encoder and set(self.languages) != {"en"}:
            raise ValueError(f"languages {list(self.languages)}: the embedded models are English-only; choose Hub "
                             "models for --summarizer, --sentiment and --stance that read these languages, or "
                             "leave --language out")
        return self


class InputSettings(BaseModel):
    """How JSONL, CSV and Parquet inputs are read: one article per record. Text and Markdown
    files and HTML pages ignore it (they are one article each)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text_column: str = Field("text", min_length=1, description="the column holding the article's body")
    title_column: str | None = Field(None, description="the column holding its title (the text's first line)")
    id_column: str | None = Field(None, description="the article's stable id (else: the hash of its text)")
    keep_columns: tuple[str, ...] = Field((), description="columns carried into documents.metadata")
    targets_column: str | None = Field(None, description="the article's stance targets: a list, or names "
                                                         "separated by ';' (aliases after '=')")

    def fingerprinted(self) -> dict[str, object]:
        """The options that change what is analysed or stored per document, when not the defaults
        (so a run over text files keeps the fingerprint newsflow 0.1 wrote)."""
        return self.model_dump(mode="json", exclude_defaults=True, exclude={"id_column"})


Device = Literal["auto", "cpu", "cuda"]
Precision = Literal["auto", "fp32", "bf16"]


@dataclass(frozen=True)
class BatchSizes:
    """Batch sizes of one run on one kind of device."""

    batch_size: int  # sentences per encoder batch (and items per Hub model batch on the CPU)
    token_budget: int  # padded tokens per encoder batch
    docs_per_batch: int  # documents processed and written together


# What `Execution` uses for the sizes it leaves unset. CPU: batches of 32 sentences / 4,096 padded
# tokens (64 / 8,192 until 2026-12-06: on 100 PerSenT articles in flow batches of 32 documents the
# smaller batches pad 53k instead of 59k tokens and the pure pipeline took 8.3 s instead of 9.1 s,
# labels identical, probabilities within 3e-7). CUDA: a
# GPU is launch-bound on small batches (MiniLM bf16 on an H200: 0.57 M tokens/s with 16k-token
# batches, 3.0 M with 262k), so batches are large and a flow batch holds enough documents to fill them.
DEVICE_SIZES: dict[str, BatchSizes] = {
    "cpu": BatchSizes(batch_size=32, token_budget=4096, docs_per_batch=32),
    "cuda": BatchSizes(batch_size=8192, token_budget=131072, docs_per_batch=1024),
}


class Execution(BaseModel):
    """How a run is carried out; none of it enters the skip key. The device and the precision change
    probabilities by less than 1e-2 and, on the 15 test articles, no label (tests/test_gpu.py,
    tests/test_precision.py); on 300 PerSenT articles bf16 flipped 2 of 1,636 stance labels and 4 of
    634 summaries (near ties; `benchmarks/bench.py --bf16` prints the counts). The `runs` table's
    `models` names the encoder as it ran ('…+bf16')."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    device: Device = Field("auto", description="'auto' (a CUDA GPU when torch sees one, else the CPU), "
                                               "'cpu' or 'cuda'")
    batch_size: int | None = Field(None, ge=1, le=65536, description="sentences per encoder batch (items per Hub "
                                   "model batch); unset: sized for the device (32 on the CPU)")
    token_budget: int | None = Field(None, ge=256, description="padded tokens per encoder batch; unset: sized "
                                     "for the device (4096 on the CPU, 131072 on a GPU)")
    docs_per_batch: int | None = Field(None, ge=1, description="documents processed and written together; "
                                       "unset: sized for the device (32 on the CPU, 1024 on a GPU)")
    precision: Precision = Field("auto", description="'auto' (bf16 on a GPU, fp32 on the CPU), 'fp32' or "
                                                     "'bf16' (on a CPU with AMX / AVX512-BF16 about 3x faster)")
    max_batches_in_flight: int = Field(2, ge=1, description="batches processed concurrently (bounds memory)")
    max_file_bytes: int = Field(20_000_000, ge=1, description="larger input files are rejected as too_large")
    torch_threads: int = Field(0, ge=0, description="torch threads per process; 0: its share of the cores "
                                                    "(a Dask worker: its nthreads; else every core it may use)")

    def sizes(self, device: str) -> BatchSizes:
        """The batch sizes on `device` ('cpu', 'cuda' or 'cuda:N'): those set here, else the device's."""
        default = DEVICE_SIZES["cuda" if device.startswith("cuda") else "cpu"]
        return BatchSizes(batch_size=self.batch_size or default.batch_size,
                          token_budget=self.token_budget or default.token_budget,
                          docs_per_batch=self.docs_per_batch or default.docs_per_batch)


class RunConfig(BaseModel):
    """Everything that decides what a run reads, computes and writes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_dir: Path = Path("seeds")  # a folder, or one file (.txt/.md/.html/.jsonl/.csv/.parquet)
    output_dir: Path = Path("outputs")
    input: InputSettings = InputSettings()
    analysis: AnalysisSettings = AnalysisSettings()
    execution: Execution = Execution()

    @property
    def models(self) -> ModelChoice:
        return self.analysis.models

    @model_validator(mode="after")
    def _int8_is_fp32(self) -> "RunConfig":
        if self.analysis.models.quantize and self.execution.precision == "bf16":
            raise ValueError("--quantize (int8) and --precision bf16 exclude each other: int8 quantizes "
                             "the fp32 encoder; choose one")
        return self

    def fingerprint(self, model_versions: dict[str, str]) -> str:
        """Hash of the schema version, the analysis settings and the chosen models' versions (the
        skip key). The settings are hashed flat (the model choice beside the other settings), as
        newsflow 0.1 wrote them, so a layout change of this class alone never forces a rerun; fields
        added since (languages, the input options) enter the hash only when they differ from
        their defaults. A run that discovers targets (no run-level targets) also hashes the
        discovery rules' version (1, unwritten, before it existed), so new rules redo its articles;
        every run hashes the mention-matching rule's and the section parser's versions (likewise)."""
        skip_default = {"languages"} if self.analysis.languages == ("en",) else set()
        settings = {**self.analysis.model_dump(mode="json", exclude={"models", *skip_default}),
                    **self.analysis.models.model_dump(mode="json")}
        payload = {"schema": SCHEMA_VERSION, "settings": settings, "versions": model_versions}
        if not self.analysis.targets and self.analysis.discovered_targets:  # new rules redo what they found
            payload["discovery"] = DISCOVERY_VERSION
        payload["mentions"] = MENTION_RULE_VERSION  # which words count as a target's mentions (1: unwritten)
        payload["sections"] = SECTIONING_VERSION  # what the sections' paragraphs hold (1: unwritten)
        if reading := self.input.fingerprinted():
            payload["input"] = reading
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
