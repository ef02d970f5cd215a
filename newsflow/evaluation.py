"""`newsflow eval`: score any model configuration on labelled files, beside simple baselines.

A file's task is read from its fields (JSONL: the first record's keys; CSV: the header):
`article, reference` → summarization; `target, text, label` → stance (SemEval-style posts);
`text, label` → sentiment; `sentence_normalized, targets` → news stance per mention (NewsMTSC as
published); CSV `DOCUMENT_INDEX, TARGET_ENTITY, DOCUMENT, TRUE_SENTIMENT` → news stance per
paragraph and per document (PerSenT as published), through the section roll-up the pipeline uses.
Metrics: ROUGE-1/2/Lsum (F1, ×100, `rouge-score` with stemming) against LEAD-3; accuracy,
macro-F1 and per-class F1 against the majority class (news stance: also VADER on the paragraph);
SemEval-2016 F_avg (mean F1 of FAVOR and AGAINST) and per-class F1 against the majority class.

A file that cannot be read (unknown fields, a malformed line) raises `EvalFileError`, which names
the file (and line) and what was expected; `evaluate_paths` skips it with a warning and keeps
every other file's scores.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal, Sequence

from newsflow.analysis import encode_units
from newsflow.config import Execution
from newsflow.models.base import SENTIMENT_LABELS, STANCE_LABELS, TextUnit
from newsflow.models.sentiment import rollup_sentiment
from newsflow.targets import Target
from newsflow.models.registry import ModelSet
from newsflow.repair import fix_mojibake, repair_glued_words
from newsflow.sectioning import split_sentences

Task = Literal["summarization", "sentiment", "stance", "news-stance-mentions", "news-stance-persent"]
POLARITY = {2.0: "AGAINST", 4.0: "NONE", 6.0: "FAVOR"}  # NewsMTSC's negative / neutral / positive
EXPECTED_FIELDS = ("JSONL: article+reference (summarization), text+label (sentiment), "
                   "target+text+label (stance), sentence_normalized+targets (NewsMTSC); "
                   "CSV: DOCUMENT_INDEX+TARGET_ENTITY+DOCUMENT+TRUE_SENTIMENT (PerSenT)")


class EvalFileError(ValueError):
    """A file `newsflow eval` cannot score; the message names the file, the line and the fix."""


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
    """Records of a JSONL file; a line that is not a JSON object raises EvalFileError naming the
    file and line."""
    records = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalFileError(f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno}); "
                                    "each line must be one JSON object") from None
            if not isinstance(record, dict):
                raise EvalFileError(f"{path}:{number}: a JSON {type(record).__name__}, not an object; "
                                    "each line must be one JSON object")
            records.append(record)
    return records


PERSENT_FIELDS = ("DOCUMENT_INDEX", "TARGET_ENTITY", "DOCUMENT", "TRUE_SENTIMENT")
PERSENT_LABELS = {"positive": "FAVOR", "neutral": "NONE", "negative": "AGAINST"}


def read_persent_records(path: Path) -> list[dict]:
    """PerSenT CSV as published → per article: `id`, `target` (TARGET_ENTITY), `label` (document,
    as FAVOR / AGAINST / NONE), `paragraphs` (DOCUMENT split at newlines), `paragraph_labels`
    (Paragraph0… mapped; None when the article's paragraphs are not all labelled) and
    `paragraph_sentences` (each paragraph split as the pipeline splits sections)."""
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        missing = [f for f in PERSENT_FIELDS if f not in fields]
        if missing:
            raise EvalFileError(f"{path}: cannot tell the task from the CSV header {fields[:8]}: "
                                f"expected {EXPECTED_FIELDS}")
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise EvalFileError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None
    out = []
    for row in rows:
        paragraphs = fix_mojibake(row["DOCUMENT"]).split("\n")  # as the pipeline reads it (584 of 1,405 have mojibake)
        labels = [row.get(f"Paragraph{i}") or "" for i in range(len(paragraphs))]
        labelled = all(labels) and len(paragraphs) <= 16
        label = (row["TRUE_SENTIMENT"] or "").strip().lower()
        if label not in PERSENT_LABELS or not (row["TARGET_ENTITY"] or "").strip():
            raise EvalFileError(f"{path}: article {row['DOCUMENT_INDEX']}: TRUE_SENTIMENT {label!r} "
                                "(expected Positive / Neutral / Negative) or an empty TARGET_ENTITY")
        out.append({
            "id": row["DOCUMENT_INDEX"], "target": row["TARGET_ENTITY"].strip(),
            "label": PERSENT_LABELS[label],
            "paragraphs": paragraphs,
            "paragraph_labels": [PERSENT_LABELS[x.strip().lower()] for x in labels] if labelled else None,
            "paragraph_sentences": [split_sentences(p.strip()) for p in paragraphs],
        })
    return out


def detect_task(records: Sequence[dict]) -> Task:
    keys = set(records[0]) if records else set()
    if {"article", "reference"} <= keys:
        return "summarization"
    if {"target", "text", "label"} <= keys:
        return "stance"
    if {"text", "label"} <= keys:
        return "sentiment"
    if {"sentence_normalized", "targets"} <= keys:
        return "news-stance-mentions"
    raise EvalFileError(f"cannot tell the task from the fields {sorted(keys)}: expected {EXPECTED_FIELDS}")


def f1_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    scores = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        scores[label] = 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
    return scores


def classification_scores(file: str, task: str, system: str, gold: Sequence[str], pred: Sequence[str]) -> list[Score]:
    """Accuracy, the headline (macro-F1; SemEval stance: F_avg) and per-class F1."""
    labels = SENTIMENT_LABELS if task == "sentiment" else STANCE_LABELS
    f1 = f1_scores(gold, pred, labels)
    n = len(gold)
    rows = [Score(file, task, system, "accuracy", sum(g == p for g, p in zip(gold, pred)) / n, n)]
    if task != "stance":
        rows.append(Score(file, task, system, "macro_f1", sum(f1.values()) / len(f1), n))
    else:
        rows.append(Score(file, task, system, "f_avg", (f1["FAVOR"] + f1["AGAINST"]) / 2, n))
    rows += [Score(file, task, system, f"f1_{label}", value, n) for label, value in f1.items()]
    return rows


def article_sentences(article: str) -> list[str]:
    """The article's sentences as the pipeline sees them: mojibake and glued words repaired, line by line."""
    article = fix_mojibake(article)
    return [s for line in article.split("\n") if line.strip()
            for s in split_sentences(repair_glued_words(line.strip(), article))]


ROUGE_KEYS = ("rouge1", "rouge2", "rougeLsum")


def rouge_scorer():
    from rouge_score import rouge_scorer as rs

    return rs.RougeScorer(list(ROUGE_KEYS), use_stemmer=True)


def article_rouge(scorer, sentences: Sequence[str], reference: str) -> tuple[float, ...]:
    """ROUGE-1 / -2 / -Lsum F1 (0–1) of a summary's sentences against the reference, which is split
    into sentences, one per line (what ROUGE-Lsum reads)."""
    ref = "\n".join(split_sentences(reference.replace("\n", " ")))
    scores = scorer.score(ref, "\n".join(sentences))
    return tuple(scores[key].fmeasure for key in ROUGE_KEYS)


def rouge_rows(file: str, system: str, predictions: Sequence[list[str]], references: Sequence[str]) -> list[Score]:
    scorer = rouge_scorer()
    totals = [0.0] * len(ROUGE_KEYS)
    for sentences, reference in zip(predictions, references):
        totals = [t + f for t, f in zip(totals, article_rouge(scorer, sentences, reference))]
    n = len(references)
    return [Score(file, "summarization", system, key, 100 * total / n, n) for key, total in zip(ROUGE_KEYS, totals)]


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


def newsmtsc_mentions(records: Sequence[dict]) -> list[tuple[str, str, list[tuple[int, int]], str]]:
    """(sentence, mention, spans, gold label) per target of each NewsMTSC record: the labelled
    span and its annotated further mentions."""
    out = []
    for number, r in enumerate(records, 1):
        try:
            for t in r["targets"]:
                spans = [(int(t["from"]), int(t["to"]))]
                spans += [(int(m["from"]), int(m["to"])) for m in t.get("further_mentions") or []]
                out.append((r["sentence_normalized"], t["mention"], spans, POLARITY[float(t["polarity"])]))
        except (KeyError, TypeError, ValueError) as exc:
            raise EvalFileError(f"record {number}: a NewsMTSC target needs from, to, mention and "
                                f"polarity 2.0/4.0/6.0 ({type(exc).__name__}: {exc})") from None
    return out


def evaluate_news_mentions(file: str, records: Sequence[dict], models: ModelSet) -> list[Score]:
    """NewsMTSC per mention: the embedded head on the annotated spans (`predict_mentions`); other
    stance models judge the sentence for the mention's text."""
    items = newsmtsc_mentions(records)
    gold = [g for *_, g in items]
    stance = models.stance
    if hasattr(stance, "predict_mentions"):
        pred = [r.label for r in stance.predict_mentions([(s, sp) for s, _, sp, _ in items])]
    else:
        units = [TextUnit([s]) for s, *_ in items]
        pred = [stance.predict([u], [Target(name=m)], assume_relevant=True)[0][0].label
                for u, (_, m, _, _) in zip(units, items)]
    task = "news-stance-mentions"
    majority = Counter(gold).most_common(1)[0][0]
    return (classification_scores(file, task, stance.model_id, gold, pred)
            + classification_scores(file, task, f"majority ({majority})", gold, [majority] * len(gold)))


def vader_labels(texts: Sequence[str]) -> list[str] | None:
    """VADER's compound score per text (≥ 0.05 FAVOR, ≤ −0.05 AGAINST, else NONE); None without
    the `vaderSentiment` package."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    out = []
    for text in texts:
        c = analyzer.polarity_scores(text)["compound"]
        out.append("FAVOR" if c >= 0.05 else "AGAINST" if c <= -0.05 else "NONE")
    return out


def evaluate_persent(file: str, articles: Sequence[dict], models: ModelSet) -> list[Score]:
    """PerSenT per paragraph and per document: each paragraph, and the whole article, is one
    section for the pipeline's stance (mentions of the entity, the section roll-up)."""
    para_units, doc_units = [], []
    for a in articles:
        para_units.append([TextUnit(list(s)) for s in a["paragraph_sentences"]])
        doc_units.append(TextUnit([x for s in a["paragraph_sentences"] for x in s]))
    rows: list[Score] = []
    para_gold, para_pred, para_text, doc_pred = [], [], [], []
    for a, paras, doc in zip(articles, para_units, doc_units):
        results = models.stance.predict([*paras, doc], [Target(name=a["target"])])
        doc_pred.append(results[-1][0].label)
        if a["paragraph_labels"] is not None:
            para_gold += a["paragraph_labels"]
            para_pred += [r[0].label for r in results[:-1]]
            para_text += a["paragraphs"]
    doc_gold = [a["label"] for a in articles]
    vader_doc = vader_labels(["\n".join(a["paragraphs"]) for a in articles])
    vader_para = vader_labels(para_text)
    for level, gold, pred, vader in (("paragraph", para_gold, para_pred, vader_para),
                                     ("document", doc_gold, doc_pred, vader_doc)):
        if not gold:
            continue
        task = f"news-stance-{level}"
        majority = Counter(gold).most_common(1)[0][0]
        rows += classification_scores(file, task, f"{models.stance.model_id} ({level})", gold, pred)
        rows += classification_scores(file, task, f"majority ({majority}, {level})", gold, [majority] * len(gold))
        if vader is not None:
            rows += classification_scores(file, task, f"VADER ({level})", gold, vader)
    return rows


def load_eval_file(path: Path) -> tuple[Task, list[dict]]:
    """(task, records) of a labelled file; EvalFileError when it cannot be read or recognised."""
    if path.suffix.lower() == ".csv":
        return "news-stance-persent", read_persent_records(path)
    records = read_jsonl(path)
    if not records:
        raise EvalFileError(f"{path}: no records")
    try:
        return detect_task(records), records
    except EvalFileError as exc:
        raise EvalFileError(f"{path}: {exc}") from None


def evaluate_file(path: Path, models: ModelSet, summary_words: int | None = None) -> list[Score]:
    task, records = load_eval_file(path)
    try:
        if task == "summarization":
            return evaluate_summarization(path.name, records, models, summary_words)
        if task == "sentiment":
            return evaluate_sentiment(path.name, records, models)
        if task == "news-stance-mentions":
            return evaluate_news_mentions(path.name, records, models)
        if task == "news-stance-persent":
            return evaluate_persent(path.name, records, models)
        return evaluate_stance(path.name, records, models)
    except EvalFileError as exc:
        raise EvalFileError(f"{path}: {exc}") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise EvalFileError(f"{path}: a record lacks a field or has the wrong type for task {task!r} "
                            f"({type(exc).__name__}: {exc}); expected {EXPECTED_FIELDS}") from None


def evaluate_paths(files: Sequence[Path], models: ModelSet, summary_words: int | None = None,
                   warn: Callable[[str], None] = print) -> list[Score]:
    """Every file's scores; a file that cannot be read or scored is skipped with `warn(message)`,
    never losing the others'."""
    scores: list[Score] = []
    for path in files:
        try:
            scores += evaluate_file(path, models, summary_words)
        except (EvalFileError, OSError, UnicodeDecodeError) as exc:
            warn(f"skipped {path}: {exc}")
    return scores


def eval_files(paths: Sequence[Path]) -> list[Path]:
    """JSONL and CSV files named directly or found (non-recursively) in the folders given."""
    files: list[Path] = []
    for path in paths:
        files += sorted(p for p in path.glob("*") if p.suffix.lower() in (".jsonl", ".csv")) if path.is_dir() else [path]
    return files
