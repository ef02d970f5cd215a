"""newsflow benchmark: naive per-item calls vs the real flow vs a FLOP floor, in one process.

    .venv/bin/python benchmarks/bench.py                 # naive / newsflow / floor (+ int8 speed)
    .venv/bin/python benchmarks/bench.py --all           # + bf16, quantize quality, --scale, --overhead

Modes (all timed in this one process unless said otherwise; compare the ratios, not absolute
seconds, on a shared machine):
  naive     what a user writes first: per section, a summarizer, a sentiment model and a stance
            model called one sentence at a time — three encoder passes at batch size 1. Run on a
            subset of the corpus (--naive-docs) and extrapolated linearly by sentence count.
  newsflow  the Prefect flow `analyse_news` on the whole corpus, Parquet written. Prefect start-up
            and model load are measured on a one-article warm-up run first and reported apart.
  peer      what a user would write with the usual libraries: sentence-transformers'
            `model.encode(sentences, batch_size=B)` (B = 32, its default, and newsflow's 64) over the
            same sentences, plus the same heads that read sentence vectors (sentiment head, extractive
            summaries). It does no stance (encode() returns no token states), so it does less work
            than newsflow. Needs the `bench` extra (`pip install -e .[bench]`); skipped without it.
  floor     one length-sorted batched encoder pass over every sentence of the corpus.
  --repeat N  newsflow, the floor and the peers take turns N times; each variant's best run counts
            (one neighbour's burst on a shared machine then slows one run, not a variant).
  --scale   the newsflow path on 1x and 10x a corpus, each in its own subprocess: peak RSS, time.
  --overhead  many one-paragraph articles: flow time minus the same pure functions called
            directly = orchestration overhead per document; counts the task runs.
  --bf16    newsflow (--precision bf16), the peer (the model loaded in bf16) and the floor again in
            bf16, taking turns with the fp32 runs, and how many of the corpus's outputs bf16 changes.
  --stance-layers N [N ...]  the pure functions (parse, the shared pass, the three tasks; no Prefect,
            no Parquet) on the main corpus with the stance model's fine-tuned top layers at each count
            N, taking turns --repeat times: what fine-tuning more of MiniLM's layers costs. The
            variants carry copies of the checkpoint's own last N layers (time does not depend on
            the weights) and the shipped head, so each runs its N layers over the same sentences.
  --quality int8 quantized encoder: `newsflow eval`'s scores on /work/shared/eval/sentiment.jsonl
            (or --eval-file) with and without --quantize.

The main comparison's corpus (--corpus) is real news by default: N PerSenT articles (CC BY 4.0, the
copy under models/training/data/persent/, a seeded sample), one text file each, as
benchmarks/device_bench.py writes them. `--corpus recombined` (and --scale, --overhead) builds N
articles from seeds/*.txt and tests/articles/*, their sections' paragraphs and headings recombined
with a seeded RNG: markdown headings, but few distinct sentences (147 of 2,895 at 100 articles).
Results: printed, and written to benchmarks/results/bench-<time>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # newsflow; benchmarks/ (device_bench) is on the path already: this file runs from it

# Isolate Prefect before it is imported: a throwaway home (its own ephemeral API database).
_HOME = tempfile.mkdtemp(prefix="newsflow-bench-prefect-")
from newsflow.environment import PREFECT_ENV, isolated_environment  # noqa: E402 (imports no Prefect)

for _key, _value in {"PREFECT_HOME": _HOME, **PREFECT_ENV, "PREFECT_LOGGING_LEVEL": "WARNING"}.items():
    os.environ.setdefault(_key, _value)

DEFAULT_EVAL = Path("/work/shared/eval/sentiment.jsonl")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# ------------------------------------------------------------------------------------------
# Corpus
# ------------------------------------------------------------------------------------------
def source_texts() -> list[str]:
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "articles").iterdir())
    return [f.read_text(encoding="utf-8") for f in files if f.is_file()]


def build_corpus(folder: Path, n_docs: int, seed: int = 0, *, one_paragraph: bool = False) -> Path:
    """Write n_docs recombined articles (markdown headings, so sectioning is unambiguous)."""
    from newsflow.sectioning import parse_article

    headings, paragraphs, titles = [], [], []
    for text in source_texts():
        article = parse_article(text)
        titles.append(article.title.lstrip("# ").strip())
        for section in article.sections:
            if section.heading:
                headings.append(section.heading.lstrip("# ").strip())
            paragraphs += [p for p in section.paragraphs if len(p.split()) >= 4]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_docs):
        title = f"{rng.choice(titles + headings)} ({i})"  # the number keeps every text (doc_id) unique
        if one_paragraph:
            body = [rng.choice(paragraphs)]
        else:
            body = rng.sample(paragraphs, rng.randint(1, 3))  # the lead
            for _ in range(rng.randint(1, 4)):
                body += ["## " + rng.choice(headings), *rng.sample(paragraphs, rng.randint(1, 4))]
        (folder / f"{i:06d}.md").write_text("# " + title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return folder


def persent_corpus(folder: Path, n_docs: int, seed: int = 0) -> Path:
    """Write a seeded sample of n_docs PerSenT articles (title line, paragraphs) as text files."""
    from device_bench import persent_articles, write_corpus

    articles = persent_articles()
    write_corpus(folder, random.Random(seed).sample(articles, min(n_docs, len(articles))), 1)
    return folder


def main_corpus(args, folder: Path) -> Path:
    """The main comparison's corpus (--corpus, --docs, --seed) written into `folder`."""
    make_corpus = persent_corpus if args.corpus == "persent" else build_corpus
    return make_corpus(folder, args.docs, args.seed)


