"""Measure the embedded heads on labelled JSONL files (measurement only, never training).

    python -m newsflow.models.training.measure_heads ../shared/eval/sentiment.jsonl ../shared/eval/stance.jsonl

The task is told by the fields: {"text","label"} → sentiment (negative/neutral/positive), each
text one sentence; {"target","text","label"} → stance (FAVOR/AGAINST/NONE), each text one unit
of one sentence, the target given by name with no aliases.
Sentiment: accuracy, macro-F1, per-class F1, and the majority-class baseline.
Stance: F_avg = mean(F1 FAVOR, F1 AGAINST) (SemEval-2016), per-class F1, the all-AGAINST baseline;
by default through the pipeline's relevance gate, with --assume-relevant on every text.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Sequence

from newsflow.evaluation import f1_scores


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1)


def _fmt(d: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in d.items())


def measure_sentiment(rows: list[dict]) -> dict:
    from newsflow.models.base import SENTIMENT_LABELS
    from newsflow.models.encoder import load_encoder
    from newsflow.models.sentiment import load_embedded_sentiment

    texts = [r["text"] for r in rows]
    gold = [r["label"] for r in rows]
    emb = load_encoder().encode(texts)
    results = load_embedded_sentiment().predict_sentences(texts, emb)
    pred = [r.label for r in results]
    majority = Counter(gold).most_common(1)[0][0]
    base = [majority] * len(gold)
    f1 = f1_scores(gold, pred, SENTIMENT_LABELS)
    bf1 = f1_scores(gold, base, SENTIMENT_LABELS)
    return {"n": len(rows), "accuracy": accuracy(gold, pred), "macro_f1": sum(f1.values()) / 3,
            "f1": f1, "pred_counts": dict(Counter(pred)), "gold_counts": dict(Counter(gold)),
            "majority_label": majority, "majority_accuracy": accuracy(gold, base),
            "majority_macro_f1": sum(bf1.values()) / 3}


def measure_stance(rows: list[dict], assume_relevant: bool = False) -> dict:
    from newsflow.models.base import STANCE_LABELS, TextUnit
    from newsflow.targets import Target
    from newsflow.models.encoder import load_encoder
    from newsflow.models.stance import EmbeddedStance

    encoder = load_encoder()
    model = EmbeddedStance(encoder.encode)
    texts = [r["text"] for r in rows]
    emb = encoder.encode(texts)
    gold = [r["label"] for r in rows]
    pred = []
    relevant = 0
    for i, r in enumerate(rows):
        res = model.predict([TextUnit([r["text"]], emb[i:i + 1])], [Target(name=r["target"])],
                            assume_relevant=assume_relevant)[0][0]
        pred.append(res.label)
        relevant += bool(res.evidence)
    f1 = f1_scores(gold, pred, STANCE_LABELS)
    bf1 = f1_scores(gold, ["AGAINST"] * len(gold), STANCE_LABELS)
    per_target = {}
    for t in sorted({r["target"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["target"] == t]
        tf = f1_scores([gold[i] for i in idx], [pred[i] for i in idx], STANCE_LABELS)
        per_target[t] = 100 * (tf["FAVOR"] + tf["AGAINST"]) / 2
    return {"n": len(rows), "f_avg": 100 * (f1["FAVOR"] + f1["AGAINST"]) / 2, "f1": f1,
            "accuracy": accuracy(gold, pred), "pred_counts": dict(Counter(pred)),
            "gold_counts": dict(Counter(gold)), "judged_relevant": relevant,
            "all_against_f_avg": 100 * (bf1["FAVOR"] + bf1["AGAINST"]) / 2,
            "per_target_f_avg": per_target}


def report(path: Path, assume_relevant: bool = False) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        raise SystemExit(f"{path}: no records")
    if "target" in rows[0]:
        m = measure_stance(rows, assume_relevant)
        mode = "head on every text (assume_relevant)" if assume_relevant else "pipeline (relevance-gated)"
        print(f"== stance, {mode}: {path} ({m['n']} records; gold {m['gold_counts']})")
        print(f"F_avg {m['f_avg']:.1f}  (all-AGAINST baseline {m['all_against_f_avg']:.1f})")
        print(f"per-class F1: {_fmt(m['f1'])}; accuracy {m['accuracy']:.3f}")
        print(f"predicted {m['pred_counts']}; units judged about the target: {m['judged_relevant']}")
        print("per-target F_avg: " + ", ".join(f"{k} {v:.1f}" for k, v in m["per_target_f_avg"].items()))
    else:
        m = measure_sentiment(rows)
        print(f"== sentiment: {path} ({m['n']} records; gold {m['gold_counts']})")
        print(f"accuracy {m['accuracy']:.3f}  macro-F1 {m['macro_f1']:.3f}")
        print(f"per-class F1: {_fmt(m['f1'])}; predicted {m['pred_counts']}")
        print(f"majority class ({m['majority_label']}): accuracy {m['majority_accuracy']:.3f}, "
              f"macro-F1 {m['majority_macro_f1']:.3f}")
    return m


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="measure the embedded sentiment/stance heads")
    ap.add_argument("paths", nargs="+", type=Path, help="labelled JSONL file(s)")
    ap.add_argument("--assume-relevant", action="store_true",
                    help="stance: skip the relevance gate and score every text (default: gated, as in the pipeline)")
    args = ap.parse_args(argv)
    for p in args.paths:
        report(p, args.assume_relevant)


if __name__ == "__main__":
    main()
