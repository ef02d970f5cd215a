"""`newsflow eval`: score any model configuration on labelled JSONL files, beside simple baselines.

A file's task is read from its fields: `article, reference` → summarization; `target, text, label`
→ stance; `text, label` → sentiment. Metrics: ROUGE-1/2/Lsum (F1, ×100, `rouge-score` with
stemming) against LEAD-3; accuracy, macro-F1 and per-class F1 against the majority class;
SemEval-2016 F_avg (mean F1 of FAVOR and AGAINST) and per-class F1 against the majority class.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Sequence

from newsflow.analysis import encode_units
from newsflow.config import Execution
from newsflow.models.base import SENTIMENT_LABELS, STANCE_LABELS
from newsflow.models.sentiment import rollup_sentiment
from newsflow.targets import Target
from newsflow.models.registry import ModelSet
from newsflow.sectioning import split_sentences

Task = Literal["summarization", "sentiment", "stance"]


@dataclass(frozen=True)
class Score:
    """One row of the results table: a system's metric on a file."""

    file: str
    task: str
    system: str  # the model id, or the baseline's name
    metric: str
    value: float
    n: int


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def detect_task(records: Sequence[dict]) -> Task:
    keys = set(records[0]) if records else set()
    if {"article", "reference"} <= keys:
        return "summarization"
    if {"target", "text", "label"} <= keys:
        return "stance"
    if {"text", "label"} <= keys:
        return "sentiment"
    raise ValueError(f"cannot tell the task from the fields {sorted(keys)}: expected article+reference, "
                     "text+label, or target+text+label")


def f1_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    scores = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        scores[label] = 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
    return scores


def classification_scores(file: str, task: Task, system: str, gold: Sequence[str], pred: Sequence[str]) -> list[Score]:
    labels = SENTIMENT_LABELS if task == "sentiment" else STANCE_LABELS
    f1 = f1_scores(gold, pred, labels)
    n = len(gold)
    rows = [Score(file, task, system, "accuracy", sum(g == p for g, p in zip(gold, pred)) / n, n)]
    if task == "sentiment":
        rows.append(Score(file, task, system, "macro_f1", sum(f1.values()) / len(f1), n))
    else:
        rows.append(Score(file, task, system, "f_avg", (f1["FAVOR"] + f1["AGAINST"]) / 2, n))
    rows += [Score(file, task, system, f"f1_{label}", value, n) for label, value in f1.items()]
    return rows


def article_sentences(article: str) -> list[str]:
    return [s for line in article.split("\n") if line.strip() for s in split_sentences(line.strip())]


def rouge_rows(file: str, system: str, predictions: Sequence[list[str]], references: Sequence[str]) -> list[Score]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    totals: Counter[str] = Counter()
    for sentences, reference in zip(predictions, references):
        ref = "\n".join(split_sentences(reference.replace("\n", " ")))
        for key, value in scorer.score(ref, "\n".join(sentences)).items():
            totals[key] += value.fmeasure
    n = len(references)
    return [Score(file, "summarization", system, key, 100 * totals[key] / n, n) for key in ("rouge1", "rouge2", "rougeLsum")]


def evaluate_summarization(file: str, records: Sequence[dict], models: ModelSet, max_words: int | None) -> list[Score]:
    """Document summaries; with `max_words` None each article's budget is its LEAD-3's word count,
    so the model and the baseline are compared at the same length."""
    sentences = [article_sentences(r["article"]) for r in records]
    lead3 = [s[:3] for s in sentences]
    predictions: list[list[str]] = []
    for unit, sents, lead in zip(encode_units(sentences, models, Execution()), sentences, lead3):
        budget = max_words or sum(len(s.split()) for s in lead)
        [result] = models.summarizer.summarize([unit], budget)
        predictions.append([sents[i] for i in result.sentence_indices] if result.sentence_indices else [result.text])
    references = [r["reference"] for r in records]
    return rouge_rows(file, models.summarizer.model_id, predictions, references) + rouge_rows(file, "LEAD-3", lead3, references)


def evaluate_sentiment(file: str, records: Sequence[dict], models: ModelSet) -> list[Score]:
    gold = [r["label"].lower() for r in records]
    units = encode_units([split_sentences(r["text"]) or [r["text"]] for r in records], models, Execution())
    pred = [rollup_sentiment(per_sentence).label for per_sentence in models.sentiment.predict(units)]
    majority = Counter(gold).most_common(1)[0][0]
    return (classification_scores(file, "sentiment", models.sentiment.model_id, gold, pred)
            + classification_scores(file, "sentiment", f"majority ({majority})", gold, [majority] * len(gold)))


def evaluate_stance(file: str, records: Sequence[dict], models: ModelSet) -> list[Score]:
    """Two readings of the same model. Judged: each record's text was collected for its target
    (SemEval's premise), so every sentence is judged for it (`assume_relevant=True`). Gated, as in
    the pipeline: only sentences about the target count, so a text that never names it is NONE."""
    gold = [r["label"].upper() for r in records]
    units = encode_units([split_sentences(r["text"]) or [r["text"]] for r in records], models, Execution())
    majority = Counter(gold).most_common(1)[0][0]
    rows = []
    for system, judged in ((models.stance.model_id, True), (f"{models.stance.model_id} (gated)", False)):
        pred = [models.stance.predict([unit], [Target(name=r["target"])], assume_relevant=judged)[0][0].label
                for unit, r in zip(units, records)]
        rows += classification_scores(file, "stance", system, gold, pred)
    return rows + classification_scores(file, "stance", f"majority ({majority})", gold, [majority] * len(gold))


def evaluate_file(path: Path, models: ModelSet, summary_words: int | None = None) -> list[Score]:
    records = read_jsonl(path)
    task = detect_task(records)
    if task == "summarization":
        return evaluate_summarization(path.name, records, models, summary_words)
    if task == "sentiment":
        return evaluate_sentiment(path.name, records, models)
    return evaluate_stance(path.name, records, models)


def eval_files(paths: Sequence[Path]) -> list[Path]:
    """JSONL files named directly or found (non-recursively) in the folders given."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return files