def load_prepared(folder: Path):
    from newsflow.ingest import SourceDocument, discover, read_document
    from newsflow.analysis import prepare_document

    paths, _ = discover(folder)
    docs = [read_document(p, folder) for p in paths]
    return [prepare_document(d) for d in docs if isinstance(d, SourceDocument)]


# ------------------------------------------------------------------------------------------
# a. naive: three encoder passes per section, one sentence per call
# ------------------------------------------------------------------------------------------
def run_naive(prepared, config) -> float:
    import numpy as np

    from newsflow.models.base import TextUnit
    from newsflow.models.summarization import select_sentences
    from newsflow.models.registry import load_models
    from newsflow.targets import discover_targets

    models = load_models(config.models)
    enc = models.encoder

    def one_at_a_time(sentences):
        return np.vstack([enc.encode([s]) for s in sentences]) if sentences else np.zeros((0, 384), np.float32)

    t0 = time.perf_counter()
    for doc in prepared:
        targets = discover_targets(doc.sentences, k=config.analysis.discovered_targets)
        doc_vectors = []
        for sentences in doc.section_sentences:
            sentences = list(sentences)
            vectors = one_at_a_time(sentences)  # the summarizer encodes the section
            select_sentences(sentences, vectors, config.analysis.summary_words)
            doc_vectors.append(vectors)
            models.sentiment.predict([TextUnit(sentences, one_at_a_time(sentences))])  # sentiment encodes again
            if targets:  # and stance a third time
                models.stance.predict([TextUnit(sentences, one_at_a_time(sentences))], targets)
        if doc.sentences:
            select_sentences(doc.sentences, np.vstack(doc_vectors), config.analysis.document_summary_words)
    return time.perf_counter() - t0


# ------------------------------------------------------------------------------------------
# b. newsflow: the flow itself
# ------------------------------------------------------------------------------------------
def warm_up(config_kwargs: dict, scratch: Path) -> dict:
    """One tiny flow run: starts the ephemeral Prefect API and loads the models."""
    t0 = time.perf_counter()
    from newsflow.flows.analyse_news import analyse_news  # the first import (Prefect) is part of start-up
    from newsflow.config import RunConfig

    imported = time.perf_counter()
    src = build_corpus(scratch / "warmup-in", 1, seed=12345)
    summary = analyse_news(config=RunConfig(input_dir=src, output_dir=scratch / "warmup-out", **config_kwargs))
    wall = time.perf_counter() - t0
    load = summary.seconds.get("model_load", 0.0)
    return {"import_s": imported - t0, "wall_s": wall, "model_load_s": load,
            "prefect_startup_s": wall - (imported - t0) - summary.seconds.get("total", 0.0)}


