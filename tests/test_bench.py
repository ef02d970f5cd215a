"""The CPU benchmark's main comparison runs end to end on a tiny corpus of real news (with --bf16
also in bf16), and --repeat lets each variant take turns and keeps its best run (timings are not asserted: they are the benchmark's job)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench_module():
    """benchmarks/bench.py, imported; the Prefect settings its import puts into os.environ (a
    WARNING log level, its own home) are taken out again, so later tests' subprocesses log as usual."""
    saved = dict(os.environ)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench

        yield bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
        sys.modules.pop("bench", None)
        os.environ.clear()
        os.environ.update(saved)


def test_bench_repeat_keeps_each_variants_best_run(prefect_harness, bench_module, tmp_path):
    bench = bench_module

    out = tmp_path / "bench.json"
    assert bench.main(["--docs", "3", "--naive-docs", "1", "--repeat", "2", "--bf16", "--out", str(out)]) == 0
    main = json.loads(out.read_text())["main"]
    assert main["corpus"]["articles"] == 3 and main["corpus"]["source"] == "persent"  # real news by default
    # real articles repeat few sentences (43 of these 45 are distinct; the recombined corpus: 147 of 2,895)
    assert main["corpus"]["distinct_sentences"] >= 0.9 * main["corpus"]["sentences"]
    runs = main["newsflow_runs"]
    assert [r["processed"] for r in runs] == [3, 3]  # each turn analyses the whole corpus afresh
    assert main["newsflow"]["processing_s"] == min(r["processing_s"] for r in runs)
    floors = main["floor_runs_s"]
    assert {"2-again", "2-again2"} <= set(floors) or {"1-again", "1-again2"} <= set(floors)
    assert main["floor_s"] == min(floors.values())
    for peer in main["peer"]:  # present only where sentence-transformers is installed
        same = [p["s"] for p in main["peer_runs"] if p["batch_size"] == peer["batch_size"] and not p["bf16"]]
        assert len(same) == 2 and peer["s"] == min(same)
    assert main["ratios"]["newsflow_over_floor"] == main["newsflow"]["processing_s"] / main["floor_s"]
    # --bf16: newsflow in bf16 took its turns too, and the fp32 / bf16 outputs were compared
    assert [r["processed"] for r in main["newsflow_bf16_runs"]] == [3, 3]
    assert main["ratios"]["bf16_speedup_newsflow"] == main["newsflow"]["processing_s"] / main["newsflow_bf16"]["processing_s"]
    for peer in main["peer_bf16"]:  # where sentence-transformers is installed
        same = [p["s"] for p in main["peer_runs"] if p["batch_size"] == peer["batch_size"] and p["bf16"]]
        assert len(same) == 2 and peer["s"] == min(same)
    agreement = main["bf16_agreement"]
    assert agreement["articles"] == 3 and agreement["stances"] > 0
    assert agreement["stance_labels_differ"] <= agreement["stances"] and agreement["max_probability_difference"] < 1e-2


def test_bench_stance_layers_times_each_layer_count_in_turns(bench_module, tmp_path):
    out = tmp_path / "bench.json"
    assert bench_module.main(["--docs", "3", "--only", "--stance-layers", "2", "4", "--repeat", "2",
                              "--out", str(out)]) == 0
    result = json.loads(out.read_text())["stance_layers"]
    assert result["docs"] == 3
    assert result["layers_run"] == {"2": 2, "4": 4}  # each variant's stance model runs its own count
    assert {n: len(runs) for n, runs in result["seconds"].items()} == {"2": 2, "4": 2}
