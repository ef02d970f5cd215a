"""Types shared by every model adapter: inputs, plain-Python results, and the task interfaces.

Embedded adapters consume the one shared encoder pass (`embeddings`); Hub adapters ignore it and
run their own checkpoint. Results hold only str/int/float/list so they go straight into Parquet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence

import numpy as np

from newsflow.targets import Target

SENTIMENT_LABELS = ("negative", "neutral", "positive")
STANCE_LABELS = ("AGAINST", "FAVOR", "NONE")


@dataclass(frozen=True)
class TextUnit:
    """A section (or any text) as the models see it: its sentences and their shared vectors."""

    sentences: list[str]
    embeddings: np.ndarray | None = None  # (len(sentences), dim), L2-normalised; None for Hub models
    # token states the shared pass kept for a task's own top layers (`encoder.KeepStates`), by sentence
    token_states: Mapping[str, Any] | None = None

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True)
class SummaryResult:
    text: str
    sentence_indices: list[int] = field(default_factory=list)  # extractive: which sentences were kept
    chunks: int = 1  # abstractive: token windows summarized (1 = no chunking needed)


@dataclass(frozen=True)
class SentimentResult:
    label: str  # one of SENTIMENT_LABELS
    negative: float
    neutral: float
    positive: float


@dataclass(frozen=True)
class StanceResult:
    target: str
    label: str  # one of STANCE_LABELS
    score: float  # probability of `label`
    favor: float
    against: float
    none: float
    evidence: list[str] = field(default_factory=list)  # the sentence(s) the label rests on
    mentions: int = 0  # the target's mentions found in the unit (0 = not mentioned)


class Summarizer(Protocol):
    model_id: str

    def summarize(self, units: Sequence[TextUnit], max_words: int) -> list[SummaryResult]: ...


class SentimentModel(Protocol):
    model_id: str

    def predict(self, units: Sequence[TextUnit]) -> list[list[SentimentResult]]:
        """One result per sentence of each unit."""
        ...


class StanceModel(Protocol):
    model_id: str

    def predict(self, units: Sequence[TextUnit], targets: Sequence[Target],
                assume_relevant: bool = False) -> list[list[StanceResult]]:
        """One result per target for each unit, in the order of `targets`. By default only the
        sentences about a target count (a section that does not concern it gets NONE);
        assume_relevant=True judges every sentence, for texts collected for their target."""
        ...

    def predict_documents(self, docs: Sequence[tuple[Sequence[TextUnit], Sequence[Target]]],
                          assume_relevant: bool = False) -> list[list[list[StanceResult]]]:
        """`predict` for several documents, each (its units, its targets), in document order."""
        ...

    def states_to_keep(self, sentence_lists: Sequence[Sequence[str]],
                       targets: Sequence[Sequence[Target]]) -> Any:
        """What the shared encoder pass should keep for `predict` (an `encoder.KeepStates`), given
        each document's sentences and targets; None when the model does not reuse that pass."""
        ...