def run_newsflow(folder: Path, out: Path, config_kwargs: dict) -> dict:
    from newsflow.flows.analyse_news import analyse_news
    from newsflow.config import RunConfig

    t0 = time.perf_counter()
    summary = analyse_news(config=RunConfig(input_dir=folder, output_dir=out, **config_kwargs))
    wall = time.perf_counter() - t0
    load = summary.seconds.get("model_load", 0.0)
    return {"wall_s": wall, "flow_total_s": summary.seconds["total"], "model_load_s": load,
            "processing_s": summary.seconds["total"] - load, "processed": summary.processed,
            "sections": summary.sections, "run_id": summary.run_id}


# ------------------------------------------------------------------------------------------
# c. floor: one batched, length-sorted encoder pass
# ------------------------------------------------------------------------------------------
def run_floor(sentences: list[str], config, quantize: bool = False, precision: str = "auto") -> float:
    from newsflow.models.encoder import load_encoder

    enc = load_encoder(None, quantize, "cpu", precision)
    sizes = config.execution.sizes("cpu")
    t0 = time.perf_counter()
    enc.encode(sentences, token_budget=sizes.token_budget, max_batch=sizes.batch_size)
    return time.perf_counter() - t0


# ------------------------------------------------------------------------------------------
# d. peer: sentence-transformers' encode + the same heads
# ------------------------------------------------------------------------------------------
def run_peer(prepared, sentences: list[str], config, batch_size: int, bf16: bool = False) -> dict | None:
    """SentenceTransformer(all-MiniLM-L6-v2).encode(sentences, batch_size=...) + the heads that
    read sentence vectors (benchmarks/device_bench.peer_heads); None without sentence-transformers.
    `bf16`: the model loaded in bf16 (`model_kwargs={"torch_dtype": torch.bfloat16}`)."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    from device_bench import peer_heads

    from newsflow.models.encoder import embedded_model_path
    from newsflow.models.registry import load_models

    import torch

    kwargs = {"model_kwargs": {"torch_dtype": torch.bfloat16}} if bf16 else {}
    model = SentenceTransformer(str(embedded_model_path()), device="cpu", **kwargs)
    models = load_models(config.models)
    model.encode(sentences[:64], batch_size=batch_size)  # warm-up
    t0 = time.perf_counter()
    vectors = model.encode(sentences, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False)
    encode_s = time.perf_counter() - t0
    peer_heads(prepared, vectors, models, config)
    total = time.perf_counter() - t0
    return {"batch_size": batch_size, "bf16": bf16, "encode_s": encode_s, "heads_s": total - encode_s, "s": total}


def apply_threads(config) -> int:
    from newsflow.tasks.analysis import set_torch_threads

    return set_torch_threads(config)


# ------------------------------------------------------------------------------------------
# main comparison
# ------------------------------------------------------------------------------------------
def main_comparison(args, scratch: Path, config_kwargs: dict) -> dict:
    from newsflow.models.encoder import load_encoder
    from newsflow.config import RunConfig

    config = RunConfig(**config_kwargs)
    corpus = main_corpus(args, scratch / "corpus")
    prepared = load_prepared(corpus)
    sentences = [s for d in prepared for s in d.sentences]
    n_sections = sum(len(d.section_sentences) for d in prepared)
    n_tokens = sum(load_encoder().count_tokens(sentences))
    print(f"corpus ({args.corpus}): {len(prepared)} articles, {n_sections} sections, {len(sentences)} sentences "
          f"({len(set(sentences))} distinct), "
          f"{n_tokens} tokens (MiniLM word pieces, with [CLS]/[SEP]) in {corpus}")

    res: dict = {"corpus": {"source": args.corpus, "articles": len(prepared), "sections": n_sections,
                            "sentences": len(sentences), "distinct_sentences": len(set(sentences)),
                            "tokens": n_tokens, "seed": args.seed}}
    res["warmup"] = warm_up(config_kwargs, scratch)
    res["torch_threads"] = apply_threads(config)
    print(f"warm-up (1 article): import {res['warmup']['import_s']:.1f}s, Prefect start-up "
          f"{res['warmup']['prefect_startup_s']:.1f}s, model load {res['warmup']['model_load_s']:.1f}s; "
          f"torch threads {res['torch_threads']}")

    # The floor is the best this machine gives right now: torch at the flow's thread count and at
    # 1 thread (on a loaded shared machine one thread often wins), before and after the flow run.
    import torch

    floors = {}
    for threads in (res["torch_threads"], 1):
        torch.set_num_threads(threads)
        floors[threads] = run_floor(sentences, config)
    # --repeat N: newsflow, the floor and the peers take turns N times and each keeps its best run,
    # so a neighbour's burst on a shared machine slows one run of a variant, not the variant.
    best_threads = min(floors, key=floors.get)  # the floor and the peers run at this thread count
    newsflow_runs, peer_runs, bf16_runs, bf16_floors = [], [], [], []
    bf16_kwargs = {**config_kwargs, "execution": {**config_kwargs.get("execution", {}), "precision": "bf16"}}
    for r in range(args.repeat):
        apply_threads(config)
        newsflow_runs.append(run_newsflow(corpus, scratch / f"out-{r}", config_kwargs))
        torch.set_num_threads(best_threads)
        floors[f"{best_threads}-again{'' if r == 0 else r + 1}"] = run_floor(sentences, config)
        peer_runs += [p for p in (run_peer(prepared, sentences, config, b) for b in (32, 64)) if p is not None]
        if args.bf16:  # the same three in bf16, taking their turns beside the fp32 ones
            apply_threads(config)
            bf16_runs.append(run_newsflow(corpus, scratch / f"out-bf16-{r}", bf16_kwargs))
            torch.set_num_threads(best_threads)
            bf16_floors.append(run_floor(sentences, config, precision="bf16"))
            peer_runs += [p for p in (run_peer(prepared, sentences, config, b, bf16=True) for b in (32, 64))
                          if p is not None]
    res["newsflow_runs"] = newsflow_runs
    res["newsflow"] = min(newsflow_runs, key=lambda n: n["processing_s"])
    res["floor_runs_s"] = floors
    res["floor_threads"] = min(floors, key=floors.get)
    res["floor_s"] = min(floors.values())
    print("floor runs (torch threads: s): " + ", ".join(f"{k}: {v:.1f}" for k, v in floors.items()))
    assert res["newsflow"]["processed"] == len(prepared), res["newsflow"]
    if args.quality or args.quantize_speed:
        res["floor_int8_s"] = run_floor(sentences, config, quantize=True)
        res["newsflow_int8"] = run_newsflow(corpus, scratch / "out-int8", {**config_kwargs, "analysis": {"models": {"quantize": True}}})

    def best_peers(bf16: bool) -> list[dict]:
        runs = [p for p in peer_runs if p["bf16"] == bf16]
        return [min((p for p in runs if p["batch_size"] == b), key=lambda p: p["s"])
                for b in sorted({p["batch_size"] for p in runs})]

    peers = best_peers(False)
    res["peer_runs"] = peer_runs
    res["peer"] = peers
    if args.bf16:
        res["newsflow_bf16_runs"] = bf16_runs
        res["newsflow_bf16"] = min(bf16_runs, key=lambda n: n["processing_s"])
        res["floor_bf16_s"] = min(bf16_floors)
        res["peer_bf16"] = best_peers(True)
        res["bf16_agreement"] = precision_agreement(prepared, config)
    subset = prepared[: args.naive_docs]
    sub_sentences = sum(len(d.sentences) for d in subset)
    torch.set_num_threads(int(str(res["floor_threads"]).split("-")[0]))  # naive gets the floor's threads
    naive_subset_s = run_naive(subset, config)
    extrapolated = len(subset) < len(prepared)
    res["naive"] = {"subset_articles": len(subset), "subset_sentences": sub_sentences, "subset_s": naive_subset_s,
                    "extrapolated": extrapolated,
                    "s": naive_subset_s * len(sentences) / max(sub_sentences, 1)}
    res["peak_rss_mb"] = peak_rss_mb()

    def row(name, seconds, note=""):
        return (name, seconds, n_sections / seconds, n_tokens / seconds, note)

    nf = res["newsflow"]["processing_s"]
    rows = [row("naive (3 passes, batch 1)", res["naive"]["s"],
                f"extrapolated from {len(subset)} articles / {sub_sentences} sentences" if extrapolated else ""),
            *[row(f"peer (s-t encode bs={p['batch_size']} + heads)", p["s"], "no stance") for p in peers],
            row("newsflow (flow, processing)", nf, f"flow wall {res['newsflow']['wall_s']:.1f}s incl. "
                f"model load {res['newsflow']['model_load_s']:.2f}s"),
            row("floor (1 sorted batched pass)", res["floor_s"], "encoder only")]
    if args.bf16:
        rows += [*[row(f"peer bf16 (bs={p['batch_size']} + heads)", p["s"], "no stance") for p in res["peer_bf16"]],
                 row("newsflow --precision bf16", res["newsflow_bf16"]["processing_s"]),
                 row("floor bf16", res["floor_bf16_s"], "encoder only")]
    if "newsflow_int8" in res:
        rows += [row("newsflow --quantize (int8)", res["newsflow_int8"]["processing_s"]),
                 row("floor int8", res["floor_int8_s"])]
    print(f"\n{'variant':34} {'seconds':>9} {'sections/s':>11} {'tokens/s':>10}  note")
    for name, s, secs, toks, note in rows:
        print(f"{name:34} {s:9.2f} {secs:11.1f} {toks:10.0f}  {note}")
    res["ratios"] = {"naive_over_newsflow": res["naive"]["s"] / nf, "newsflow_over_floor": nf / res["floor_s"]}
    print(f"\nnaive / newsflow = {res['ratios']['naive_over_newsflow']:.2f}x (target >= 3)   "
          f"newsflow / floor = {res['ratios']['newsflow_over_floor']:.2f}x (target <= 1.3)")
    if peers:
        best = min(peers, key=lambda p: p["s"])
        res["ratios"]["best_peer_over_newsflow"] = best["s"] / nf
        print(f"best peer / newsflow = {res['ratios']['best_peer_over_newsflow']:.2f}x (target >= 1: newsflow, "
              f"with stance, at least as fast as sentence-transformers + heads at batch_size={best['batch_size']})")
    else:
        print("peer skipped: sentence-transformers is not installed (pip install -e .[bench])")
    if args.bf16:
        nf16 = res["newsflow_bf16"]["processing_s"]
        res["ratios"]["bf16_speedup_newsflow"] = nf / nf16
        res["ratios"]["bf16_speedup_floor"] = res["floor_s"] / res["floor_bf16_s"]
        if res["peer_bf16"]:
            res["ratios"]["best_bf16_peer_over_newsflow_bf16"] = min(p["s"] for p in res["peer_bf16"]) / nf16
        print(f"bf16 speed-up: newsflow {res['ratios']['bf16_speedup_newsflow']:.2f}x, floor "
              f"{res['ratios']['bf16_speedup_floor']:.2f}x; best bf16 peer / newsflow bf16 = "
              f"{res['ratios'].get('best_bf16_peer_over_newsflow_bf16', float('nan')):.2f}x")
        print("bf16 vs fp32 on this corpus: " + json.dumps(res["bf16_agreement"]))
    if "newsflow_int8" in res:
        res["ratios"]["int8_speedup_newsflow"] = nf / res["newsflow_int8"]["processing_s"]
        res["ratios"]["int8_speedup_floor"] = res["floor_s"] / res["floor_int8_s"]
        print(f"int8 speed-up: newsflow {res['ratios']['int8_speedup_newsflow']:.2f}x, "
              f"floor {res['ratios']['int8_speedup_floor']:.2f}x")
    print(f"peak RSS of this process: {res['peak_rss_mb']:.0f} MB")
    return res


def precision_agreement(prepared, config) -> dict:
    """fp32 vs bf16 analysis of the corpus (device_bench.agreement): how many summaries, sentiment
    and stance labels differ, and the largest probability difference."""
    from device_bench import agreement

    from newsflow.models.registry import load_models

    return agreement(prepared, load_models(config.models), load_models(config.models, precision="bf16"), config)


def quality(eval_file: Path) -> dict:
    """The scores `newsflow eval FILE [--quantize]` prints, fp32 vs int8 (same code path)."""
    from newsflow.models.encoder import load_encoder
    from newsflow.models.registry import load_models
    from newsflow.config import ModelChoice
    from newsflow.evaluation import evaluate_file

    out = {}
    for quantize in (False, True):
        models = load_models(ModelChoice(quantize=quantize))
        out["int8" if quantize else "fp32"] = {f"{r.system}:{r.metric}": r.value for r in evaluate_file(eval_file, models)
                                               if r.system == models.sentiment.model_id or r.system == models.stance.model_id
                                               or r.system == models.summarizer.model_id}
    print(f"\nquality on {eval_file} (newsflow eval, fp32 vs --quantize):")
    for metric, fp32 in out["fp32"].items():
        int8 = out["int8"].get(metric, float("nan"))
        print(f"  {metric:60} fp32 {fp32:.4f}  int8 {int8:.4f}  change {int8 - fp32:+.4f}")
    load_encoder.cache_clear()
    return out


# ------------------------------------------------------------------------------------------
# --scale: 1x and 10x in separate subprocesses
# ------------------------------------------------------------------------------------------
def child_run(folder: Path, out: Path, config_kwargs: dict, scratch: Path) -> dict:
    res = {"warmup": warm_up(config_kwargs, scratch)}
    res["rss_after_warmup_mb"] = peak_rss_mb()
    res["newsflow"] = run_newsflow(folder, out, config_kwargs)
    res["peak_rss_mb"] = peak_rss_mb()
    return res


def scale(args, scratch: Path, config_kwargs: dict) -> dict:
    results = {}
    for factor in (1, 10):
        n = args.scale_docs * factor
        corpus = build_corpus(scratch / f"scale-{factor}x", n, args.seed)
        cmd = [sys.executable, __file__, "--child", str(corpus), "--child-out", str(scratch / f"scale-out-{factor}x"),
               "--config", json.dumps(config_kwargs)]
        env = isolated_environment(tempfile.mkdtemp(prefix="newsflow-bench-child-"), PREFECT_LOGGING_LEVEL="WARNING")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"child failed:\n{proc.stderr[-4000:]}")
        child = json.loads(proc.stdout.strip().splitlines()[-1])
        child["articles"] = n
        child["process_wall_s"] = time.perf_counter() - t0
        results[f"{factor}x"] = child
    one, ten = results["1x"], results["10x"]
    results["rss_ratio"] = ten["peak_rss_mb"] / one["peak_rss_mb"]
    results["time_ratio"] = ten["newsflow"]["processing_s"] / one["newsflow"]["processing_s"]
    print("\n--scale (each in its own process; peak RSS = ru_maxrss of the flow process)")
    print(f"{'corpus':8} {'articles':>8} {'sections':>8} {'processing s':>13} {'s/article':>10} "
          f"{'RSS after warm-up MB':>21} {'peak RSS MB':>12}")
    for k in ("1x", "10x"):
        r = results[k]
        print(f"{k:8} {r['articles']:8d} {r['newsflow']['sections']:8d} {r['newsflow']['processing_s']:13.1f} "
              f"{r['newsflow']['processing_s'] / r['articles']:10.3f} {r['rss_after_warmup_mb']:21.0f} "
              f"{r['peak_rss_mb']:12.0f}")
    print(f"peak RSS 10x / 1x = {results['rss_ratio']:.2f} (target <= 1.2); time 10x / 1x = "
          f"{results['time_ratio']:.1f} (linear: 10)")
    return results


# ------------------------------------------------------------------------------------------
# --overhead: orchestration cost per document
# ------------------------------------------------------------------------------------------
def pure_functions(folder: Path, out: Path, config) -> float:
    """The flow's work without Prefect: discover, read, parse, encode, the three tasks, write."""
    from datetime import datetime, timezone

    from newsflow import store
    from newsflow.analysis import analyse_batch, prepare_documents
    from newsflow.ingest import SourceDocument, discover, read_document
    from newsflow.models.registry import load_models
    from newsflow.rows import RunStamp, batch_tables

    sizes = config.execution.sizes("cpu")
    models = load_models(config.models, sizes.batch_size, "cpu", config.execution.precision)
    ids = models.ids()
    t0 = time.perf_counter()
    paths, _ = discover(folder)
    step = sizes.docs_per_batch
    for b in range(0, len(paths), step):
        docs = [read_document(p, folder, config.execution.max_file_bytes) for p in paths[b:b + step]]
        prepared, _ = prepare_documents([d for d in docs if isinstance(d, SourceDocument)])
        analysis = analyse_batch(prepared, models, config)
        tables, _, _ = batch_tables(analysis.documents, ids, {}, RunStamp("pure", datetime.now(timezone.utc), "pure"))
        store.write_batch(out, "2000-01-01", f"pure-{b:06d}", tables)
    return time.perf_counter() - t0


