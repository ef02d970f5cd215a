"""Retrain the embedded sentiment head, bit-for-bit reproducibly (the news stance head has its own
trainer: `python -m newsflow.models.training.news_stance`).

    python -m newsflow.models.training.train_heads            # writes models/artifacts/sentiment_head.safetensors
    python -m newsflow.models.training.train_heads --out DIR  # write elsewhere (e.g. to compare sha256)
    python -m newsflow.models.training.train_heads --measure  # also print NewsMTSC dev figures

Training data: the project's own templated sentences (models/training/sentiment_train.jsonl, CC0,
written by models/training/make_data.py: company results, markets, economy, politics …) and the
news sentences of NewsMTSC train (models/training/data/newsmtsc, MIT) whose annotated targets all
carry one polarity (negative / neutral / positive), labelled with it (`newsmtsc_sentences`). Frozen all-MiniLM-L6-v2 sentence vectors → full-batch L-BFGS on a small
softmax head, in float64, one CPU thread, deterministic algorithms, fixed seed. The same inputs on
the same torch/CPU build give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent / "artifacts"
SEED = 0

SENTIMENT_LABELS = ["negative", "neutral", "positive"]
NEWSMTSC = HERE / "data" / "newsmtsc"
NEWSMTSC_POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}

# Chosen among 6 variants (NewsMTSC sentences alone or beside the templated ones ×1 / ×4; linear L2
# 1e-3 / 1e-4 or one tanh-64 layer) by the mean of 5-fold CV macro-F1 on the templated sentences and
# macro-F1 on NewsMTSC dev_rw / dev_mt sentences (models/cards/sentiment_head.md, "Settings")
SENTIMENT_HP = {"hidden": 64, "l2": 1e-3, "max_iter": 500}
TEMPLATED_REPEAT = 4  # the templated sentences repeated beside NewsMTSC's (998 × 4 vs 7,336)


def setup_determinism() -> None:
    import torch

    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def newsmtsc_sentences(path: Path) -> list[tuple[str, str]]:
    """(sentence, label) for each distinct NewsMTSC sentence whose annotated targets all carry one
    polarity (everywhere the sentence occurs); a sentence portraying its targets differently has
    no single sentiment and is left out."""
    labels: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                labels.setdefault(r["sentence_normalized"], set()).update(
                    NEWSMTSC_POLARITY[float(t["polarity"])] for t in r["targets"])
    return [(s, next(iter(found))) for s, found in labels.items() if len(found) == 1]


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def encode_cached(texts: list[str], use_cache: bool = True) -> np.ndarray:
    """MiniLM vectors; cached in the temp folder by (encoder version, texts) while iterating."""
    from newsflow.models.encoder import embedded_model_version, load_encoder

    key = hashlib.sha256(("\x00".join([embedded_model_version(), *texts])).encode()).hexdigest()[:24]
    cache = Path(tempfile.gettempdir()) / "newsflow_heads_cache" / f"{key}.npy"
    if use_cache and cache.exists():
        return np.load(cache)
    emb = load_encoder().encode(texts)
    if use_cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, emb)
    return emb


def fit_softmax(x: np.ndarray, y: np.ndarray, n_classes: int, hidden: int = 0, l2: float = 1e-3,
                max_iter: int = 500) -> dict[str, "object"]:
    """Full-batch L-BFGS, float64: linear softmax or one tanh hidden layer. Returns float32 tensors."""
    import torch

    from newsflow.models.heads import head_logits

    torch.manual_seed(SEED)
    xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64))
    yt = torch.from_numpy(np.asarray(y, dtype=np.int64))
    d = xt.shape[1]
    if hidden:
        g = torch.Generator().manual_seed(SEED)
        params = {
            "w1": (torch.randn(hidden, d, generator=g, dtype=torch.float64) / d ** 0.5),
            "b1": torch.zeros(hidden, dtype=torch.float64),
            "w2": (torch.randn(n_classes, hidden, generator=g, dtype=torch.float64) / hidden ** 0.5),
            "b2": torch.zeros(n_classes, dtype=torch.float64),
        }
    else:
        params = {"w1": torch.zeros(n_classes, d, dtype=torch.float64),
                  "b1": torch.zeros(n_classes, dtype=torch.float64)}
    for p in params.values():
        p.requires_grad_(True)
    opt = torch.optim.LBFGS(list(params.values()), lr=1.0, max_iter=max_iter, history_size=20,
                            tolerance_grad=1e-9, tolerance_change=1e-12, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(head_logits(params, xt), yt)
        loss = loss + 0.5 * l2 * sum((v ** 2).sum() for k, v in params.items() if k.startswith("w"))
        loss.backward()
        return loss

    opt.step(closure)
    return {k: v.detach().to(torch.float32).contiguous() for k, v in params.items()}


def predict_proba(tensors: dict, x: np.ndarray) -> np.ndarray:
    import torch

    from newsflow.models.heads import head_logits

    with torch.inference_mode():
        xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
        return torch.softmax(head_logits(tensors, xt), dim=-1).numpy()


def save_head(path: Path, tensors: dict, metadata: dict[str, str]) -> None:
    """Write a safetensors file with a canonical header (sorted keys), so equal inputs give equal bytes.

    (safetensors' own writer stores __metadata__ in hash-map order, which changes run to run.)
    """
    import struct

    header: dict[str, object] = {"__metadata__": dict(sorted(metadata.items()))}
    blobs, offset = [], 0
    for name in sorted(tensors):
        t = tensors[name]
        assert str(t.dtype) == "torch.float32", t.dtype
        data = t.contiguous().numpy().astype("<f4", copy=False).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # the format aligns the data section to 8 bytes
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def dev_figures(head: dict, use_cache: bool = True) -> dict[str, float]:
    """Macro-F1 on the NewsMTSC validation splits' single-polarity sentences (as `newsmtsc_sentences`)."""
    from newsflow.evaluation import f1_scores

    out = {}
    for split in ("dev_rw", "dev_mt"):
        rows = newsmtsc_sentences(NEWSMTSC / f"{split}.jsonl")
        pred = predict_proba(head, encode_cached([s for s, _ in rows], use_cache)).argmax(1)
        f1 = f1_scores([label for _, label in rows], [SENTIMENT_LABELS[i] for i in pred], SENTIMENT_LABELS)
        out[split] = sum(f1.values()) / len(f1)
        out[f"{split}_per_class"] = f1
        out[f"{split}_n"] = len(rows)
    return out


def train(out_dir: Path, use_cache: bool = True, measure: bool = False) -> dict[str, str]:
    setup_determinism()
    from newsflow.models.encoder import EMBEDDED_MODEL_ID, embedded_model_version

    common = {"encoder": EMBEDDED_MODEL_ID, "encoder_version": embedded_model_version(),
              "trainer": "models/training/train_heads.py", "seed": str(SEED),
              "license": "MIT (trained on NewsMTSC, Copyright 2020 Felix Hamborg, and the project's CC0 "
                         "sentences); code by the newsflow project"}
    hashes = {}

    # sentiment: the templated sentences + NewsMTSC's single-polarity sentences
    templated_path, sent_path = HERE / "sentiment_train.jsonl", NEWSMTSC / "train.jsonl"
    rows = [(r["text"], r["label"]) for r in read_jsonl(templated_path)] * TEMPLATED_REPEAT + newsmtsc_sentences(sent_path)
    x = encode_cached([s for s, _ in rows], use_cache)
    y = np.array([SENTIMENT_LABELS.index(label) for _, label in rows])
    head = fit_softmax(x, y, len(SENTIMENT_LABELS), **SENTIMENT_HP)
    dev = dev_figures(head, use_cache)
    if measure:
        for split in ("dev_rw", "dev_mt"):
            print(f"NewsMTSC {split} sentences ({dev[f'{split}_n']}): macro-F1 {dev[split]:.3f} "
                  + " ".join(f"F1 {k} {v:.3f}" for k, v in dev[f"{split}_per_class"].items()))
    meta = {**common, "task": "sentiment", "labels": json.dumps(SENTIMENT_LABELS),
            "features": "sentence_embedding",
            "train_data": "models/training/sentiment_train.jsonl (templated, CC0) + "
                          "models/training/data/newsmtsc/train.jsonl (NewsMTSC, MIT): sentences whose targets "
                          "all carry one polarity",
            "dev_macro_f1": json.dumps({k: round(dev[k], 4) for k in ("dev_rw", "dev_mt")}, sort_keys=True),
            "train_data_sha256": json.dumps({"sentiment_train.jsonl": sha256_file(templated_path),
                                             "newsmtsc/train.jsonl": sha256_file(sent_path)}, sort_keys=True),
            "train_rows": str(len(rows)),
            "hyperparameters": json.dumps({**SENTIMENT_HP, "templated_repeat": TEMPLATED_REPEAT}, sort_keys=True),
            "train_accuracy": f"{(predict_proba(head, x).argmax(1) == y).mean():.4f}"}
    p = out_dir / "sentiment_head.safetensors"
    save_head(p, head, meta)
    hashes[str(p)] = sha256_file(p)

    return hashes


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ARTIFACTS, help="folder for the .safetensors files")
    ap.add_argument("--no-cache", action="store_true", help="re-encode instead of using the temp cache")
    ap.add_argument("--measure", action="store_true", help="print the NewsMTSC dev figures")
    args = ap.parse_args(argv)
    for path, digest in train(args.out, use_cache=not args.no_cache, measure=args.measure).items():
        print(f"{digest}  {path}")


if __name__ == "__main__":
    main()
