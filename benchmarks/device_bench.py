"""newsflow on one device (GPU or CPU), without Prefect: naive / peer / newsflow / encoder floor,
timed in one process on the same real-news sentences.

    python benchmarks/device_bench.py --device cuda --bundle .device_bundle --out "$OUT"
    .venv/bin/python benchmarks/device_bench.py --device cpu --max-docs 40     # a small check here

Made for the device machine: python3 with torch, transformers, pyarrow and numpy, no Prefect,
nothing installable, the working tree copied and `.device_bundle/` carried
(scripts/make_device_bundle.py: MiniLM in bf16 + the pure-Python packages newsflow's parse needs).
newsflow's own modules are imported from the source tree (see `import_source_tree`), never the flow
or the tasks, so Prefect is never imported (checked at the end).

Corpus: PerSenT (Bastan et al. 2020, CC BY 4.0; models/training/data/persent/*.csv in the
working tree): real news articles, written as one .txt file each (title, blank line, paragraphs).

Variants (each timed after a warm-up, GPU work synchronised before the clock stops):
  floor     encoder only: one length-sorted, token-budget batched pass over every sentence
            (newsflow's SentenceEncoder.encode with the device's batch sizes).
  newsflow  end to end without orchestration: read → parse → encoder pass → summaries, sentiment,
            stance → Arrow rows → Parquet (newsflow.store), in batches of the device's
            docs_per_batch; `sequential` runs the stages one after the other, `pipelined` parses
            the next batch and writes the previous one in threads while the current one is analysed.
  peer      what a user would write with sentence-transformers: model.encode(sentences,
            batch_size=B) + the same heads that read sentence vectors (the sentiment head, the
            extractive summary). On the device sentence-transformers is not installed, so the peer
            is its documented equivalent: AutoModel, sentences sorted by length (longest first),
            batches of B, mean pooling over the attention mask, L2 normalisation, each batch
            copied to the host. Where sentence-transformers is installed (--check-st) the real
            SentenceTransformer.encode is timed too and its vectors compared with this peer's.
            The peer does no stance (it has no mention token states), so it does less than newsflow.
  naive     per section, three encoder passes at batch size 1 (summary, sentiment, stance), on a
            subset of articles, extrapolated linearly by sentence count.
  agreement (device ≠ cpu) the first --agreement-docs articles analysed on the CPU and on the
            device: identical labels and summaries, largest probability difference.

Tokens = MiniLM word pieces with [CLS]/[SEP], truncated at 256, the same count for every variant.
Writes device_bench.json (and prints it) under --out.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGES = {"newsflow.models": ROOT / "models"}  # pyproject's package-dir; tasks/flows (Prefect) never
PERSENT = ROOT / "models" / "training" / "data" / "persent"


# ------------------------------------------------------------------------------------------
# Start-up: imports without an installed newsflow, Prefect never imported
# ------------------------------------------------------------------------------------------
def add_vendor(bundle: Path, scratch: Path) -> list[str]:
    """The bundle's vendored packages at the end of sys.path (the machine's own win): the pure zip
    and the pydantic-core wheel for this Python, both extracted into `scratch`."""
    vendor = bundle / "vendor"
    if not vendor.is_dir():
        return []
    target = scratch / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    if (vendor / "pure.zip").exists():
        with zipfile.ZipFile(vendor / "pure.zip") as zf:
            zf.extractall(target)
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    for wheel in [*vendor.glob(f"pydantic_core-*-{tag}-*.whl"), *vendor.glob("*-py3-none-any.whl")]:
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(target)
    sys.path.append(str(target))
    return [str(target)]


def import_source_tree() -> None:
    """Import newsflow from this working tree as pyproject maps it (`newsflow` = newsflow/,
    `newsflow.models` = models/), without installing it: the package is loaded from its folder
    and `newsflow.models` registered from models/ with that folder as its search path."""
    for name in [m for m in sys.modules if m == "newsflow" or m.startswith("newsflow.")]:
        del sys.modules[name]
    sys.path.insert(0, str(ROOT))
    import newsflow  # noqa: F401  (ROOT/newsflow)

    for name, folder in SOURCE_PACKAGES.items():
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        setattr(sys.modules[name.rpartition(".")[0]], name.rpartition(".")[2], module)


# ------------------------------------------------------------------------------------------
# Corpus
# ------------------------------------------------------------------------------------------
def persent_articles() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every PerSenT article in the working tree."""
    csv.field_size_limit(1 << 24)
    articles = []
    for path in sorted(PERSENT.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                paragraphs = [re.sub(r"\s+", " ", p).strip() for p in row["DOCUMENT"].split("\n")]
                paragraphs = [p for p in paragraphs if p]
                if paragraphs:
                    articles.append((row["TITLE"].strip().capitalize() or "Untitled", paragraphs))
    return articles


def write_corpus(folder: Path, articles: list[tuple[str, list[str]]], repeat: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for r in range(repeat):
        for title, paragraphs in articles:
            suffix = f" ({r})" if repeat > 1 else ""  # a copy is a new document (its own content hash)
            (folder / f"{n:06d}.txt").write_text(title + suffix + "\n\n" + "\n\n".join(paragraphs) + "\n",
                                                 encoding="utf-8")
            n += 1
    return n


# ------------------------------------------------------------------------------------------
# Variants
# ------------------------------------------------------------------------------------------
def synchronize(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def timed(device: str, fn, *args, **kwargs):
    synchronize(device)
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    synchronize(device)
    return time.perf_counter() - t0, result


def load_model_set(model_dir: Path, device: str):
    from newsflow.models.encoder import SentenceEncoder
    from newsflow.models.registry import ModelSet
    from newsflow.models.sentiment import EmbeddedSentiment
    from newsflow.models.stance import EmbeddedStance
    from newsflow.models.summarization import ExtractiveSummarizer

    encoder = SentenceEncoder(model_dir, device=device)
    return ModelSet(ExtractiveSummarizer(), EmbeddedSentiment(), EmbeddedStance(encoder), encoder)


def read_batches(folder: Path, docs_per_batch: int):
    from newsflow.ingest import discover

    paths, rejected = discover(folder)
    assert not rejected, rejected
    return [paths[i:i + docs_per_batch] for i in range(0, len(paths), docs_per_batch)]


def parse(paths, folder: Path):
    from newsflow.analysis import prepare_documents
    from newsflow.ingest import SourceDocument, read_document

    docs = [read_document(p, folder) for p in paths]
    prepared, failed = prepare_documents([d for d in docs if isinstance(d, SourceDocument)])
    assert not failed, failed[:3]
    return prepared


def write(analysis, models, out: Path, key: str) -> int:
    from datetime import datetime, timezone

    from newsflow import store
    from newsflow.rows import RunStamp, batch_tables

    tables, rows, _ = batch_tables(analysis.documents, models.ids(), {}, RunStamp("bench", datetime.now(timezone.utc), "bench"))
    store.write_batch(out, "2000-01-01", key, tables)
    return len(rows)


def newsflow_sequential(folder: Path, out: Path, models, config) -> dict:
    from newsflow.analysis import analyse_batch

    sizes = config.execution.sizes(models.encoder.device.type)
    split = {"parse_s": 0.0, "analyse_s": 0.0, "write_s": 0.0}
    device = str(models.encoder.device)
    written = 0
    t0 = time.perf_counter()
    for b, paths in enumerate(read_batches(folder, sizes.docs_per_batch)):
        t = time.perf_counter()
        prepared = parse(paths, folder)
        split["parse_s"] += time.perf_counter() - t
        s, analysis = timed(device, analyse_batch, prepared, models, config)
        split["analyse_s"] += s
        assert not analysis.failed, analysis.failed[:3]
        t = time.perf_counter()
        written += write(analysis, models, out, f"seq-{b:06d}")
        split["write_s"] += time.perf_counter() - t
    return {"s": time.perf_counter() - t0, "documents": written, **split}


def newsflow_pipelined(folder: Path, out: Path, models, config, parse_processes: int = 0) -> dict:
    """Batch k is analysed while later batches are parsed (`parse_processes` forked processes, or
    one thread with 0) and earlier ones are written (one thread)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from newsflow.analysis import analyse_batch

    sizes = config.execution.sizes(models.encoder.device.type)
    device = str(models.encoder.device)
    batches = read_batches(folder, sizes.docs_per_batch)
    ahead = max(1, parse_processes)
    t0 = time.perf_counter()
    # fork: the children inherit the imported source tree; they never touch the GPU
    parser = (ProcessPoolExecutor(parse_processes, mp_context=multiprocessing.get_context("fork"))
              if parse_processes else ThreadPoolExecutor(1))
    with parser, ThreadPoolExecutor(1) as writer:
        parsing = [parser.submit(parse, paths, folder) for paths in batches[:ahead]]
        writes = []
        for b in range(len(batches)):
            prepared = parsing[b].result()
            if b + ahead < len(batches):
                parsing.append(parser.submit(parse, batches[b + ahead], folder))
            analysis = analyse_batch(prepared, models, config)
            assert not analysis.failed, analysis.failed[:3]
            writes.append(writer.submit(write, analysis, models, out, f"pipe-{b:06d}"))
        written = sum(w.result() for w in writes)
    synchronize(device)
    return {"s": time.perf_counter() - t0, "documents": written, "parse_processes": parse_processes}


def peer_encode(model, tokenizer, sentences: list[str], batch_size: int, device: str):
    """sentence-transformers' `encode` for this model, written out: longest texts first, batches
    of `batch_size`, tokenizer padding per batch (truncated at 256), mean pooling, normalisation,
    each batch copied to the host; rows back in input order."""
    import numpy as np
    import torch

    order = np.argsort([-len(s) for s in sentences], kind="stable")
    out = [None] * len(sentences)
    with torch.inference_mode():
        for start in range(0, len(sentences), batch_size):
            idx = order[start:start + batch_size]
            enc = tokenizer([sentences[i] for i in idx], padding=True, truncation=True, max_length=256,
                            return_tensors="pt").to(device)
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            vectors = torch.nn.functional.normalize(pooled, p=2, dim=1).float().cpu().numpy()
            for row, i in zip(vectors, idx):
                out[i] = row
    return np.vstack(out) if out else np.zeros((0, 384), np.float32)


def peer_heads(prepared, vectors, models, config) -> None:
    """The heads that read sentence vectors: sentiment per sentence, extractive summaries per
    section and per document (newsflow's own head and rule)."""
    from newsflow.models.base import TextUnit
    from newsflow.models.summarization import select_sentences

    units, pos = [], 0
    for doc in prepared:
        for sentences in doc.section_sentences:
            units.append(TextUnit(list(sentences), vectors[pos:pos + len(sentences)]))
            select_sentences(list(sentences), vectors[pos:pos + len(sentences)], config.analysis.summary_words)
            pos += len(sentences)
    start = 0
    for doc in prepared:
        n = len(doc.sentences)
        select_sentences(doc.sentences, vectors[start:start + n], config.analysis.document_summary_words)
        start += n
    models.sentiment.predict(units)


def naive(prepared, models, config) -> None:
    """Per section: the summarizer, the sentiment model and the stance model each encode the
    section's sentences again, one sentence per call."""
    import numpy as np

    from newsflow.models.base import TextUnit
    from newsflow.models.summarization import select_sentences
    from newsflow.targets import discover_targets

    enc = models.encoder

    def one_at_a_time(sentences):
        return np.vstack([enc.encode([s]) for s in sentences]) if sentences else np.zeros((0, 384), np.float32)

    for doc in prepared:
        targets = discover_targets(doc.sentences, k=config.analysis.discovered_targets)
        for sentences in doc.section_sentences:
            sentences = list(sentences)
            select_sentences(sentences, one_at_a_time(sentences), config.analysis.summary_words)
            models.sentiment.predict([TextUnit(sentences, one_at_a_time(sentences))])
            if targets:
                models.stance.predict([TextUnit(sentences, one_at_a_time(sentences))], targets)


def agreement(prepared, cpu_models, device_models, config) -> dict:
    from newsflow.analysis import analyse_batch

    cpu = analyse_batch(prepared, cpu_models, config).documents
    dev = analyse_batch(prepared, device_models, config).documents
    counts = {"sections": 0, "sentiment_labels_differ": 0, "summaries_differ": 0, "stances": 0,
              "stance_labels_differ": 0}
    max_diff = 0.0
    for c, d in zip(cpu, dev):
        counts["summaries_differ"] += c.summary.text != d.summary.text
        for cs, ds in zip(c.sections, d.sections):
            counts["sections"] += 1
            counts["summaries_differ"] += cs.summary.text != ds.summary.text
            if cs.sentiment is not None:
                counts["sentiment_labels_differ"] += cs.sentiment.label != ds.sentiment.label
                max_diff = max(max_diff, *(abs(getattr(cs.sentiment, k) - getattr(ds.sentiment, k))
                                           for k in ("negative", "neutral", "positive")))
            for a, b in zip(cs.stances, ds.stances):
                counts["stances"] += 1
                counts["stance_labels_differ"] += a.label != b.label
                max_diff = max(max_diff, *(abs(getattr(a, k) - getattr(b, k)) for k in ("favor", "against", "none")))
    return {"articles": len(prepared), **counts, "max_probability_difference": max_diff}


def real_sentence_transformers(model_dir: Path, sentences, batch_size: int, device: str, peer_vectors):
    """The real SentenceTransformer.encode on the same folder, timed, and its vectors against the peer's."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    import numpy as np
    import torch

    model = SentenceTransformer(str(model_dir), device=device)
    model.to(torch.bfloat16 if device.startswith("cuda") else torch.float32)
    model.encode(sentences[:64], batch_size=batch_size)  # warm-up
    s, vectors = timed(device, model.encode, sentences, batch_size=batch_size, convert_to_numpy=True)
    return {"s": s, "max_abs_difference_to_peer": float(np.abs(np.asarray(vectors, np.float32) - peer_vectors).max()),
            "version": __import__("sentence_transformers").__version__}


def run_tests(args, scratch: Path) -> int:
    """pytest on the given files, in this process (newsflow from the source tree, pytest vendored),
    with NEWSFLOW_TEST_ENCODER = the bundle's model folder; the report also under --out."""
    add_vendor(args.bundle, scratch)
    import_source_tree()
    os.environ["NEWSFLOW_TEST_ENCODER"] = str((args.bundle / "model").resolve())
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import pytest

    args.out.mkdir(parents=True, exist_ok=True)
    code = pytest.main(["-v", "-rA", "-p", "no:cacheprovider", f"--junitxml={args.out / 'pytest.xml'}",
                        "--rootdir", str(ROOT), *args.run_tests])
    return int(code)


def save(out: Path, res: dict) -> Path:
    """The results so far (rewritten after each variant: a run cut short still leaves them)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "device_bench.json"
    path.write_text(json.dumps(res, indent=2, default=str))
    return path


# ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cuda", help="'cuda', 'cpu' or 'auto' (default cuda)")
    p.add_argument("--bundle", type=Path, default=ROOT / ".device_bundle", help="scripts/make_device_bundle.py's folder")
    p.add_argument("--out", type=Path, default=Path(os.environ.get("OUT") or ROOT / "benchmarks" / "results"))
    p.add_argument("--max-docs", type=int, default=0, help="use the first N PerSenT articles (0: all 1,405)")
    p.add_argument("--repeat", type=int, default=1, help="the corpus this many times (each copy a new document)")
    p.add_argument("--peer-batch-sizes", default="32,256", help="sentence-transformers batch sizes (32: its default)")
    p.add_argument("--naive-docs", type=int, default=10, help="articles the naive variant runs on (extrapolated)")
    p.add_argument("--agreement-docs", type=int, default=100, help="articles analysed on the CPU and the device")
    p.add_argument("--check-st", action="store_true", help="also time the real sentence-transformers (if installed)")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    p.add_argument("--run-tests", nargs="*", default=None, metavar="TEST",
                   help="instead of benchmarking: run these pytest files (e.g. tests/test_gpu.py) with the vendored "
                        "pytest and the bundle's model; output to --out/pytest.txt")
    p.add_argument("--parse-processes", type=int, default=-1,
                   help="pipelined variant: processes parsing ahead (0: one thread; default: cores / 2 on a "
                        "GPU, 0 on the CPU)")
    args = p.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="newsflow-device-bench-"))
    try:
        if args.run_tests is not None:
            return run_tests(args, scratch)
        return run(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(args, scratch: Path) -> int:
    t_start = time.perf_counter()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # forked parse processes
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # local folders only
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    res_vendor = add_vendor(args.bundle, scratch)
    import_source_tree()
    import torch
    import transformers

    from newsflow.config import RunConfig
    from newsflow.models.device import resolve_device

    if args.threads:
        torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    if args.parse_processes < 0:
        args.parse_processes = max(1, (os.cpu_count() or 2) // 2) if device != "cpu" else 0
    config = RunConfig(execution={"device": device})
    sizes = config.execution.sizes(device)
    model_dir = args.bundle / "model"
    res: dict = {"argv": sys.argv[1:], "device": device,
                 "device_name": torch.cuda.get_device_name(device) if device.startswith("cuda") else platform.processor() or "cpu",
                 "cpu_count": os.cpu_count(), "torch_threads": torch.get_num_threads(),
                 "python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
                 "dtype": "bf16" if device.startswith("cuda") else "fp32", "sizes": sizes.__dict__}

    articles = persent_articles()
    if args.max_docs:
        articles = articles[:args.max_docs]
    folder = scratch / "corpus"
    n_docs = write_corpus(folder, articles, args.repeat)
    t = time.perf_counter()
    models = load_model_set(model_dir, device)
    res["model_load_s"] = time.perf_counter() - t
    t = time.perf_counter()
    prepared = [d for paths in read_batches(folder, 256) for d in parse(paths, folder)]
    res["parse_only_s"] = time.perf_counter() - t
    sentences = [s for d in prepared for s in d.sentences]
    n_tokens = sum(models.encoder.count_tokens(sentences))
    res["corpus"] = {"source": "PerSenT (CC BY 4.0) dev + fixed_test", "articles": n_docs, "repeat": args.repeat,
                     "sections": sum(len(d.section_sentences) for d in prepared), "sentences": len(sentences),
                     "tokens": n_tokens}
    print(f"{res['device_name']} ({device}, {res['dtype']}); corpus: {n_docs} articles, {len(sentences)} sentences, "
          f"{n_tokens} tokens; model load {res['model_load_s']:.1f}s", flush=True)

    # warm-up: every code path once on a few articles (kernels, allocator, tokenizer caches)
    from newsflow.analysis import analyse_batch

    analyse_batch(prepared[:8], models, config)
    models.encoder.encode(sentences[:512], token_budget=sizes.token_budget, max_batch=sizes.batch_size)

    floors = [timed(device, models.encoder.encode, sentences, token_budget=sizes.token_budget,
                    max_batch=sizes.batch_size)[0] for _ in range(1 if device == "cpu" else 3)]
    res["floor_runs_s"], res["floor_s"] = floors, min(floors)
    save(args.out, res)
    res["newsflow_sequential"] = newsflow_sequential(folder, scratch / "out-seq", models, config)
    save(args.out, res)
    try:
        res["newsflow_pipelined"] = newsflow_pipelined(folder, scratch / "out-pipe", models, config, args.parse_processes)
    except Exception as exc:  # e.g. a broken process pool: keep the run, say so, parse in a thread
        res["pipelined_processes_error"] = f"{type(exc).__name__}: {exc}"
        shutil.rmtree(scratch / "out-pipe", ignore_errors=True)
        res["newsflow_pipelined"] = newsflow_pipelined(folder, scratch / "out-pipe", models, config, 0)
    save(args.out, res)
    assert res["newsflow_sequential"]["documents"] == res["newsflow_pipelined"]["documents"] == n_docs

    peer_model = transformers.AutoModel.from_pretrained(str(model_dir), use_safetensors=True)
    peer_model = peer_model.to(device, dtype=models.encoder.dtype).eval()
    peer_tok = transformers.AutoTokenizer.from_pretrained(str(model_dir))
    res["peer"] = {}
    for batch_size in [int(b) for b in args.peer_batch_sizes.split(",") if b.strip()]:
        peer_encode(peer_model, peer_tok, sentences[:256], batch_size, device)  # warm-up
        encode_s, vectors = timed(device, peer_encode, peer_model, peer_tok, sentences, batch_size, device)
        heads_s, _ = timed(device, peer_heads, prepared, vectors, models, config)
        res["peer"][str(batch_size)] = {"encode_s": encode_s, "heads_s": heads_s, "s": encode_s + heads_s}
        if args.check_st:
            st = real_sentence_transformers(model_dir, sentences, batch_size, device, vectors)
            if st is not None:
                res["peer"][str(batch_size)]["sentence_transformers"] = st
    del peer_model
    save(args.out, res)

    subset = prepared[:args.naive_docs]
    sub_sentences = sum(len(d.sentences) for d in subset)
    naive_s, _ = timed(device, naive, subset, models, config)
    res["naive"] = {"subset_articles": len(subset), "subset_sentences": sub_sentences, "subset_s": naive_s,
                    "s": naive_s * len(sentences) / max(sub_sentences, 1)}

    save(args.out, res)
    if device != "cpu" and args.agreement_docs:
        cpu_models = load_model_set(model_dir, "cpu")
        res["agreement"] = agreement(prepared[:args.agreement_docs], cpu_models, models, config)

    def rate(seconds: float) -> dict:
        return {"s": seconds, "tokens_per_s": n_tokens / seconds, "sentences_per_s": len(sentences) / seconds,
                "articles_per_hour": n_docs / seconds * 3600}

    best_peer = min(res["peer"].values(), key=lambda r: r["s"]) if res["peer"] else None
    nf = res["newsflow_pipelined"]["s"]
    table = {"naive (extrapolated)": rate(res["naive"]["s"]),
             **{f"peer encode+heads, batch_size={b}": rate(r["s"]) for b, r in res["peer"].items()},
             **{f"sentence-transformers encode only, batch_size={b}": rate(r["sentence_transformers"]["s"])
                for b, r in res["peer"].items() if "sentence_transformers" in r},
             "newsflow end-to-end, sequential": rate(res["newsflow_sequential"]["s"]),
             "newsflow end-to-end, pipelined": rate(nf),
             "newsflow parse only": rate(res["parse_only_s"]),
             "floor (encoder only)": rate(res["floor_s"])}
    res["table"] = table
    res["ratios"] = {"naive_over_newsflow": res["naive"]["s"] / nf, "newsflow_over_floor": nf / res["floor_s"]}
    if best_peer:
        res["ratios"]["best_peer_over_newsflow"] = best_peer["s"] / nf  # > 1: newsflow is faster
    res["targets"] = {"newsflow_tokens_per_s": n_tokens / nf, "gpu_target_tokens_per_s": 500_000,
                      "newsflow_at_least_as_fast_as_peer": bool(best_peer and nf <= best_peer["s"])}
    res["vendored_packages_used"] = sorted({m.split(".")[0] for m, mod in list(sys.modules.items()) if res_vendor
                                            and str(getattr(mod, "__file__", "") or "").startswith(res_vendor[0])})
    res["prefect_imported"] = any(m == "prefect" or m.startswith("prefect.") for m in sys.modules)
    res["wall_s"] = time.perf_counter() - t_start

    print(f"\n{'variant':48} {'seconds':>9} {'tokens/s':>11} {'sentences/s':>12} {'articles/h':>11}")
    for name, r in table.items():
        print(f"{name:48} {r['s']:9.2f} {r['tokens_per_s']:11.0f} {r['sentences_per_s']:12.0f} {r['articles_per_hour']:11.0f}")
    seq = res["newsflow_sequential"]
    print(f"\nnewsflow sequential split: parse {seq['parse_s']:.2f}s, analyse {seq['analyse_s']:.2f}s, "
          f"write {seq['write_s']:.2f}s")
    print("ratios: " + ", ".join(f"{k} {v:.2f}" for k, v in res["ratios"].items()))
    if "agreement" in res:
        print(f"agreement cpu vs {device}: {res['agreement']}")
    print(f"Prefect imported: {res['prefect_imported']}; wall {res['wall_s']:.0f}s")
    print(f"results: {save(args.out, res)}")
    return 1 if res["prefect_imported"] else 0


if __name__ == "__main__":
    sys.exit(main())