def stance_layer_costs(args, scratch: Path, config_kwargs: dict) -> dict:
    """Seconds of `analyse_batch` on the main corpus per stance top-layer count (see --stance-layers)."""
    import dataclasses

    from safetensors.torch import save_file

    from newsflow.analysis import analyse_batch
    from newsflow.config import RunConfig
    from newsflow.models.heads import STANCE_HEAD, load_head
    from newsflow.models.registry import load_models
    from newsflow.models.stance import load_embedded_stance

    prepared = load_prepared(main_corpus(args, scratch / "stance-layers"))
    config = RunConfig(**config_kwargs)
    apply_threads(config)
    models = load_models(config.models)
    layers = models.encoder.model.encoder.layer
    head, meta = load_head(STANCE_HEAD)
    variants = {}
    for n in args.stance_layers:
        tensors = {k: v for k, v in head.items() if not k.startswith("top.")}
        for i, layer in enumerate(layers[len(layers) - n:]):
            tensors.update({f"top.{i}.{k}": v.detach().clone().contiguous() for k, v in layer.state_dict().items()})
        path = scratch / f"stance-top{n}.safetensors"
        save_file(tensors, str(path), metadata={**meta, "top_layers": str(n)})
        variants[n] = dataclasses.replace(models, stance=load_embedded_stance(models.encoder, str(path)))
    analyse_batch(prepared[:5], models, config)  # warm-up
    times: dict[int, list[float]] = {n: [] for n in variants}
    for _ in range(args.repeat):
        for n, variant in variants.items():
            t0 = time.perf_counter()
            analyse_batch(prepared, variant, config)
            times[n].append(round(time.perf_counter() - t0, 2))
    base = min(times[args.stance_layers[0]])
    for n, runs in times.items():
        print(f"stance top layers {n}: runs {runs} s, best {min(runs):.2f} s = {min(runs) / base:.2f}x "
              f"the {args.stance_layers[0]}-layer best", flush=True)
    return {"docs": len(prepared), "seconds": {str(n): runs for n, runs in times.items()},
            "layers_run": {str(n): len(v.stance.top_layers) for n, v in variants.items()}}


def count_task_runs(flow_run_id: str) -> dict[str, int]:
    from collections import Counter

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    counts: Counter = Counter()
    previous, stable_since = -1, time.monotonic()
    with get_client(sync_client=True) as client:
        for _ in range(30):  # task-run records arrive as events: wait until the count settles
            counts.clear()
            offset = 0
            while True:
                page = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
                                             limit=200, offset=offset)
                counts.update(tr.name.rsplit("-", 1)[0] for tr in page)
                offset += len(page)
                if len(page) < 200:
                    break
            total = sum(counts.values())
            if total != previous:
                previous, stable_since = total, time.monotonic()
            elif time.monotonic() - stable_since > 2:
                break
            time.sleep(1)
    return dict(counts)


def overhead(args, scratch: Path, config_kwargs: dict) -> dict:
    from newsflow.config import RunConfig

    config = RunConfig(**config_kwargs)
    corpus = build_corpus(scratch / "small", args.overhead_docs, args.seed, one_paragraph=True)
    if "warmup" not in getattr(overhead, "_done", {}):
        warm_up(config_kwargs, scratch)
    apply_threads(config)
    pure_functions(corpus, scratch / "pure-warm", config)  # warm caches (tokenizer, target vectors)
    shutil.rmtree(scratch / "pure-warm")
    pure_s = pure_functions(corpus, scratch / "pure", config)
    flow = run_newsflow(corpus, scratch / "small-out", config_kwargs)
    tasks = count_task_runs(flow["run_id"])
    n_batches = -(-args.overhead_docs // config.execution.sizes("cpu").docs_per_batch)
    res = {"articles": args.overhead_docs, "batches": n_batches, "pure_s": pure_s, "flow_processing_s": flow["processing_s"],
           "overhead_s": flow["processing_s"] - pure_s, "task_runs": tasks, "task_runs_total": sum(tasks.values())}
    res["overhead_ms_per_article"] = 1000 * res["overhead_s"] / args.overhead_docs
    print(f"\n--overhead: {args.overhead_docs} one-paragraph articles, {n_batches} batches of "
          f"{config.execution.sizes('cpu').docs_per_batch}")
    print(f"  pure functions {pure_s:.2f}s, flow processing {flow['processing_s']:.2f}s -> overhead "
          f"{res['overhead_s']:.2f}s = {res['overhead_ms_per_article']:.2f} ms/article")
    print(f"  task runs: {res['task_runs_total']} for {args.overhead_docs} articles ({tasks})")
    return res


# ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=300, help="articles in the corpus (default 300)")
    p.add_argument("--corpus", choices=("persent", "recombined"), default="persent",
                   help="the main comparison's articles: real news (PerSenT, default) or recombined seeds/tests")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--naive-docs", type=int, default=30, help="articles the naive variant runs on (extrapolated)")
    p.add_argument("--repeat", type=int, default=1, help="newsflow, floor and peers take turns this many times; "
                                                          "each variant's best run counts")
    p.add_argument("--docs-per-batch", type=int, default=None, help="override RunConfig.docs_per_batch")
    p.add_argument("--token-budget", type=int, default=None, help="override RunConfig.token_budget")
    p.add_argument("--quantize-speed", action="store_true", help="also time the int8 encoder")
    p.add_argument("--bf16", action="store_true", help="also newsflow, peer and floor in bf16 (--precision bf16), "
                                                       "and how many outputs differ from fp32's")
    p.add_argument("--quality", action="store_true", help="int8 speed and quality (newsflow eval) change")
    p.add_argument("--stance-layers", type=int, nargs="+", default=None,
                   help="time the pure functions with this many fine-tuned stance layers each (e.g. 2 4 6)")
    p.add_argument("--eval-file", type=Path, default=DEFAULT_EVAL)
    p.add_argument("--scale", action="store_true", help="1x vs 10x corpus in subprocesses")
    p.add_argument("--scale-docs", type=int, default=100, help="articles in the 1x corpus of --scale (>= 2 batches in flight)")
    p.add_argument("--overhead", action="store_true", help="orchestration overhead on small articles")
    p.add_argument("--overhead-docs", type=int, default=1000)
    p.add_argument("--only", action="store_true", help="skip the main comparison (with --scale/--overhead/--quality)")
    p.add_argument("--all", action="store_true", help="main comparison, --quality, --scale and --overhead")
    p.add_argument("--out", type=Path, default=None, help="JSON results file")
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--config", default="{}", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
    try:
        if args.child:
            print(json.dumps(child_run(args.child, args.child_out, json.loads(args.config), scratch)))
            return 0
        config_kwargs = {"execution": {k: v for k, v in (("docs_per_batch", args.docs_per_batch),
                                                          ("token_budget", args.token_budget)) if v is not None}}
        if args.all:
            args.quality = args.scale = args.overhead = args.bf16 = True
        results: dict = {"argv": sys.argv[1:], "cpus": os.cpu_count(), "config": config_kwargs}
        if not args.only:
            results["main"] = main_comparison(args, scratch, config_kwargs)
        if args.stance_layers:
            results["stance_layers"] = stance_layer_costs(args, scratch, config_kwargs)
        if args.quality and args.eval_file.exists():
            results["quality"] = quality(args.eval_file)
        if args.overhead:
            results["overhead"] = overhead(args, scratch, config_kwargs)
        if args.scale:
            results["scale"] = scale(args, scratch, config_kwargs)
        out = args.out or ROOT / "benchmarks" / "results" / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, default=str))
        print(f"\nresults: {out}")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(_HOME, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
